"""Who a reported person is: one identity for "Muhammad Shehbaz Sharif", "Shehbaz", "PM
Shehbaz" and "the premier" of Pakistan in November 2022 (pure).

A name is first stripped of titles and honorifics; what is left is looked up among the
leaders' names and aliases (``events/data/leaders.json``: heads of state and government,
foreign ministers, with terms of office), then as a part of such a name ("Shehbaz", "Xi");
a bare title ("the premier", "Foreign Minister") names whoever held that office for the
person's state on the day. Anything else keeps its own words as its identity, compared
loosely (``difflib``: transliterations such as Shehbaz/Shahbaz). The names are few per
decision, so plain dictionaries over the table (built once) are enough.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable
from datetime import date
from functools import cache, lru_cache
from typing import Protocol

from events.gazetteer import Role, Term, terms

NAME_TOKEN_SIMILARITY = 0.8
_WORD = re.compile(r"[^\W_]+")

# Words that are titles or honorifics when they appear inside a reported name.
_NOISE = frozenset(
    _WORD.findall(
        "the mr mrs ms dr he h e sir hrh his her excellency majesty highness president prime "
        "minister pm premier chancellor king queen emir sultan crown prince foreign state "
        "secretary general chairman vice deputy affairs external of mian"
    )
)
# A bare title -> the office it names, in order; a deputy or a former one names no office.
_NOT_OFFICE = re.compile(r"\b(vice|deputy|former|ex|acting|assistant|spokes\w*)\b")
_OFFICES: tuple[tuple[re.Pattern[str], Role], ...] = (
    (re.compile(r"\b(foreign|external affairs|secretary of state)\b"), "fm"),
    (re.compile(r"\b(prime minister|premier|pm|chancellor|head of government)\b"), "hog"),
    (re.compile(r"\b(president|king|queen|emir|emperor|sultan|supreme leader)\b"), "hos"),
)
# Who speaks about an event without taking part in it.
_REPORTER = re.compile(r"\b(spokes(?:person|man|woman)|press secretary|spokesperson's)\b")


class PersonLike(Protocol):
    """A reported person (``events.Person`` or the read model's ``PersonRef``)."""

    @property
    def name(self) -> str: ...

    @property
    def title(self) -> str | None: ...

    @property
    def country(self) -> str | None: ...

    def __hash__(self) -> int: ...  # frozen: decisions are cached per person


def _folded(text: str | None) -> str:
    """Case- and accent-folded text: "Raúl" and "Raul" are one spelling."""
    decomposed = unicodedata.normalize("NFKD", (text or "").casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _tokens(text: str | None) -> tuple[str, ...]:
    return tuple(w for w in _WORD.findall(_folded(text)) if w not in _NOISE)


def _alike(a: str, b: str) -> bool:
    """Two name words are one spelling: equal, or (both of 4+ letters) closely similar, so
    that "Li" is not "Ali" while "Shehbaz" is "Shahbaz"."""
    if a == b:
        return True
    if min(len(a), len(b)) < 4:
        return False
    return difflib.SequenceMatcher(None, a, b).ratio() >= NAME_TOKEN_SIMILARITY


@cache
def _by_name() -> dict[tuple[str, tuple[str, ...]], tuple[Term, ...]]:
    """(country, name tokens) -> the terms of whoever is named so (full name or alias)."""
    index: dict[tuple[str, tuple[str, ...]], list[Term]] = {}
    for term in terms():
        for name in (term.name, *term.aliases):
            index.setdefault((term.country, _tokens(name)), []).append(term)
    return {k: tuple(v) for k, v in index.items()}


@cache
def _by_part() -> dict[tuple[str, str], tuple[Term, ...]]:
    """(country, one word of a name or alias) -> the terms whose names contain it."""
    index: dict[tuple[str, str], list[Term]] = {}
    for term in terms():
        words = {w for name in (term.name, *term.aliases) for w in _tokens(name)}
        for w in words:
            index.setdefault((term.country, w), []).append(term)
    return {k: tuple(v) for k, v in index.items()}


def _one_holder(found: Iterable[Term], on: date | None) -> str | None:
    names = {t.name for t in found if on is None or t.holds_on(on)}
    return names.pop() if len(names) == 1 else None


def _office(title: str) -> Role | None:
    text = " ".join(_WORD.findall(title.casefold()))
    if _NOT_OFFICE.search(text):
        return None
    return next((role for pattern, role in _OFFICES if pattern.search(text)), None)


def is_reporter(person: PersonLike) -> bool:
    """True for a spokesperson: named in a report of an event, not a party to it."""
    return bool(_REPORTER.search(f"{person.title or ''} {person.name}".casefold()))


@lru_cache(maxsize=16384)  # the fold compares the persons of every corroboration it replays
def leader(person: PersonLike, on: date | None = None) -> str | None:
    """The leaders table's full name for a reported person of a known state: by name or
    alias, by one word of one ("Shehbaz", "Xi"), or by a bare title ("the premier"), which
    needs ``on``; None when the table does not settle it."""
    words, country = _tokens(person.name), person.country
    if not country:
        return None
    if not words:  # a bare title: "the premier", "Foreign Minister"
        role = _office(f"{person.name} {person.title or ''}")
        if role is None or on is None:
            return None
        return _one_holder((t for t in terms() if t.country == country and t.role == role), on)
    full = _one_holder(_by_name().get((country, words), ()), on)
    if full is None and len(words) == 1:
        full = _one_holder(_by_part().get((country, words[0]), ()), on)
    return full


def identity(person: PersonLike, on: date | None = None) -> str:
    """The person's identity: the leaders table's full name (``leader``), else the words of
    the name without titles."""
    return leader(person, on) or " ".join(_tokens(person.name)) or person.name.casefold()


@lru_cache(maxsize=16384)
def same_person(a: PersonLike, b: PersonLike, on: date | None = None) -> bool:
    """True when two reported persons are one: not of two different states, and the same
    identity, or every word of the shorter name closely matching a word of the longer
    ("Shehbaz Sharif" ~ "Muhammad Shahbaz Sharif")."""
    if a.country and b.country and a.country != b.country:
        return False
    # Settled by the table, on the day or in any term: "Li Qiang" is not "Li Keqiang".
    la, lb = leader(a, on) or leader(a), leader(b, on) or leader(b)
    if la and lb:
        return la == lb
    ia, ib = (la or identity(a, on)).casefold(), (lb or identity(b, on)).casefold()
    if ia == ib:
        return True
    short, long_ = sorted((_tokens(ia), _tokens(ib)), key=len)
    return bool(short) and all(any(_alike(s, w) for w in long_) for s in short)
