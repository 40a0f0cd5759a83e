"""The export commands end to end on both backends: record facts, export, parse every format
back; user errors as one ``Error:`` line through the real entry point."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from icalendar import Calendar

from tests.conftest import ROOT
from tests.exports_facts import AREAS, FORMULA, HOSTILE_TITLE, record_summit
from tests.test_exports_html import CHROMIUM, body_attrs, console_lines, run_chromium
from tracker.exports.json_export import schema
from tracker.projections import queries
from tracker.store import SqlEventStore

Run = Callable[..., Any]


@pytest.fixture
def summit(store: SqlEventStore) -> SqlEventStore:
    """The test store with the China–Pakistan summit recorded."""
    record_summit(store)
    return store


def _out(result: Any) -> bytes:
    assert result.exit_code == 0, result.output
    data: bytes = result.stdout_bytes
    return data


def test_json_export_validates_and_matches_the_timeline(
    run_cli: Run, summit: SqlEventStore
) -> None:
    doc = json.loads(_out(run_cli("export", "China", "Pakistan", "--format", "json")))
    jsonschema.Draft202012Validator(schema(), format_checker=jsonschema.FormatChecker()).validate(
        doc
    )
    expected = queries.timeline(summit, "CHN", "PAK")
    assert [e["event_id"] for e in doc["events"]] == [e.event_id for e in expected]
    rel = doc["relationship"]
    assert rel["pair"] == ["CHN", "PAK"] and rel["names"] == ["China", "Pakistan"]
    assert [a["details"]["area"] for a in rel["agreements"]] == list(AREAS)
    assert rel["last_meeting"]["occurred_on"] == "2022-11-02"
    assert rel["last_meeting"]["source_count"] == 3


def test_csv_export_parses_back(run_cli: Run, summit: SqlEventStore) -> None:
    text = _out(run_cli("export", "CN", "PK", "--format", "csv", "--bom")).decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"), newline="")))
    assert len(rows) == len(queries.timeline(summit, "CHN", "PAK"))
    assert [r["details.area"] for r in rows if r["kind"] == "agreement"] == list(AREAS)
    assert "'" + FORMULA in [r["summary"] for r in rows]
    meeting = next(r for r in rows if r["kind"] == "meeting" and r["date"])
    assert meeting["source_count"] == "3" and len(meeting["sources"].split(" | ")) == 3


def test_markdown_export_is_a_briefing(run_cli: Run, summit: SqlEventStore) -> None:
    text = _out(run_cli("export", "CHN", "PAK", "--format", "md")).decode()
    assert text.startswith("# China–Pakistan: relationship briefing")
    assert "- **Agreements (6):**" in text and "#### November 2022" in text
    assert "](<https://english.news.cn/20221102/xi-meets-sharif/c.html>)" in text
    assert r"\<script\>" in text


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text += data


def test_html_export_is_escaped_with_chart_and_filter(
    run_cli: Run, summit: SqlEventStore, tmp_path: Path
) -> None:
    out = tmp_path / "report.html"
    result = run_cli("export", "China", "Pakistan", "--format", "html", "-o", str(out))
    assert result.exit_code == 0 and result.stdout == ""
    parser = _Tags()
    parser.feed(out.read_text(encoding="utf-8"))
    tags = [t for t, _ in parser.tags]
    assert tags.count("script") == 1 and "svg" in tags
    assert HOSTILE_TITLE in parser.text
    kinds = {a["data-kind"] for t, a in parser.tags if t == "li" and "data-kind" in a}
    assert kinds == {e.kind for e in queries.timeline(summit, "CHN", "PAK")}


def test_ics_export_has_one_event_per_dated_event(run_cli: Run, summit: SqlEventStore) -> None:
    cal = Calendar.from_ical(_out(run_cli("export", "CHN", "PAK", "--format", "ics")))
    events = list(cal.walk("VEVENT"))
    dated = [e for e in queries.timeline(summit, "CHN", "PAK") if e.occurred_on]
    assert len(events) == len(dated)
    assert {str(ev["UID"]) for ev in events} == {f"{e.event_id}@diplomatic-tracker" for e in dated}
    urls = {str(ev["URL"]) for ev in events}
    assert "https://www.prnewswire.com/news-releases/cgtn-china-pakistan.html" in urls


def test_filters_by_date_and_type_and_as_of(run_cli: Run, summit: SqlEventStore) -> None:
    def rows(*args: str) -> list[dict[str, str]]:
        data = _out(run_cli("export", "CHN", "PAK", "--format", "csv", *args)).decode()
        return list(csv.DictReader(io.StringIO(data, newline="")))

    agreements = rows("--type", "agreement", "--from", "2022-11-01", "--to", "2022-11-30")
    assert [r["kind"] for r in agreements] == ["agreement"] * 6
    assert {r["kind"] for r in rows("--type", "MeetingHeld,visit")} == {"meeting", "visit"}
    assert [r["date"] for r in rows("--to", "2022-07-31")] == ["2022-04-18", "2022-07-05"]
    assert rows("--as-of", "2000-01-01") == []  # nothing was recorded by then
    doc = json.loads(_out(run_cli("export", "CHN", "PAK", "--type", "agreement")))
    assert doc["filters"]["types"] == ["agreement"]


def _manage(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, capture_output=True, text=True, timeout=60
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("export", "Narnia", "PAK"),
            "Error: unknown country 'Narnia' (did you mean Armenia, Argentina, Mauritania?)",
        ),
        (
            ("export", "CHN", "PAK", "--format", "pdf"),
            "Error: unknown export format 'pdf'; choose one of json, csv, md, html, ics",
        ),
        (
            ("export", "CHN", "PAK", "--from", "2022-13-01"),
            "Error: bad --from date '2022-13-01': use YYYY-MM-DD, e.g. 2022-11-02",
        ),
        (
            ("import-log", "missing.jsonl"),
            "Error: cannot read missing.jsonl: No such file or directory; "
            "give the file export-log wrote",
        ),
    ],
)
def test_user_errors_are_one_line_with_exit_2(
    db_url: str, args: tuple[str, ...], message: str
) -> None:
    result = _manage(*args, "--db", db_url)
    assert result.returncode == 2, result.stderr
    assert result.stderr.strip() == message
    assert result.stdout == ""


def test_every_format_from_the_demo_store(
    run_cli: Run, store: SqlEventStore, tmp_path: Path
) -> None:
    """The demo store plus an analyst's hand-recorded fact, exported in every format."""
    assert run_cli("demo").exit_code == 0
    recorded = run_cli(
        "record", "phone_call", "China", "Pakistan", "--on", "2023-03-15",
        "--source", "https://news.cgtn.com/news/2023-03-15/xi-calls-sharif.html",
        "--summary", "Xi Jinping spoke to Shehbaz Sharif <b>by</b> phone",
        "--person", "Xi Jinping|President|CHN",
    )  # fmt: skip
    assert recorded.exit_code == 0, recorded.output
    entries = queries.timeline(store, "CHN", "PAK")
    assert entries
    outputs = {}
    for fmt in ("json", "csv", "md", "html", "ics"):
        path = tmp_path / f"demo.{fmt}"
        assert run_cli("export", "CHN", "PAK", "-f", fmt, "-o", str(path)).exit_code == 0
        outputs[fmt] = path
    doc = json.loads(outputs["json"].read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema(), format_checker=jsonschema.FormatChecker()).validate(
        doc
    )
    assert len(doc["events"]) == len(entries)
    with outputs["csv"].open(encoding="utf-8", newline="") as f:
        assert len(list(csv.DictReader(f))) == len(entries)
    assert "Xi Jinping spoke to Shehbaz Sharif \\<b\\>by\\</b\\> phone" in outputs["md"].read_text()
    cal = Calendar.from_ical(outputs["ics"].read_bytes())
    assert len(list(cal.walk("VEVENT"))) == sum(1 for e in entries if e.occurred_on)
    if CHROMIUM is None:
        pytest.skip("chromium not installed: browser check of the demo report skipped")
    out = run_chromium(tmp_path, "--dump-dom", outputs["html"].as_uri())
    assert console_lines(out.stderr) == []
    body = body_attrs(out.stdout)
    assert body["data-ready"] == "1" and body["data-visible"] == str(len(entries))
    assert "<b>by</b>" not in out.stdout and "&lt;b&gt;by&lt;/b&gt;" in out.stdout
