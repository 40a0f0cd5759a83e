"""Benchmark commands: synth (fill a store with synthetic events) and bench (one table)."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Annotated, Literal

import typer
from rich.console import Console
from rich.table import Table

from tracker.cli._app import (
    DbOpt,
    JsonOpt,
    app,
    bounded,
    console,
    emit_json,
    err_console,
    open_db,
    split_csv,
)
from tracker.errors import InputError
from tracker.store.sql import safe_url
from tracker.synth import write_synthetic

if TYPE_CHECKING:
    from benchmarks import Row

MAX_EVENTS = 10_000_000
SeedOpt = Annotated[
    int,
    typer.Option(
        "--seed", help="Same seed, same events.", callback=bounded("--seed", 0, 2**31 - 1)
    ),
]


@app.command()
def synth(
    ctx: typer.Context,
    events: Annotated[
        int,
        typer.Option(
            "--events",
            "-n",
            help=f"How many events (1-{MAX_EVENTS:,}).",
            callback=bounded("--events", 1, MAX_EVENTS),
        ),
    ] = 10_000,
    seed: SeedOpt = 0,
    force: Annotated[
        bool, typer.Option("--force", help="Also write into a store that holds real articles.")
    ] = False,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Append realistic synthetic diplomatic events over ~50 pairs of states.

    Without --db (or TRACKER_DB_URL) it writes to its own store, synth.db in the data directory,
    never to the default one. Example: tracker synth -n 100000 --seed 1 --db sqlite:///synth.db
    """
    store = open_db(ctx, db, own="synth.db")
    report = write_synthetic(store, events, seed, force=force)
    if as_json:
        emit_json({**vars(report), "store": safe_url(store.url)})
        return
    console.print(
        f"Synthesised {report.events:,} events (seed {report.seed}) in {report.appends:,} "
        f"appends over {report.streams} streams into {safe_url(store.url)}; "
        f"log at position {report.last_position:,}.",
        soft_wrap=True,
    )


@app.command()
def bench(
    events: Annotated[
        list[str] | None,
        typer.Option("--events", "-n", help="Sizes N (repeatable or comma list). [10000,100000]"),
    ] = None,
    backend: Annotated[str, typer.Option("--backend", help="sqlite, postgres or both.")] = "both",
    pg_url: Annotated[
        str | None,
        typer.Option(
            "--pg-url",
            help="PostgreSQL server for the postgres runs (env "
            "TRACKER_BENCH_PG_URL); a temporary schema is made and dropped.",
        ),
    ] = None,
    seed: SeedOpt = 0,
    only: Annotated[
        list[str] | None,
        typer.Option(
            "--only", help="Areas: append, projections, queries, web, extraction (default: all)."
        ),
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Benchmark appends (against the eventsourcing library), rebuilds and queries.

    Each size runs on fresh temporary databases. Example: tracker bench -n 10000 --backend sqlite
    """
    from benchmarks import AREAS, DEFAULT_SIZES, run_all  # the benchmarks pull in eventsourcing
    from benchmarks.targets import PG_DEFAULT, backends

    sizes = [_size(v) for v in split_csv(events)] or list(DEFAULT_SIZES)
    rows = run_all(
        sizes,
        backends(backend),
        pg_url=pg_url or os.environ.get("TRACKER_BENCH_PG_URL", PG_DEFAULT),
        seed=seed,
        areas=split_csv(only) or AREAS,
        progress=lambda msg: err_console.print(msg, style="dim"),
    )
    if as_json:
        emit_json([r.as_dict() for r in rows])
        return
    _print_table(rows)


def _print_table(rows: list[Row]) -> None:
    peers = sorted({r.peer for r in rows if r.peer})
    table = Table(
        title="tracker bench (ratio = ours / peer; higher is better for throughputs)",
        caption=f"peer: {'; '.join(peers) or 'none'}. SQLite: WAL, synchronous=NORMAL for both; "
        "PostgreSQL: server defaults (synchronous_commit=on) for both.",
    )
    for name, justify in _COLUMNS:
        table.add_column(name, justify=justify, no_wrap=name != "metric")
    for r in rows:
        ratio = r.ratio
        table.add_row(
            r.backend,
            f"{r.events:,}",
            r.metric,
            _number(r.value),
            r.unit,
            _number(r.peer_value),
            "" if ratio is None else f"{ratio:.2f}",
        )
    # A benchmark table is read in a log or a terminal: never squeeze it under 132 columns.
    Console(width=max(console.width, 132)).print(table)


_COLUMNS: list[tuple[str, Literal["left", "right"]]] = [
    ("backend", "left"),
    ("events", "right"),
    ("metric", "left"),
    ("ours", "right"),
    ("unit", "left"),
    ("peer", "right"),
    ("ratio", "right"),
]


def _number(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.2f}"


def _size(text: str) -> int:
    try:
        value = int(text.replace("_", ""))
    except ValueError:
        raise InputError(f"bad --events {text!r}: give a number of events, e.g. 10000") from None
    if not 1 <= value <= MAX_EVENTS:
        raise InputError(f"bad --events {text!r}: give a number of events from 1 to {MAX_EVENTS:,}")
    return value
