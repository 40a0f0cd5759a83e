"""The projection runner: the only impure part. Folds the log into ``view_rows``, checkpointed.

Each batch of the log (``read_recorded`` from the checkpoint) is folded and written in ONE
transaction that holds the store's write lock: the rows of every pair the batch touched and the
new checkpoint commit together, so a crash never leaves views and checkpoint apart, and two
runners (a query and a poller) never fold the same batch twice. A batch loads, per pair it
touches, only the stored state row and the entries its events name (or the pair's full state
from a small cache of recent ones, ``CACHED_PAIRS``/``CACHED_ENTRIES``), so memory does not
grow with the log; a view refresh reads one pair's month parts.

Rows written per pair ``CHN-PAK``:
- ``relationship.entry`` / key event id: one active event (``TimelineEntry``), sort key
  ``YYYY-MM-DD:position:precision:Type`` (undated: ``~:...``) for valid-time range scans; the
  date precision and type let ``decision_state`` pick corroboration candidates from the index;
- ``relationship.part`` / key ``CHN-PAK:YYYY-MM`` (``~``: undated): what one month gives the
  view (``BucketPart``), sort key the month;
- ``relationship.sources`` / key ``CHN-PAK:YYYY-MM``: the month's distinct source keys;
- ``relationship.state`` / key pair: merge aliases, retracted ids, position and stream version,
  latest transaction time (sort key ``stale`` while the pair's view and summary lag it);
- ``relationship`` / key pair: the ``RelationshipView``;
- ``relationship.summary`` / key pair: the ``RelationSummary``.

Transaction time: every entry and part row holds from the log position of the event that made
it (``since``); the row it replaces moves to ``view_history`` with the position that ended it
(``until``). So "as recorded by T" is a range query: the entries that held at the position of
the pair's last event recorded by T (``recorded_state``, for timelines) and the month parts
that held then (``recorded_view``: a few dozen rows, not a fold of the stream). Entry rows are
versioned per event (the same rows however the log was batched); a part is written once per
batch for each month the batch changed, and a gap row covers the positions between the first
and the last event of the batch that changed it (there the month is folded from its entries).

Each batch writes only the entries its events changed, the parts of the months they fall in
and the pair's state row; the view and summary (combined from the parts: O(months)) are
rewritten once per run for the pairs it touched, in its last transaction (and every
``VIEW_SECONDS`` of a long run).
Queries call ``update_projections`` before reading (lazy catch-up), so they always reflect
everything appended, whoever appended it; when nothing is new that costs three small queries.
A run from position 0 (``rebuild_projections``, or a new ``PROJECTION_VERSION`` whose checkpoint
does not exist yet) drops the old rows in its first batch's transaction and replays the log.
"""

from __future__ import annotations

import contextlib
import gc
import time
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from itertools import islice, pairwise
from typing import Any

from rpds import HashTrieMap, HashTrieSet

from events import (
    DomainEvent,
    DuplicateSuspected,
    EventConfirmed,
    EventCorroborated,
    EventRetracted,
    EventsMerged,
)
from tracker.decisions.matching import Candidates
from tracker.projections import codec
from tracker.projections.model import BucketPart, RelationshipView, TimelineEntry
from tracker.projections.pairs import pair_label, pair_of_stream, pair_stream
from tracker.projections.recorder import (
    PastRecord,
    ViewReader,
    ViewRecord,
    ViewRecorder,
    ViewWriter,
    view_recorder,
)
from tracker.projections.relationship import (
    NAME,
    PLAN_DAYS,
    PairState,
    apply,
    bucket_of,
    fold,
    part_of,
    source_keys,
    summary_from_parts,
    valid_order,
    view_from_parts,
    view_of,
)
from tracker.store import EventStore, RecordedEvent, to_recorded
from tracker.store.sql import utc

# Bump when the fold or the rows change: the new checkpoint starts at 0, which replays the log.
PROJECTION_VERSION = 9  # 9: entries and month parts with their transaction time and past
CHECKPOINT = f"projection:{NAME}:v{PROJECTION_VERSION}"
ENTRY_VIEW = f"{NAME}.entry"
STATE_VIEW = f"{NAME}.state"
VIEW = NAME
SUMMARY_VIEW = f"{NAME}.summary"
PART_VIEW = f"{NAME}.part"  # key ``CHN-PAK:2024-05``: a month's BucketPart, with its past
SOURCES_VIEW = f"{NAME}.sources"  # key ``CHN-PAK:2024-05``: the month's distinct source keys
VIEWS = (ENTRY_VIEW, STATE_VIEW, VIEW, SUMMARY_VIEW, PART_VIEW, SOURCES_VIEW)
BATCH_SIZE = 1000
# A replay reads bigger batches: per batch it costs a few statements per pair, whatever its size.
REPLAY_BATCH_SIZE = 10_000
CACHED_PAIRS = 64
# ... holding at most this many entries in all (the most recent pair is always kept).
CACHED_ENTRIES = 20_000
# ``decision_state`` folds at most this many events past a pair's stored state, else it first
# catches the projections up (so a poller's decisions never fold a long stream).
TAIL_LIMIT = 1000
# A long run rewrites the views of the pairs it touched this often (and at its end), so readers
# see its progress. A replay from position 0 refreshes only at its end (its views were dropped).
VIEW_SECONDS = 30.0
_STALE = "stale"  # sort key of a state row whose view and summary lag it
_SCAN_PER_MONTH = 2000  # entries of a cached state worth scanning per month a batch changed


@dataclass(frozen=True)
class RunReport:
    """What one run of the projections did."""

    events: int
    pairs: int
    position: int
    seconds: float


def update_projections(store: EventStore, *, batch_size: int = BATCH_SIZE) -> RunReport:
    """Fold everything appended since the checkpoint into the views; raises StoreError."""
    started = time.perf_counter()
    views = view_recorder(store)
    with views.reading() as reader:
        position = reader.max_tracking_id(CHECKPOINT)
        stale = _stale_labels(reader)
    if position >= store.last_position() and not stale:
        return RunReport(0, 0, position, time.perf_counter() - started)
    events = 0
    refreshed = started
    replay = position == 0  # views are rewritten once, at the end: earlier ones are dropped
    pairs: set[tuple[str, str]] = set()
    with cyclic_gc_paused():
        while True:
            with views.recording() as conn:
                # Re-read under the write lock: another runner may have moved it meanwhile.
                start = conn.max_tracking_id(CHECKPOINT)
                rows = list(islice(store.read_recorded(start, batch_size), batch_size))
                if start == 0 and rows:  # a replay (rebuild, new version): drop the old rows now
                    conn.drop(VIEWS)
                touched: dict[tuple[str, str], list[RecordedEvent[Any]]] = {}
                for row in rows:
                    pair = pair_of_stream(row.stream_id)
                    if pair is not None:
                        touched.setdefault(pair, []).append(row)
                for pair, records in touched.items():
                    before, full = _batch_state(views, conn, pair, records)
                    after = _save_state(conn, pair, before, records, full=full)
                    if full:
                        _remember(views, pair, after)
                last = len(rows) < batch_size
                if last or (not replay and time.perf_counter() - refreshed > VIEW_SECONDS):
                    _refresh_views(views, conn)
                    refreshed = time.perf_counter()
                if rows:
                    position = rows[-1].position
                    conn.track(CHECKPOINT, position)
            events += len(rows)
            pairs.update(touched)
            if last:
                break
    return RunReport(events, len(pairs), position, time.perf_counter() - started)


@contextlib.contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while folding. A replay allocates millions of small
    acyclic objects (freed by reference counting); the collector's passes over the survivors
    cost more than the fold itself. Restored afterwards."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def rebuild_projections(store: EventStore, *, batch_size: int = REPLAY_BATCH_SIZE) -> RunReport:
    """Replay the whole log from position 0 (the same code as updates): the first batch drops
    the old rows in its own transaction, so readers never see empty views."""
    with view_recorder(store).recording() as conn:
        conn.untrack(CHECKPOINT)
    return update_projections(store, batch_size=batch_size)


# -- pair state <-> view rows -------------------------------------------------------------------


def _entry_sort_key(entry: TimelineEntry) -> str:
    day = entry.occurred_on.isoformat() if entry.occurred_on else "~"
    return f"{day}:{entry.position:012d}:{entry.date_precision or 'day'}:{entry.type}"


def _admitted(sort_key: str, wanted: Sequence[Candidates]) -> bool:
    day, _, precision, type_name = sort_key.split(":")
    on = date.fromisoformat(day) if day != "~" else None
    return any(c.admits(on, precision, type_name) for c in wanted)


# Recently saved pair states of this process, by (database, pair): a hot pair is then not
# re-read from its rows on every batch. An entry is used only while the pair's stored state row
# still names the same position and version (so another process's writes, a rebuild or a
# rolled-back transaction simply miss); bounded, so memory does not grow with the log.
_STATES: OrderedDict[tuple[str, tuple[str, str]], PairState] = OrderedDict()


def forget_cached_states() -> None:
    """Drop this process's cached pair states (the next batches read their rows)."""
    _STATES.clear()


def _remember(views: ViewRecorder, pair: tuple[str, str], state: PairState) -> None:
    key = (views.identity, pair)
    _STATES.pop(key, None)
    _STATES[key] = state
    held = sum(len(s.entries) for s in _STATES.values())  # once per call, not per eviction
    while len(_STATES) > CACHED_PAIRS or (len(_STATES) > 1 and held > CACHED_ENTRIES):
        held -= len(_STATES.popitem(last=False)[1].entries)


def _stored_base(conn: ViewReader, pair: tuple[str, str]) -> PairState | None:
    """The pair's stored state row (aliases, retractions, position, version), no entries."""
    meta = _meta(conn, pair_label(pair))
    if meta is None:
        return None
    recorded = meta.get("recorded_at")
    return PairState(
        pair=pair,
        aliases=HashTrieMap(meta["aliases"]),
        retracted=HashTrieSet(meta["retracted"]),
        position=meta["position"],
        version=meta["version"],
        recorded_at=datetime.fromisoformat(recorded) if recorded else None,
        backdated=meta.get("backdated", False),
    )


def _cached(views: ViewRecorder, base: PairState | None) -> PairState | None:
    """This process's cached full state of the pair, while it matches the stored state row."""
    if base is None or base.pair is None:
        return None
    cached = _STATES.get((views.identity, base.pair))
    if cached is not None and (cached.position, cached.version) == (base.position, base.version):
        return cached
    return None


def _batch_state(
    views: ViewRecorder,
    conn: ViewReader,
    pair: tuple[str, str],
    records: Sequence[RecordedEvent[Any]],
) -> tuple[PairState, bool]:
    """The state a batch folds onto, and whether it is the full one: the cached full state
    when it is current, else only the entries the batch's events name (each event reads its
    own id, or the ids it corrects and their survivors), so a batch never loads a whole pair."""
    base = _stored_base(conn, pair)
    if base is None:
        return PairState(), True
    cached = _cached(views, base)
    if cached is not None:
        return cached, True
    named = {i for r in records for i in (str(r.event_id), *_named_ids(r.event))}
    return _with_entries(conn, base, named, ()), False


def _with_entries(
    conn: ViewReader, base: PairState, named: set[str], wanted: Sequence[Candidates]
) -> PairState:
    """``base`` with the stored entries ``named`` (and their survivors) and ``wanted``."""
    assert base.pair is not None
    label = pair_label(base.pair)
    named |= {base.resolve(i) for i in named}
    entries = _read_entries(conn, label, named, wanted)
    # ... and the entries those flag as possible duplicates (a retraction unlinks them)
    linked = {d for e in entries.values() for d in e.possible_duplicates} - entries.keys()
    if linked:
        entries |= _read_entries(conn, label, linked, ())
    return replace(base, entries=HashTrieMap(entries))


def _chain(state: PairState, event_id: str) -> Iterator[str]:
    """``event_id`` and every id it was merged into, in order."""
    seen = {event_id}
    yield event_id
    while event_id in state.aliases:
        event_id = state.aliases[event_id]
        if event_id in seen:
            return
        seen.add(event_id)
        yield event_id


def _touched(record: RecordedEvent[Any], before: PairState, after: PairState) -> set[str]:
    """The ids whose entries one event can change: the ids it names along their merge chains
    (aliases only grow, so ``after`` has every chain) and the entries flagged as their possible
    duplicates (a retraction unlinks those)."""
    ids = {
        i
        for named in (str(record.event_id), *_named_ids(record.event))
        for i in _chain(after, named)
    }
    linked = {
        d for i in ids if (e := before.entries.get(i)) is not None for d in e.possible_duplicates
    }
    return ids | linked


def _entry_record(entry: TimelineEntry, label: str, since: int) -> ViewRecord:
    return ViewRecord(
        ENTRY_VIEW, entry.event_id, label, _entry_sort_key(entry), codec.encode(entry), since
    )


def _save_state(
    conn: ViewWriter,
    pair: tuple[str, str],
    old: PairState,
    records: Sequence[RecordedEvent[Any]],
    *,
    full: bool,
) -> PairState:
    """Fold ``records`` onto ``old`` and write what each changed, as of its own position: an
    entry's new version holds from the event that made it (``since``), the row it replaces
    moves to the past (``retire``), and versions replaced within the batch go straight there
    (``archive``). So the entry rows at any position are the same however the log was batched,
    and "as recorded by then" is a range query. The months whose entries changed get their
    part rewritten (``_save_parts``). Writes the pair's state row, marked stale: its view and
    summary are rewritten by ``_refresh_views``. ``full``: ``old`` holds every entry of the
    pair (else only those the records name). Returns the new state."""
    label = pair_label(pair)
    versions: dict[str, list[tuple[TimelineEntry | None, int]]] = {}
    months: dict[str, tuple[int, int]] = {}  # month -> first and last position that changed it
    state = old
    for record in records:
        new = apply(state, record)
        at = record.position
        for i in _touched(record, state, new):
            was, now = state.entries.get(i), new.entries.get(i)
            if now is not was:
                versions.setdefault(i, []).append((now, at))
                for e in (was, now):
                    if e is not None:
                        month = bucket_of(e)
                        months[month] = (months.get(month, (at, at))[0], at)
        state = new
    # An id absent from ``old`` has no stored row: ``old`` holds every stored entry touched.
    conn.retire(ENTRY_VIEW, [(i, versions[i][0][1]) for i in sorted(versions) if i in old.entries])
    past: list[PastRecord] = []
    current: list[ViewRecord] = []
    for i in sorted(versions):
        steps = versions[i]
        for (entry, since), (_, until) in pairwise(steps):
            if entry is not None:
                past.append(PastRecord(_entry_record(entry, label, since), until))
        entry, since = steps[-1]
        if entry is not None:
            current.append(_entry_record(entry, label, since))
    conn.archive(past)
    conn.insert(current)
    _save_parts(conn, label, months, state if full else None)
    meta = {
        "aliases": dict(sorted(state.aliases.items())),
        "retracted": sorted(state.retracted),
        "position": state.position,
        "version": state.version,
        "recorded_at": state.recorded_at.isoformat() if state.recorded_at else None,
        "backdated": state.backdated,
    }
    conn.delete(STATE_VIEW, [label])
    conn.insert([ViewRecord(STATE_VIEW, label, label, _STALE, codec.encode(meta))])
    return state


def _month_range(month: str) -> tuple[str, str | None]:
    """The sort-key range of a month's entries (``~``: the undated ones)."""
    return ("~", None) if month == "~" else (f"{month}-", f"{month}-~")


def _save_parts(
    conn: ViewWriter, label: str, months: dict[str, tuple[int, int]], state: PairState | None
) -> None:
    """Rewrite the part (and source keys) of each month a batch changed, from its entries
    after the batch (``state`` when it is the full one, else the rows just written). The part
    holds from the last event that changed the month; the one it replaces ends at the first;
    in between (events of one batch) a gap row (body ``null``) says "fold this month's entries
    as of then" to an as-of reader, so every position still has its exact answer."""
    if not months:
        return
    # A pair's full state is scanned for the months' entries when that is cheap (a replay's
    # batches touch many months); a few months of a long relationship are read from their rows.
    if state is not None and len(state.entries) <= _SCAN_PER_MONTH * len(months):
        grouped: dict[str, list[TimelineEntry]] = {m: [] for m in months}
        for e in state.entries.values():
            month = bucket_of(e)
            if month in grouped:
                grouped[month].append(e)
        for entries in grouped.values():
            entries.sort(key=valid_order)
    else:
        grouped = {m: _entries_in(conn, label, *_month_range(m)) for m in months}
    keys = {m: f"{label}:{m}" for m in months}
    conn.retire(PART_VIEW, [(keys[m], first) for m, (first, _) in sorted(months.items())])
    conn.archive(
        PastRecord(ViewRecord(PART_VIEW, keys[m], label, m, "null", first), last)
        for m, (first, last) in sorted(months.items())
        if first < last
    )
    conn.insert(
        ViewRecord(PART_VIEW, keys[m], label, m, codec.encode(part_of(m, grouped[m])), last)
        for m, (_, last) in sorted(months.items())
        if grouped[m]
    )
    conn.delete(SOURCES_VIEW, [keys[m] for m in sorted(months)])
    conn.insert(
        ViewRecord(SOURCES_VIEW, keys[m], label, m, codec.encode(sorted(source_keys(grouped[m]))))
        for m in sorted(months)
        if grouped[m]
    )


def _entries(rows: Iterable[ViewRecord]) -> list[TimelineEntry]:
    """The entries of entry rows, in their order."""
    with codec.bulk():
        return [codec.entry_from(codec.decode(r.body)) for r in rows]


def _entries_in(
    conn: ViewReader, label: str, sort_from: str | None, sort_before: str | None
) -> list[TimelineEntry]:
    """The pair's current entries in a sort-key range, in valid-time order."""
    return _entries(
        conn.select(ENTRY_VIEW, pair=label, sort_from=sort_from, sort_before=sort_before)
    )


def _window(plan: TimelineEntry) -> tuple[str | None, str | None]:
    """The sort-key range of the held events that may fulfil a plan (``_took_place`` decides):
    its date's day +/- ``PLAN_DAYS``, month or year; every entry for an undated plan."""
    on = plan.occurred_on
    if on is None:
        return None, None
    if plan.date_precision == "year":
        return f"{on.year:04d}-", f"{on.year:04d}-~"
    if plan.date_precision == "month":
        return _month_range(on.isoformat()[:7])
    days = timedelta(days=PLAN_DAYS)
    return (on - days).isoformat(), (on + days + timedelta(days=1)).isoformat()


def _stale_labels(conn: ViewReader) -> list[str]:
    return [r.key for r in conn.select(STATE_VIEW, sort_key=_STALE)]


def _refresh_views(views: ViewRecorder, conn: ViewWriter) -> None:
    """Rewrite the view and summary rows of every pair whose state row is marked stale, from
    its month parts (``view_from_parts``): O(months), not O(events of the pair). The mark is
    in the database, so a crashed run's stale views are refreshed by the next."""
    for label in _stale_labels(conn):
        a, _, b = label.partition("-")
        meta = _meta(conn, label)
        position = meta["position"] if meta else 0
        with codec.bulk():
            parts = [
                codec.part_from(codec.decode(r.body)) for r in conn.select(PART_VIEW, pair=label)
            ]
            sources = {
                k for r in conn.select(SOURCES_VIEW, pair=label) for k in codec.decode(r.body)
            }

            def held(plan: TimelineEntry, label: str = label) -> list[TimelineEntry]:
                return [e for e in _entries_in(conn, label, *_window(plan)) if not e.planned]

            view = view_from_parts(parts, (a, b), held=held, position=position)
        summary = summary_from_parts(parts, view, len(sources))
        sort = view.last_date.isoformat() if view.last_date else None
        conn.delete(VIEW, [label])
        conn.delete(SUMMARY_VIEW, [label])
        conn.insert(
            [
                ViewRecord(VIEW, label, label, sort, codec.encode(view)),
                ViewRecord(SUMMARY_VIEW, label, label, sort, codec.encode(summary)),
            ]
        )
        conn.set_sort_key(STATE_VIEW, label, None)


# -- the state a decision needs (used by recording) ------------------------------------------


def decision_state(
    store: EventStore,
    pair: tuple[str, str],
    *,
    keys: Iterable[str] = (),
    wanted: Sequence[Candidates] = (),
) -> PairState:
    """The pair's current state restricted to the active entries a decision reads: ``keys``,
    the ``wanted`` candidates and the events named by what was appended since the stored
    state, with those appended events folded in. Its ``version`` is the stream version read,
    for an optimistic append. Aliases and retracted ids are complete, so ``knows`` and
    ``resolve`` hold for any id. Costs indexed reads, not a fold of the stream (a stream more
    than ``TAIL_LIMIT`` events ahead of its rows first catches up). Raises StoreError."""
    stream = pair_stream(*pair)
    for attempt in (1, 2):
        with view_recorder(store).reading() as conn:
            base = None
            if conn.max_tracking_id(CHECKPOINT):  # rows of an older version are never read
                base = _stored_base(conn, pair)
            tail = conn.stream(stream, after_version=base.version if base else 0)
            if attempt == 1 and len(tail) > TAIL_LIMIT:
                continue  # catch up (below), then read again
            records = [to_recorded(r) for r in tail]
            if base is None:
                return fold(records)
            named = {*keys, *(i for r in records for i in _named_ids(r.event))}
            return fold(records, _with_entries(conn, base, named, wanted))
        update_projections(store)
    raise AssertionError("unreachable")  # pragma: no cover


def _named_ids(event: DomainEvent) -> tuple[str, ...]:
    if isinstance(event, EventCorroborated | EventRetracted | EventConfirmed):
        return (str(event.event_id),)
    if isinstance(event, EventsMerged):
        return (str(event.survivor_id), *map(str, event.merged_ids))
    if isinstance(event, DuplicateSuspected):
        return (str(event.event_id), *map(str, event.of_ids))
    return ()


named_ids = _named_ids  # public: the search projection follows the same ids


def _meta(conn: ViewReader, label: str) -> dict[str, Any] | None:
    rows = conn.select(STATE_VIEW, key=label)
    return codec.decode(rows[0].body) if rows else None


def _read_entries(
    conn: ViewReader, label: str, keys: Iterable[str], wanted: Sequence[Candidates]
) -> dict[str, TimelineEntry]:
    """Stored entries of a pair by id, plus those ``wanted`` admits (judged on sort keys from
    the index; only admitted bodies are fetched and decoded)."""
    admitted: list[ViewRecord] = []
    for c in wanted:
        if c.undated:
            found = conn.select(ENTRY_VIEW, pair=label, sort_from="~")
        elif c.start is not None and c.end is not None:
            found = conn.select(
                ENTRY_VIEW,
                pair=label,
                sort_from=c.start.isoformat(),
                sort_before=(c.end + timedelta(days=1)).isoformat(),
            )
        else:
            found = conn.select(ENTRY_VIEW, pair=label)
        admitted.extend(r for r in found if r.sort_key and _admitted(r.sort_key, (c,)))
    named = conn.select(ENTRY_VIEW, keys=sorted(set(keys)))
    return {e.event_id: e for e in _entries((*named, *admitted))}


def _recorded_point(
    conn: ViewReader, pair: tuple[str, str], as_of: datetime
) -> tuple[int, int] | bool | None:
    """The (stream version, global position) of the pair's last event recorded by ``as_of``,
    by a binary search over the stream's versions (its unique index); False when nothing of
    the pair was recorded by then, None when the stream was recorded out of order
    (``backdated``: "recorded by" is then no prefix of the stream, and the caller folds)."""
    stream = pair_stream(*pair)
    base = _stored_base(conn, pair) if conn.max_tracking_id(CHECKPOINT) else None
    if base is None or base.backdated:
        return None if conn.stream_extent(stream)[0] else False
    moment = utc(as_of)
    if base.recorded_at is not None and base.recorded_at <= moment:
        return base.version, base.position  # everything folded so far was recorded by then
    found: tuple[int, int] | None = None
    low, high = 1, base.version
    while low <= high:
        middle = (low + high) // 2
        point = conn.stream_point(stream, middle)
        if point is None:
            return None
        if point[1] <= moment:
            found, low = (middle, point[0]), middle + 1
        else:
            high = middle - 1
    return False if found is None else found


def _entries_as_of(
    conn: ViewReader, label: str, position: int, sort_from: str | None, sort_before: str | None
) -> list[TimelineEntry]:
    """The pair's entries that held at ``position`` in a sort-key range, in valid-time order."""
    return _entries(
        conn.select_as_of(
            ENTRY_VIEW, pair=label, position=position, sort_from=sort_from, sort_before=sort_before
        )
    )


def recorded_state(
    store: EventStore,
    pair: tuple[str, str],
    as_of: datetime,
    *,
    sort_from: str | None = None,
    sort_before: str | None = None,
) -> PairState | None:
    """The pair's active entries as recorded by ``as_of`` (optionally in a sort-key range),
    read by transaction time instead of folding the stream: the entry rows that held at the
    position of the last event recorded by then, one range query (``select_as_of``). None when
    the pair's stream was recorded out of order (the caller folds). Call after
    ``update_projections``. Raises StoreError."""
    with view_recorder(store).reading() as conn:
        point = _recorded_point(conn, pair, as_of)
        if not isinstance(point, tuple):
            return None if point is None else PairState()
        entries = _entries_as_of(conn, pair_label(pair), point[1], sort_from, sort_before)
    return PairState(
        pair=pair,
        entries=HashTrieMap({e.event_id: e for e in entries}),
        position=point[1],
        version=point[0],
    )


def recorded_view(
    store: EventStore, pair: tuple[str, str], as_of: datetime
) -> RelationshipView | None:
    """The relationship view as recorded by ``as_of``: the stored view when every event of the
    pair was recorded by then (one row), else the month parts that held then (a range query
    over a few dozen rows), a month caught between two events of one batch (a gap row) folded
    from its entries as of then. None when the stream was recorded out of order (the caller
    folds). Call after ``update_projections``. Raises StoreError."""
    label = pair_label(pair)
    with view_recorder(store).reading() as conn:
        point = _recorded_point(conn, pair, as_of)
        if not isinstance(point, tuple):
            return None if point is None else replace(view_of(PairState(), pair), as_of=as_of)
        position = point[1]
        rows = conn.select(VIEW, key=label)
        if rows:
            current = codec.view_from(codec.decode(rows[0].body))
            if current.position == position:
                return replace(current, as_of=as_of)
        parts: list[BucketPart] = []
        with codec.bulk():
            for row in conn.select_as_of(PART_VIEW, pair=label, position=position):
                body = codec.decode(row.body)
                if body is not None:
                    parts.append(codec.part_from(body))
                    continue
                month = row.sort_key or "~"
                entries = _entries_as_of(conn, label, position, *_month_range(month))
                if entries:
                    parts.append(part_of(month, entries))

            def held(plan: TimelineEntry) -> list[TimelineEntry]:
                found = _entries_as_of(conn, label, position, *_window(plan))
                return [e for e in found if not e.planned]

            return view_from_parts(parts, pair, held=held, position=position, as_of=as_of)


# -- reading view rows (used by queries) -------------------------------------------------------


def read_rows(
    store: EventStore,
    view: str,
    *,
    key: str | None = None,
    pair: str | None = None,
    sort_from: str | None = None,
    sort_before: str | None = None,
) -> list[dict[str, Any]]:
    """Decoded bodies of view rows, by key or pair and an optional sort-key range, in order
    (the collector paused from the fetch on: see ``codec.bulk``)."""
    with codec.bulk(), view_recorder(store).reading() as conn:
        rows = conn.select(view, key=key, pair=pair, sort_from=sort_from, sort_before=sort_before)
        return [codec.decode(r.body) for r in rows]
