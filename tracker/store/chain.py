"""The hash chain: each row's hash covers its canonical content and the previous row's hash.

``verify`` is a function over ``read_all``, not a store method, so it works on any backend and
on an imported log alike.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from uuid import UUID

from tracker.store.interface import EventStore, NewEvent, StoredEvent
from tracker.store.mapping import canonical_json

GENESIS = "0" * 64
_quote = json.encoder.encode_basestring  # what json.dumps(ensure_ascii=False) uses


def row_hash(
    *,
    prev_hash: str,
    position: int,
    event_id: UUID,
    stream_id: str,
    stream_version: int,
    type: str,
    schema_version: int,
    payload: str,
    metadata: str,
    recorded_at: datetime,
    occurred_on: date | None,
) -> str:
    """SHA-256 over the previous hash and the row's canonical content.

    The hashed body is ``canonical_json`` of the list of fields; it is built here by hand (the
    same bytes, see ``tests/test_chain.py``) because this runs once per appended row and
    ``json.dumps`` of a list costs twice as much.
    """
    q = _quote
    occurred = q(occurred_on.isoformat()) if occurred_on else "null"
    body = (
        f"[{position},{q(str(event_id))},{q(stream_id)},{stream_version},{q(type)},"
        f"{schema_version},{q(payload)},{q(metadata)},{q(recorded_at.isoformat())},{occurred}]"
    )
    return hashlib.sha256((prev_hash + body).encode()).hexdigest()


def hash_of(row: StoredEvent, prev_hash: str) -> str:
    """Recompute the hash a stored row should have after ``prev_hash``."""
    return row_hash(
        prev_hash=prev_hash,
        position=row.position,
        event_id=row.event_id,
        stream_id=row.stream_id,
        stream_version=row.stream_version,
        type=row.type,
        schema_version=row.schema_version,
        payload=row.payload,
        metadata=row.metadata,
        recorded_at=row.recorded_at,
        occurred_on=row.occurred_on,
    )


def chain_rows(
    events: Sequence[NewEvent],
    stream_id: str,
    *,
    version: int,
    position: int,
    prev_hash: str,
    recorded_at: datetime,
) -> list[StoredEvent]:
    """The rows that append ``events`` to a stream at ``version`` after the log's row
    ``position`` (hash ``prev_hash``): positions, versions and hashes continue the chain."""
    written: list[StoredEvent] = []
    for e in events:
        position += 1
        version += 1
        payload, metadata = canonical_json(e.payload), canonical_json(e.metadata)
        digest = row_hash(
            prev_hash=prev_hash,
            position=position,
            event_id=e.event_id,
            stream_id=stream_id,
            stream_version=version,
            type=e.type,
            schema_version=e.schema_version,
            payload=payload,
            metadata=metadata,
            recorded_at=recorded_at,
            occurred_on=e.occurred_on,
        )
        written.append(
            StoredEvent(
                position, e.event_id, stream_id, version, e.type, e.schema_version,
                payload, metadata, recorded_at, e.occurred_on, digest, prev_hash,
            )
        )  # fmt: skip
        prev_hash = digest
    return written


@dataclass(frozen=True)
class VerifyReport:
    """Outcome of walking the chain: rows checked and the first broken position, if any."""

    checked: int
    last_position: int
    broken_at: int | None = None
    problem: str | None = None

    @property
    def ok(self) -> bool:
        """True when every row checked out."""
        return self.broken_at is None


def verify_rows(rows: Iterable[StoredEvent]) -> VerifyReport:
    """Check positions are contiguous from 1, prev_hash links and each hash; stop at the first
    broken row (an edited, deleted, inserted or reordered row all break the chain there)."""
    prev_hash, expected_pos, checked, last = GENESIS, 1, 0, 0
    for row in rows:
        problem = None
        if row.position != expected_pos:
            problem = f"expected position {expected_pos}, found {row.position} (row missing?)"
        elif row.prev_hash != prev_hash:
            problem = "prev_hash does not match the previous row (row removed or reordered?)"
        elif hash_of(row, prev_hash) != row.hash:
            problem = "content does not match its hash (row edited?)"
        if problem:
            return VerifyReport(checked, last, broken_at=row.position, problem=problem)
        prev_hash, expected_pos, checked, last = (
            row.hash,
            row.position + 1,
            checked + 1,
            row.position,
        )
    return VerifyReport(checked, last)


def verify(store: EventStore, batch_size: int = 5000) -> VerifyReport:
    """Walk the whole log of ``store`` and report the first broken position."""
    return verify_rows(store.read_all(0, batch_size))
