"""The relationship commands via the CLI: relations, relation, timeline, rebuild, corrections."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from tests.conftest import ROOT
from tests.facts import SHARIF, T0, XI, fact
from tracker.projections.queries import timeline
from tracker.recording import record_facts
from tracker.store import open_store

DAY = date(2022, 11, 2)
Run = Callable[..., Any]


@pytest.fixture
def seeded(any_url: str) -> str:
    """A store holding a China–Pakistan summit (two sources), agreements, trade, descriptor."""
    store = open_store(any_url)
    record_facts(
        store,
        [
            fact("meeting", on=DAY, persons=(XI, SHARIF), location="Beijing", article="cgtn",
                 summary="Xi Jinping met Shehbaz Sharif"),
            fact("agreement", on=DAY, area="e-commerce", title="MoU on e-commerce", article="cgtn"),
            fact("statement", on=DAY, topics=("CPEC",), stance="supportive", article="cgtn",
                 summary="China backs CPEC"),
            fact("statement", on=DAY, actors=("PAK", "CHN"), topics=("Taiwan",), article="cgtn",
                 summary="Pakistan reaffirms one-China policy"),
            fact("trade_figure", on=date(2022, 1, 10), amount=27.82, period="2021",
                 change_pct=59.1, article="cgtn"),
            fact("descriptor", on=DAY, descriptor="all-weather strategic cooperative partnership",
                 article="cgtn"),
            fact("meeting", on=DAY, persons=(SHARIF,), article="dawn", summary="Sharif sees Xi"),
            fact("meeting", on=date(2023, 5, 1), actors=("IND", "PAK"), article="other"),
        ],
        now=T0,
    )  # fmt: skip
    store.close()
    return any_url


def test_relation_shows_the_view_and_json_has_stable_keys(seeded: str, run_cli: Run) -> None:
    shown = run_cli("relation", "china", "PK")
    assert shown.exit_code == 0, shown.output
    for text in ("Xi Jinping", "e-commerce", "CPEC", "Taiwan", "27.82", "all-weather",
                 "https://news.example/art-dawn"[:20]):  # fmt: skip
        assert text in shown.stdout
    as_json = run_cli("relation", "Pakistan", "CHN", "--json")
    view = json.loads(as_json.stdout)
    assert view["pair"] == ["CHN", "PAK"]
    assert view["last_meeting"]["persons"][0]["name"] == "Xi Jinping"
    assert len(view["last_meeting"]["sources"]) == 2
    assert view["descriptor"] == "all-weather strategic cooperative partnership"
    assert view["trade"][0]["details"]["change_pct"] == 59.1


def test_relations_and_timeline(seeded: str, run_cli: Run) -> None:
    rows = json.loads(run_cli("relations", "--json", "--sort", "pair").stdout)
    assert [r["pair"] for r in rows] == [["CHN", "PAK"], ["IND", "PAK"]]
    entries = json.loads(
        run_cli("timeline", "CN", "pakistan", "--from", "2022-11-01", "--type", "meeting,agreement",
                "--json").stdout
    )  # fmt: skip
    assert [e["kind"] for e in entries] == ["meeting", "agreement"]
    table = run_cli("timeline", "CHN", "PAK", "--to", "2022-06-30")
    assert table.exit_code == 0 and "trade_figure" in table.stdout


def test_retract_merge_and_rebuild(seeded: str, run_cli: Run) -> None:
    store = open_store(seeded)
    (deal,) = timeline(store, "CHN", "PAK", kinds=["agreement"])
    done = run_cli("retract", deal.event_id, "--reason", "not signed after all", "--json")
    assert done.exit_code == 0 and len(json.loads(done.stdout)["written"]) == 1
    assert timeline(store, "CHN", "PAK", kinds=["agreement"]) == []
    record_facts(store, [fact("meeting", on=date(2022, 11, 9), persons=(XI,), article="z")])
    survivor, misdated = timeline(store, "CHN", "PAK", kinds=["meeting"])
    merged = run_cli("merge", survivor.event_id, misdated.event_id, "--reason", "misdated")
    assert merged.exit_code == 0 and merged.stdout.startswith("Recorded merge ")
    (meeting,) = timeline(store, "CHN", "PAK", kinds=["meeting"])
    assert meeting.event_id == survivor.event_id and meeting.source_count == 3
    rebuilt = run_cli("projections", "rebuild", "--json")
    assert json.loads(rebuilt.stdout)["events"] == store.last_position()
    assert timeline(store, "CHN", "PAK", kinds=["agreement"]) == []
    store.close()


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, capture_output=True, text=True, check=False
    )


def test_unknown_country_and_bad_dates_are_one_line_errors(db_url: str) -> None:
    unknown = _cli("relation", "Chna", "Pakistan", "--db", db_url)
    assert unknown.returncode == 2
    assert unknown.stderr == "Error: unknown country 'Chna' (did you mean China, Chad, Ghana?)\n"
    bad = _cli("timeline", "China", "Pakistan", "--from", "2022-13-01", "--db", db_url)
    assert bad.returncode == 2
    assert bad.stderr.startswith("Error: bad --from date '2022-13-01': use YYYY-MM-DD")
