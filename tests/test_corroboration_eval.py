"""eval-corroboration: a synthetic cluster set through the real ingest path, scored."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import ROOT
from tracker.cli import app
from tracker.corroboration_eval import (
    Cluster,
    CorroborationReport,
    evaluate_clusters,
    score_clusters,
)
from tracker.projections.model import PersonRef, Source, TimelineEntry

SET = ROOT / "tests" / "fixtures" / "corroboration"


def test_synthetic_set_scores_and_names_its_misses() -> None:
    report = evaluate_clusters(SET)
    s = report.summary()
    assert (s["clusters"], s["near_misses"], s["articles"]) == (4, 2, 12)
    assert (s["ingested"], s["skipped"]) == (11, 1)
    assert report.skipped == ["a4-text-not-cached: no text"]
    landing = {x.cluster: x for x in report.landings}
    # The call is a call in all three outlets ("by phone", "telephone", "video call").
    assert landing["fm-call-2023"].complete and len(landing["fm-call-2023"].events) == 1
    # Another year is another event.
    summit, later = landing["summit-2022"], landing["summit-2024"]
    assert summit.complete and later.complete and set(summit.events).isdisjoint(later.events)
    # Published two days later, "on Wednesday": the same day, the same event.
    assert "a5-pm-back-home-after-xi-talks" in next(iter(summit.events.values()))
    assert s["completeness"] == 1.0
    # The visitor's other meeting that day (another counterpart) stays its own event.
    assert (report.pure_events, report.scored_events) == (4, 4), report.misses
    assert s["purity"] == 1.0 and report.misses == []
    assert s["matching_completeness"] == 1.0 and s["complete_near_misses"] == 2


def test_command_prints_figures_and_json() -> None:
    result = CliRunner().invoke(app, ["eval-corroboration", str(SET)])
    assert result.exit_code == 0, result.output
    assert "4 clusters (2 near misses), 12 articles: 11 ingested, 1 skipped" in result.stdout
    assert "purity 1.000 (4/4 events of one cluster)" in result.stdout
    assert "skipped a4-text-not-cached: no text" in result.stdout
    as_json = CliRunner().invoke(app, ["eval-corroboration", str(SET), "--json"])
    data = json.loads(as_json.stdout)
    assert data["completeness"] == 1.0 and data["skipped"] == ["a4-text-not-cached: no text"]


def _entry(event_id: str, kind: str, *articles: str) -> TimelineEntry:
    return TimelineEntry(
        event_id=event_id, type="MeetingHeld", kind=kind, pair=("CHN", "PAK"),
        actors=("CHN", "PAK"), occurred_on=date(2022, 11, 2), date_precision="day",
        planned=False, summary="", persons=(PersonRef("Xi Jinping"),), location=None,
        details={}, cameo="040", plover="CONSULT", goldstein=1.0, confidence=1.0,
        sources=tuple(Source(url=None, article_id=f"id-{a}") for a in articles),
        recorded_at=datetime(2022, 11, 3, tzinfo=UTC), position=1,
    )  # fmt: skip


def _cluster(cid: str, *articles: str, twin: str | None = None) -> Cluster:
    return Cluster(
        cid, "meeting", ("CHN", "PAK"), "2022-11-02", (), dict.fromkeys(articles, ""), twin
    )


def test_scoring_a_merged_near_miss_and_a_split_cluster() -> None:
    clusters = [_cluster("A", "a1", "a2"), _cluster("N", "n1", twin="A"), _cluster("S", "s1", "s2")]
    ids = {n: f"id-{n}" for n in ("a1", "a2", "n1", "s1", "s2")}
    entries = {
        ("CHN", "PAK"): [
            _entry("e-merged", "meeting", "a1", "a2", "n1"),
            _entry("e-s1", "meeting", "s1"),
            _entry("e-s2", "meeting", "s2"),
            _entry("e-call", "phone_call", "s1"),  # another type: no cluster is about it
        ]
    }
    report = CorroborationReport()
    score_clusters(clusters, entries, ids, report)
    assert (report.complete_clusters, report.scored_clusters) == (1, 2)  # A whole; S split
    assert (report.complete_near_misses, report.scored_near_misses) == (1, 1)
    assert (report.pure_events, report.scored_events) == (2, 3)  # e-merged is impure
    assert report.misses == [
        "split S (meeting 2022-11-02): s1 on meeting 2022-11-02 (Xi Jinping) e-s1; "
        "s2 on meeting 2022-11-02 (Xi Jinping) e-s2",
        "merged near miss N of A on meeting 2022-11-02 (Xi Jinping) e-merged",
    ]


def test_malformed_sets_are_one_error_line(tmp_path: Path) -> None:
    runner = CliRunner()
    missing = runner.invoke(app, ["eval-corroboration", str(tmp_path)])
    assert missing.exit_code == 2
    assert f"Error: no clusters.json in {tmp_path}: not a cluster set" in missing.stderr
    (tmp_path / "clusters.json").write_text('[{"id": "x", "type": "dinner", "articles": {}}]')
    bad = runner.invoke(app, ["eval-corroboration", str(tmp_path)])
    assert bad.exit_code == 2 and "unknown event type 'dinner'" in bad.stderr
    (tmp_path / "clusters.json").write_text(
        '[{"id": "x", "type": "meeting", "actors": ["CHN"], "articles": {}}]'
    )
    one = runner.invoke(app, ["eval-corroboration", str(tmp_path)])
    assert one.exit_code == 2 and "actors must name two different states" in one.stderr


def test_an_article_refused_at_the_door_is_skipped_not_fatal(tmp_path: Path) -> None:
    for f in SET.iterdir():
        if f.is_file():
            (tmp_path / f.name).write_bytes(f.read_bytes())
    binary = b"\x7fELF\x02\x01\x01\x00" + bytes(range(16))  # an executable, not an article
    (tmp_path / "z-long.txt").write_bytes(binary)
    sha = hashlib.sha256(binary).hexdigest()
    meta = {"url": "https://wire-a.example/z", "published": "2022-11-03", "sha256": sha}
    (tmp_path / "z-long.meta.json").write_text(json.dumps(meta))
    clusters = json.loads((tmp_path / "clusters.json").read_text())
    clusters[0]["articles"]["z-long"] = "Body."
    (tmp_path / "clusters.json").write_text(json.dumps(clusters))
    report = evaluate_clusters(tmp_path)
    assert report.ingested == 11 and len(report.skipped) == 2
    assert report.skipped[1].startswith("z-long: ") and "not text" in report.skipped[1]


REAL = ROOT / "tests" / "fixtures" / "real-corroboration"


def test_real_set_stays_above_the_floor() -> None:
    """The real multi-outlet set (texts in its gitignored cache): purity and matching
    completeness held just under their scores (README, "Corroboration")."""
    if not (REAL / "cache").is_dir():
        pytest.skip(f"no texts in {REAL / 'cache'} (gitignored; see its README to rebuild)")
    s = evaluate_clusters(REAL).summary()
    assert s["skipped"] == 0 and s["clusters"] == 69
    assert s["purity"] >= 0.96, s
    assert s["matching_completeness"] >= 0.94, s
