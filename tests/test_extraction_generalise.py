"""Rule classes found on the third development set, checked on sentences of our own."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tracker.articles import Article
from tracker.extraction import Candidate, extract


def _run(text: str, published: str = "2023-06-15") -> list[Candidate]:
    day = datetime.fromisoformat(published).replace(tzinfo=UTC)
    return extract(Article(title="", text=text, published=day))


def _areas(text: str) -> list[str]:
    return [c.fields["area"] for c in _run(text) if c.type == "agreement"]


@pytest.mark.parametrize(
    ("text", "count"),
    [
        # the noun form, and a list after "namely" whose items each open with "on"
        (
            "Nepalese Prime Minister Pushpa Kamal Dahal and Indian Prime Minister Narendra Modi "
            "witnessed the exchange of four memoranda, namely on power trade, on irrigation, "
            "and on border roads and bridges.",
            3,
        ),
        # "among them" introduces a plain comma list
        (
            "Ghana and Nigeria signed nine agreements and protocols, among them accords on "
            "fisheries, aviation, customs and energy.",
            4,
        ),
        # preposition-led items with commas inside one of them, and a field as the last item
        (
            "Uzbekistan and Tajikistan signed documents on the joint management of water, on "
            "new border posts at Oybek, Bekobod and Pop, and in the field of tourism.",
            3,
        ),
    ],
)
def test_agreement_lists_in_other_shapes_give_one_event_per_item(text: str, count: int) -> None:
    areas = _areas(text)
    assert len(areas) == count
    assert not any(a.lower().startswith(("on ", "in ", "field")) for a in areas)


@pytest.mark.parametrize(
    "text",
    [
        "Hungarian Prime Minister Viktor Orban and Serbian President Aleksandar Vucic signed the "
        "Budapest Declaration on Strategic Partnership on Monday.",
        "Argentina and Uruguay adopted a declaration on river management after the talks.",
    ],
)
def test_a_declaration_both_sides_sign_is_a_joint_statement(text: str) -> None:
    assert [c.type for c in _run(text) if c.type == "joint_statement"] == ["joint_statement"]


def test_the_three_countries_refer_back_to_the_states_of_a_summit() -> None:
    text = (
        "MANAMA, March 4, 2024 - The leaders of Bahrain, Jordan and Iraq held a three-way summit "
        "in the Bahraini capital on Monday, a gathering seen as a message to Iran.\n\n"
        "At the close, the three countries issued a joint statement on water security."
    )
    cands = _run(text, "2024-03-04")
    meetings = {frozenset(c.actors) for c in cands if c.type == "meeting"}
    joint = {frozenset(c.actors) for c in cands if c.type == "joint_statement"}
    pairs = {frozenset(p) for p in [("BHR", "JOR"), ("BHR", "IRQ"), ("JOR", "IRQ")]}
    assert meetings == pairs  # the state the summit is aimed at takes no part
    assert joint == pairs  # one joint statement per pair


def test_four_ministers_are_not_four_states() -> None:
    text = (
        "TOKYO, May 2, 2024 - Japan and Australia held a trilateral meeting with India on Thursday."
        "\n\nThe four ministers issued a joint statement on maritime security."
    )
    joint = [c for c in _run(text, "2024-05-02") if c.type == "joint_statement"]
    assert joint
    assert all("IND" not in c.actors for c in joint)  # people counted, not a group of states


def _statements(text: str, published: str) -> set[tuple[str, ...]]:
    return {c.actors for c in _run(text, published) if c.type == "statement"}


def test_a_call_on_several_states_is_one_statement_to_each() -> None:
    text = (
        "ABUJA, May 3, 2024 - Nigerian President Bola Tinubu received Ghana's President in Abuja "
        "on Friday.\n\nThe Nigerian leader also urged Guinea, Gabon and Sudan to return to "
        "civilian rule."
    )
    got = _statements(text, "2024-05-03")
    assert {("NGA", "GIN"), ("NGA", "GAB"), ("NGA", "SDN")} <= got


def test_a_quote_about_us_two_goes_to_the_story_counterpart() -> None:
    text = (
        "HANOI, May 3, 2024 - Indonesian President Joko Widodo arrived in Hanoi on Friday for "
        "talks with Vietnamese leaders.\n\n"
        '"There is nothing between us that we cannot settle," Widodo told reporters.\n\n'
        "He later criticised Australia over its fishing rules."
    )
    got = _statements(text, "2024-05-03")
    assert ("IDN", "VNM") in got


@pytest.mark.parametrize(
    "opening",
    ["Quito, March 6 (Andes) ", "Vientiane, March 6, 2024 KPL -- ", "San Jose, Mar. 6: "],
)
def test_title_case_datelines_anchor_yesterday(opening: str) -> None:
    text = (
        f"{opening}Lao Prime Minister Sonexay Siphandone held a phone conversation yesterday "
        "afternoon with Vietnamese Prime Minister Pham Minh Chinh."
    )
    calls = [c for c in _run(text, "2024-03-06") if c.type == "phone_call"]
    assert [c.date for c in calls] == ["2024-03-05"]


def test_a_welcome_at_the_airport_is_not_a_meeting() -> None:
    text = (
        "The Kenyan President, who arrived in Kampala on a state visit on Monday, was met at the "
        "Entebbe airport by Ugandan Prime Minister Robinah Nabbanja."
    )
    kinds = [c.type for c in _run(text, "2024-03-04")]
    assert "meeting" not in kinds
    assert "visit" in kinds


@pytest.mark.parametrize(
    "text",
    [
        "Colombia and Venezuela signed two memoranda in the presence of President Gustavo Petro "
        "and President Nicolas Maduro at the Miraflores palace.",
        "Kenya and Ethiopia signed the accords in front of Prime Minister Abiy Ahmed and "
        "President William Ruto on Tuesday.",
    ],
)
def test_who_witnessed_a_signing_is_no_agreement_area(text: str) -> None:
    areas = _areas(text)
    assert areas, "the signing itself is still an agreement"
    assert all(a is None or ("President" not in a and "presence" not in a) for a in areas), areas
