"""Record keeping: articles seen, and corrections that never rewrite history."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, ClassVar
from uuid import UUID

from pydantic import Field

from events.base import DomainEvent, Payload, register, upcaster
from events.diplomatic import DatePrecision, Person, Provenance


@register
class ArticleRecorded(DomainEvent):
    """A news article was seen for the first time."""

    type_name: ClassVar[str] = "ArticleRecorded"

    article_id: str
    url: str | None = None
    title: str = ""
    published: datetime | None = None
    feed: str | None = None
    content_hash: str
    text: str = ""
    text_source: str = "feed"


@register
class EventRetracted(DomainEvent):
    """A recorded event is withdrawn (wrong extraction, retracted story)."""

    type_name: ClassVar[str] = "EventRetracted"

    event_id: UUID
    reason: str = Field(min_length=1)


@register
class EventsMerged(DomainEvent):
    """Several recorded events turned out to be one real-world event, kept as ``survivor_id``."""

    type_name: ClassVar[str] = "EventsMerged"

    survivor_id: UUID
    merged_ids: tuple[UUID, ...] = Field(min_length=1)
    reason: str = ""


@register
class EventCorroborated(DomainEvent):
    """Another source reports an event already recorded, with what that report says of it.

    v2 added what the report knows (``persons``, ``occurred_on``/``date_precision``,
    ``location``, ``summary``, the type-specific ``details`` such as topics and areas), so the
    views hold the same details whichever report came first, and ``reasons``: why the report
    was accepted as the same event (matching persons, date, type).
    """

    type_name: ClassVar[str] = "EventCorroborated"
    schema_version: ClassVar[int] = 2

    event_id: UUID
    provenance: Provenance
    confidence: float = Field(default=1.0, ge=0.0, le=1.0)
    persons: tuple[Person, ...] = ()
    occurred_on: date | None = None
    date_precision: DatePrecision | None = None
    location: str | None = None
    summary: str = ""
    details: dict[str, Any] = Field(default_factory=dict)
    reasons: tuple[str, ...] = ()


@upcaster("EventCorroborated", from_version=1)
def _corroborated_v1_to_v2(payload: Payload) -> Payload:
    # A v1 corroboration added only its source: it knew no details and gave no reasons.
    for key, empty in (("persons", []), ("details", {}), ("reasons", []), ("summary", "")):
        payload.setdefault(key, empty)
    return payload


@register
class DuplicateSuspected(DomainEvent):
    """A fact recorded on its own may report the same real-world event as ``of_ids``: the
    evidence was too thin to decide, so an analyst should merge or keep it (``merge``)."""

    type_name: ClassVar[str] = "DuplicateSuspected"

    event_id: UUID
    of_ids: tuple[UUID, ...] = Field(min_length=1)
    reason: str = Field(min_length=1)


@register
class EventConfirmed(DomainEvent):
    """An analyst checked a recorded event against its sources and found it right."""

    type_name: ClassVar[str] = "EventConfirmed"

    event_id: UUID
    reason: str = Field(min_length=1)
