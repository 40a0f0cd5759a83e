"""The extract, eval and ingest commands through the CLI, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pytest_httpserver import HTTPServer
from typer.testing import CliRunner

from tests.conftest import CORPUS, ROOT
from tracker.cli import app
from tracker.recording import pair_stream
from tracker.store import open_store

GOLD = ROOT / "tests" / "fixtures" / "gold"


def test_extract_prints_json_with_stable_keys() -> None:
    result = CliRunner().invoke(
        app, ["extract", str(CORPUS), "--published", "2022-11-03", "--json"]
    )
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    keys = {"type", "actors", "persons", "date", "background", "planned", "evidence", "confidence"}
    assert all(keys | {"cameo", "plover"} <= set(r) for r in rows)
    meeting = next(r for r in rows if r["type"] == "meeting")
    assert meeting["date"] == "2022-11-02" and meeting["cameo"] == "040"
    assert sum(r["type"] == "agreement" for r in rows) == 6


def _manage(*args: str) -> subprocess.CompletedProcess[str]:
    """The real program in a subprocess: the one-line ``Error:`` wrapper is part of the test."""
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        env={"COLUMNS": "200", "PATH": "/usr/bin:/bin"},
    )


def test_extract_table_and_input_errors() -> None:
    result = CliRunner().invoke(app, ["extract", str(CORPUS)])
    assert result.exit_code == 0 and "15 events in" in result.stdout
    missing = _manage("extract", "no/such/file.txt")
    assert missing.returncode == 2
    assert missing.stderr.strip() == "Error: no such file: no/such/file.txt"
    bad = _manage("extract", str(CORPUS), "--published", "3 Nov")
    assert bad.returncode == 2
    assert bad.stderr.strip() == (
        "Error: bad --published date '3 Nov': use YYYY-MM-DD, e.g. 2022-11-02"
    )


def test_eval_json_on_the_gold_set() -> None:
    result = CliRunner().invoke(app, ["eval", str(GOLD), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["summary"]["articles"] >= 20
    assert {t["type"] for t in report["types"]} >= {"meeting", "statement", "trade_figure"}
    assert 0.0 <= report["micro"]["f1"] <= 1.0
    missing = _manage("eval", str(ROOT / "samples"))
    assert missing.returncode == 2 and "holds no gold articles" in missing.stderr


def test_ingest_is_idempotent(run_cli: Callable[..., Any], any_url: str) -> None:
    first = run_cli("ingest", str(CORPUS), "--published", "2022-11-03", "--json")
    assert first.exit_code == 0, first.output
    (row,) = json.loads(first.stdout)
    assert row["new_article"] is True and row["facts_written"] >= 14
    again = run_cli("ingest", str(CORPUS), "--published", "2022-11-03", "--json")
    (row2,) = json.loads(again.stdout)
    assert row2 == {**row, "new_article": False, "facts_written": 0}
    store = open_store(any_url)
    try:
        facts = store.read_stream(pair_stream("CHN", "PAK"))
        assert len(facts) == row["facts_written"]
        types = {f.type for f in facts}
        assert {"MeetingHeld", "AgreementSigned", "TradeFigureReported"} <= types
        assert "RelationshipDescribed" in types
    finally:
        store.close()


def test_ingest_fetches_a_url_over_loopback(
    run_cli: Callable[..., Any], httpserver: HTTPServer, tmp_path: Path
) -> None:
    html = (
        "<html><head><title>Xi meets Sharif</title></head><body><article><h1>Xi meets Sharif"
        "</h1><p>BEIJING, Nov. 3, 2022 - Chinese President Xi Jinping held talks with "
        "Pakistani Prime Minister Muhammad Shehbaz Sharif in Beijing on Wednesday, and the two "
        "sides signed agreements on e-commerce and digital economy.</p>"
        "<p>Xi said China supports Pakistan in safeguarding its sovereignty.</p></article>"
        "</body></html>"
    )
    httpserver.expect_request("/news/1").respond_with_data(html, content_type="text/html")
    url = httpserver.url_for("/news/1")
    result = run_cli("ingest", url, "--json")
    assert result.exit_code == 0, result.output
    (row,) = json.loads(result.stdout)
    assert row["new_article"] is True and row["facts_written"] >= 3
    assert run_cli("ingest", url, "--json").exit_code == 0
    httpserver.expect_request("/gone").respond_with_data("no", status=404)
    gone = _manage("--db", f"sqlite:///{tmp_path / 't.db'}", "ingest", httpserver.url_for("/gone"))
    assert gone.returncode == 1
    assert (
        gone.stderr.strip() == f"Error: {httpserver.url_for('/gone')}: HTTP 404; check the address"
    )
