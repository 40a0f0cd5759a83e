"""The ``poll`` and ``feeds`` commands on the offline sample feeds, then the store reopened."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from tests.conftest import ROOT
from tests.feeds_support import article_titles
from tracker.store import open_store, verify

SAMPLES = str(ROOT / "samples" / "feeds.yaml")


def test_poll_twice_then_feeds(run_cli: Callable[..., Any], any_url: str) -> None:
    first = run_cli("poll", "--feeds", SAMPLES, "--json")
    assert first.exit_code == 0, first.output
    rows = json.loads(first.stdout)
    assert [r["feed"] for r in rows] == [
        "sample-xinhua-world",
        "sample-app-national",
        "sample-cgtn-world",
        "sample-wire-world",
        "sample-wire-asia",
    ]
    assert {r["status"] for r in rows} == {"ok"}
    total = sum(r["new_articles"] for r in rows)
    assert total == 11  # 12 items, one story carried by both wire feeds

    second = run_cli("poll", "--feeds", SAMPLES)
    assert second.exit_code == 0
    assert second.stdout.lstrip().startswith("poll") and "ok" in second.stdout
    again = run_cli("poll", "--feeds", SAMPLES, "--json")
    assert sum(r["new_articles"] for r in json.loads(again.stdout)) == 0

    one = run_cli("poll", "--feeds", SAMPLES, "--feed", "sample-cgtn-world", "--json")
    assert [r["feed"] for r in json.loads(one.stdout)] == ["sample-cgtn-world"]

    health = run_cli("feeds", "--feeds", SAMPLES, "--json")
    assert health.exit_code == 0
    by_name = {h["feed"]: h for h in json.loads(health.stdout)}
    cgtn = by_name["sample-cgtn-world"]
    assert cgtn["http_status"] == 200 and cgtn["failures"] == 0 and cgtn["last_success"]
    table = run_cli("feeds", "--feeds", SAMPLES)
    assert table.stdout.lstrip().startswith("feeds") and "200" in table.stdout

    store = open_store(any_url)
    try:
        assert len(article_titles(store)) == 11 and verify(store).ok
    finally:
        store.close()


def test_run_with_max_cycles(run_cli: Callable[..., Any]) -> None:
    result = run_cli("run", "--feeds", SAMPLES, "--max-cycles", "1", "--json")
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["cycles"] == 1 and summary["polls"] == 5
    assert summary["stopped_by"] == "max_cycles"
    assert summary["new_articles"] == 11 and summary["errors"] == 0
