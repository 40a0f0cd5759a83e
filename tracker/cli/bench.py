"""Benchmark commands: synth (fill a store with synthetic events) and bench (one table)."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from tracker.cli._app import (
    DbOpt,
    JsonOpt,
    app,
    console,
    emit_json,
    err_console,
    open_db,
    render,
    split_csv,
)
from tracker.errors import InputError
from tracker.synth import write_synthetic

_PG_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


@app.command()
def synth(
    ctx: typer.Context,
    events: Annotated[int, typer.Option("--events", "-n", help="How many events.")] = 10_000,
    seed: Annotated[int, typer.Option("--seed", help="Same seed, same events.")] = 0,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Append realistic synthetic diplomatic events over ~50 pairs of states.

    Example: tracker synth --events 100000 --seed 1 --db sqlite:///synth.db
    """
    report = write_synthetic(open_db(ctx, db), events, seed)
    if as_json:
        emit_json(report)
        return
    console.print(
        f"Synthesised {report.events:,} events (seed {report.seed}) in {report.appends:,} "
        f"appends over {report.streams} streams; log at position {report.last_position:,}."
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
    seed: Annotated[int, typer.Option("--seed", help="Seed of the synthetic events.")] = 0,
    as_json: JsonOpt = False,
) -> None:
    """Benchmark appends (against the eventsourcing library), rebuilds and queries.

    Each size runs on fresh temporary databases. Example: tracker bench -n 10000 --backend sqlite
    """
    from benchmarks import DEFAULT_SIZES, run_all  # the benchmarks pull in eventsourcing
    from benchmarks.targets import backends

    sizes = [_size(v) for v in split_csv(events)] or list(DEFAULT_SIZES)
    rows = run_all(
        sizes,
        backends(backend),
        pg_url=pg_url or os.environ.get("TRACKER_BENCH_PG_URL", _PG_DEFAULT),
        seed=seed,
        progress=lambda msg: err_console.print(msg, style="dim"),
    )
    render(
        [r.as_dict() for r in rows],
        ["backend", "events", "metric", "value", "unit", "peer", "peer_value", "ratio"],
        as_json=as_json,
        title="Benchmarks (ours vs peer; ratio = ours / peer)",
        formatters={"events": _number, "value": _number, "peer_value": _number, "ratio": _ratio},
    )


def _number(value: object) -> str:
    if not isinstance(value, int | float):
        return ""
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.2f}"


def _ratio(value: object) -> str:
    return f"{value:.2f}" if isinstance(value, int | float) else ""


def _size(text: str) -> int:
    try:
        value = int(text.replace("_", ""))
    except ValueError:
        raise InputError(f"bad --events {text!r}: give a number of events, e.g. 10000") from None
    if value < 1:
        raise InputError(f"bad --events {text!r}: give a positive number of events")
    return value
