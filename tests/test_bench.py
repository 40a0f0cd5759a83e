"""A tiny benchmark run: every row is there, well-formed, and the CLI prints it."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from benchmarks import Row, run_all
from benchmarks.append import AppendPlan
from tests.conftest import PG_AVAILABLE, ROOT
from tracker.cli import app

TINY = AppendPlan(singles=10, batches_of_100=1, batches_of_1000=1)
THROUGHPUTS = {
    "append per-day batches (load)",
    "append 1 event/tx",
    "append batch 100",
    "append batch 1000",
}
COMPARED = THROUGHPUTS | {"log bytes/event (table + indexes; lower is better)"}
KEYS = ["backend", "events", "metric", "value", "unit", "peer", "peer_value", "ratio"]


def _check(rows: list[Row], backends: set[str], n: int) -> None:
    assert {r.backend for r in rows} == backends
    assert {r.events for r in rows} == {n}
    for backend in backends:
        metrics = {r.metric for r in rows if r.backend == backend}
        assert metrics >= THROUGHPUTS
        assert {"projection rebuild", "projection rebuild peak RSS growth"} <= metrics
        assert {"read_all + decode", "read_recorded (replay read)", *COMPARED} <= metrics
        for query in ("relationship view", "timeline, one year", "as-of relationship view"):
            assert {f"{query} p50", f"{query} p95"} <= metrics
    for r in rows:
        assert r.value >= 0 if r.unit == "MiB" else r.value > 0, r
        if r.metric in COMPARED:
            assert r.unit == ("events/s" if r.metric in THROUGHPUTS else "bytes")
            assert r.peer is not None and r.peer.startswith("eventsourcing ")
            assert r.peer_value is not None and r.peer_value > 0
            assert r.ratio == pytest.approx(r.value / r.peer_value)
        else:
            assert r.peer is None and r.peer_value is None and r.ratio is None


DB_AREAS = ("append", "projections", "queries")


def test_run_all_on_sqlite_gives_every_row() -> None:
    rows = run_all([150], ["sqlite"], plan=TINY, query_count=4, areas=DB_AREAS)
    _check(rows, {"sqlite"}, 150)


@pytest.mark.postgres
def test_run_all_on_both_backends(pg_url: str) -> None:
    if not PG_AVAILABLE:
        pytest.skip("PostgreSQL not reachable")
    rows = run_all(
        [120], ["sqlite", "postgres"], pg_url=pg_url, plan=TINY, query_count=4, areas=DB_AREAS
    )
    _check(rows, {"sqlite", "postgres"}, 120)


def test_bench_json_prints_rows_with_stable_keys() -> None:
    result = CliRunner().invoke(
        app,
        [
            "bench",
            "-n",
            "100",
            "--backend",
            "sqlite",
            "--only",
            "append,projections,queries",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert rows and all(list(r) == KEYS for r in rows)
    assert {r["metric"] for r in rows} >= THROUGHPUTS
    load = next(r for r in rows if r["metric"] == "append 1 event/tx")
    assert load["ratio"] == pytest.approx(load["value"] / load["peer_value"], rel=0.01)


def test_bench_prints_one_table() -> None:
    result = CliRunner().invoke(app, ["bench", "--events", "100", "--backend", "sqlite"])
    assert result.exit_code == 0, result.output
    assert result.stdout.count("tracker bench") == 1
    assert "append batch 1000" in result.stdout
    assert "eventsourcing" in result.stdout
    assert "articles/s" in result.stdout  # the extractor's throughput is in the same table


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--backend", "oracle"],
            "Error: unknown backend 'oracle'; choose sqlite, postgres or both",
        ),
        (["-n", "0"], "Error: bad --events '0': give a number of events from 1 to 10,000,000"),
    ],
)
def test_bad_bench_options_are_one_line_errors(args: list[str], message: str) -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", "bench", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.strip() == message


def test_web_area_measures_pages_and_search() -> None:
    rows = run_all([150], ["sqlite"], plan=TINY, query_count=4, areas=("projections", "web"))
    values = {r.metric: r.value for r in rows}
    for metric in ("search index rebuild", "relationship page p95", "search page p95",
                   "search (library) p50"):  # fmt: skip
        assert values[metric] > 0, metric
    assert values["relationship page p95"] >= values["relationship page p50"]
