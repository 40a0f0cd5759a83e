"""What every renderer takes: a relationship view, its timeline and the filters that made it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from tracker.projections.model import RelationshipView, TimelineEntry


@dataclass(frozen=True)
class Filters:
    """The selection an export was made with (all optional; empty means everything)."""

    start: date | None = None
    end: date | None = None
    kinds: tuple[str, ...] = ()
    as_of: datetime | None = None


@dataclass(frozen=True)
class Report:
    """Input of every renderer: pure data, so rendering is a pure function of it.

    ``generated_at`` is passed in (never read from the clock here), so the same report renders
    to the same bytes.
    """

    view: RelationshipView
    entries: tuple[TimelineEntry, ...]
    filters: Filters = field(default_factory=Filters)
    generated_at: datetime | None = None

    @property
    def title(self) -> str:
        """``China–Pakistan``: the relationship's display name."""
        return "–".join(self.view.names)


MonthGroup = tuple[str, tuple[TimelineEntry, ...]]
"""``("November 2022", entries)``; the label is empty for the undated group."""


def timeline_groups(
    entries: tuple[TimelineEntry, ...],
) -> list[tuple[str, list[MonthGroup]]]:
    """Entries grouped by year then month, oldest first; undated entries last, as ``Undated``."""
    years: dict[str, dict[str, list[TimelineEntry]]] = {}
    dated = sorted((e for e in entries if e.occurred_on), key=lambda e: (e.occurred_on, e.position))
    for e in dated:
        assert e.occurred_on is not None
        month = e.occurred_on.strftime("%B %Y")
        years.setdefault(str(e.occurred_on.year), {}).setdefault(month, []).append(e)
    groups = [
        (year, [(month, tuple(items)) for month, items in months.items()])
        for year, months in years.items()
    ]
    undated = tuple(e for e in entries if not e.occurred_on)
    if undated:
        groups.append(("Undated", [("", undated)]))
    return groups


def scope_text(filters: Filters) -> str:
    """``events from 2022-01-01 to now; types meeting, agreement`` (empty: no filter)."""
    parts = []
    if filters.start or filters.end:
        parts.append(
            f"events from {filters.start.isoformat() if filters.start else 'the start'} to "
            f"{filters.end.isoformat() if filters.end else 'now'}"
        )
    if filters.kinds:
        parts.append("types " + ", ".join(filters.kinds))
    return "; ".join(parts)


def moment_text(moment: datetime | None) -> str:
    """``2022-11-04 12:00 UTC``, or ``now`` for None."""
    return moment.strftime("%Y-%m-%d %H:%M UTC") if moment else "now"
