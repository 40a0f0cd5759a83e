"""The projection runner: the only impure part. Folds the log into ``view_rows``, checkpointed.

Each batch of the log (``read_all`` from the checkpoint) is folded and written in ONE
transaction that holds the store's write lock: the rows of every pair the batch touched and the
new checkpoint commit together, so a crash never leaves views and checkpoint apart, and two
runners (a query and a poller) never fold the same batch twice. Only the states of the pairs a
batch touches are loaded (from their view rows, or from a bounded cache of the last
``CACHED_PAIRS`` states this process saved), so memory does not grow with the log.

Rows written per pair ``CHN-PAK``:
- ``relationship.entry`` / key event id: one active event (``TimelineEntry``), sort key
  ``YYYY-MM-DD:position`` (undated: ``~:position``) for valid-time range scans;
- ``relationship.state`` / key pair: merge aliases, retracted ids, position and stream version;
- ``relationship`` / key pair: the ``RelationshipView``;
- ``relationship.summary`` / key pair: the ``RelationSummary``.

Queries call ``update_projections`` before reading (lazy catch-up), so they always reflect
everything appended, whoever appended it; when nothing is new that costs two small queries.
A run from position 0 (``rebuild_projections``, or a new ``PROJECTION_VERSION`` whose checkpoint
does not exist yet) drops the old rows in its first batch's transaction and replays the log.
"""

from __future__ import annotations

import json
import time
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import Any

import sqlalchemy as sa
from rpds import HashTrieMap, HashTrieSet
from sqlalchemy.engine import Connection

from tracker.projections import codec
from tracker.projections.model import TimelineEntry
from tracker.projections.pairs import pair_label, pair_of_stream
from tracker.projections.relationship import (
    NAME,
    PairState,
    fold,
    summary_of,
    view_of,
)
from tracker.store import RecordedEvent, SqlEventStore, to_recorded
from tracker.store.checkpoints import load_checkpoint, reset_checkpoint, save_checkpoint
from tracker.store.schema import VIEW_ROWS
from tracker.store.sql import translate_errors, write_transaction

# Bump when the fold or the rows change: the new checkpoint starts at 0, which replays the log.
PROJECTION_VERSION = 1
CHECKPOINT = f"projection:{NAME}:v{PROJECTION_VERSION}"
ENTRY_VIEW = f"{NAME}.entry"
STATE_VIEW = f"{NAME}.state"
VIEW = NAME
SUMMARY_VIEW = f"{NAME}.summary"
VIEWS = (ENTRY_VIEW, STATE_VIEW, VIEW, SUMMARY_VIEW)
BATCH_SIZE = 1000
CACHED_PAIRS = 64
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
    if position >= store.last_position():
        return RunReport(0, 0, position, time.perf_counter() - started)
    events = 0
    pairs: set[tuple[str, str]] = set()
    while True:
        with write_transaction(engine) as conn:
            # Re-read under the write lock: another runner may have moved it meanwhile.
            start = load_checkpoint(engine, CHECKPOINT)
            rows = list(islice(store.read_all(start, batch_size), batch_size))
            if not rows:
                break
            if start == 0:  # a replay (rebuild, new version): drop the old rows in this batch
                conn.execute(sa.delete(VIEW_ROWS).where(VIEW_ROWS.c.view.in_(VIEWS)))
            touched: dict[tuple[str, str], list[RecordedEvent[Any]]] = {}
            for row in rows:
                pair = pair_of_stream(row.stream_id)
                if pair is not None:
                    touched.setdefault(pair, []).append(to_recorded(row))
            for pair, records in touched.items():
                before = _load_state(conn, pair)
                after = fold(records, before)
                _save_state(conn, pair, before, after)
                _remember(conn, pair, after)
            position = rows[-1].position
            save_checkpoint(conn, CHECKPOINT, position)
        events += len(rows)
        pairs.update(touched)
        if len(rows) < batch_size:
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
    return f"{day}:{entry.position:012d}"


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
    while len(_STATES) > CACHED_PAIRS:
        _STATES.popitem(last=False)


def _load_state(conn: Connection, pair: tuple[str, str]) -> PairState:
    label = pair_label(pair)
    meta = conn.execute(
        sa.select(VIEW_ROWS.c.body).where(VIEW_ROWS.c.view == STATE_VIEW, VIEW_ROWS.c.key == label)
    ).scalar_one_or_none()
    if meta is None:
        return PairState()
    m = json.loads(meta)
    cached = _STATES.get(_cache_key(conn, pair))
    if cached is not None and (cached.position, cached.version) == (m["position"], m["version"]):
        return cached
    bodies = conn.execute(
        sa.select(VIEW_ROWS.c.body).where(VIEW_ROWS.c.view == ENTRY_VIEW, VIEW_ROWS.c.pair == label)
    ).scalars()
    entries = (codec.entry_from(json.loads(b)) for b in bodies)
    return PairState(
        pair=pair,
        entries=HashTrieMap({e.event_id: e for e in entries}),
        aliases=HashTrieMap(m["aliases"]),
        retracted=HashTrieSet(m["retracted"]),
        position=m["position"],
        version=m["version"],
    )


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


def _save_state(conn: Connection, pair: tuple[str, str], old: PairState, new: PairState) -> None:
    """Write what changed between two states of a pair: entries (by identity) and the rest."""
    label = pair_label(pair)
    changed = [e for k, e in new.entries.items() if old.entries.get(k) is not e]
    removed = [k for k in old.entries if k not in new.entries]
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
    view = view_of(new, pair)
    meta = {
        "aliases": dict(sorted(new.aliases.items())),
        "retracted": sorted(new.retracted),
        "position": new.position,
        "version": new.version,
    }
    sort = view.last_date.isoformat() if view.last_date else None
    _delete(conn, STATE_VIEW, [label])
    _delete(conn, VIEW, [label])
    _delete(conn, SUMMARY_VIEW, [label])
    _insert(
        conn,
        [
            {"view": STATE_VIEW, "key": label, "pair": label, "sort_key": None,
             "body": codec.encode(meta)},
            {"view": VIEW, "key": label, "pair": label, "sort_key": sort,
             "body": codec.encode(view)},
            {"view": SUMMARY_VIEW, "key": label, "pair": label, "sort_key": sort,
             "body": codec.encode(summary_of(new, view))},
        ],
    )  # fmt: skip


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
    return [json.loads(b) for b in bodies]
