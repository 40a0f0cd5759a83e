"""Issue 16: nothing wrong enters the log. Each numbered case of the issue, through the CLI on a
real store: refused input gives one ``Error:`` line and the right exit code, the log is
unchanged and ``verify`` stays clean; accepted input is recorded right."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from typer.testing import CliRunner

from tests.conftest import CORPUS, ROOT
from tracker.cli import app
from tracker.store import open_store, to_recorded, verify

SOURCE = ["--source", "https://example.org/a", "--summary", "They met"]
Run = Callable[..., Any]


def log_of(url: str) -> list[tuple[int, str]]:
    """Every row's position and hash: equal lists mean an unchanged log."""
    store = open_store(url)
    try:
        return [(r.position, r.hash) for r in store.read_all(0)]
    finally:
        store.close()


@pytest.fixture
def seeded(db_url: str) -> Iterator[str]:
    """A SQLite store holding one recorded fact (so 'unchanged' is not trivially empty)."""
    done = CliRunner().invoke(
        app,
        ["record", "meeting", "CN", "PK", "--on", "2022-11-02", *SOURCE, "--db", db_url],
    )
    assert done.exit_code == 0, done.output
    yield db_url


def refused(url: str, args: list[str], message: str, code: int = 2) -> None:
    """``args`` on ``url``: exit ``code``, stderr exactly ``message``, log unchanged, chain OK."""
    before = log_of(url)
    done = CliRunner().invoke(app, [*args, "--db", url], catch_exceptions=False)
    assert done.exit_code == code, done.output
    assert done.stderr.strip() == message
    assert "Traceback" not in done.output
    assert log_of(url) == before
    store = open_store(url)
    try:
        assert verify(store).ok
    finally:
        store.close()


# -- 1. ingest takes text only ------------------------------------------------------------------


def test_1_ingest_refuses_binary_png_and_empty_files(seeded: str, tmp_path: Path) -> None:
    elf = tmp_path / "tool"
    elf.write_bytes(Path(sys.executable).resolve().read_bytes()[:100_000])
    png = tmp_path / "chart.png"
    png.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    for path in (elf, png):
        refused(
            seeded,
            ["ingest", str(path)],
            f"Error: {path}: not text (binary or undecodable); give a .txt or .html article",
        )
    refused(seeded, ["ingest", str(empty)], f"Error: {empty}: empty, no article text")


def test_1_ingest_refuses_a_title_without_body_and_a_huge_text(
    seeded: str, tmp_path: Path
) -> None:
    lone = tmp_path / "title.txt"
    lone.write_text("China and Pakistan\n\n")
    refused(
        seeded,
        ["ingest", str(lone)],
        f"Error: {lone}: no article found (need a title line and a body)",
    )
    long = tmp_path / "long.txt"
    long.write_text("Title\n" + "x" * 500_001)
    refused(
        seeded,
        ["ingest", str(long)],
        f"Error: {long}: text of 500,001 characters (at most 500,000); give one article per file",
    )


def test_1_utf16_and_latin1_articles_are_decoded(db_url: str, tmp_path: Path) -> None:
    text = CORPUS.read_text(encoding="utf-8")
    utf16 = tmp_path / "utf16.txt"
    utf16.write_bytes(text.encode("utf-16"))
    latin = tmp_path / "latin1.txt"
    latin.write_bytes(
        "Café talks in Zürich\nChina and Pakistan met in Zürich on Monday. The ministers "
        "discussed the économie, the région and the coopération between their countries. "
        "Señor García attended.".encode("latin-1")
    )
    done = CliRunner().invoke(app, ["ingest", str(utf16), str(latin), "--json", "--db", db_url])
    assert done.exit_code == 0, done.output
    rows = json.loads(done.stdout)
    assert rows[0]["title"] == text.splitlines()[0].strip() and rows[0]["facts_written"] > 3
    assert rows[1]["title"] == "Café talks in Zürich"


def test_3_ingest_refuses_a_publication_date_in_the_future(seeded: str) -> None:
    refused(
        seeded,
        ["ingest", str(CORPUS), "--published", "2099-01-01"],
        "Error: --published 2099-01-01 is in the future: give the date the article appeared",
    )


def test_1_ingest_of_a_binary_url_is_refused(seeded: str, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/img").respond_with_data(
        b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8, content_type="image/png"
    )
    url = httpserver.url_for("/img")
    refused(
        seeded,
        ["ingest", url],
        f"Error: {url}: not text (binary or undecodable); give a .txt or .html article",
    )


# -- 2, 3, 8: record -----------------------------------------------------------------------------


def test_2_record_needs_a_pair_of_two_distinct_states(seeded: str) -> None:
    refused(
        seeded,
        ["record", "meeting", "China", *SOURCE],
        "Error: a fact needs a pair of states, got 1 (China): name two, e.g. China Pakistan",
    )
    refused(
        seeded,
        ["record", "meeting", "China", "CN", *SOURCE],
        "Error: 'China' and 'CN' are the same state: name two",
    )
    refused(
        seeded,
        ["record", "meeting", "China", "India", "Japan", *SOURCE],
        "Error: a fact needs a pair of states, got 3 (China, India, Japan): "
        "name two, e.g. China Pakistan",
    )


def test_record_refuses_a_summary_of_a_page(seeded: str) -> None:
    refused(
        seeded,
        ["record", "meeting", "CN", "PK", "--source", "https://x.org/a", "--summary", "x" * 5000],
        "Error: --summary of 5,000 characters (at most 1,000): say in one line what happened; "
        "the source holds the rest",
    )


def test_import_log_refuses_a_binary_file(db_url: str, tmp_path: Path) -> None:
    blob = tmp_path / "events.jsonl"
    blob.write_bytes(b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)) * 8)
    refused(
        db_url,
        ["import-log", str(blob)],
        f"Error: {blob}: not text (binary or not UTF-8); give the file export-log wrote",
    )


def test_3_a_future_date_is_refused_unless_planned(seeded: str) -> None:
    future = (datetime.now(UTC).date() + timedelta(days=30)).isoformat()
    refused(
        seeded,
        ["record", "meeting", "China", "Pakistan", "--on", future, *SOURCE],
        f"Error: --on {future} is in the future: record a planned event with --planned, "
        "or give the date it happened",
    )
    refused(
        seeded,
        ["record", "meeting", "China", "Pakistan", "--on", "2099-01-01", *SOURCE],
        "Error: --on 2099-01-01 is in the future: record a planned event with --planned, "
        "or give the date it happened",
    )
    done = CliRunner().invoke(
        app,
        ["record", "meeting", "CN", "PK", "--on", future, "--planned", *SOURCE, "--db", seeded],
    )
    assert done.exit_code == 0, done.output
    store = open_store(seeded)
    try:
        event = to_recorded(store.read_stream("pair-CHN-PAK")[-1]).event
    finally:
        store.close()
    assert event.planned is True  # type: ignore[attr-defined]
    view = CliRunner().invoke(app, ["relation", "CN", "PK", "--json", "--db", seeded])
    data = json.loads(view.stdout)
    assert data["last_date"] == "2022-11-02"  # the span does not move to the planned date
    assert [p["occurred_on"] for p in data["planned"]] == [future]


def test_8_set_values_are_read_as_the_field_type(db_url: str) -> None:
    args = ["record", "trade_figure", "CN", "PK", "--on", "2022-01-18", *SOURCE]
    sets = ["--set", "period=2022", "--set", "amount=27.8", "--set", "change_pct=-3.5"]
    done = CliRunner().invoke(app, [*args, *sets, "--db", db_url])
    assert done.exit_code == 0, done.output
    stmt = ["record", "statement", "PK", "CN", "--on", "2022-11-02", *SOURCE]
    done = CliRunner().invoke(app, [*stmt, "--set", "topics=CPEC, Taiwan", "--db", db_url])
    assert done.exit_code == 0, done.output
    store = open_store(db_url)
    try:
        trade, statement = (to_recorded(r).event for r in store.read_stream("pair-CHN-PAK"))
    finally:
        store.close()
    assert (trade.period, trade.amount, trade.change_pct) == ("2022", 27.8, -3.5)  # type: ignore[attr-defined]
    assert statement.topics == ("CPEC", "Taiwan")  # type: ignore[attr-defined]
    refused(
        db_url,
        [*args, "--set", "amount=lots"],
        "Error: invalid trade_figure: amount: Input should be a valid number, "
        "unable to parse string as a number",
    )
    refused(
        db_url,
        [*args, "--set", "amount=1", "--set", "colour=red"],
        "Error: bad --set 'colour': trade_figure has no such field "
        "(fields: amount, currency, unit, period, direction, change_pct)",
    )


# -- 5, 7: --db -----------------------------------------------------------------------------------


def test_5_a_db_that_names_no_store_is_refused_except_by_init(tmp_path: Path) -> None:
    runner = CliRunner()
    for bad in ("not a url at all", "/nonexistent/dir/x.db", str(tmp_path / "new.db")):
        done = runner.invoke(app, ["verify", "--db", bad])
        assert done.exit_code == 2, done.output
        assert done.stderr.startswith(f"Error: no store at {bad!r}: give an existing SQLite file")
    assert not (tmp_path / "new.db").exists()
    made = runner.invoke(app, ["init", "--db", str(tmp_path / "new.db")])
    assert made.exit_code == 0, made.output
    done = runner.invoke(app, ["verify", "--db", str(tmp_path / "new.db")])
    assert done.exit_code == 0 and "OK: 0 events verified" in done.stdout


@pytest.mark.postgres
def test_7_postgres_scheme_is_accepted(pg_url: str) -> None:
    short = pg_url.replace("postgresql+psycopg://", "postgres://")
    done = CliRunner().invoke(app, ["record", "meeting", "CN", "PK", *SOURCE, "--db", short])
    assert done.exit_code == 0, done.output
    assert len(log_of(pg_url)) == 1


def test_7_every_unreachable_database_exits_alike() -> None:
    urls = [
        "postgresql+psycopg://postgres@no-such-host.invalid/test",
        "postgresql+psycopg://postgres@127.0.0.1:1/test",
        "postgres://postgres@127.0.0.1:1/test",
    ]
    for url in urls:
        done = CliRunner().invoke(app, ["log", "--db", url])
        assert done.exit_code == 2, (url, done.output)
        line = done.stderr.strip()
        assert line.startswith("Error: cannot open the database ") and "\n" not in line
        assert line.endswith("; check --db / TRACKER_DB_URL")


# -- 6: numeric options ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["log", "--limit", "99999999999999999999"],
         "Error: --limit must be between 1 and 10,000, got 99999999999999999999"),
        (["synth", "--events", "99999999999999999999"],
         "Error: --events must be between 1 and 10,000,000, got 99999999999999999999"),
        (["synth", "--events", "10", "--seed", "-1"],
         "Error: --seed must be between 0 and 2,147,483,647, got -1"),
        (["run", "--max-cycles", "0"],
         "Error: --max-cycles must be between 1 and 1,000,000, got 0"),
        (["run", "--duration", "nan"],
         "Error: --duration must be between 0.1 and 32,000,000, got nan"),
        (["search", "CPEC", "--limit", "99999999999999999999"],
         "Error: --limit must be between 1 and 10,000, got 99999999999999999999"),
        (["serve", "--port", "70000"], "Error: --port must be between 1 and 65,535, got 70000"),
    ],
)  # fmt: skip
def test_6_numbers_out_of_range_are_one_line_exit_2(
    seeded: str, args: list[str], message: str
) -> None:
    refused(seeded, args, message)


# -- 9: one vocabulary ----------------------------------------------------------------------------


def test_9_kinds_and_type_names_work_everywhere(seeded: str) -> None:
    runner = CliRunner()
    for spelling in ("meeting", "MeetingHeld", "meetingheld"):
        logged = runner.invoke(app, ["log", "--type", spelling, "--json", "--db", seeded])
        rows = json.loads(logged.stdout)
        assert [r["type"] for r in rows] == ["MeetingHeld"], spelling
        entries = runner.invoke(
            app, ["timeline", "CN", "PK", "--type", spelling, "--json", "--db", seeded]
        )
        assert [e["kind"] for e in json.loads(entries.stdout)] == ["meeting"], spelling
    refused(
        seeded,
        ["log", "--type", "meting"],
        "Error: unknown event type 'meting'; did you mean meeting? choose one of meeting, visit, "
        "phone_call, statement, joint_statement, agreement, trade_figure, descriptor, "
        "ArticleRecorded, DuplicateSuspected, EventConfirmed, EventCorroborated, EventRetracted, "
        "EventsMerged",
    )
    refused(
        seeded,
        ["timeline", "CN", "PK", "--type", "EventRetracted"],
        "Error: unknown event type 'EventRetracted'; choose one of meeting, visit, phone_call, "
        "statement, joint_statement, agreement, trade_figure, descriptor",
    )


# -- 7: poll exit codes; 10: run --max-cycles 1 -------------------------------------------------


def test_7_poll_exits_1_when_every_feed_failed(seeded: str, tmp_path: Path) -> None:
    feeds = tmp_path / "feeds.yaml"
    feeds.write_text(
        "feeds:\n  - name: a\n    url: missing-a.xml\n  - name: b\n    url: missing-b.xml\n"
    )
    done = CliRunner().invoke(app, ["poll", "--feeds", str(feeds), "--db", seeded])
    assert done.exit_code == 1, done.output
    assert done.stderr.strip().splitlines()[-1] == (
        "Error: every feed polled failed (2 of 2); 'tracker feeds' shows each one's error"
    )


def test_10_run_max_cycles_1_polls_now_after_the_demo(db_url: str) -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["demo", "--json", "--db", db_url]).exit_code == 0
    samples = str(ROOT / "samples" / "feeds.yaml")
    started = time.monotonic()
    args = ["run", "--feeds", samples, "--max-cycles", "1", "--json", "--db", db_url]
    done = runner.invoke(app, args)
    assert done.exit_code == 0, done.output
    summary = json.loads(done.stdout)
    assert time.monotonic() - started < 60  # the feeds are not due for 15 minutes
    assert summary["cycles"] == 1 and summary["polls"] == 5
    assert summary["stopped_by"] == "max_cycles" and summary["errors"] == 0
    assert summary["new_articles"] == 0  # conditional requests: nothing new, nothing twice


# -- 4, 12: synth and demo keep to their own stores ------------------------------------------------


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "TRACKER_DB_URL"}
    env["XDG_DATA_HOME"] = str(tmp_path / "data")  # platformdirs' user data directory
    return env


def _manage(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=_env(tmp_path),
        timeout=240,
    )


def test_12_demo_and_synth_use_their_own_stores(tmp_path: Path) -> None:
    data = tmp_path / "data" / "diplomatic-tracker"
    demo = _manage(tmp_path, "demo")
    assert demo.returncode == 0, demo.stderr
    assert f"Demo store: sqlite:///{data / 'demo.db'}" in demo.stdout
    synth = _manage(tmp_path, "synth", "--events", "50", "--json")
    assert synth.returncode == 0, synth.stderr
    assert json.loads(synth.stdout)["store"] == f"sqlite:///{data / 'synth.db'}"
    assert not (data / "tracker.db").exists()  # the default store was never touched
    feeds = _manage(tmp_path, "--db", f"sqlite:///{data / 'demo.db'}", "feeds", "--json",
                    "--feeds", str(ROOT / "samples" / "feeds.yaml"))  # fmt: skip
    names = {row["feed"] for row in json.loads(feeds.stdout)}
    real = _manage(tmp_path, "--db", f"sqlite:///{data / 'demo.db'}", "feeds", "--json",
                   "--feeds", str(ROOT / "feeds.yaml"))  # fmt: skip
    assert names and all(n.startswith("sample-") for n in names)
    assert all(row["last_attempt"] is None for row in json.loads(real.stdout))


def test_4_synth_refuses_a_store_with_real_articles(db_url: str) -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["ingest", str(CORPUS), "--db", db_url]).exit_code == 0
    refused(
        db_url,
        ["synth", "--events", "10"],
        f"Error: {db_url} holds real articles: synthetic events would mix with them for good "
        "(the log is append-only); name another store with --db, or add --force",
    )
    done = runner.invoke(app, ["synth", "--events", "10", "--force", "--db", db_url])
    assert done.exit_code == 0, done.output
    assert "Synthesised 10 events" in done.stdout


def test_4_synth_streams_in_bounded_memory(tmp_path: Path) -> None:
    """Many events on one day (a long run squeezes them together) used to pile up in memory:
    now a stream's batch is appended as soon as it is full."""
    from tracker.synth import day_batches, generate

    batches = day_batches(generate(5000, 1, years=1), max_batch=100)
    sizes = [len(b.items) for b in batches]
    assert sum(sizes) == 5000 and max(sizes) <= 100
    stamps = [b.recorded_at for b in day_batches(generate(3000, 2, years=1), max_batch=50)]
    assert stamps == sorted(stamps)


# -- 11: Ctrl-C ------------------------------------------------------------------------------------


@pytest.mark.parametrize("delay", [0.5, 2.5])
def test_11_ctrl_c_is_one_line_and_exit_130(tmp_path: Path, delay: float) -> None:
    url = f"sqlite:///{tmp_path / 'x.db'}"
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), "synth", "-n", "3000000", "--db", url],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=tmp_path,
        env=_env(tmp_path),
    )
    time.sleep(delay)  # 0.5 s: still importing the CLI; 2.5 s: appending
    proc.send_signal(signal.SIGINT)
    try:
        _, err = proc.communicate(timeout=20)
    except subprocess.TimeoutExpired:  # a user presses Ctrl-C again
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=20)
    assert proc.returncode == 130, err
    assert err == "Interrupted: stopped before finishing; what was committed stays, nothing half.\n"
    if (tmp_path / "x.db").exists():
        store = open_store(url)
        try:
            assert verify(store).ok
        finally:
            store.close()


def test_version_prints_the_package_version() -> None:
    from importlib.metadata import version

    done = CliRunner().invoke(app, ["--version"])
    assert done.exit_code == 0
    assert done.stdout.strip() == f"tracker (diplomatic-tracker) {version('diplomatic-tracker')}"
