"""Dates: datelines, explicit dates, weekdays and relative expressions, against a reference day.

The reference day is the dateline's date, else the publication date. Weekdays resolve to the
most recent such day on or before the reference for past events ("on Wednesday" in a Thursday
release is the day before) and to the next one for announced events. Explicit dates are parsed
by dateparser, only on the short strings the patterns below pick out, and cached.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Literal

import dateparser
from dateutil.relativedelta import FR, MO, SA, SU, TH, TU, WE, relativedelta

from tracker.extraction.patterns import mentions_any

Precision = Literal["day", "month", "year"]

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_DAY_MONTH_YEAR = (
    rf"(?:{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}(?:,?\s+\d{{4}})?)"
)
_DATELINE = re.compile(
    rf"^\s*(?P<place>[A-Z][A-Z .'/-]{{1,40}}[A-Z])\s*(?:\([^)]*\))?\s*,?\s*"
    rf"(?P<date>{_DAY_MONTH_YEAR})?\.?[ \t]*(?:\((?P<agency>[A-Za-z. ]{{2,20}})\))?[ \t]*"
    r"(?:/[^/\n]{1,40}/)?[ \t]*(?:[.:\u2014\u2013-]+|--|(?=\n)|$)"
)
_WEEKDAYS = {
    "monday": MO,
    "tuesday": TU,
    "wednesday": WE,
    "thursday": TH,
    "friday": FR,
    "saturday": SA,
    "sunday": SU,
}
_EXPRESSION = re.compile(
    rf"(?P<range>\bfrom\s+(?:{_MONTH}\s+\d{{1,2}}\s*(?:to|-|–|until)\s*\d{{1,2}}(?:,?\s+\d{{4}})?"
    rf"|\d{{1,2}}\s*(?:to|-|–)\s*\d{{1,2}}\s+{_MONTH}(?:,?\s+\d{{4}})?))"
    rf"|(?P<explicit>{_DAY_MONTH_YEAR})"
    r"|(?P<monthyear>\b(?:in|since|from|during|of|until)\s+"
    rf"{_MONTH}(?:\s+\d{{4}}|(?!\w)(?!\s+\d{{1,2}}(?:st|nd|rd|th)?\b)))"
    r"|(?P<weekday>\b(?:(?:on|last|this|next|early|late)\s+)?"
    r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b)"
    r"|(?P<relative>\b(?:yesterday|today|tomorrow|tonight|this\s+(?:morning|afternoon|evening)|"
    r"last\s+(?:week|month|year)|"
    r"earlier\s+this\s+(?:week|month|year)|this\s+(?:week|month|year)|"
    r"next\s+(?:week|month|year)|later\s+this\s+(?:week|month|year))\b)"
    r"|(?P<year>\b(?:in|since|during|of|the)\s+(?:early\s+|late\s+|mid-)?(?:19|20)\d\d\b(?!\s*(?:-|–|to)\s*\d))",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Dateline:
    """The opening ``PLACE, DATE (AGENCY):`` of a wire story."""

    place: str
    day: date | None
    end: int


@dataclass(frozen=True)
class DateMention:
    """A date expression in a sentence and the day (or month or year) it denotes."""

    start: int
    end: int
    day: date
    precision: Precision
    relative: bool


def parse_dateline(text: str, published: date | None) -> Dateline | None:
    """The dateline at the start of ``text``, its date completed from ``published``."""
    m = _DATELINE.match(text[:200])
    if m is None:
        return None
    day = None
    if m.group("date"):
        day = _parse_explicit(m.group("date"), published, "past")
    return Dateline(m.group("place").strip(), day, m.end())


@lru_cache(maxsize=8192)
def _parse_explicit(text: str, ref: date | None, prefer: str) -> date | None:
    """dateparser on a short date string, relative to ``ref`` (cached)."""
    settings: dict[str, object] = {
        "PREFER_DATES_FROM": prefer,
        "REQUIRE_PARTS": ["month"],
        "PREFER_DAY_OF_MONTH": "first",
    }
    if ref is not None:
        settings["RELATIVE_BASE"] = datetime(ref.year, ref.month, ref.day, 12)
    cleaned = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", text.replace(" of ", " "))
    parsed = dateparser.parse(cleaned, languages=["en"], settings=settings)
    return parsed.date() if parsed is not None else None


def find_dates(sentence: str, ref: date | None, future: bool = False) -> list[DateMention]:
    """Date expressions in ``sentence`` resolved against ``ref`` (forward when ``future``)."""
    return list(_find_dates(sentence, ref, future))


_DATE_HINTS = (
    "day", "month", "year", "week", "tomorrow", "tonight", "morning", "afternoon", "evening",
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
)  # fmt: skip
_DIGIT = re.compile(r"\d")


@lru_cache(maxsize=4096)
def _find_dates(sentence: str, ref: date | None, future: bool) -> tuple[DateMention, ...]:
    if not _DIGIT.search(sentence) and not mentions_any(sentence, _DATE_HINTS):
        return ()
    out: list[DateMention] = []
    for m in _EXPRESSION.finditer(sentence):
        resolved = _resolve(m, ref, future)
        if resolved is not None:
            day, precision, relative = resolved
            out.append(DateMention(m.start(), m.end(), day, precision, relative))
    return tuple(out)


def _resolve(
    m: re.Match[str], ref: date | None, future: bool
) -> tuple[date, Precision, bool] | None:
    prefer = "future" if future else "past"
    if m.group("range"):
        words = re.sub(r"^from\s+", "", m.group("range"), flags=re.I)
        first = re.sub(r"\s*(?:to|-|–|until)\s*\d{1,2}", "", words, count=1)
        day = _parse_explicit(first, ref, prefer)
        return (day, "day", not re.search(r"\d{4}", words)) if day else None
    if m.group("explicit"):
        has_year = bool(re.search(r"\d{4}", m.group()))
        day = _parse_explicit(m.group("explicit"), ref, prefer)
        if day is None:
            return None
        return day, "day", not has_year
    if m.group("monthyear"):
        words = m.group("monthyear").split(None, 1)[1]
        day = _parse_explicit("1 " + words, ref, prefer)
        return (day.replace(day=1), "month", not re.search(r"\d{4}", words)) if day else None
    if m.group("year"):
        year = int(re.search(r"\d{4}", m.group()).group())  # type: ignore[union-attr]
        return date(year, 1, 1), "year", False
    if ref is None:
        return None
    text = m.group().lower()
    if m.group("weekday"):
        name = text.split()[-1]
        wd = _WEEKDAYS[name]
        if text.startswith("next") or (future and not text.startswith("last")):
            return ref + relativedelta(days=1, weekday=wd(+1)), "day", True
        if text.startswith("last"):
            return ref + relativedelta(days=-1, weekday=wd(-1)), "day", True
        return ref + relativedelta(weekday=wd(-1)), "day", True
    return _relative(text, ref)


def _relative(text: str, ref: date) -> tuple[date, Precision, bool] | None:
    words = " ".join(text.split())
    if words == "yesterday":
        return ref - relativedelta(days=1), "day", True
    if words in ("today", "tonight") or (
        words.startswith("this ")
        and words.split()[-1]
        in (
            "morning",
            "afternoon",
            "evening",
        )
    ):
        return ref, "day", True
    if words == "tomorrow":
        return ref + relativedelta(days=1), "day", True
    unit = words.split()[-1]
    if unit == "week":
        return None  # a week is no day, month or year: leave the date open
    shift = -1 if words.startswith("last") else 1 if words.startswith("next") else 0
    if unit == "month":
        d = ref.replace(day=1) + relativedelta(months=shift)
        return d, "month", True
    d = date(ref.year + shift, 1, 1)
    return d, "year", True
