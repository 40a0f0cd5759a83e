"""One person under several names: full name, alias, one word of it, a bare title."""

from __future__ import annotations

from datetime import date

import pytest

from tracker.persons import identity, is_reporter, same_person
from tracker.projections.model import PersonRef

NOV_2022 = date(2022, 11, 2)


@pytest.mark.parametrize(
    ("name", "title", "country", "who"),
    [
        ("Shehbaz", "Prime Minister", "PAK", "Muhammad Shehbaz Sharif"),
        ("PM Shehbaz", None, "PAK", "Muhammad Shehbaz Sharif"),
        ("Shahbaz Sharif", None, "PAK", "Muhammad Shehbaz Sharif"),
        ("the premier", None, "PAK", "Muhammad Shehbaz Sharif"),  # the office on the day
        ("Premier", None, "CHN", "Li Keqiang"),  # Li Qiang only from March 2023
        ("Foreign Minister", None, "CHN", "Wang Yi"),
        ("Xi", None, "CHN", "Xi Jinping"),
        ("John Smith", "Ambassador", "USA", "john smith"),  # not in the table: its own words
        ("Deputy Prime Minister", None, "PAK", "deputy prime minister"),  # no office of a deputy
    ],
)
def test_identity(name: str, title: str | None, country: str, who: str) -> None:
    assert identity(PersonRef(name, title, country), NOV_2022) == who


def test_same_person_keeps_apart_who_the_table_tells_apart() -> None:
    li_keqiang, li_qiang = PersonRef("Li Keqiang", None, "CHN"), PersonRef("Li Qiang", None, "CHN")
    assert not same_person(li_keqiang, li_qiang, NOV_2022)  # one letter apart, two premiers
    assert same_person(
        PersonRef("Shehbaz Sharif"), PersonRef("Muhammad Shahbaz Sharif", None, "PAK")
    )
    assert not same_person(PersonRef("Xi Jinping", None, "CHN"), PersonRef("Xi", None, "PAK"))
    assert same_person(PersonRef("Ahsan Iqbal", "Minister"), PersonRef("Iqbal", None, "PAK"))


def test_a_spokesperson_reports_without_taking_part() -> None:
    assert is_reporter(PersonRef("Mumtaz Zahra Baloch", "Foreign Office Spokesperson", "PAK"))
    assert not is_reporter(PersonRef("Wang Yi", "Foreign Minister", "CHN"))
