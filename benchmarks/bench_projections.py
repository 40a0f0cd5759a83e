"""Timings of the relationship projection on one long pair stream (the worst case per pair).

``run(events)`` fills a fresh SQLite store (or ``url``) with ``events`` facts of one pair
(CHN-PAK, ~15% agreements, dates over ten years, some corroborations), then times: a full
rebuild, the catch-up after one append, ``record_facts`` of one new fact, the relationship
view from stored rows and ``--as-of``, and the whole-pair timeline. Rows are
``{"metric", "value", "unit"}``. Run directly: ``python -m benchmarks.bench_projections 20000``.

Events are generated here (not by ``tracker.synth``) so that one pair holds all of them.
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from uuid import UUID

from events import EventCorroborated, ExtractorInfo, Person, Provenance, make_event
from tracker.projections.queries import relationship_view, timeline
from tracker.projections.runner import rebuild_projections, update_projections
from tracker.recording import fact_id, record_facts
from tracker.store import NewEvent, SqlEventStore, open_store, to_new_event

_EXTRACTOR = ExtractorInfo(name="bench", version="1")
_XI = Person(name="Xi Jinping", title="President", country="CHN")
_SHARIF = Person(name="Shehbaz Sharif", title="Prime Minister", country="PAK")
_AREAS = ("energy", "trade", "health", "space", "agriculture", "education", "finance")
_T0 = datetime(2015, 1, 1, tzinfo=UTC)


def _provenance(i: int) -> Provenance:
    return Provenance(
        article_id=f"bench-{i}", url=f"https://news.example/{i}", title=f"Report {i}", source="x"
    )


def _fact(i: int) -> Any:
    on = date(2015, 1, 1) + timedelta(days=(i * 3650) // 20_000 % 3650)
    common: dict[str, Any] = {
        "actors": ("CHN", "PAK"),
        "occurred_on": on,
        "date_precision": "day",
        "summary": f"event {i} on {on}",
        "provenance": _provenance(i),
        "extractor": _EXTRACTOR,
    }
    match i % 7:
        case 0 | 1:
            return make_event("meeting", persons=(_XI, _SHARIF), **common)
        case 2:
            return make_event("agreement", area=_AREAS[i % len(_AREAS)], title=f"MoU {i}", **common)
        case 3:
            return make_event("statement", topics=("cpec",), quote=f"we support {i}", **common)
        case 4:
            return make_event(
                "trade_figure", amount=float(i), currency="USD", unit="million",
                period=str(2015 + i % 10), **common,
            )  # fmt: skip
        case 5:
            return make_event("descriptor", descriptor=f"partnership {i % 3}", **common)
        case _:
            return make_event("phone_call", persons=(_XI,), **common)


def _log(n: int) -> Iterator[list[NewEvent]]:
    """Batches of 1,000 rows: facts, and every tenth row a corroboration of an earlier fact."""
    batch: list[NewEvent] = []
    ids: list[UUID] = []
    for i in range(n):
        if i % 10 == 9 and ids:
            target = ids[(i * 7919) % len(ids)]
            event: Any = EventCorroborated(event_id=target, provenance=_provenance(n + i))
            batch.append(to_new_event(event))
        else:
            fact = _fact(i)
            ids.append(fact_id(fact))
            batch.append(to_new_event(fact, event_id=ids[-1]))
        if len(batch) == 1000:
            yield batch
            batch = []
    if batch:
        yield batch


def _median_ms(fn: Callable[[], object], repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(times), 2)


def _fill(store: SqlEventStore, n: int) -> datetime:
    at = _T0
    for rows in _log(n):
        store.append("pair-CHN-PAK", rows, recorded_at=at)
        at += timedelta(days=1)
    return at


def run(events: int, url: str | None = None) -> list[dict[str, Any]]:
    """Fill a store with ``events`` events of one pair and time the projection operations."""
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(url or f"sqlite:///{Path(tmp) / 'bench.db'}")
        try:
            return _measure(store, events)
        finally:
            store.close()


def _measure(store: SqlEventStore, events: int) -> list[dict[str, Any]]:
    end = _fill(store, events)
    rows: list[dict[str, Any]] = []

    def row(metric: str, value: float, unit: str) -> None:
        rows.append({"metric": metric, "value": value, "unit": unit})

    started = time.perf_counter()
    rebuild_projections(store)
    row("rebuild", round(events / (time.perf_counter() - started)), "events/s")

    counter = iter(range(10**6, 2 * 10**6))

    def append_one() -> None:
        fact = _fact(next(counter))
        store.append("pair-CHN-PAK", [to_new_event(fact, event_id=fact_id(fact))])

    def catch_up() -> None:
        append_one()
        update_projections(store)

    row("catch-up after one append", _median_ms(catch_up), "ms")
    row(
        "record_facts one fact",
        _median_ms(lambda: record_facts(store, [_fact(next(counter))], now=end)),
        "ms",
    )
    update_projections(store)
    row("relationship view", _median_ms(lambda: relationship_view(store, "CHN", "PAK")), "ms")
    middle = _T0 + (end - _T0) / 2
    row(
        "relationship view as-of (middle)",
        _median_ms(lambda: relationship_view(store, "CHN", "PAK", as_of=middle), 3),
        "ms",
    )
    row("timeline whole pair", _median_ms(lambda: timeline(store, "CHN", "PAK"), 3), "ms")
    tracemalloc.start()  # a second rebuild, traced (tracing slows it down)
    rebuild_projections(store)
    row("rebuild peak traced memory", round(tracemalloc.get_traced_memory()[1] / 2**20, 1), "MiB")
    tracemalloc.stop()
    return rows


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    for r in run(n, sys.argv[2] if len(sys.argv) > 2 else None):
        print(json.dumps(r))
