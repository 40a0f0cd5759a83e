"""The scorer's matching rules, and a floor on each annotated set."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT
from tracker.evaluation.extraction import _Tally, evaluate, score_article

GOLD = ROOT / "tests" / "fixtures" / "gold"

# Measured on the gold set when this floor was set (see README "Extraction quality"): micro-F1
# 0.990, actor accuracy 1.000, date accuracy 1.000, person recall 0.981. The floor sits just
# under, so that a regression fails and an honest small change does not.
FLOOR = {"micro_f1": 0.97, "actor_accuracy": 0.98, "date_accuracy": 0.98, "person_recall": 0.95}


HELDOUT = ROOT / "tests" / "fixtures" / "heldout"

# The second set was written apart from the rules, but its errors have since been read to find
# classes of failure, so it is a second development set now, not a held-out one. Measured when
# this floor was set: micro-F1 0.926, actor accuracy 0.966, date accuracy 0.931, person recall
# 0.777 (it was 0.819 / 0.956 / 0.912 / 0.740 before that work).
HELDOUT_FLOOR = {
    "micro_f1": 0.90,
    "actor_accuracy": 0.95,
    "date_accuracy": 0.91,
    "person_recall": 0.75,
}


BLIND = ROOT / "tests" / "fixtures" / "blind"

# The third set was measured blind once (micro-F1 0.806, actor 0.981, date 0.883, person recall
# 0.724), then used to find classes of failure; measured when this floor was set: micro-F1
# 0.933, actor accuracy 0.984, date accuracy 0.977, person recall 0.806.
BLIND_FLOOR = {
    "micro_f1": 0.91,
    "actor_accuracy": 0.97,
    "date_accuracy": 0.95,
    "person_recall": 0.78,
}


def _event(kind: str, actors: list[str], day: str | None = None, **flags: Any) -> dict[str, Any]:
    return {"type": kind, "actors": actors, "persons": [], "date": day, **flags}


def _score(gold: list[dict[str, Any]], out: list[dict[str, Any]]) -> _Tally:
    tally = _Tally()
    score_article(gold, out, tally, "t")
    return tally


def test_matching_is_by_type_and_unordered_actors_best_date_first() -> None:
    gold = [_event("meeting", ["CHN", "PAK"], "2022-11-02"), _event("meeting", ["CHN", "PAK"])]
    out = [_event("meeting", ["PAK", "CHN"]), _event("meeting", ["PAK", "CHN"], "2022-11-02")]
    tally = _score(gold, out)
    assert tally.tp == {"meeting": 2} and not tally.fp and not tally.fn
    assert tally.date_ok == 2


def test_background_and_planned_gold_count_when_omitted_or_flagged_alike() -> None:
    gold = [
        _event("meeting", ["CHN", "PAK"], background=True),
        _event("visit", ["PAK", "CHN"], planned=True),
    ]
    assert _score(gold, []).tp == {"meeting": 1, "visit": 1}
    same = [_event("meeting", ["CHN", "PAK"], background=True)]
    assert _score(gold, same).tp == {"meeting": 1, "visit": 1}
    recorded_as_current = [_event("visit", ["PAK", "CHN"])]
    tally = _score(gold, recorded_as_current)
    assert tally.fp == {"visit": 1} and tally.fn == {"visit": 1}


def test_unmatched_output_background_is_ignored_but_planned_counts() -> None:
    out = [
        _event("meeting", ["CHN", "PAK"], background=True),
        _event("visit", ["PAK", "CHN"], planned=True),
    ]
    tally = _score([], out)
    assert tally.fp == {"visit": 1}


def test_role_order_matters_for_visits_not_meetings(tmp_path: Path) -> None:
    gold = [_event("visit", ["PAK", "CHN"]), _event("meeting", ["PAK", "CHN"])]
    out = [_event("visit", ["CHN", "PAK"]), _event("meeting", ["CHN", "PAK"])]
    tally = _score(gold, out)
    assert tally.pairs == 2 and tally.actor_ok == 1


FINAL = ROOT / "tests" / "fixtures" / "final"

# The fourth set was written blind and measured once, after all rule work (micro-F1 0.785,
# P 0.874, R 0.713; actor 0.977, date 0.942, person recall 0.696): the honest estimate of how
# the rules do on news they were not developed on. Its floor only guards against regressions;
# reading its errors to tune rules would make it a development set like the other three.
FINAL_FLOOR = {
    "micro_f1": 0.76,
    "actor_accuracy": 0.95,
    "date_accuracy": 0.92,
    "person_recall": 0.67,
}


REAL_DEV = ROOT / "tests" / "fixtures" / "real-dev"

# Real news (see real-dev/README.md). Only its 7 US-government texts are committed, so CI scores
# those (micro-F1 0.762, actor 1.000, date 1.000, person recall 0.957 when this floor was set);
# a machine with the rebuilt cache scores all 98 against the same floor.
REAL_DEV_FLOOR = {
    "micro_f1": 0.72,
    "actor_accuracy": 0.95,
    "date_accuracy": 0.80,
    "person_recall": 0.78,
}


@pytest.mark.parametrize(
    ("folder", "floor", "articles"),
    [
        (REAL_DEV, REAL_DEV_FLOOR, 7),
        (GOLD, FLOOR, 20),
        (HELDOUT, HELDOUT_FLOOR, 16),
        (BLIND, BLIND_FLOOR, 15),
        (FINAL, FINAL_FLOOR, 14),
    ],
    ids=["real-dev", "gold", "heldout", "blind", "final"],
)
def test_scores_stay_above_the_floor(folder: Path, floor: dict[str, float], articles: int) -> None:
    report = evaluate(folder)
    summary = report.summary()
    assert report.articles >= articles
    for key, least in floor.items():
        assert summary[key] >= least, (key, summary[key], report.errors[:5])
