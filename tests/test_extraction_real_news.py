"""Mechanisms written for real news (each seen in several outlets of `real-dev`), on sentences
written for these tests: trade forms, lists of agreements, calls in readouts, speakers by title,
joint speakers, visits written as nouns, plans and background cues."""

from __future__ import annotations

from datetime import UTC, datetime

from tracker.articles import article_from_text
from tracker.extraction import Candidate, extract
from tracker.extraction.document import Article


def _run(text: str, published: str = "2024-03-15") -> list[Candidate]:
    day = datetime.fromisoformat(published).replace(tzinfo=UTC)
    return extract(Article(title="", text=text, published=day))


def _of(cands: list[Candidate], kind: str) -> list[Candidate]:
    return [c for c in cands if c.type == kind]


def test_trade_in_crore_is_in_the_reporting_states_rupees() -> None:
    (fig,) = _of(
        _run("India's exports to Nepal were worth Rs 8,400 crore in 2023."), "trade_figure"
    )
    assert (fig.actors, fig.fields["amount"], fig.fields["unit"], fig.fields["currency"]) == (
        ("IND", "NPL"),
        8400.0,
        "crore",
        "INR",
    )


def test_trade_from_one_fiscal_year_to_the_next_gives_both_figures() -> None:
    text = (
        "Trade between Pakistan and Uzbekistan rose by 20% from $300 million in 2022-23 to "
        "$360 million in the 2023-24 fiscal year."
    )
    figs = _of(_run(text), "trade_figure")
    assert sorted(
        (f.fields["amount"], f.fields["period"], f.fields["change_pct"]) for f in figs
    ) == [
        (300.0, "FY2023", None),
        (360.0, "FY2024", 20.0),
    ]


def test_comparison_with_last_year_is_the_period_before() -> None:
    text = (
        "Kenya's imports from China stood at $3.1 billion in 2023 against $2.8 billion last year."
    )
    figs = _of(_run(text), "trade_figure")
    assert sorted((f.fields["amount"], f.fields["period"]) for f in figs) == [
        (2.8, "2022"),
        (3.1, "2023"),
    ]


def test_balances_targets_and_world_totals_are_not_bilateral_figures() -> None:
    text = (
        "Brazil and Chile aim to boost trade to $20 billion by 2030. "
        "Chile's trade deficit with Brazil widened to $1.2 billion. "
        "Chile's overall exports to other countries reached $95 billion in 2023."
    )
    assert _of(_run(text), "trade_figure") == []


def test_documents_whose_signing_the_leaders_witnessed_give_one_agreement_per_area() -> None:
    text = (
        "President A of Ghana and President B of Togo witnessed the signing of four documents "
        "regarding cooperation in fisheries, customs, tourism and higher education."
    )
    areas = sorted(c.fields["area"] for c in _of(_run(text), "agreement"))
    assert areas == ["customs", "fisheries", "higher education", "tourism"]


def test_areas_named_before_a_late_passive_and_vague_items_dropped() -> None:
    text = (
        "The MoUs on cooperation in renewable energy, water management, digital services and "
        "other areas of mutual interest were signed by Ghana and Togo on Friday."
    )
    areas = sorted(c.fields["area"] for c in _of(_run(text), "agreement"))
    assert areas == ["digital services", "renewable energy", "water management"]


def test_readout_spoke_with_is_a_call_but_spoke_to_reporters_is_not() -> None:
    call = _run("Secretary of State Antony Blinken spoke today with Foreign Minister Ishaq Dar.")
    assert [c.actors for c in _of(call, "phone_call")] == [("USA", "PAK")]
    press = _run("Foreign Minister Ishaq Dar spoke to reporters in Islamabad on Friday.")
    assert _of(press, "phone_call") == []


def test_a_bare_title_is_the_official_named_before_with_it() -> None:
    text = (
        "WASHINGTON, March 14 - Secretary of State Antony Blinken met Ghanaian Foreign Minister "
        "Shirley Ayorkor Botchwey on Thursday. The Secretary welcomed Ghana's role in regional "
        "security."
    )
    speakers = {c.fields["speaker"] for c in _of(_run(text), "statement")}
    assert "Antony Blinken" in speakers


def test_a_joint_subject_gives_one_statement_per_speaker() -> None:
    text = (
        "French President Emmanuel Macron and Nigerian President Bola Tinubu pledged on "
        "Thursday to deepen cooperation in security and trade."
    )
    stmts = _of(_run(text, "2024-11-29"), "statement")
    assert sorted((c.actors, c.fields["speaker"]) for c in stmts) == [
        (("FRA", "NGA"), "Emmanuel Macron"),
        (("NGA", "FRA"), "Bola Ahmed Tinubu"),
    ]


def test_the_visit_of_x_to_y_takes_visitor_and_host_after_the_noun() -> None:
    text = (
        "Several agreements were signed during the visit of Prime Minister Shehbaz Sharif to "
        "China on Friday."
    )
    (visit,) = _of(_run(text, "2024-06-08"), "visit")
    assert visit.actors == ("PAK", "CHN")


def test_an_event_dated_after_the_story_is_planned_and_an_invitation_alone_is_nothing() -> None:
    planned = _run(
        "Prime Minister Shehbaz Sharif will visit Beijing from June 4 to 8.", "2024-05-31"
    )
    assert [(c.type, c.planned) for c in planned if c.type == "visit"] == [("visit", True)]
    invited = _run("President Xi Jinping invited Prime Minister Shehbaz Sharif to visit China.")
    assert _of(invited, "visit") == []


def test_a_lead_paragraph_first_line_stays_in_the_body() -> None:
    raw = (
        "ISLAMABAD: Prime Minister Shehbaz Sharif met Chinese Premier Li Qiang in Beijing on "
        "Friday, the Foreign Office said in a statement issued on Saturday.\nMore text follows."
    )
    article = article_from_text(raw)
    assert article.text.startswith("ISLAMABAD: Prime Minister")
    headline = article_from_text("Sharif meets Li in Beijing\nBody text.")
    assert headline.title == "Sharif meets Li in Beijing" and headline.text == "Body text."
