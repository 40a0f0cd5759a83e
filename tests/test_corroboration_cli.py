"""timeline and relation say why reports were merged, and which events may be duplicates."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.conftest import ROOT

SET = ROOT / "tests" / "fixtures" / "corroboration"
NEXT_DAY = """Xi and Shehbaz meet again
BEIJING, Nov. 3 -- Chinese President Xi Jinping met Pakistani Prime Minister Shehbaz Sharif in
Beijing on Thursday before the prime minister left for home.
"""


def _ingest(run_cli: Callable[..., Any], path: Path, url: str, day: str) -> None:
    done = run_cli("ingest", str(path), "--published", day, "--url", url)
    assert done.exit_code == 0, done.output


def test_sources_say_why_and_thin_reports_are_flagged(
    run_cli: Callable[..., Any], tmp_path: Path
) -> None:
    _ingest(run_cli, SET / "a1-xi-meets-shehbaz.txt", "https://www.dawn.com/news/1", "2022-11-03")
    _ingest(
        run_cli, SET / "a3-premier-and-xi-discuss-cpec.txt", "https://x.example/a3", "2022-11-04"
    )
    (tmp_path / "next.txt").write_text(NEXT_DAY)
    _ingest(run_cli, tmp_path / "next.txt", "https://www.app.com.pk/next", "2022-11-03")

    entries = json.loads(run_cli("timeline", "CN", "PK", "--type", "meeting", "--json").stdout)
    summit, later = sorted(entries, key=lambda e: e["occurred_on"])
    assert [s["outlet"] for s in summit["sources"]] == ["Dawn", "x.example"]
    reasons = [s["reasons"] for s in summit["sources"] if s["reasons"]]
    assert reasons == [
        ["same type (meeting)", "same date 2022-11-02",
         "same persons: Xi Jinping, Muhammad Shehbaz Sharif"]
    ]  # fmt: skip
    # A meeting of the same leaders the next day: kept apart, flagged on both.
    assert later["occurred_on"] == "2022-11-03" and later["sources"][0]["outlet"] == "APP"
    assert later["possible_duplicates"] == [summit["event_id"]]
    assert summit["possible_duplicates"] == [later["event_id"]]

    text = run_cli("timeline", "CN", "PK", "--type", "meeting", "--sources").stdout
    assert "[merged: same date 2022-11-02; same persons: Xi Jinping, Muhammad Shehbaz Sharif]" in (
        " ".join(text.split())
    )
    assert f"possible duplicate: {later['event_id']} (2022-11-03 meeting)" in text
    view = " ".join(run_cli("relation", "CN", "PK").stdout.split())
    assert "APP: “BEIJING, Nov. 3 -- Chinese President Xi Jinping met" in view
    assert "possible duplicate" in view
