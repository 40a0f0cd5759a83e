"""Domain events <-> stored rows. The only place that encodes payloads and runs upcasters."""

from __future__ import annotations

import dataclasses
import json
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Generic, TypeVar
from uuid import UUID

import orjson

from events import DiplomaticEvent, DomainEvent, decode_trusted
from tracker.store.interface import NewEvent, StoredEvent

E = TypeVar("E", bound=DomainEvent)


def canonical_json(value: Any) -> str:
    """Deterministic JSON: sorted keys, no spaces, UTF-8 kept (the hashed form)."""
    if not value and isinstance(value, dict):  # most rows' metadata: skip the encoder
        return "{}"
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def deterministic_id(*parts: object) -> UUID:
    """A UUID5 from ``parts``: the same fact seen again gets the same id (idempotent append)."""
    return uuid.uuid5(uuid.NAMESPACE_URL, "tracker:" + "|".join(str(p) for p in parts))


def to_new_event(
    event: DomainEvent,
    *,
    event_id: UUID | None = None,
    metadata: dict[str, Any] | None = None,
) -> NewEvent:
    """Map a domain event to an appendable row (a fresh uuid4 unless ``event_id`` is given)."""
    occurred: date | None = event.occurred_on if isinstance(event, DiplomaticEvent) else None
    return NewEvent(
        event_id=event_id or uuid.uuid4(),
        type=event.type_name,
        schema_version=event.schema_version,
        payload=event.to_payload(),
        metadata=dict(metadata or {}),
        occurred_on=occurred,
    )


@dataclass(frozen=True)
class RecordedEvent(Generic[E]):
    """A domain event with its envelope: what consumers (projections, exports) see."""

    event: E
    event_id: UUID
    stream_id: str
    stream_version: int
    position: int
    recorded_at: datetime
    metadata: dict[str, Any]


def _loads(text: str) -> Any:
    # orjson parses stored JSON several times faster than ``json`` (a replay decodes every
    # row); ``json`` still reads what orjson refuses (NaN or Infinity, which json.dumps writes).
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)


def _metadata(text: str) -> dict[str, Any]:
    result: dict[str, Any] = {} if text == "{}" else _loads(text)  # most rows: no parse
    return result


def recorded(
    position: int,
    event_id: UUID,
    stream_id: str,
    stream_version: int,
    type_name: str,
    schema_version: int,
    payload: str,
    metadata: str,
    recorded_at: datetime,
) -> RecordedEvent[DomainEvent]:
    """Decode a stored row's columns (upcasting old schema versions) into a RecordedEvent."""
    return RecordedEvent(
        decode_trusted(type_name, schema_version, _loads(payload)),
        event_id,
        stream_id,
        stream_version,
        position,
        recorded_at,
        _metadata(metadata),
    )


def to_recorded(row: StoredEvent) -> RecordedEvent[DomainEvent]:
    """Decode a stored row (upcasting old schema versions) into a RecordedEvent."""
    return recorded(
        row.position, row.event_id, row.stream_id, row.stream_version, row.type,
        row.schema_version, row.payload, row.metadata, row.recorded_at,
    )  # fmt: skip


def row_columns(row: StoredEvent) -> dict[str, Any]:
    """A stored row's columns by name (the event id as text), as the events table and the
    export-log format take them."""
    fields = dataclasses.asdict(row)
    fields["event_id"] = str(row.event_id)
    return fields
