"""Everything the log says about one event: its envelope (position, hash), its payload, its
current state in the relationship view, the corrections that name it (corroborations, merges,
retractions, confirmations, with their reasons and analysts) and the articles it came from.

The event page of the web app and ``tracker event ID --json`` both read ``event_detail``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any
from uuid import UUID

from events import ArticleRecorded, DiplomaticEvent, EventsMerged
from tracker.articles import article_event_id
from tracker.errors import InputError
from tracker.projections import codec
from tracker.projections.model import Source, TimelineEntry
from tracker.projections.pairs import pair_label, pair_of_stream
from tracker.projections.relationship import entry_from_fact, source_of
from tracker.projections.runner import (
    ENTRY_VIEW,
    STATE_VIEW,
    named_ids,
    read_rows,
    update_projections,
)
from tracker.store import EventLog, StoredEvent, to_recorded

CORRECTIONS = ("EventCorroborated", "EventsMerged", "EventRetracted", "EventConfirmed")


class EventNotFoundError(InputError):
    """No event with that id is in the log."""


@dataclass(frozen=True)
class Correction:
    """A later event of the same relationship that names this one."""

    type: str
    event_id: str
    position: int
    recorded_at: datetime
    reason: str | None
    analyst: str | None
    source: Source | None  # a corroboration's new source
    survivor_id: str | None  # a merge: the event kept
    merged_ids: tuple[str, ...]  # a merge: the events folded into the survivor


@dataclass(frozen=True)
class ArticleRef:
    """An article an event was extracted from (its ``ArticleRecorded``)."""

    article_id: str
    event_id: str | None
    url: str | None
    title: str
    published: datetime | None
    feed: str | None


@dataclass(frozen=True)
class EventDetail:
    """One logged event with its envelope, payload and, for a fact, its story since."""

    event_id: str
    type: str
    stream: str
    pair: tuple[str, str] | None
    position: int
    stream_version: int
    schema_version: int
    recorded_at: datetime
    hash: str
    prev_hash: str
    payload: dict[str, Any]
    metadata: dict[str, Any]
    status: str  # active, retracted, merged, or record (not a relationship fact)
    merged_into: str | None
    confirmed: bool
    entry: TimelineEntry | None  # a fact: its current entry (all sources), else its own
    corrections: tuple[Correction, ...]
    articles: tuple[ArticleRef, ...]


def _uuid(text: str) -> UUID:
    try:
        return UUID(text.strip())
    except ValueError:
        raise InputError(f"bad event id {text!r}: give the full id (see `log --json`)") from None


def _correction(row: StoredEvent) -> Correction:
    event = to_recorded(row).event
    meta = json.loads(row.metadata or "{}")
    payload = json.loads(row.payload)
    provenance = getattr(event, "provenance", None)
    return Correction(
        type=row.type,
        event_id=str(row.event_id),
        position=row.position,
        recorded_at=row.recorded_at,
        reason=payload.get("reason"),
        analyst=meta.get("analyst"),
        source=source_of(provenance) if provenance is not None else None,
        survivor_id=str(event.survivor_id) if isinstance(event, EventsMerged) else None,
        merged_ids=tuple(map(str, event.merged_ids)) if isinstance(event, EventsMerged) else (),
    )


def _article(store: EventLog, article_id: str) -> ArticleRef | None:
    row = store.get(article_event_id(article_id))
    if row is None:
        return None
    article = to_recorded(row).event
    assert isinstance(article, ArticleRecorded)
    return ArticleRef(
        article_id, str(row.event_id), article.url, article.title, article.published, article.feed
    )


def event_detail(store: EventLog, event_id: str) -> EventDetail:
    """What the log says about ``event_id``; raises InputError for a malformed id and
    EventNotFoundError for an unknown one."""
    eid = _uuid(event_id)
    row = store.get(eid)
    if row is None:
        raise EventNotFoundError(f"no event {eid} in the log; see `log` or `timeline --json`")
    recorded = to_recorded(row)
    pair = pair_of_stream(row.stream_id)
    detail = EventDetail(
        event_id=str(eid),
        type=row.type,
        stream=row.stream_id,
        pair=pair,
        position=row.position,
        stream_version=row.stream_version,
        schema_version=row.schema_version,
        recorded_at=row.recorded_at,
        hash=row.hash,
        prev_hash=row.prev_hash,
        payload=json.loads(row.payload),
        metadata=json.loads(row.metadata or "{}"),
        status="record",
        merged_into=None,
        confirmed=False,
        entry=None,
        corrections=(),
        articles=(),
    )
    fact = recorded.event
    if pair is None or not isinstance(fact, DiplomaticEvent):
        return detail
    update_projections(store)
    label = pair_label(pair)
    state = read_rows(store, STATE_VIEW, key=label)
    aliases: dict[str, str] = state[0]["aliases"] if state else {}
    retracted = set(state[0]["retracted"]) if state else set()
    survivor, seen = str(eid), 0
    while survivor in aliases and seen <= len(aliases):
        survivor, seen = aliases[survivor], seen + 1
    # This event, the events merged into it and the ones it was merged into: their
    # corrections are all part of its story.
    related = {str(eid), survivor, *(k for k, v in aliases.items() if v == str(eid))}
    corrections = tuple(
        _correction(r)
        for r in store.read_stream(row.stream_id)
        if r.type in CORRECTIONS
        and any(i in r.payload for i in related)
        and related & set(named_ids(to_recorded(r).event))
    )
    current = read_rows(store, ENTRY_VIEW, key=survivor)
    entry = (
        codec.entry_from(current[0])
        if current
        else entry_from_fact(fact, str(eid), row.recorded_at, row.position)
    )
    status = (
        "retracted"
        if survivor in retracted
        else "merged"
        if survivor != str(eid) and current
        else "active"
        if current
        else "retracted"
    )
    article_ids = dict.fromkeys(s.article_id for s in entry.sources if s.article_id)
    articles = tuple(a for a in (_article(store, i) for i in article_ids) if a is not None)
    return replace(
        detail,
        status=status,
        merged_into=survivor if survivor != str(eid) else None,
        confirmed=entry.confirmed,
        entry=entry,
        corrections=corrections,
        articles=articles,
    )
