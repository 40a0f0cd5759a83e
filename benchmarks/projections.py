"""Projection rebuild: throughput and peak memory of replaying the whole log into the views."""

from __future__ import annotations

import contextlib
import gc
import os
import threading
import time
from collections.abc import Iterator

from benchmarks.rows import Row
from benchmarks.targets import Target
from tracker.projections.runner import rebuild_projections

MIB = 1024 * 1024
_PAGE = os.sysconf("SC_PAGE_SIZE")


def rss_bytes() -> int:
    """Resident set size of this process (Linux ``/proc/self/statm``)."""
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * _PAGE


@contextlib.contextmanager
def peak_rss_growth(interval: float = 0.02) -> Iterator[list[int]]:
    """Sample the RSS while the block runs; yields a list that then holds the peak growth over
    the RSS at the start, in bytes. Sampling (not tracemalloc) so the timed run stays honest."""
    gc.collect()
    start, peak, done = rss_bytes(), [0], threading.Event()

    def sample() -> None:
        while not done.wait(interval):
            peak[0] = max(peak[0], rss_bytes() - start)

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    result: list[int] = []
    try:
        yield result
    finally:
        done.set()
        thread.join()
        result.append(max(peak[0], rss_bytes() - start))


def measure(target: Target, n: int) -> list[Row]:
    """One rebuild from position 0: events/s, and the RSS it added at its peak."""
    with peak_rss_growth() as growth:
        start = time.perf_counter()
        report = rebuild_projections(target.store)
        seconds = time.perf_counter() - start
    return [
        Row(target.backend, n, "projection rebuild", report.events / seconds, "events/s"),
        Row(target.backend, n, "projection rebuild peak RSS growth", growth[0] / MIB, "MiB"),
    ]
