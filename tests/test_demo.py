"""The README's main job: the offline demo, end to end, on each backend."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Any

from tracker.demo import run_demo
from tracker.projections import queries
from tracker.store import SqlEventStore


def test_demo_records_the_showcase_and_is_idempotent(store: SqlEventStore) -> None:
    first = run_demo(store)
    assert first.verify.ok and first.new_articles >= 10 and first.new_events >= 20
    assert all(p.status == "ok" for p in first.polls)
    pairs = {r.pair for r in first.relations}
    assert ("CHN", "PAK") in pairs and len(pairs - {("CHN", "PAK")}) >= 3
    view = first.showcase
    meetings = queries.timeline(store, "CHN", "PAK", kinds=["meeting"])
    summit = [m for m in meetings if m.occurred_on == date(2022, 11, 2)]
    assert summit and {"Xi Jinping", "Muhammad Shehbaz Sharif"} <= {
        p.name for p in summit[0].persons
    }
    assert summit[0].source_count >= 2
    areas = {a.details.get("area") for a in view.agreements}
    assert {"e-commerce", "digital economy", "financial cooperation", "infrastructure"} <= areas
    assert {"CHN", "PAK"} <= set(view.statements)
    assert any(t.details.get("period") == "2021" for t in view.trade)
    assert view.descriptor and "all-weather strategic cooperative partnership" in view.descriptor

    again = run_demo(store)
    assert again.new_articles == 0 and again.new_events == 0
    assert again.last_position == first.last_position


def test_demo_command_prints_the_showcase(run_cli: Callable[..., Any]) -> None:
    done = run_cli("demo")
    assert done.exit_code == 0, done.output
    assert "China – Pakistan" in done.stdout
    assert "verify: OK" in done.stdout
    again = json.loads(run_cli("demo", "--json").stdout)
    assert again["verify"]["broken_at"] is None
    assert sum(p["new_articles"] for p in again["polls"]) == 0
