"""Projection rebuild: throughput and peak memory of replaying the whole log into the views."""

from __future__ import annotations

import time
import tracemalloc

from benchmarks.rows import Row
from benchmarks.targets import Target
from tracker.projections.runner import rebuild_projections

MIB = 1024 * 1024


def measure(target: Target, n: int) -> list[Row]:
    """Rebuild twice: once timed, once under tracemalloc for the peak of Python allocations
    (tracing slows the run, so it is not the timed one)."""
    start = time.perf_counter()
    report = rebuild_projections(target.store)
    seconds = time.perf_counter() - start
    tracemalloc.start()
    try:
        rebuild_projections(target.store)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return [
        Row(target.backend, n, "projection rebuild", report.events / seconds, "events/s"),
        Row(target.backend, n, "projection rebuild peak memory", peak / MIB, "MiB"),
    ]
