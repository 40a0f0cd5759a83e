"""Query latency on the projected views: relationship view, a year of timeline, and as-of
(transaction-time) views, each over seeded random pairs and moments."""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable
from datetime import date, datetime

from benchmarks.rows import Row
from benchmarks.targets import Target
from tracker.projections.queries import relationship_view, timeline
from tracker.store import SqlEventStore
from tracker.synth import START, YEARS, pairs


def latency_ms(calls: list[Callable[[], object]]) -> tuple[float, float]:
    """Median and 95th percentile of the calls' wall times, in milliseconds."""
    times = []
    for call in calls:
        start = time.perf_counter()
        call()
        times.append((time.perf_counter() - start) * 1000)
    if len(times) < 2:
        return times[0], times[0]
    return statistics.median(times), statistics.quantiles(times, n=20)[-1]


def _recorded_span(store: SqlEventStore) -> tuple[datetime, datetime]:
    first = next(iter(store.read_all(0, batch_size=1)))
    last = store.tail(1)[0]
    return first.recorded_at, last.recorded_at


def measure(target: Target, n: int, *, seed: int = 0, queries: int = 200) -> list[Row]:
    """p50/p95 rows for each query kind on ``target``'s store (views already up to date)."""
    store, rng = target.store, random.Random(f"queries:{seed}")
    known = pairs(seed)
    first, last = _recorded_span(store)

    def view() -> Callable[[], object]:
        a, b = rng.choice(known)
        return lambda: relationship_view(store, a, b)

    def year() -> Callable[[], object]:
        (a, b), y = rng.choice(known), START.year + rng.randrange(YEARS)
        return lambda: timeline(store, a, b, start=date(y, 1, 1), end=date(y, 12, 31))

    def as_of() -> Callable[[], object]:
        a, b = rng.choice(known)
        moment = first + (last - first) * rng.random()
        return lambda: relationship_view(store, a, b, as_of=moment)

    rows: list[Row] = []
    for name, make, count in (
        ("relationship view", view, queries),
        ("timeline, one year", year, queries),
        ("as-of relationship view", as_of, max(queries // 10, 5)),
    ):
        p50, p95 = latency_ms([make() for _ in range(count)])
        rows.append(Row(target.backend, n, f"{name} p50", p50, "ms"))
        rows.append(Row(target.backend, n, f"{name} p95", p95, "ms"))
    return rows
