"""Builders of diplomatic facts and recorded events for the projection tests."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from uuid import UUID, uuid5

from events import DiplomaticEvent, DomainEvent, ExtractorInfo, Person, Provenance, make_event
from tracker.recording import stream_for
from tracker.store import RecordedEvent

EXTRACTOR = ExtractorInfo(name="test", version="1")
T0 = datetime(2024, 1, 1, tzinfo=UTC)
XI = Person(name="Xi Jinping", title="President", country="CHN")
SHARIF = Person(name="Muhammad Shehbaz Sharif", title="Prime Minister", country="PAK")
WANG = Person(name="Wang Yi", title="Foreign Minister", country="CHN")
BILAWAL = Person(name="Bilawal Bhutto Zardari", title="Foreign Minister", country="PAK")


def source(article: int | str, quote: str | None = None) -> Provenance:
    """The provenance of test article ``article``."""
    return Provenance(
        article_id=f"art-{article}",
        url=f"https://news.example/{article}",
        title=f"Article {article}",
        source="example",
        quote=quote,
    )


def fact(
    kind: str,
    *,
    on: date | None = None,
    article: int | str = 1,
    actors: tuple[str, ...] = ("CHN", "PAK"),
    persons: tuple[Person, ...] = (),
    summary: str = "",
    planned: bool = False,
    quote: str | None = None,
    **fields: Any,
) -> DiplomaticEvent:
    """A validated fact of ``kind`` as the extractor would make it."""
    return make_event(
        kind,
        actors=actors,
        persons=persons,
        occurred_on=on,
        date_precision="day" if on else None,
        planned=planned,
        summary=summary or f"{kind} {'-'.join(actors)} {on}",
        provenance=source(article, quote),
        extractor=EXTRACTOR,
        **fields,
    )


class Log:
    """Hands out RecordedEvents with increasing positions, as the store would."""

    def __init__(self) -> None:
        self.position = 0
        self.versions: dict[str, int] = {}

    def record(
        self,
        event: DomainEvent,
        *,
        event_id: UUID | None = None,
        stream: str | None = None,
        at: datetime = T0,
    ) -> RecordedEvent[DomainEvent]:
        """The next RecordedEvent of ``event`` (a fact goes to its pair stream)."""
        if stream is None:
            assert isinstance(event, DiplomaticEvent)
            stream = stream_for(event)
        self.position += 1
        self.versions[stream] = self.versions.get(stream, 0) + 1
        eid = event_id or uuid5(UUID(int=0), f"{stream}:{self.position}")
        return RecordedEvent(event, eid, stream, self.versions[stream], self.position, at, {})
