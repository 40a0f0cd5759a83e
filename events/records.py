"""Record keeping: articles seen, and corrections that never rewrite history."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar
from uuid import UUID

from pydantic import Field

from events.base import DomainEvent, register
from events.diplomatic import Provenance


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
    """Another source reports an event already recorded."""

    type_name: ClassVar[str] = "EventCorroborated"

    event_id: UUID
    provenance: Provenance
    confidence: float = Field(default=1.0, ge=0.0, le=1.0)


@register
class EventConfirmed(DomainEvent):
    """An analyst checked a recorded event against its sources and found it right."""

    type_name: ClassVar[str] = "EventConfirmed"

    event_id: UUID
    reason: str = Field(min_length=1)
