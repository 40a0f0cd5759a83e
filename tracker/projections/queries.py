"""Queries over the relationship projection: the API the CLI and the exports call.

Without ``as_of`` a query first catches the views up with the log (``update_projections``:
two small queries when nothing is new), then reads the materialised view rows. With ``as_of``
(transaction time) it folds the pair stream as recorded by that moment: the same pure fold,
so the answer is what the views said then (when nothing of the pair was recorded after that
moment, the stored view is that answer, and no fold is needed). ``start``/``end`` filter by
valid time.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from events import UnknownEventTypeError, canonical_pair, is_country_code, kind_of
from tracker.errors import InputError
from tracker.projections import codec
from tracker.projections.model import (
    MonthlyScore,
    RelationshipView,
    RelationSummary,
    TimelineEntry,
)
from tracker.projections.pairs import pair_label, pair_stream
from tracker.projections.recorder import view_recorder
from tracker.projections.relationship import PairState, fold, timeline_of, view_of
from tracker.projections.runner import (
    ENTRY_VIEW,
    SUMMARY_VIEW,
    VIEW,
    cyclic_gc_paused,
    read_rows,
    recorded_state,
    recorded_view,
    update_projections,
)
from tracker.store import EventLog, to_recorded

SORTS = ("events", "score", "last", "pair", "sources")


def _pair(a: str, b: str) -> tuple[str, str]:
    for code in (a, b):
        if not is_country_code(code):
            raise InputError(f"{code!r} is not an ISO3 country code; resolve names first")
    if a == b:
        raise InputError(f"a relationship needs two different states, got {a} twice")
    return canonical_pair(a, b)


def _state_as_of(
    store: EventLog,
    pair: tuple[str, str],
    as_of: datetime,
    *,
    sort_from: str | None = None,
    sort_before: str | None = None,
) -> PairState:
    """The pair's state as recorded by ``as_of``: from the entry rows' transaction times (a
    range query), or, for a stream recorded out of order, by folding what was recorded then
    (``start``/``end`` then filtered by the caller, as the fold has every entry). Call after
    ``update_projections``."""
    state = recorded_state(store, pair, as_of, sort_from=sort_from, sort_before=sort_before)
    if state is not None:
        return state
    rows = store.read_stream(pair_stream(*pair), until=as_of)
    with codec.bulk(), cyclic_gc_paused():
        return fold(to_recorded(r) for r in rows)


def relationship_view(
    store: EventLog, a: str, b: str, *, as_of: datetime | None = None
) -> RelationshipView:
    """Where the relationship of ``a`` and ``b`` (ISO3) stands now, or as recorded by ``as_of``.

    Raises InputError for codes that are not two distinct ISO3 codes.
    """
    pair = _pair(a, b)
    if as_of is not None:
        update_projections(store)
        current = recorded_view(store, pair, as_of)  # the view or month parts that held then
        if current is not None:
            return current
        return view_of(_state_as_of(store, pair, as_of), pair, as_of=as_of)  # out of order
    update_projections(store)
    rows = read_rows(store, VIEW, key=pair_label(pair))
    return codec.view_from(rows[0]) if rows else view_of(PairState(), pair)


def normalise_kinds(kinds: Sequence[str]) -> tuple[str, ...]:
    """Kinds (``meeting``) or type names (``MeetingHeld``) as kinds, in order, without repeats;
    raises InputError for an unknown one."""
    try:
        return tuple(dict.fromkeys(kind_of(k) for k in kinds))
    except UnknownEventTypeError as e:
        raise InputError(str(e)) from None


def timeline(
    store: EventLog,
    a: str,
    b: str,
    *,
    start: date | None = None,
    end: date | None = None,
    kinds: Sequence[str] = (),
    as_of: datetime | None = None,
) -> list[TimelineEntry]:
    """The relationship's active events in valid-time order (undated last; with ``start`` or
    ``end`` undated events are left out). Retracted and merged-away events never appear;
    planned ones do, with ``planned=True``. ``kinds`` are kinds (``meeting``) or type names
    (``MeetingHeld``). Raises InputError for bad codes, kinds or an empty date range."""
    pair = _pair(a, b)
    wanted = set(normalise_kinds(kinds))
    if start and end and start > end:
        raise InputError(f"--from {start} is after --to {end}: swap them")
    # Valid time as a sort-key range: ``YYYY-MM-DD:...``, undated ``~:...`` after every date.
    sort_from = start.isoformat() if start else None
    sort_before = (end + timedelta(days=1)).isoformat() if end else "~" if start else None
    update_projections(store)
    if as_of is not None:
        state = _state_as_of(store, pair, as_of, sort_from=sort_from, sort_before=sort_before)
        entries = [
            e
            for e in timeline_of(state)
            if (start is None or (e.occurred_on is not None and e.occurred_on >= start))
            and (end is None or (e.occurred_on is not None and e.occurred_on <= end))
        ]
    else:
        rows = read_rows(
            store, ENTRY_VIEW, pair=pair_label(pair), sort_from=sort_from, sort_before=sort_before
        )
        with codec.bulk():
            entries = [codec.entry_from(r) for r in rows]
    return [e for e in entries if not wanted or e.kind in wanted]


def relations(store: EventLog, *, sort: str = "events") -> list[RelationSummary]:
    """Every relationship with events: counts, last event, score. ``sort`` is one of
    events, score, last (most recent first), pair (alphabetical) or sources; raises InputError."""
    if sort not in SORTS:
        raise InputError(f"unknown sort {sort!r}; choose from {', '.join(SORTS)}")
    update_projections(store)
    rows = [codec.summary_from(r) for r in read_rows(store, SUMMARY_VIEW)]
    rows.sort(key=lambda r: r.pair)
    if sort == "events":
        rows.sort(key=lambda r: r.events, reverse=True)
    elif sort == "score":
        rows.sort(key=lambda r: r.score, reverse=True)
    elif sort == "last":
        rows.sort(key=lambda r: r.last_date or date.min, reverse=True)
    elif sort == "sources":
        rows.sort(key=lambda r: r.sources, reverse=True)
    return rows


def score_history(store: EventLog) -> dict[tuple[str, str], tuple[MonthlyScore, ...]]:
    """Every relationship's monthly cooperation scores (from its view), by pair."""
    update_projections(store)
    return {
        (d["pair"][0], d["pair"][1]): tuple(MonthlyScore(**m) for m in d["monthly_scores"])
        for d in read_rows(store, VIEW)
    }


def filter_entries(
    entries: Sequence[TimelineEntry], *, person: str | None = None, outlet: str | None = None
) -> list[TimelineEntry]:
    """The entries naming ``person`` (case-insensitive part of a name) and reported by
    ``outlet`` (a source's outlet, exactly); None keeps all."""
    who = (person or "").strip().casefold()
    return [
        e
        for e in entries
        if (not who or any(who in p.name.casefold() for p in e.persons))
        and (not outlet or any(s.outlet == outlet for s in e.sources))
    ]


def entry_keys(store: EventLog, a: str, b: str) -> list[str]:
    """The sort keys (``YYYY-MM-DD:position:precision:Type``, undated ``~:...``) of the pair's
    active entries in valid-time order, read from the index without decoding a body: what a
    page needs to count, chart and slice a long timeline. Raises InputError."""
    label = pair_label(_pair(a, b))
    update_projections(store)
    with view_recorder(store).reading() as conn:
        return [k for k in conn.sort_keys(ENTRY_VIEW, pair=label) if k]


def entries_between(store: EventLog, a: str, b: str, first: str, last: str) -> list[TimelineEntry]:
    """The pair's active entries whose sort keys lie in ``first``..``last`` (both included, as
    given by ``entry_keys``), in valid-time order."""
    rows = read_rows(
        store, ENTRY_VIEW, pair=pair_label(_pair(a, b)), sort_from=first, sort_before=last + " "
    )
    with codec.bulk():
        return [codec.entry_from(r) for r in rows]
