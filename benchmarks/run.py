"""Run every benchmark for each size and backend and collect the rows of one table."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence

from benchmarks import append, projections, queries, storage, web
from benchmarks.rows import Row
from benchmarks.targets import PG_DEFAULT, Target, open_target
from tracker.errors import InputError

Progress = Callable[[str], None]

DEFAULT_SIZES = (10_000, 100_000)
AREAS = ("append", "projections", "queries", "web", "extraction")
EXTRACTION_ARTICLES = 200


def run_all(
    sizes: Sequence[int] = DEFAULT_SIZES,
    backends: Sequence[str] = ("sqlite", "postgres"),
    *,
    pg_url: str = PG_DEFAULT,
    seed: int = 0,
    plan: append.AppendPlan | None = None,
    query_count: int = 200,
    areas: Sequence[str] = AREAS,
    progress: Progress | None = None,
) -> list[Row]:
    """For each size N: load N synthetic events into fresh stores (ours and the eventsourcing
    peer) on every backend, measure projections and queries on ours, then appends on both.

    ``areas`` picks what to measure (append, projections, queries, web, extraction; the load
    always runs).
    Raises InputError for a bad size or area, StoreUnavailableError when PostgreSQL is down.
    """
    if not sizes or any(n < 1 for n in sizes):
        raise InputError(f"--events must be positive numbers, got {list(sizes)}")
    unknown = sorted(set(areas) - set(AREAS))
    if unknown or not areas:
        raise InputError(f"unknown --only {', '.join(unknown)!r}; choose from {', '.join(AREAS)}")
    for needs in ("queries", "web"):
        if needs in areas and "projections" not in areas:
            raise InputError(f"--only {needs} needs projections too (it reads the views)")
    say = progress or (lambda _msg: None)
    rows: list[Row] = []
    if "extraction" in areas:
        say(f"extraction: {EXTRACTION_ARTICLES} articles of ~5 KB on one core")
        rows.extend(_extraction_rows(EXTRACTION_ARTICLES))
    for n in sizes:
        if set(areas) - {"extraction"}:
            rows.extend(_one_size(n, backends, pg_url, seed, plan, query_count, set(areas), say))
    return rows


def _extraction_rows(n: int) -> list[Row]:
    """Articles per second of the extractor (no database: backend ``cpu``)."""
    from benchmarks import bench_extraction  # imported here: it loads the extractor

    return [
        Row("cpu", n, str(r["metric"]), float(r["value"]), str(r["unit"]))  # type: ignore[arg-type]
        for r in bench_extraction.run(n)
    ]


def _one_size(
    n: int,
    backends: Sequence[str],
    pg_url: str,
    seed: int,
    plan: append.AppendPlan | None,
    query_count: int,
    areas: set[str],
    say: Progress,
) -> list[Row]:
    """Fresh stores on every backend, filled with the same ``n`` events, measured."""
    rows: list[Row] = []
    with contextlib.ExitStack() as stack:
        targets: list[Target] = [stack.enter_context(open_target(b, pg_url)) for b in backends]
        say(f"{n:,} events: loading {', '.join(backends)} (ours and peer)")
        timing = append.load(targets, n, seed)
        rows.extend(append.throughput_rows(targets, n, "append per-day batches (load)", timing))
        rows.extend(
            Row(t.backend, n, "load batch size (mean)", n / timing.batches, "events/tx")
            for t in targets
        )
        for t in targets if "projections" in areas else ():
            say(f"{n:,} events: storage, read_all, projections and queries on {t.backend}")
            rows.extend(storage.measure(t, n))
            rows.extend(projections.measure(t, n))
            if "queries" in areas:
                rows.extend(queries.measure(t, n, seed=seed, queries=query_count))
            if "web" in areas:
                say(f"{n:,} events: web pages and search on {t.backend}")
                rows.extend(web.measure(t, n, seed=seed, requests=max(query_count // 2, 4)))
        if "append" in areas:
            say(f"{n:,} events: appends 1/tx, 100, 1000")
            rows.extend(append.measure(targets, n, seed, plan or append.AppendPlan.for_size(n)))
    order = {b: i for i, b in enumerate(backends)}
    return sorted(rows, key=lambda r: order[r.backend])  # stable: metrics keep their order
