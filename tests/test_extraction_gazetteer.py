"""The gazetteer data and its matching: all UN members, demonyms, capitals, leaders by date."""

from __future__ import annotations

from datetime import date

import pycountry
import pytest

from events.countries import is_country_code
from events.gazetteer import office_holder, state_names, terms
from tracker.extraction.gazetteer import find_persons, find_states, state_for_place

G20 = [
    *("ARG", "AUS", "BRA", "CAN", "CHN", "FRA", "DEU", "IND", "IDN", "ITA"),
    *("JPN", "KOR", "MEX", "RUS", "SAU", "ZAF", "TUR", "GBR", "USA"),
]


def test_every_un_member_has_names_and_a_capital_or_demonym() -> None:
    entries = {s.code: s for s in state_names()}
    assert len(entries) >= 193
    assert all(is_country_code(code) for code in entries)
    assert all(pycountry.countries.get(alpha_3=code) or code == "XKX" for code in entries)
    assert all(s.names for s in entries.values())
    assert sum(1 for s in entries.values() if s.demonyms) >= 185
    # capitals that are also the state's name or another's (Djibouti, Brussels) are left out
    assert sum(1 for s in entries.values() if s.capitals) >= 180


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("Beijing and Islamabad", ["CHN", "PAK"]),
        ("the Kremlin said", ["RUS"]),
        ("Pakistani and Chinese officials", ["PAK", "CHN"]),
        ("Sino-Indian border", ["CHN", "IND"]),
        ("Guinea-Bissau and Equatorial Guinea", ["GNB", "GNQ"]),
        ("the Democratic Republic of the Congo", ["COD"]),
        ("U.S. officials in the United States", ["USA", "USA"]),
        ("Afghanstan", ["AFG"]),  # one typo
        ("Indiana and Georgia", ["GEO"]),  # a US state is no typo of India
    ],
)
def test_states(text: str, codes: list[str]) -> None:
    assert [s.code for s in find_states(text)] == codes


def test_g20_leaders_are_known_for_recent_years() -> None:
    for code in G20:
        for day in (date(2019, 6, 1), date(2023, 6, 1)):
            held = [office_holder(code, role, day) for role in ("hos", "hog", "fm")]
            assert any(held), (code, day)
    assert office_holder("PAK", "hog", date(2022, 11, 3)).name == "Muhammad Shehbaz Sharif"  # type: ignore[union-attr]
    assert office_holder("PAK", "hog", date(2019, 5, 1)).name == "Imran Khan"  # type: ignore[union-attr]
    assert all(t.end is None or t.start < t.end for t in terms())


def test_surnames_follow_the_person_first_named() -> None:
    text = "Prime Minister Nawaz Sharif met President Xi. Later Sharif said ..."
    states = find_states(text)
    names = [p.name for p in find_persons(text, date(2015, 4, 20), states, {})]
    assert names == ["Nawaz Sharif", "Xi Jinping", "Nawaz Sharif"]


def test_dateline_places() -> None:
    assert state_for_place("BEIJING") == "CHN"
    assert state_for_place("NEW DELHI") == "IND"
    assert state_for_place("NEW YORK") is None


def test_one_holder_per_office_at_a_time() -> None:
    """The office table never has two holders of one office of one state on the same day."""
    from itertools import combinations

    from events.gazetteer import terms

    by_office: dict[tuple[str, str, str], list[object]] = {}
    for t in terms():
        by_office.setdefault((t.country, t.role, t.title), []).append(t)
    for office, held in by_office.items():
        for a, b in combinations(held, 2):
            a_end = a.end or date.max  # type: ignore[attr-defined]
            b_end = b.end or date.max  # type: ignore[attr-defined]
            assert a.start >= b_end or b.start >= a_end, (office, a, b)  # type: ignore[attr-defined]


def test_offices_beyond_the_leaders_resolve_to_their_holder() -> None:
    from datetime import UTC, datetime

    from tracker.extraction.analysis import analyse
    from tracker.extraction.document import Article

    text = "ISLAMABAD, May 2 (APP) - The army chief met the Chinese defence minister on Thursday."
    doc = analyse(Article("t", text, published=datetime(2024, 5, 2, tzinfo=UTC)))
    assert {(p.name, p.country) for p in doc.persons} == {
        ("Asim Munir", "PAK"),
        ("Dong Jun", "CHN"),
    }
