"""Projection rebuild and query latency (filled in once tracker.projections lands)."""

from __future__ import annotations

from benchmarks.rows import Row
from benchmarks.targets import Target


def measure(target: Target, n: int, *, queries: int = 200) -> list[Row]:
    """Rebuild and query rows for ``target``'s store holding ``n`` events."""
    return []
