"""Datelines, explicit and relative dates against a reference day."""

from __future__ import annotations

from datetime import date

import pytest

from tracker.extraction.dates import find_dates, parse_dateline

THURSDAY = date(2022, 11, 3)


@pytest.mark.parametrize(
    ("text", "place", "day"),
    [
        ("BEIJING, Nov. 3, 2022 /PRNewswire/ — China and Pakistan", "BEIJING", date(2022, 11, 3)),
        ("ISLAMABAD, Nov 2 (APP): Prime Minister", "ISLAMABAD", date(2022, 11, 2)),
        ("MOSCOW, March 21. /TASS/. Russian President", "MOSCOW", date(2022, 3, 21)),
        ("KABUL (Reuters) - The Taliban", "KABUL", None),
        ("NEW YORK: Prime Minister Shehbaz Sharif", "NEW YORK", None),
        ("ANKARA\n\nTurkish President", "ANKARA", None),
    ],
)
def test_datelines(text: str, place: str, day: date | None) -> None:
    dateline = parse_dateline(text, THURSDAY)
    assert dateline is not None and dateline.place == place and dateline.day == day


def test_no_dateline_in_plain_prose() -> None:
    assert parse_dateline("Chinese President Xi Jinping said on Monday", THURSDAY) is None


@pytest.mark.parametrize(
    ("text", "day", "precision"),
    [
        ("vowed on Wednesday", date(2022, 11, 2), "day"),  # the day before a Thursday
        ("met on Thursday", date(2022, 11, 3), "day"),  # the reference day itself
        ("spoke last Thursday", date(2022, 10, 27), "day"),
        ("arrived yesterday", date(2022, 11, 2), "day"),
        ("signed last month", date(2022, 10, 1), "month"),
        ("trade last year", date(2021, 1, 1), "year"),
        ("on 4 May 2023", date(2023, 5, 4), "day"),
        ("On the evening of July 28,", date(2022, 7, 28), "day"),
        ("on Aug. 2", date(2022, 8, 2), "day"),
        ("from April 12 to 15", date(2022, 4, 12), "day"),
        ("from 20-21 March 2023", date(2023, 3, 20), "day"),
        ("this morning", date(2022, 11, 3), "day"),
        ("in March 2021", date(2021, 3, 1), "month"),
        ("the 1998 joint declaration", date(1998, 1, 1), "year"),
    ],
)
def test_expressions(text: str, day: date, precision: str) -> None:
    (found,) = find_dates(text, THURSDAY)
    assert (found.day, found.precision) == (day, precision)


def test_planned_weekdays_look_forward() -> None:
    tuesday = date(2022, 11, 1)
    (found,) = find_dates("will hold talks on Wednesday", tuesday, future=True)
    assert found.day == date(2022, 11, 2)
    (found,) = find_dates("is scheduled to meet on Monday", date(2022, 9, 24), future=True)
    assert found.day == date(2022, 9, 26)


def test_no_reference_day_keeps_only_absolute_dates() -> None:
    assert find_dates("met on Wednesday", None) == []
    (found,) = find_dates("met on 2 November 2022", None)
    assert found.day == date(2022, 11, 2)


def test_dateline_after_a_heading_and_no_year_without_a_reference() -> None:
    text = "Xi holds talks with Lula\nBEIJING, April 14 (Xinhua) -- Chinese President"
    dateline = parse_dateline(text, date(2023, 4, 14))
    assert dateline is not None and dateline.place == "BEIJING"
    assert dateline.day == date(2023, 4, 14) and text[dateline.end :].startswith(" Chinese")
    undated = parse_dateline(text, None)
    assert undated is not None and undated.day is None  # no year, no reference: unknown
    assert find_dates("on April 14", None) == []
