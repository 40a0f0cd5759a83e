"""Dates: datelines, explicit dates, weekdays and relative expressions, against a reference day.

The reference day is the dateline's date, else the publication date. Weekdays resolve to the
most recent such day on or before the reference for past events ("on Wednesday" in a Thursday
release is the day before) and to the next one for announced events. Explicit dates are parsed
by dateparser, only on the short strings the patterns below pick out, and cached.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Literal

import dateparser
from dateutil.relativedelta import FR, MO, SA, SU, TH, TU, WE, relativedelta

from tracker.extraction.patterns import contains_any

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
# "Place, Mon 28 (Agency)", "Two Words, Month 5, 2023 AGENCY --": a place in title
# case opens the dateline only when a date follows it at once.
_DATELINE_TITLE = re.compile(
    rf"^\s*(?P<place>[A-Z][a-z]+(?:[ -][A-Z][a-z]+){{0,2}}),[ \t]*(?P<date>{_DAY_MONTH_YEAR})\.?"
    r"[ \t]*(?:\((?P<agency>[^)\n]{2,30})\)|[A-Z]{2,8}\b)?[ \t]*(?:[:\u2014\u2013-]+|--)?[ \t]*"
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
# The kinds of date expression, each with the lower-case hints one of which it needs; a
# sentence is searched with one pattern made of the kinds its hints allow (compiled once per
# combination), which keeps the common sentence cheap.
_MONTH_HINTS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_KINDS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (
        "range",
        rf"\bfrom\s+(?:{_MONTH}\s+\d{{1,2}}\s*(?:to|-|–|until)\s*\d{{1,2}}(?:,?\s+\d{{4}})?"
        rf"|\d{{1,2}}\s*(?:to|-|–)\s*\d{{1,2}}\s+{_MONTH}(?:,?\s+\d{{4}})?)",
        _MONTH_HINTS,
    ),
    ("explicit", _DAY_MONTH_YEAR, _MONTH_HINTS),
    (
        "monthyear",
        r"\b(?:in|since|from|during|of|until)\s+"
        rf"{_MONTH}(?:\s+\d{{4}}|(?!\w)(?!\s+\d{{1,2}}(?:st|nd|rd|th)?\b))",
        _MONTH_HINTS,
    ),
    (
        "weekday",
        r"\b(?:(?:on|last|this|next|early|late)\s+)?"
        r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b",
        ("day",),
    ),
    (
        "relative",
        r"\b(?:yesterday|today|tomorrow|tonight|this\s+(?:morning|afternoon|evening)|"
        r"last\s+(?:week|month|year)|"
        r"earlier\s+this\s+(?:week|month|year)|this\s+(?:week|month|year)|"
        r"next\s+(?:week|month|year)|later\s+this\s+(?:week|month|year))\b",
        ("day", "tomorrow", "tonight", "morning", "afternoon", "evening", "week", "month", "year"),
    ),
    (
        "year",
        r"\b(?:in|since|during|of|the)\s+(?:early\s+|late\s+|mid-)?(?:19|20)\d\d\b"
        r"(?!\s*(?:-|–|to)\s*\d)",
        ("19", "20"),
    ),
)


@lru_cache(maxsize=128)
def _expression(kinds: tuple[str, ...], lower: bool = False) -> re.Pattern[str]:
    """One pattern with a named group per kind of date expression in ``kinds``.

    With ``lower`` the pattern is written in lower case and matched case-sensitively against
    lower-cased text: the same matches, found twice as fast as with ``re.IGNORECASE``.
    """
    source = "|".join(
        f"(?P<{name}>{pattern.lower() if lower else pattern})"
        for name, pattern, _ in _KINDS
        if name in kinds
    )
    return re.compile(source) if lower else re.compile(source, re.IGNORECASE)


def _kinds_in(sentence: str) -> tuple[str, ...]:
    lower = sentence.lower()
    seen: dict[tuple[str, ...], bool] = {}
    out = []
    for name, _, hints in _KINDS:
        if hints not in seen:
            seen[hints] = contains_any(lower, hints)
        if seen[hints]:
            out.append(name)
    return tuple(out)


@dataclass(frozen=True)
class Dateline:
    """The opening ``PLACE, DATE (AGENCY):`` of a wire story."""

    place: str
    day: date | None
    end: int
    start: int = 0


@dataclass(frozen=True)
class DateMention:
    """A date expression in a sentence and the day (or month or year) it denotes."""

    start: int
    end: int
    day: date
    precision: Precision
    relative: bool


def parse_dateline(text: str, published: date | None) -> Dateline | None:
    """The dateline opening ``text`` (or its first paragraph after a heading or two), its date
    completed from ``published``."""
    starts = [0, *[m.end() for m in re.finditer(r"\n+", text[:600])][:3]]
    for start in starts:
        m = _DATELINE.match(text[start : start + 200]) or _DATELINE_TITLE.match(
            text[start : start + 200]
        )
        if m is None:
            continue
        day = None
        if m.group("date"):
            has_year = _FOUR_DIGITS.search(m.group("date"))
            if has_year or published is not None:
                day = _parse_explicit(m.group("date"), published, "past")
        return Dateline(m.group("place").strip(), day, start + m.end(), start)
    return None


def _parse_explicit(text: str, ref: date | None, prefer: str) -> date | None:
    """dateparser on a short date string, relative to ``ref`` (cached).

    A string with its year does not depend on ``ref`` or ``prefer``, so it is cached once for
    every article that mentions it (dateparser costs milliseconds a call).
    """
    if _YEAR.search(text):
        return _parse_cached(text, None, "past")
    return _parse_cached(text, ref, prefer)


_YEAR = re.compile(r"\b(?:1[89]|20)\d\d\b")
# Patterns of the hot paths, compiled once (a string pattern costs a cache look-up a call)
_FOUR_DIGITS = re.compile(r"\d{4}")
_ORDINAL = re.compile(r"(\d)(st|nd|rd|th)\b")
_FROM = re.compile(r"^from\s+", re.I)
_RANGE_END = re.compile(r"\s*(?:to|-|–|until)\s*\d{1,2}")


@lru_cache(maxsize=8192)
def _parse_cached(text: str, ref: date | None, prefer: str) -> date | None:
    settings: dict[str, object] = {
        "PREFER_DATES_FROM": prefer,
        "REQUIRE_PARTS": ["month"],
        "PREFER_DAY_OF_MONTH": "first",
    }
    if ref is not None:
        settings["RELATIVE_BASE"] = datetime(ref.year, ref.month, ref.day, 12)
    cleaned = _ORDINAL.sub(r"\1", text.replace(" of ", " "))
    parsed = dateparser.parse(cleaned, languages=["en"], settings=settings)
    return parsed.date() if parsed is not None else None


def find_dates(sentence: str, ref: date | None, future: bool = False) -> list[DateMention]:
    """Date expressions in ``sentence`` resolved against ``ref`` (forward when ``future``)."""
    return list(_find_dates(sentence, ref, future))


@lru_cache(maxsize=4096)
def _find_dates(sentence: str, ref: date | None, future: bool) -> tuple[DateMention, ...]:
    kinds = _kinds_in(sentence)
    if not kinds:
        return ()
    out: list[DateMention] = []
    lowered = sentence.lower()
    if len(lowered) == len(sentence):  # offsets survive lower-casing (they do but for rare letters)
        matches = _expression(kinds, lower=True).finditer(lowered)
    else:
        matches = _expression(kinds).finditer(sentence)
    for m in matches:
        resolved = _resolve(m, ref, future)
        if resolved is not None:
            day, precision, relative = resolved
            if (
                relative
                and precision == "day"
                and ref is not None
                and _last_year_near(lowered, m.start(), m.end())
            ):
                # "held in Beijing last year on March 19": the day of the year before
                day = _year_before(day, ref)
            out.append(DateMention(m.start(), m.end(), day, precision, relative))
    return tuple(out)


_LAST_YEAR = "last year"


def _last_year_near(lowered: str, start: int, end: int) -> bool:
    return (
        _LAST_YEAR in lowered[max(0, start - 25) : end + 25]
        and "last year" not in lowered[start:end]
    )


def _year_before(day: date, ref: date) -> date:
    if day.year < ref.year:
        return day
    try:
        return day.replace(year=ref.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=ref.year - 1, day=28)


def _forward(text: str, ref: date | None, prefer: str) -> date | None:
    """A day without its year: forward when ``prefer`` is "future", but the story's own day or
    one of the week before stays in this year ("will go to Riyadh on October 24 (today)")."""
    if prefer == "future" and ref is not None and not _YEAR.search(text):
        past = _parse_explicit(text, ref, "past")
        if past is not None and past >= ref - timedelta(days=7):
            return past
    return _parse_explicit(text, ref, prefer)


def _resolve(
    m: re.Match[str], ref: date | None, future: bool
) -> tuple[date, Precision, bool] | None:
    prefer = "future" if future else "past"
    g: dict[str, str] = {k: v for k, v in m.groupdict().items() if v}
    if g.get("range"):
        words = _FROM.sub("", g["range"])
        if ref is None and not _FOUR_DIGITS.search(words):
            return None
        first = _RANGE_END.sub("", words, count=1)
        day = _forward(first, ref, prefer)
        return (day, "day", not _FOUR_DIGITS.search(words)) if day else None
    if g.get("explicit"):
        has_year = bool(_FOUR_DIGITS.search(m.group()))
        if not has_year and ref is None:
            return None  # "April 14" with no reference day: the year is unknown
        day = _forward(g["explicit"], ref, prefer)
        if day is None:
            return None
        return day, "day", not has_year
    if g.get("monthyear"):
        words = g["monthyear"].split(None, 1)[1]
        if ref is None and not _FOUR_DIGITS.search(words):
            return None
        day = _parse_explicit("1 " + words, ref, prefer)
        return (day.replace(day=1), "month", not _FOUR_DIGITS.search(words)) if day else None
    if g.get("year"):
        year = int(_FOUR_DIGITS.search(m.group()).group())  # type: ignore[union-attr]
        return date(year, 1, 1), "year", False
    if ref is None:
        return None
    text = m.group().lower()
    if g.get("weekday"):
        name = text.split()[-1]
        wd = _WEEKDAYS[name]
        if text.startswith("next"):
            return ref + relativedelta(days=1, weekday=wd(+1)), "day", True
        if future and not text.startswith("last"):
            # "will hold talks on Friday" in a Friday story: that day
            return ref + relativedelta(weekday=wd(+1)), "day", True
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
