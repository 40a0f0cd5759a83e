"""Trusted decoding (a replay's fast path) builds exactly what validation builds, for every
event type, from rows read back from a real store."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime
from itertools import islice
from typing import Any

from pydantic import BaseModel

from events import (
    ArticleRecorded,
    DomainEvent,
    DuplicateSuspected,
    EventConfirmed,
    EventCorroborated,
    ExtractorInfo,
    MeetingHeld,
    Person,
    Provenance,
    decode,
    registered_types,
)
from tracker.store import open_store, to_new_event, to_recorded
from tracker.synth import day_batches, generate


def _by_hand() -> list[DomainEvent]:
    """Events of the types the generator does not make, and corner cases it does not reach
    (no persons, a person without title or country, an upcast-free v2 with details)."""
    eid = uuid.uuid4()
    where = Provenance(url="https://example.org/a", start=0, end=12, quote="Xi met Sharif")
    return [
        ArticleRecorded(
            article_id="a1",
            content_hash="h",
            url="https://example.org/a",
            published=datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC),
            text="body",
        ),
        ArticleRecorded(article_id="a2", content_hash="h2"),
        DuplicateSuspected(event_id=eid, of_ids=(uuid.uuid4(), uuid.uuid4()), reason="thin"),
        EventConfirmed(event_id=eid, reason="checked"),
        EventCorroborated(
            event_id=eid,
            provenance=where,
            persons=(Person(name="Xi"), Person(name="Sharif", title="PM", country="PAK")),
            occurred_on=date(2024, 5, 1),
            date_precision="day",
            details={"topics": ["trade"], "n": 1},
            reasons=("persons", "date"),
        ),
        MeetingHeld(
            actors=("CHN",),
            provenance=where,
            extractor=ExtractorInfo(name="test", version="1"),
            summary="no persons, no date",
        ),
    ]


def _shape(value: Any) -> Any:
    """A value with the Python type of every part spelled out (``==`` says 1 == 1.0 and
    ignores a model's field order; a decode must get those right too)."""
    if isinstance(value, BaseModel):
        return (type(value), [(k, _shape(v)) for k, v in value.__dict__.items()])
    if isinstance(value, tuple | list):
        return (type(value), [_shape(v) for v in value])
    if isinstance(value, dict):
        return (dict, sorted((k, _shape(v)) for k, v in value.items()))
    return (type(value), value)


def test_trusted_decode_equals_validated_decode_for_every_event_type(db_url: str) -> None:
    store = open_store(db_url)
    for batch in day_batches(generate(3000, 5)):
        store.append(batch.stream_id, batch.rows, recorded_at=batch.recorded_at)
    store.append("by-hand", [to_new_event(e) for e in _by_hand()])

    seen: set[str] = set()
    for row in store.read_all(0, 700):
        trusted = to_recorded(row)
        validated = decode(row.type, row.schema_version, json.loads(row.payload))
        assert trusted.event == validated
        assert _shape(trusted.event) == _shape(validated), row.type
        assert trusted.event.to_payload() == validated.to_payload()
        assert trusted.metadata == json.loads(row.metadata)
        seen.add(row.type)
    assert seen == set(registered_types())
    store.close()


def test_shared_value_objects_are_equal_and_frozen(db_url: str) -> None:
    """Persons and extractors met again are one instance (they are immutable values)."""
    store = open_store(db_url)
    for batch in islice(day_batches(generate(400, 2)), 200):
        store.append(batch.stream_id, batch.rows, recorded_at=batch.recorded_at)
    events = [to_recorded(r).event for r in store.read_all()]
    extractors = {id(e.extractor) for e in events if isinstance(e, MeetingHeld)}
    assert len(extractors) < sum(isinstance(e, MeetingHeld) for e in events)
    store.close()
