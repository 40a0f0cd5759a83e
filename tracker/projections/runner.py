"""The projection runner: the only impure part. Folds the log into ``view_rows``, checkpointed.

Each batch of the log (``read_all`` from the checkpoint) is folded and written in ONE
transaction that holds the store's write lock: the rows of every pair the batch touched and the
new checkpoint commit together, so a crash never leaves views and checkpoint apart, and two
runners (a query and a poller) never fold the same batch twice. A batch loads, per pair it
touches, only the stored state row and the entries its events name (or the pair's full state
from a small cache of recent ones, ``CACHED_PAIRS``/``CACHED_ENTRIES``), so memory does not
grow with the log; a view refresh holds one pair's entries at a time.

Rows written per pair ``CHN-PAK``:
- ``relationship.entry`` / key event id: one active event (``TimelineEntry``), sort key
  ``YYYY-MM-DD:position:precision:Type`` (undated: ``~:...``) for valid-time range scans; the
  date precision and type let ``decision_state`` pick corroboration candidates from the index;
- ``relationship.state`` / key pair: merge aliases, retracted ids, position and stream version
  (sort key ``stale`` while the pair's view and summary lag it);
- ``relationship`` / key pair: the ``RelationshipView``;
- ``relationship.summary`` / key pair: the ``RelationSummary``.

Each batch writes only the entries its events changed and the pair's state row; the view and
summary (pure functions of the whole pair state) are rewritten once per run for the pairs it
touched, in its last transaction (and every ``VIEW_SECONDS`` of a long run).
Queries call ``update_projections`` before reading (lazy catch-up), so they always reflect
everything appended, whoever appended it; when nothing is new that costs three small queries.
A run from position 0 (``rebuild_projections``, or a new ``PROJECTION_VERSION`` whose checkpoint
does not exist yet) drops the old rows in its first batch's transaction and replays the log.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from itertools import islice
from typing import Any

import sqlalchemy as sa
from rpds import HashTrieMap, HashTrieSet
from sqlalchemy.engine import Connection, Engine

from events import (
    DomainEvent,
    DuplicateSuspected,
    EventCorroborated,
    EventRetracted,
    EventsMerged,
)
from tracker.projections import codec
from tracker.projections.corroboration import Candidates
from tracker.projections.model import RelationshipView, TimelineEntry
from tracker.projections.pairs import pair_label, pair_of_stream, pair_stream
from tracker.projections.relationship import (
    NAME,
    PairState,
    fold,
    views_of,
)
from tracker.store import RecordedEvent, SqlEventStore, to_recorded
from tracker.store.checkpoints import load_checkpoint, reset_checkpoint, save_checkpoint
from tracker.store.schema import CHECKPOINTS, VIEW_ROWS
from tracker.store.sql import (
    read_transaction,
    stream_extent,
    stream_rows,
    translate_errors,
    utc,
    write_transaction,
)

# Bump when the fold or the rows change: the new checkpoint starts at 0, which replays the log.
PROJECTION_VERSION = 4  # 4: corroborations add their details; sources in key order
CHECKPOINT = f"projection:{NAME}:v{PROJECTION_VERSION}"
ENTRY_VIEW = f"{NAME}.entry"
STATE_VIEW = f"{NAME}.state"
VIEW = NAME
SUMMARY_VIEW = f"{NAME}.summary"
VIEWS = (ENTRY_VIEW, STATE_VIEW, VIEW, SUMMARY_VIEW)
BATCH_SIZE = 1000
CACHED_PAIRS = 64
# ... holding at most this many entries in all (the most recent pair is always kept).
CACHED_ENTRIES = 20_000
# ``decision_state`` folds at most this many events past a pair's stored state, else it first
# catches the projections up (so a poller's decisions never fold a long stream).
TAIL_LIMIT = 1000
# A long run rewrites the views of the pairs it touched this often (and at its end). By time, not
# batch count: a refresh costs O(events of each pair), so a count would make a replay quadratic.
VIEW_SECONDS = 30.0
_STALE = "stale"  # sort key of a state row whose view and summary lag it
_CHUNK = 500


@dataclass(frozen=True)
class RunReport:
    """What one run of the projections did."""

    events: int
    pairs: int
    position: int
    seconds: float


def update_projections(store: SqlEventStore, *, batch_size: int = BATCH_SIZE) -> RunReport:
    """Fold everything appended since the checkpoint into the views; raises StoreError."""
    started = time.perf_counter()
    engine = store.engine
    position = load_checkpoint(engine, CHECKPOINT)
    if position >= store.last_position() and not _stale_labels(engine):
        return RunReport(0, 0, position, time.perf_counter() - started)
    events = 0
    refreshed = started
    pairs: set[tuple[str, str]] = set()
    while True:
        with write_transaction(engine) as conn:
            # Re-read under the write lock: another runner may have moved it meanwhile.
            start = load_checkpoint(engine, CHECKPOINT)
            rows = list(islice(store.read_all(start, batch_size), batch_size))
            if start == 0 and rows:  # a replay (rebuild, new version): drop the old rows now
                conn.execute(sa.delete(VIEW_ROWS).where(VIEW_ROWS.c.view.in_(VIEWS)))
            touched: dict[tuple[str, str], list[RecordedEvent[Any]]] = {}
            for row in rows:
                pair = pair_of_stream(row.stream_id)
                if pair is not None:
                    touched.setdefault(pair, []).append(to_recorded(row))
            for pair, records in touched.items():
                before, full = _batch_state(conn, pair, records)
                after = fold(records, before)
                _save_state(conn, pair, before, after, records)
                if full:
                    _remember(conn, pair, after)
            last = len(rows) < batch_size
            if last or time.perf_counter() - refreshed > VIEW_SECONDS:
                _refresh_views(conn)
                refreshed = time.perf_counter()
            if rows:
                position = rows[-1].position
                save_checkpoint(conn, CHECKPOINT, position)
        events += len(rows)
        pairs.update(touched)
        if last:
            break
    return RunReport(events, len(pairs), position, time.perf_counter() - started)


def rebuild_projections(store: SqlEventStore, *, batch_size: int = BATCH_SIZE) -> RunReport:
    """Replay the whole log from position 0 (the same code as updates): the first batch drops
    the old rows in its own transaction, so readers never see empty views."""
    with write_transaction(store.engine) as conn:
        reset_checkpoint(conn, CHECKPOINT)
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


def _cache_key(conn: Connection, pair: tuple[str, str]) -> tuple[str, tuple[str, str]]:
    return (conn.engine.url.render_as_string(hide_password=False), pair)


def _remember(conn: Connection, pair: tuple[str, str], state: PairState) -> None:
    key = _cache_key(conn, pair)
    _STATES.pop(key, None)
    _STATES[key] = state
    while len(_STATES) > CACHED_PAIRS or (
        len(_STATES) > 1 and sum(len(s.entries) for s in _STATES.values()) > CACHED_ENTRIES
    ):
        _STATES.popitem(last=False)


def _stored_base(conn: Connection, pair: tuple[str, str]) -> PairState | None:
    """The pair's stored state row (aliases, retractions, position, version), no entries."""
    meta = _meta(conn, pair_label(pair))
    if meta is None:
        return None
    return PairState(
        pair=pair,
        aliases=HashTrieMap(meta["aliases"]),
        retracted=HashTrieSet(meta["retracted"]),
        position=meta["position"],
        version=meta["version"],
    )


def _cached(conn: Connection, base: PairState | None) -> PairState | None:
    """This process's cached full state of the pair, while it matches the stored state row."""
    if base is None or base.pair is None:
        return None
    cached = _STATES.get(_cache_key(conn, base.pair))
    if cached is not None and (cached.position, cached.version) == (base.position, base.version):
        return cached
    return None


def _load_state(conn: Connection, pair: tuple[str, str]) -> PairState:
    """The pair's full state: every active entry (from the cache, else its rows)."""
    base = _stored_base(conn, pair)
    if base is None:
        return PairState()
    cached = _cached(conn, base)
    if cached is not None:
        return cached
    bodies = conn.execute(
        sa.select(VIEW_ROWS.c.body).where(
            VIEW_ROWS.c.view == ENTRY_VIEW, VIEW_ROWS.c.pair == pair_label(pair)
        )
    ).scalars()
    with codec.bulk():
        entries = [codec.entry_from(codec.decode(b)) for b in bodies]
    return replace(base, entries=HashTrieMap({e.event_id: e for e in entries}))


def _batch_state(
    conn: Connection, pair: tuple[str, str], records: Sequence[RecordedEvent[Any]]
) -> tuple[PairState, bool]:
    """The state a batch folds onto, and whether it is the full one: the cached full state
    when it is current, else only the entries the batch's events name (each event reads its
    own id, or the ids it corrects and their survivors), so a batch never loads a whole pair."""
    base = _stored_base(conn, pair)
    if base is None:
        return PairState(), True
    cached = _cached(conn, base)
    if cached is not None:
        return cached, True
    named = {i for r in records for i in (str(r.event_id), *_named_ids(r.event))}
    return _with_entries(conn, base, named, ()), False


def _with_entries(
    conn: Connection, base: PairState, named: set[str], wanted: Sequence[Candidates]
) -> PairState:
    """``base`` with the stored entries ``named`` (and their survivors) and ``wanted``."""
    assert base.pair is not None
    named |= {base.resolve(i) for i in named}
    entries = _read_entries(conn, pair_label(base.pair), named, wanted)
    return replace(base, entries=HashTrieMap(entries))


def _delete(conn: Connection, view: str, keys: Sequence[str]) -> None:
    for i in range(0, len(keys), _CHUNK):
        chunk = list(keys[i : i + _CHUNK])
        conn.execute(
            sa.delete(VIEW_ROWS).where(VIEW_ROWS.c.view == view, VIEW_ROWS.c.key.in_(chunk))
        )


def _insert(conn: Connection, rows: Iterable[dict[str, Any]]) -> None:
    batch = list(rows)
    for i in range(0, len(batch), _CHUNK):
        conn.execute(sa.insert(VIEW_ROWS), batch[i : i + _CHUNK])


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


def _save_state(
    conn: Connection,
    pair: tuple[str, str],
    old: PairState,
    new: PairState,
    records: Sequence[RecordedEvent[Any]],
) -> None:
    """Write the entries ``records`` changed (the ids they name, along their merge chains:
    aliases only grow, so that covers every entry an event can touch) and the pair's state
    row, marked stale: its view and summary are rewritten by ``_refresh_views``."""
    label = pair_label(pair)
    ids = {
        i
        for r in records
        for named in (str(r.event_id), *_named_ids(r.event))
        for i in _chain(new, named)
    }
    changed = [
        e
        for i in sorted(ids)
        if (e := new.entries.get(i)) is not None and old.entries.get(i) is not e
    ]
    removed = [i for i in sorted(ids) if i in old.entries and i not in new.entries]
    _delete(conn, ENTRY_VIEW, [e.event_id for e in changed] + removed)
    _insert(
        conn,
        (
            {
                "view": ENTRY_VIEW,
                "key": e.event_id,
                "pair": label,
                "sort_key": _entry_sort_key(e),
                "body": codec.encode(e),
            }
            for e in changed
        ),
    )
    meta = {
        "aliases": dict(sorted(new.aliases.items())),
        "retracted": sorted(new.retracted),
        "position": new.position,
        "version": new.version,
    }
    _delete(conn, STATE_VIEW, [label])
    _insert(
        conn,
        [{"view": STATE_VIEW, "key": label, "pair": label, "sort_key": _STALE,
          "body": codec.encode(meta)}],
    )  # fmt: skip


def _stale_labels(bind: Connection | Engine) -> list[str]:
    q = sa.select(VIEW_ROWS.c.key).where(
        VIEW_ROWS.c.view == STATE_VIEW, VIEW_ROWS.c.sort_key == _STALE
    )
    if isinstance(bind, Connection):
        return list(bind.execute(q).scalars())
    with translate_errors(bind.url), bind.connect() as conn:
        return list(conn.execute(q).scalars())


def _refresh_views(conn: Connection) -> None:
    """Rewrite the view and summary rows of every pair whose state row is marked stale.

    Views are pure functions of the whole pair state (O(events of the pair)), so a run
    computes them once per pair at its end (and every ``VIEW_SECONDS``), not per batch;
    the mark is in the database, so a crashed run's stale views are refreshed by the next.
    """
    for label in _stale_labels(conn):
        a, _, b = label.partition("-")
        pair = (a, b)
        state = _load_state(conn, pair)
        _remember(conn, pair, state)
        view, summary = views_of(state, pair)
        sort = view.last_date.isoformat() if view.last_date else None
        _delete(conn, VIEW, [label])
        _delete(conn, SUMMARY_VIEW, [label])
        _insert(
            conn,
            [
                {"view": VIEW, "key": label, "pair": label, "sort_key": sort,
                 "body": codec.encode(view)},
                {"view": SUMMARY_VIEW, "key": label, "pair": label, "sort_key": sort,
                 "body": codec.encode(summary)},
            ],
        )  # fmt: skip
        conn.execute(
            sa.update(VIEW_ROWS)
            .where(VIEW_ROWS.c.view == STATE_VIEW, VIEW_ROWS.c.key == label)
            .values(sort_key=None)
        )


# -- the state a decision needs (used by recording) ------------------------------------------


def decision_state(
    store: SqlEventStore,
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
        with read_transaction(store.engine) as conn:
            base = None
            if conn.execute(
                sa.select(CHECKPOINTS.c.position).where(CHECKPOINTS.c.name == CHECKPOINT)
            ).scalar_one_or_none():  # rows of an older projection version are never read
                base = _stored_base(conn, pair)
            tail = stream_rows(conn, stream, after_version=base.version if base else 0)
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
    if isinstance(event, EventCorroborated | EventRetracted):
        return (str(event.event_id),)
    if isinstance(event, EventsMerged):
        return (str(event.survivor_id), *map(str, event.merged_ids))
    if isinstance(event, DuplicateSuspected):
        return (str(event.event_id), *map(str, event.of_ids))
    return ()


def _meta(conn: Connection, label: str) -> dict[str, Any] | None:
    body = conn.execute(
        sa.select(VIEW_ROWS.c.body).where(VIEW_ROWS.c.view == STATE_VIEW, VIEW_ROWS.c.key == label)
    ).scalar_one_or_none()
    return codec.decode(body) if body is not None else None


def _read_entries(
    conn: Connection, label: str, keys: Iterable[str], wanted: Sequence[Candidates]
) -> dict[str, TimelineEntry]:
    """Stored entries of a pair by id, plus those ``wanted`` admits (judged on sort keys from
    the index; only admitted bodies are fetched and decoded)."""
    in_pair = (VIEW_ROWS.c.view == ENTRY_VIEW, VIEW_ROWS.c.pair == label)
    sort_keys: set[str] = set()
    for c in wanted:
        q = sa.select(VIEW_ROWS.c.sort_key).where(*in_pair)
        if c.undated:
            q = q.where(VIEW_ROWS.c.sort_key >= "~")
        elif c.start is not None and c.end is not None:
            q = q.where(
                VIEW_ROWS.c.sort_key >= c.start.isoformat(),
                VIEW_ROWS.c.sort_key < (c.end + timedelta(days=1)).isoformat(),
            )
        sort_keys.update(k for k in conn.execute(q).scalars() if _admitted(k, (c,)))
    bodies: list[str] = []
    for column, where, values in (
        (VIEW_ROWS.c.key, (VIEW_ROWS.c.view == ENTRY_VIEW,), sorted(set(keys))),
        (VIEW_ROWS.c.sort_key, in_pair, sorted(sort_keys)),
    ):
        for i in range(0, len(values), _CHUNK):
            q = sa.select(VIEW_ROWS.c.body).where(*where, column.in_(values[i : i + _CHUNK]))
            bodies.extend(conn.execute(q).scalars())
    with codec.bulk():
        entries = [codec.entry_from(codec.decode(b)) for b in bodies]
    return {e.event_id: e for e in entries}


def view_if_recorded_by(
    store: SqlEventStore, pair: tuple[str, str], as_of: datetime
) -> RelationshipView | None:
    """The stored view of a pair when it is also its view as of ``as_of``: every event of the
    pair stream was recorded by then and the view includes them all (else None, and the
    caller folds). One snapshot: the stream's extent and the view row are read together."""
    label = pair_label(pair)
    with read_transaction(store.engine) as conn:
        position, recorded = stream_extent(conn, pair_stream(*pair))
        if recorded is None or recorded > utc(as_of):
            return None
        body = conn.execute(
            sa.select(VIEW_ROWS.c.body).where(VIEW_ROWS.c.view == VIEW, VIEW_ROWS.c.key == label)
        ).scalar_one_or_none()
    view = codec.view_from(codec.decode(body)) if body is not None else None
    return replace(view, as_of=as_of) if view is not None and view.position == position else None


# -- reading view rows (used by queries) -------------------------------------------------------


def read_rows(
    store: SqlEventStore,
    view: str,
    *,
    key: str | None = None,
    pair: str | None = None,
    sort_from: str | None = None,
    sort_before: str | None = None,
) -> list[dict[str, Any]]:
    """Decoded bodies of view rows, by key or pair and an optional sort-key range, in order."""
    q = sa.select(VIEW_ROWS.c.body).where(VIEW_ROWS.c.view == view)
    if key is not None:
        q = q.where(VIEW_ROWS.c.key == key)
    if pair is not None:
        q = q.where(VIEW_ROWS.c.pair == pair)
    if sort_from is not None:
        q = q.where(VIEW_ROWS.c.sort_key >= sort_from)
    if sort_before is not None:
        q = q.where(VIEW_ROWS.c.sort_key < sort_before)
    with translate_errors(store.url), store.engine.connect() as conn:
        bodies = list(conn.execute(q.order_by(VIEW_ROWS.c.sort_key, VIEW_ROWS.c.key)).scalars())
    with codec.bulk():
        return [codec.decode(b) for b in bodies]
