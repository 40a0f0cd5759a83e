"""Extraction on the real CGTN press release of 2022-11-03 (Xi Jinping meets Shehbaz Sharif)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.conftest import CORPUS
from tracker.articles import read_article_file
from tracker.extraction import Candidate, extract, extract_facts


@pytest.fixture(scope="module")
def candidates() -> list[Candidate]:
    article = read_article_file(CORPUS, published=datetime(2022, 11, 3, 12, tzinfo=UTC))
    return extract(article)


def _of(cands: list[Candidate], kind: str) -> list[Candidate]:
    return [c for c in cands if c.type == kind]


def test_the_meeting_of_2022_11_02_with_both_leaders(candidates: list[Candidate]) -> None:
    (meeting,) = _of(candidates, "meeting")
    assert set(meeting.actors) == {"CHN", "PAK"}
    assert meeting.date == "2022-11-02"  # "on Wednesday" in a Thursday release
    assert {p.name for p in meeting.persons} == {"Xi Jinping", "Muhammad Shehbaz Sharif"}
    assert not meeting.background and not meeting.planned


def test_the_visit_is_pakistan_to_china(candidates: list[Candidate]) -> None:
    (visit,) = _of(candidates, "visit")
    assert visit.actors == ("PAK", "CHN")
    assert visit.persons[0].name == "Muhammad Shehbaz Sharif"


def test_one_statement_per_leader_speaker_first(candidates: list[Candidate]) -> None:
    statements = {c.fields["speaker"]: c for c in _of(candidates, "statement")}
    assert set(statements) == {"Xi Jinping", "Muhammad Shehbaz Sharif"}
    assert statements["Xi Jinping"].actors == ("CHN", "PAK")
    sharif = statements["Muhammad Shehbaz Sharif"]
    assert sharif.actors == ("PAK", "CHN")
    assert {"taiwan", "one-china", "cpec"} <= set(sharif.fields["topics"])
    assert sharif.fields["stance"] == "supportive"
    assert sharif.cameo == "051"


def test_joint_statement_and_six_agreement_areas(candidates: list[Candidate]) -> None:
    (joint,) = _of(candidates, "joint_statement")
    assert set(joint.actors) == {"CHN", "PAK"} and joint.date == "2022-11-02"
    areas = [c.fields["area"] for c in _of(candidates, "agreement")]
    assert areas == [
        "e-commerce",
        "digital economy",
        "export of agricultural products",
        "financial cooperation",
        "protection of cultural property",
        "infrastructure",
    ]


def test_trade_figures_of_2021(candidates: list[Candidate]) -> None:
    trade = {c.fields["direction"]: c for c in _of(candidates, "trade_figure")}
    assert {k: (v.fields["amount"], v.fields["change_pct"]) for k, v in trade.items()} == {
        "total": (27.82, 59.1),
        "exports": (24.23, 57.8),
        "imports": (3.59, 68.9),
    }
    assert all(c.fields["period"] == "2021" and c.date is None for c in trade.values())
    assert trade["exports"].actors == ("CHN", "PAK")  # exporter first
    assert trade["imports"].actors == ("CHN", "PAK")  # the reporting (importing) state first
    assert all(
        c.fields["unit"] == "billion" and c.fields["currency"] == "USD" for c in trade.values()
    )


def test_partnership_descriptor(candidates: list[Candidate]) -> None:
    descriptors = {c.fields["descriptor"] for c in _of(candidates, "descriptor")}
    assert "all-weather strategic cooperative partnership" in descriptors


def test_evidence_points_into_the_original_text(candidates: list[Candidate]) -> None:
    text = read_article_file(CORPUS).text
    for c in candidates:
        assert text[c.evidence.start : c.evidence.end] == c.evidence.quote
    (meeting,) = _of(candidates, "meeting")
    assert "when meeting with Pakistani Prime Minister" in meeting.evidence.quote
    assert "’" in meeting.evidence.quote  # curly quotes of the original are kept


def test_facts_carry_provenance_and_extractor() -> None:
    article = read_article_file(
        CORPUS, published=datetime(2022, 11, 3, 12, tzinfo=UTC), url="https://example.org/x"
    )
    facts = extract_facts(article, "a1")
    assert {f.kind for f in facts} >= {"meeting", "agreement", "trade_figure", "descriptor"}
    for f in facts:
        assert f.provenance.article_id == "a1" and f.provenance.url == "https://example.org/x"
        assert f.extractor.name == "rules"
        assert f.provenance.quote and f.provenance.start is not None
    assert extract_facts(article, "a1") == facts  # deterministic
