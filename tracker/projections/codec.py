"""Read models <-> the JSON bodies of ``view_rows`` (lossless: decode(encode(x)) == x)."""

from __future__ import annotations

import json
from dataclasses import fields, is_dataclass
from datetime import date, datetime
from typing import Any

from tracker.projections.model import (
    DescriptorChange,
    MonthlyScore,
    PersonRef,
    RelationshipView,
    RelationSummary,
    Source,
    TimelineEntry,
)


def _entry_plain(e: TimelineEntry) -> dict[str, Any]:
    # Spelled out: entries are most of what is encoded, and this skips a hook call per field.
    return {
        "event_id": e.event_id,
        "type": e.type,
        "kind": e.kind,
        "pair": e.pair,
        "actors": e.actors,
        "occurred_on": e.occurred_on.isoformat() if e.occurred_on else None,
        "date_precision": e.date_precision,
        "planned": e.planned,
        "summary": e.summary,
        "persons": [{"name": p.name, "title": p.title, "country": p.country} for p in e.persons],
        "location": e.location,
        "details": e.details,
        "cameo": e.cameo,
        "plover": e.plover,
        "goldstein": e.goldstein,
        "confidence": e.confidence,
        "sources": [
            {"url": s.url, "title": s.title, "outlet": s.outlet, "article_id": s.article_id,
             "quote": s.quote}
            for s in e.sources
        ],
        "recorded_at": e.recorded_at.isoformat(),
        "position": e.position,
    }  # fmt: skip


def _default(value: Any) -> Any:
    if isinstance(value, TimelineEntry):
        return _entry_plain(value)
    # Read models are frozen, so their fields are read in place (no deep copy as in asdict).
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: getattr(value, f.name) for f in fields(value)}
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"cannot encode {type(value).__name__} in a view row")


def encode(value: Any) -> str:
    """A read-model dataclass (or plain JSON value) as canonical JSON text."""
    return json.dumps(value, default=_default, sort_keys=True, separators=(",", ":"))


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _source(d: dict[str, Any] | None) -> Source | None:
    return Source(**d) if d is not None else None


def entry_from(d: dict[str, Any]) -> TimelineEntry:
    """A TimelineEntry from its decoded JSON."""
    return TimelineEntry(
        event_id=d["event_id"],
        type=d["type"],
        kind=d["kind"],
        pair=(d["pair"][0], d["pair"][1]),
        actors=tuple(d["actors"]),
        occurred_on=_day(d["occurred_on"]),
        date_precision=d["date_precision"],
        planned=d["planned"],
        summary=d["summary"],
        persons=tuple(PersonRef(**p) for p in d["persons"]),
        location=d["location"],
        details=d["details"],
        cameo=d["cameo"],
        plover=d["plover"],
        goldstein=d["goldstein"],
        confidence=d["confidence"],
        sources=tuple(Source(**s) for s in d["sources"]),
        recorded_at=datetime.fromisoformat(d["recorded_at"]),
        position=d["position"],
    )


def _maybe_entry(d: dict[str, Any] | None) -> TimelineEntry | None:
    return entry_from(d) if d is not None else None


def view_from(d: dict[str, Any]) -> RelationshipView:
    """A RelationshipView from its decoded JSON."""
    return RelationshipView(
        pair=(d["pair"][0], d["pair"][1]),
        names=(d["names"][0], d["names"][1]),
        counts=d["counts"],
        first_date=_day(d["first_date"]),
        last_date=_day(d["last_date"]),
        last_meeting=_maybe_entry(d["last_meeting"]),
        last_leader_contact=_maybe_entry(d["last_leader_contact"]),
        agreements=tuple(entry_from(e) for e in d["agreements"]),
        statements={
            speaker: {topic: entry_from(e) for topic, e in topics.items()}
            for speaker, topics in d["statements"].items()
        },
        trade=tuple(entry_from(e) for e in d["trade"]),
        descriptor=d["descriptor"],
        descriptor_history=tuple(
            DescriptorChange(c["descriptor"], _day(c["since"]), c["event_id"], _source(c["source"]))
            for c in d["descriptor_history"]
        ),
        monthly_scores=tuple(MonthlyScore(**m) for m in d["monthly_scores"]),
        trend=d["trend"],
        planned=tuple(entry_from(e) for e in d["planned"]),
        as_of=datetime.fromisoformat(d["as_of"]) if d["as_of"] else None,
        position=d["position"],
        extra=d["extra"],
    )


def summary_from(d: dict[str, Any]) -> RelationSummary:
    """A RelationSummary from its decoded JSON."""
    return RelationSummary(
        pair=(d["pair"][0], d["pair"][1]),
        names=(d["names"][0], d["names"][1]),
        events=d["events"],
        counts=d["counts"],
        last_date=_day(d["last_date"]),
        last_event=d["last_event"],
        score=d["score"],
        sources=d["sources"],
    )
