"""Foundation commands through typer's runner, then the store reopened through the library."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from tests.conftest import ROOT
from tracker.cli import app
from tracker.store import open_store, to_recorded

RECORD = [
    "record", "meeting", "China", "pakistan", "--on", "2022-11-02",
    "--source", "https://example.org/xi-sharif", "--summary", "Xi Jinping met Shehbaz Sharif",
    "--person", "Xi Jinping|President|CHN", "--person", "Muhammad Shehbaz Sharif|Prime Minister|PK",
]  # fmt: skip


def test_init_then_record_then_log_json(run_cli: Callable[..., Any], any_url: str) -> None:
    assert run_cli("init").exit_code == 0
    done = run_cli(*RECORD, "--json")
    assert done.exit_code == 0, done.output
    written = json.loads(done.stdout)["written"]
    assert written[0]["stream"] == "pair-CHN-PAK"
    rows = json.loads(run_cli("log", "--json", "--type", "MeetingHeld").stdout)
    assert [r["type"] for r in rows] == ["MeetingHeld"]
    assert rows[0]["occurred_on"] == "2022-11-02"
    store = open_store(any_url)
    event = to_recorded(store.read_stream("pair-CHN-PAK")[0]).event
    assert [p.country for p in event.persons] == ["CHN", "PAK"]  # type: ignore[attr-defined]
    store.close()


def test_recording_the_same_fact_twice_writes_nothing(run_cli: Callable[..., Any]) -> None:
    run_cli(*RECORD)
    again = run_cli(*RECORD)
    assert again.exit_code == 0
    assert "Already recorded" in again.stdout
    assert len(json.loads(run_cli("log", "--json").stdout)) == 1


def test_verify_reports_ok(run_cli: Callable[..., Any]) -> None:
    run_cli(*RECORD)
    done = run_cli("verify")
    assert done.exit_code == 0
    assert "OK: 1 events verified" in done.stdout


def test_bad_input_is_one_line_with_exit_2(run_cli: Callable[..., Any]) -> None:
    cases = {
        ("record", "meeting", "Chna", "Pakistan", "--source", "https://x.org/a", "--summary", "s"):
            "Error: unknown country 'Chna' (did you mean China, Chad, Ghana?)",
        ("record", "meeting", "China", "Pakistan", "--source", "https://x.org/a", "--summary", "s",
         "--on", "2022-13-01"):
            "Error: bad --on date '2022-13-01': use YYYY-MM-DD, e.g. 2022-11-02",
        ("record", "summit", "China", "Pakistan", "--source", "https://x.org/a", "--summary", "s"):
            "Error: unknown event type 'summit'; choose one of meeting, visit, phone_call, "
            "statement, joint_statement, agreement, trade_figure, descriptor",
        ("record", "meeting", "China", "Pakistan", "--source", "ftp://x", "--summary", "s"):
            "Error: bad source URL 'ftp://x': give the http(s) address of the source",
        ("log", "--limit", "0"): "Error: --limit must be between 1 and 10,000, got 0",
    }  # fmt: skip
    for args, message in cases.items():
        done = run_cli(*args)
        assert done.exit_code == 2, (args, done.output)
        assert done.stderr.strip() == message
        assert "Traceback" not in done.output


def test_unreachable_database_is_one_line_exit_2() -> None:
    runner = CliRunner()
    url = "postgresql+psycopg://postgres@127.0.0.1:1/nowhere"
    done = runner.invoke(app, ["log", "--db", url])
    assert done.exit_code == 2
    assert done.stderr.startswith(f"Error: cannot open the database {url}")
    bad = runner.invoke(app, ["log", "--db", "nosuch://x"])
    assert bad.exit_code == 2
    assert bad.stderr.startswith("Error: unsupported database URL nosuch://x")


def test_verify_through_a_subprocess_points_at_a_tampered_row(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    url = f"sqlite:///{db}"

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "manage.py", *args, "--db", url],
            cwd=ROOT, capture_output=True, text=True, timeout=120,
        )  # fmt: skip

    assert cli(*RECORD).returncode == 0
    second = [a if a != "2022-11-02" else "2023-05-01" for a in RECORD[:-4]]
    second[second.index("--source") + 1] = "https://example.org/second"
    assert cli(*second, "--summary", "A second meeting").returncode == 0
    raw = sqlite3.connect(db)
    raw.execute("DROP TRIGGER events_no_update")
    raw.execute(
        "UPDATE events SET payload = replace(payload, 'second', 'third') WHERE position = 2"
    )
    raw.commit()
    raw.close()
    done = cli("verify")
    assert done.returncode == 1
    assert done.stderr.strip() == (
        "Error: hash chain broken at position 2: content does not match its hash (row edited?) "
        "(1 events before it verified)"
    )
    assert "Traceback" not in done.stderr


def test_manage_py_and_console_script_share_the_app() -> None:
    done = subprocess.run(
        [sys.executable, "manage.py", "--help"], cwd=ROOT, capture_output=True, text=True
    )
    assert done.returncode == 0
    for command in ("init", "log", "verify", "record", "demo"):
        assert command in done.stdout


def test_debug_flag_shows_the_traceback() -> None:
    runner = CliRunner()
    plain = runner.invoke(app, ["log", "--db", "nosuch://x"])
    assert "Traceback" not in plain.stderr
    debug = runner.invoke(app, ["--debug", "log", "--db", "nosuch://x"])
    assert debug.exit_code == 2
    assert "Traceback" in debug.stderr
    assert debug.stderr.strip().endswith(
        "Error: unsupported database URL nosuch://x: Can't load plugin: sqlalchemy.dialects:nosuch"
    )
