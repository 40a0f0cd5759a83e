"""Benchmarks of the tracker: appends against the eventsourcing library, projection rebuild,
query latency. ``run_all`` returns the rows ``manage.py bench`` prints."""

from __future__ import annotations

from benchmarks.rows import Row
from benchmarks.run import AREAS, DEFAULT_SIZES, run_all

__all__ = ["AREAS", "DEFAULT_SIZES", "Row", "run_all"]
