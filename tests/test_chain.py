"""The hand-built hash body is byte-for-byte the canonical JSON of the row's fields."""

from __future__ import annotations

import hashlib
import uuid
from datetime import UTC, date, datetime

from hypothesis import given
from hypothesis import strategies as st

from tracker.store.chain import row_hash
from tracker.store.mapping import canonical_json

text = st.text(max_size=40)


@given(
    position=st.integers(min_value=1, max_value=2**62),
    stream=text,
    version=st.integers(min_value=1, max_value=10**6),
    type_=text,
    schema=st.integers(min_value=1, max_value=99),
    payload=text,
    metadata=text,
    moment=st.datetimes(timezones=st.just(UTC)),
    day=st.one_of(st.none(), st.dates()),
)
def test_row_hash_equals_the_hash_of_canonical_json(
    position: int, stream: str, version: int, type_: str, schema: int, payload: str,
    metadata: str, moment: datetime, day: date | None,
) -> None:  # fmt: skip
    event_id = uuid.uuid4()
    body = canonical_json(
        [position, str(event_id), stream, version, type_, schema, payload, metadata,
         moment.isoformat(), day.isoformat() if day else None]
    )  # fmt: skip
    expected = hashlib.sha256(("p" * 64 + body).encode()).hexdigest()
    got = row_hash(
        prev_hash="p" * 64, position=position, event_id=event_id, stream_id=stream,
        stream_version=version, type=type_, schema_version=schema, payload=payload,
        metadata=metadata, recorded_at=moment, occurred_on=day,
    )  # fmt: skip
    assert got == expected
