"""The read models that queries and exports consume: the contract between projections and
everything downstream (CLI rendering, JSON/CSV/Markdown/HTML/ICS exports).

Everything here is a frozen dataclass of plain values, so a view can be serialised with
``dataclasses.asdict`` and compared for equality (rebuild == incremental).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, TypeVar

T = TypeVar("T")
_new = object.__new__


def built(cls: type[T], fields: dict[str, Any]) -> T:
    """An instance of the frozen dataclass ``cls`` with ``fields`` (every field, already of its
    type), made without the generated ``__init__``: that sets each field through
    ``object.__setattr__`` (the frozen guard), and a replay or a long timeline builds hundreds of
    thousands of entries, persons and sources. Equal to ``cls(**fields)``; for values the
    projection made or decoded itself (trusted), never for input."""
    obj = _new(cls)
    obj.__dict__.update(fields)
    return obj


@dataclass(frozen=True)
class Source:
    """One independent report of an event: the article, its outlet, the evidence sentence
    (``quote``) and, for a corroborating report, why it was taken as the same event."""

    url: str | None
    title: str | None = None
    outlet: str | None = None
    article_id: str | None = None
    quote: str | None = None
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True)
class PersonRef:
    """A person named in an event."""

    name: str
    title: str | None = None
    country: str | None = None


@dataclass(frozen=True)
class TimelineEntry:
    """One real-world event of a relationship, with every source that reports it.

    ``details`` holds the type-specific fields (agreement ``area``/``title``; statement
    ``speaker``/``stance``/``topics``/``quote``; trade ``amount``/``currency``/``unit``/
    ``period``/``direction``/``change_pct``; joint statement ``topics``/``areas``;
    descriptor ``descriptor``). Corroborating reports add what they know (persons, topics,
    areas, a more precise date), so an entry is the same whichever report came first.
    ``possible_duplicates``: events this one may report again, too thin to decide (flagged
    for an analyst).
    """

    event_id: str
    type: str
    kind: str
    pair: tuple[str, str]
    actors: tuple[str, ...]
    occurred_on: date | None
    date_precision: str | None
    planned: bool
    summary: str
    persons: tuple[PersonRef, ...]
    location: str | None
    details: dict[str, Any]
    cameo: str
    plover: str
    goldstein: float
    confidence: float
    sources: tuple[Source, ...]
    recorded_at: datetime
    position: int
    possible_duplicates: tuple[str, ...] = ()
    confirmed: bool = False  # an analyst checked it (EventConfirmed)

    @property
    def source_count(self) -> int:
        """Number of independent sources reporting this event."""
        return len(self.sources)


@dataclass(frozen=True)
class DescriptorChange:
    """The relationship's own name as a source phrased it, from a date on."""

    descriptor: str
    since: date | None
    event_id: str
    source: Source | None


@dataclass(frozen=True)
class MonthlyScore:
    """Cooperation score of one month: the sum of the events' Goldstein weights."""

    month: str  # YYYY-MM
    score: float
    events: int


@dataclass(frozen=True)
class RelationshipView:
    """Where a bilateral relationship stands, as of ``as_of`` (None: now)."""

    pair: tuple[str, str]
    names: tuple[str, str]
    counts: dict[str, int]
    first_date: date | None
    last_date: date | None
    last_meeting: TimelineEntry | None
    last_leader_contact: TimelineEntry | None
    agreements: tuple[TimelineEntry, ...]
    statements: dict[str, dict[str, TimelineEntry]]  # speaker ISO3 -> topic -> latest statement
    trade: tuple[TimelineEntry, ...]  # latest per (period, direction)
    descriptor: str | None
    descriptor_history: tuple[DescriptorChange, ...]
    monthly_scores: tuple[MonthlyScore, ...]
    trend: float | None  # slope of the monthly score over the last 12 scored months
    planned: tuple[TimelineEntry, ...] = ()
    as_of: datetime | None = None
    position: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class RelationSummary:
    """One line of ``relations``: a pair with its counts, last event and score."""

    pair: tuple[str, str]
    names: tuple[str, str]
    events: int
    counts: dict[str, int]
    last_date: date | None
    last_event: str | None
    score: float
    sources: int


@dataclass(frozen=True)
class BucketPart:
    """What one month of a relationship (``YYYY-MM``; ``~`` for its undated events) gives its
    view: each answer of ``RelationshipView`` restricted to that month's events. Every answer
    is a sum, a minimum/maximum, a "latest of" or an ordered list, and no two of a month's
    events compete with another month's on equal terms (every tie is on one date), so the view
    is these parts combined in month order (``relationship.view_from_parts``): a view changes
    only in the months its events touch, and as-of reads a few dozen parts, not every event.
    """

    bucket: str
    counts: dict[str, int]  # happened events per kind
    agreement_items: int  # agreements, one per canonical area and date
    agreements: Sequence[TimelineEntry]  # the month's last LIST_LIMIT of those
    first_date: date | None
    last_date: date | None
    last_meeting: TimelineEntry | None
    last_leader_contact: TimelineEntry | None
    last_action: TimelineEntry | None  # latest happened event other than a report
    last_report: TimelineEntry | None  # latest happened event of any kind
    statements: dict[str, dict[str, TimelineEntry]]  # speaker -> topic -> latest
    trade: tuple[TimelineEntry, ...]  # latest per (period, direction), nothing derived
    descriptors: Sequence[DescriptorChange]  # the month's last LIST_LIMIT + 1 changes
    descriptors_cut: bool  # earlier changes of the month were left out
    score: MonthlyScore | None
    planned: tuple[TimelineEntry, ...]  # every planned event of the month
