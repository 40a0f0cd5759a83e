"""Extraction rules on short wire-style texts: negation, noise, captions, plans, background."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tracker.articles import Article
from tracker.extraction import Candidate, extract


def _run(text: str, published: str = "2023-06-15", title: str = "") -> list[Candidate]:
    day = datetime.fromisoformat(published).replace(tzinfo=UTC)
    return extract(Article(title=title, text=text, published=day))


def _kinds(cands: list[Candidate], *, current_only: bool = True) -> list[str]:
    return [
        c.type
        for c in cands
        if c.type != "descriptor" and not (current_only and (c.background or c.planned))
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Secretary of State Antony Blinken failed to get a meeting with Chinese Foreign Minister "
        "Wang Yi in Jakarta.",
        "Beijing ruled out talks with Washington on the sidelines of the forum.",
        "There were no formal talks between Indian and Pakistani officials at the summit.",
        "Islamabad's effort to arrange a meeting with US President Joe Biden came to nothing.",
        "The Foreign Office denied reports that Prime Minister Shehbaz Sharif and Indian Prime "
        "Minister Narendra Modi had spoken by telephone.",
        "A meeting of the Chinese and Japanese foreign ministers was called off at short notice.",
        "Japan's Prime Minister Fumio Kishida postponed a trip to Beijing.",
        "The leaders of Japan and South Korea did not issue a joint statement.",
    ],
)
def test_negated_events_produce_nothing(text: str) -> None:
    assert _kinds(_run(text)) == []


def test_photo_captions_produce_nothing() -> None:
    text = (
        "Photo shows Chinese President Xi Jinping meeting Pakistani Prime Minister Shehbaz "
        "Sharif in Beijing, Nov. 2, 2022. (Xinhua/Li Xueren)\n"
        "A photograph released on Thursday showed Mr Sharif at a reception hosted by the US "
        "president."
    )
    assert _kinds(_run(text, "2022-11-03"), current_only=False) == []


def test_glued_names_curly_quotes_and_missing_spaces() -> None:
    text = (
        "ISLAMABAD, May 6 (Xinhua) -- Chinese Foreign Minister Qin Gang met Pakistani Foreign "
        "Minister Bilawal Bhutto Zardari here on Saturday.Qin said the ChinaPakistan friendship "
        "was \u201cunbreakable\u201d and that China supports Pakistn."
    )
    cands = _run(text, "2023-05-06")
    (meeting,) = [c for c in cands if c.type == "meeting"]
    assert set(meeting.actors) == {"CHN", "PAK"} and meeting.date == "2023-05-06"
    (statement,) = [c for c in cands if c.type == "statement"]
    assert statement.actors == ("CHN", "PAK") and statement.fields["speaker"] == "Qin Gang"
    assert "\u201cunbreakable\u201d" in statement.evidence.quote  # quoted from the original


def test_planned_and_background_events_are_flagged() -> None:
    text = (
        "NEW DELHI, July 7 (Reuters) - French President Emmanuel Macron will visit India next "
        "week for talks with Prime Minister Narendra Modi. The two leaders last met in May on "
        "the sidelines of the G7 summit."
    )
    cands = _run(text, "2023-07-07")
    planned = {c.type for c in cands if c.planned}
    assert planned == {"visit", "meeting"}
    assert all(c.date is None for c in cands if c.planned)  # "next week" is no day
    (background,) = [c for c in cands if c.background]
    assert background.type == "meeting" and background.date is None  # "in May": no day
    assert _kinds(cands) == []


def test_a_call_is_not_also_a_meeting() -> None:
    text = (
        "Egyptian President Abdel Fattah al-Sisi received a phone call from Saudi Crown Prince "
        "Mohammed bin Salman on Sunday."
    )
    cands = _run(text, "2023-10-16")
    assert _kinds(cands) == ["phone_call"]
    assert cands[0].date == "2023-10-15"


def test_third_state_gets_its_own_pair() -> None:
    text = (
        "TOKYO, March 16 (Kyodo) - Prime Minister Fumio Kishida held talks with South Korean "
        "President Yoon Suk Yeol on Thursday. Kishida told reporters that North Korea's missile "
        "launch posed a grave threat to the region and said Japan had protested to Pyongyang."
    )
    cands = _run(text, "2023-03-16")
    pairs = {(c.type, c.actors) for c in cands if c.type in ("meeting", "statement")}
    assert ("statement", ("JPN", "PRK")) in pairs
    assert any(t == "meeting" and set(a) == {"JPN", "KOR"} for t, a in pairs)
    (statement,) = [c for c in cands if c.type == "statement"]
    assert statement.fields["stance"] == "critical" and statement.cameo == "111"


def test_trilateral_meeting_gives_one_meeting_per_pair() -> None:
    text = (
        "The foreign ministers of China, Pakistan and Afghanistan held a trilateral meeting in "
        "Islamabad on Saturday."
    )
    pairs = {frozenset(c.actors) for c in _run(text, "2023-05-06") if c.type == "meeting"}
    assert pairs == {
        frozenset({"CHN", "PAK"}),
        frozenset({"CHN", "AFG"}),
        frozenset({"PAK", "AFG"}),
    }


def test_unknown_titled_officials_are_attached_to_their_state() -> None:
    text = (
        "Kenyan Foreign Minister Alfred Mutua held talks with Ugandan Foreign Minister Jeje "
        "Odongo in Kampala on Monday."
    )
    (meeting,) = [c for c in _run(text, "2023-06-14") if c.type == "meeting"]
    assert {(p.name, p.country) for p in meeting.persons} == {
        ("Alfred Mutua", "KEN"),
        ("Jeje Odongo", "UGA"),
    }


def test_office_resolves_to_the_holder_on_the_day() -> None:
    text = "The Pakistani prime minister met the Chinese ambassador on Thursday."
    (m2019,) = [c for c in _run(text, "2019-05-03") if c.type == "meeting"]
    (m2022,) = [c for c in _run(text, "2022-11-04") if c.type == "meeting"]
    assert [p.name for p in m2019.persons] == ["Imran Khan"]
    assert [p.name for p in m2022.persons] == ["Muhammad Shehbaz Sharif"]


def test_capitals_as_metonyms_and_trade_in_other_currencies() -> None:
    text = (
        "Beijing said it firmly opposed interference by Washington in its internal affairs.\n"
        "Bilateral trade between Japan and Australia rose 12.5% to A$100 billion last year, "
        "while Japan's imports from Australia fell 3 percent to $60 billion."
    )
    cands = _run(text, "2023-02-01")
    (statement,) = [c for c in cands if c.type == "statement"]
    assert statement.actors == ("CHN", "USA") and statement.fields["speaker"] is None
    trade = {c.fields["direction"]: c for c in cands if c.type == "trade_figure"}
    assert (
        trade["total"].fields["currency"] == "AUD" and trade["total"].fields["change_pct"] == 12.5
    )
    assert trade["imports"].actors == ("JPN", "AUS") and trade["imports"].fields["change_pct"] == -3
    assert all(c.fields["period"] == "2022" for c in trade.values())


def test_targets_and_product_figures_are_not_trade_figures() -> None:
    text = (
        "Ankara and Moscow have set a target of $100 billion in bilateral trade. Sesame exports "
        "alone earned $98 million during the quarter."
    )
    assert [c for c in _run(text) if c.type == "trade_figure"] == []


def test_agreement_areas_one_event_each() -> None:
    text = (
        "After the talks, the two sides signed seven agreements in the fields of defense "
        "industry, trade, education, health and disaster management."
    )
    cands = _run(text, title="Turkey and Pakistan sign deals")
    areas = [c.fields["area"] for c in cands if c.type == "agreement"]
    assert areas == ["defense industry", "trade", "education", "health", "disaster management"]
    assert all(set(c.actors) == {"TUR", "PAK"} for c in cands if c.type == "agreement")


def test_coordinated_verbs_keep_the_first_subject_as_speaker() -> None:
    text = (
        "KYIV, Ukraine (AP) — German Chancellor Olaf Scholz arrived in Kyiv on Monday. Scholz "
        "met President Volodymyr Zelenskyy and said Germany would stand with Ukraine."
    )
    cands = _run(text, "2022-06-13")
    (statement,) = [c for c in cands if c.type == "statement"]
    assert statement.actors == ("DEU", "UKR") and statement.fields["speaker"] == "Olaf Scholz"
    (visit,) = [c for c in cands if c.type == "visit"]
    assert visit.actors == ("DEU", "UKR") and visit.date == "2022-06-13"


def test_announced_trips_are_planned_and_dated_forward() -> None:
    text = (
        "Secretary of State Antony Blinken is due in Cairo on Tuesday for talks with Egyptian "
        "officials, the State Department said."
    )
    cands = [c for c in _run(text, "2023-01-29") if c.type in ("visit", "meeting")]
    assert {(c.type, c.actors, c.date, c.planned) for c in cands} == {
        ("visit", ("USA", "EGY"), "2023-01-31", True),
        ("meeting", ("USA", "EGY"), "2023-01-31", True),
    }


def test_counterparts_visits_with_date_ranges_and_hosted_plans() -> None:
    text = (
        "Vietnamese Prime Minister Pham Minh Chinh paid an official visit to Singapore from Feb "
        "8 to 10, where he held talks with his Singaporean counterpart Lee Hsien Loong.\n"
        "Saudi Crown Prince Mohammed bin Salman will host Chinese President Xi Jinping in Riyadh "
        "next month."
    )
    cands = _run(text, "2023-02-10")
    visit = next(c for c in cands if c.type == "visit")
    assert visit.actors == ("VNM", "SGP") and visit.date == "2023-02-08"
    talks = next(c for c in cands if c.type == "meeting" and not c.planned)
    assert {p.name for p in talks.persons} == {"Pham Minh Chinh", "Lee Hsien Loong"}
    hosted = next(c for c in cands if c.type == "meeting" and c.planned)
    assert set(hosted.actors) == {"SAU", "CHN"} and hosted.date is None


def test_institutions_asides_targets_and_places() -> None:
    text = (
        "BEIJING, Aug 2 (Reuters) - China's foreign ministry said in a statement on Tuesday that "
        "it had lodged stern representations with the United States over the visit.\n"
        "Sharif, speaking at a ceremony in Lahore, said Pakistan valued its friendship with "
        "Saudi Arabia.\n"
        "Pakistan and Iran agreed to boost bilateral trade to $10 billion.\n"
        "Putin and Kim Jong Un signed a mutual defence pact in Pyongyang on Wednesday."
    )
    cands = _run(text, "2022-08-02")
    statements = {c.actors: c for c in cands if c.type == "statement"}
    assert statements[("CHN", "USA")].fields["speaker"] is None  # the ministry speaks for China
    assert statements[("CHN", "USA")].fields["stance"] == "critical"
    assert statements[("PAK", "SAU")].fields["speaker"] == "Muhammad Shehbaz Sharif"
    assert not [c for c in cands if c.type in ("visit", "trade_figure")]
    (pact,) = [c for c in cands if c.type == "agreement"]
    assert pact.fields["area"] == "mutual defence" and set(pact.actors) == {"RUS", "PRK"}
    assert {p.name for p in pact.persons} == {"Vladimir Putin", "Kim Jong Un"}  # signatories


def test_agreement_lists_after_a_colon_give_one_agreement_per_item() -> None:
    text = (
        "NAIROBI, May 12 (Xinhua) -- Kenyan President Uhuru Kenyatta met Ethiopian Prime "
        "Minister Abiy Ahmed on Wednesday. The ministers signed several agreements. The "
        "documents signed include: a memorandum on water management; an accord on road "
        "transport, logistics and customs; and a protocol on livestock health.\n"
        "The two sides also signed the following documents:\n\n"
        "\u2022 a memorandum of understanding on renewable energy;\n"
        "- Exchange of Notes on fisheries\n"
        "Officials said more talks would follow."
    )
    areas = [c.fields["area"] for c in _run(text, "2021-05-12") if c.type == "agreement"]
    assert areas == [
        "water management",
        "road transport, logistics and customs",
        "livestock health",
        "renewable energy",
        "fisheries",
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Indonesian President Joko Widodo pulled out of his planned trip to Canberra.",
        "Kenya hosts thousands of Sudanese refugees near the border.",
        "Brazil's President Luiz Inacio Lula da Silva will attend the summit of Latin American "
        "leaders in Bogota.",
        "A planned meeting between the Polish and Ukrainian presidents on the sidelines of the "
        "regional forum in the Danish capital was called off at the last minute.",
    ],
)
def test_withdrawals_hosted_non_officials_and_summit_attendance_are_no_events(text: str) -> None:
    assert _kinds(_run(text), current_only=False) == []


def test_call_vocabulary_and_relative_past_times() -> None:
    text = (
        "CANBERRA, June 14 (Reuters) - Australian Prime Minister Anthony Albanese held a call "
        "with Japanese Prime Minister Fumio Kishida on Tuesday to discuss regional security.\n"
        "Albanese and Indonesian President Joko Widodo spoke by telephone earlier this month "
        "about trade."
    )
    cands = [c for c in _run(text, "2023-06-14") if c.type == "phone_call"]
    assert [(c.actors, c.date, c.background) for c in cands] == [
        (("AUS", "JPN"), "2023-06-13", False),
        (("AUS", "IDN"), None, True),
    ]


def test_a_round_of_talks_bringing_three_states_together_is_three_meetings() -> None:
    text = (
        "The second round of talks, held in Cairo on Monday, brought together delegations from "
        "Egypt, Ethiopia and Sudan."
    )
    assert {c.actors for c in _run(text, "2023-06-14") if c.type == "meeting"} == {
        ("EGY", "ETH"),
        ("EGY", "SDN"),
        ("ETH", "SDN"),
    }


def test_hosting_refugees_routes_and_visits_months_before_are_not_current_events() -> None:
    text = (
        "ABUJA, June 14 (Reuters) - Uganda hosts more than 1,500,000 South Sudanese refugees.\n"
        "Nigerian Foreign Minister Yusuf Tuggar said Nigeria wanted faster work on the "
        "Dakar-Abidjan corridor and urged Ghana to cut tariffs.\n"
        "The talks came two months after Ghanaian President Nana Akufo-Addo visited Abuja."
    )
    cands = _run(text, "2023-06-14")
    assert _kinds(cands) == ["statement"]
    statement = next(c for c in cands if c.type == "statement")
    assert statement.actors == ("NGA", "GHA")
    visit = next(c for c in cands if c.type == "visit")
    assert visit.background and visit.actors == ("GHA", "NGA")


def test_officials_outside_the_leaders_table_are_found_again_by_surname() -> None:
    text = (
        "TEHRAN, June 14 (Reuters) - Iraqi National Security Adviser Qasim al-Araji met Ali Akbar "
        "Ahmadian, secretary of Iran's Supreme National Security Council, on Tuesday.\n"
        "Al-Araji said Iraq would honour the border accord with Iran."
    )
    cands = _run(text, "2023-06-14")
    statement = next(c for c in cands if c.type == "statement")
    assert statement.actors == ("IRQ", "IRN")
    assert [p.name for p in statement.persons] == ["Qasim al-Araji"]
    names = {p.name for c in cands for p in c.persons}
    assert "Iran's Supreme National Security Council" not in names


def test_currency_codes_and_names_written_after_the_amount() -> None:
    text = (
        "VIENTIANE, June 14 (Xinhua) -- Two-way trade between Vietnam and Laos reached 1.9 "
        "billion USD in 2022, officials said.\n"
        "Nigeria's exports to Benin rose 9 per cent to 420.5 billion naira in 2022."
    )
    figures = [c for c in _run(text, "2023-06-14") if c.type == "trade_figure"]
    assert [(c.fields["amount"], c.fields["currency"]) for c in figures] == [
        (1.9, "USD"),
        (420.5, "NGN"),
    ]
