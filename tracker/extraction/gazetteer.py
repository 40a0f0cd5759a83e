"""Find states, leaders and offices in normalised text: one compiled regex per kind, built once.

A state is named by its name ("Pakistan"), an adjective or demonym ("Pakistani"), or a capital
or institution used as a metonym ("Beijing said", "the Kremlin"). Leaders come from the
terms-of-office table in ``events/data/leaders.json``; which person a name or a bare office
("the Pakistani prime minister") denotes depends on the date the article speaks of. Matching is
case-sensitive (proper nouns); titles ("prime minister") are matched in any case.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import date
from functools import cache, lru_cache
from typing import Literal

from events.gazetteer import Role, Term, office_holder, state_names, terms
from tracker.extraction.patterns import trie_pattern

Form = Literal["name", "demonym", "capital", "person", "office"]


# Regions whose names contain a state's name or demonym: "Latin American" is not the USA.
_REGIONS = (
    *(
        f"{part} {noun}"
        for part in ("Latin", "South", "Central", "North", "Meso")
        for noun in ("America", "American", "Americans", "Americas")
    ),
    "Pan-American",
    "Afro-American",
    "Native American",
    "Native Americans",
)


# A city in the name of a route is a place, not a government: "the CityA-CityB corridor".
_ROUTE = re.compile(
    r"(?:-[A-Z][\w'-]*(?:\s[A-Z][\w'-]*)?)?\s+(?:corridor|railway|rail line|highway|road|"
    r"pipeline|route|expressway|motorway|flights?|train|ferry)\b"
)


@dataclass(frozen=True)
class StateMention:
    """A state named in the text."""

    start: int
    end: int
    code: str
    form: Form


@dataclass(frozen=True)
class PersonMention:
    """A person named (or denoted by an office) in the text; ``country`` may be unknown."""

    start: int
    end: int
    name: str | None
    title: str | None
    country: str | None
    role: Role | None


def _words(text: str) -> list[str]:
    """The words of a space-separated list (long word lists read better so)."""
    return text.split()


_ABBREVIATED = {"pm": "prime minister", "fm": "foreign minister", "fo spokesperson": "spokesperson"}
# Combining forms of demonyms: "Sino-Indian", "Franco-German", "Indo-Pacific" is not a state pair
# but names India all the same.
_COMBINING = {
    "Sino": "CHN",
    "Franco": "FRA",
    "Anglo": "GBR",
    "Russo": "RUS",
    "Italo": "ITA",
    "Hispano": "ESP",
    "Austro": "AUT",
    "Greco": "GRC",
    "Turco": "TUR",
    "Indo": "IND",
}
_HONORIFIC = (
    r"(?:Mullah|Shri|Smt\.?|Sheikh|Mr\.?|Ms\.?|Mrs\.?|Dr\.?|H\.\s?E\.|Lt\.? Gen\.?|"
    r"Gen\.?|General|Maj\.? Gen\.?|Ambassador|Minister)"
)
_TITLE_WORDS = frozenset(
    _words(
        "President Minister Premier King Queen Prince Princess Chancellor Secretary Emir Amir "
        "Sheikh Crown Mr Mrs Ms Dr Shri Smt Mullah General Gen Ambassador Envoy Spokesperson "
        "Spokesman Leader Chairman Vice Deputy Counterpart Lord Sir"
    )
)
# Office words -> the role looked up in the leaders table (None: attach to the country only).


_OFFICES: dict[str, Role | None] = {
    "president": "hos",
    "king": "hos",
    "queen": "hos",
    "emir": "hos",
    "amir": "hos",
    "prime minister": "hog",
    "pm": "hog",
    "fm": "fm",
    "fo spokesperson": None,
    "premier": "hog",
    "chancellor": "hog",
    "chief adviser": "hog",
    "crown prince": "hog",
    "foreign minister": "fm",
    "minister of foreign affairs": "fm",
    "minister for foreign affairs": "fm",
    "foreign affairs minister": "fm",
    "external affairs minister": "fm",
    "minister of external affairs": "fm",
    "foreign secretary": "fm",
    "secretary of state": "fm",
    "minister of international relations": "fm",
    "vice president": None,
    "vice premier": None,
    "deputy prime minister": "dpm",
    "defence minister": "defence",
    "defense minister": "defence",
    "finance minister": None,
    "commerce minister": None,
    "trade minister": None,
    "interior minister": None,
    "information minister": None,
    "planning minister": None,
    "energy minister": None,
    "minister": None,
    "ambassador": None,
    "counterpart": None,
    "envoy": None,
    "special envoy": None,
    "foreign ministry spokesperson": None,
    "foreign ministry spokesman": None,
    "foreign ministry spokeswoman": None,
    "spokesperson": None,
    "spokesman": None,
    "spokeswoman": None,
    "national security adviser": None,
    "national security advisor": None,
    "state councilor": None,
    "state councillor": None,
    "minister of state": None,
    "director general": None,
    "secretary-general": None,
    "army chief": "army",
    "chief of army staff": "army",
    "senator": None,
    "speaker": None,
    "governor": None,
    "secretary of defense": "defence",
    "minister of defence": "defence",
    "minister of defense": "defence",
    # bare heads, resolved to the official named before with that word in the title
    # ("the Secretary" after "Secretary of State Antony Blinken"); "leader" is the head of
    # state or government of the state named with it ("the Chinese leader")
    "secretary": None,
    "leader": "hos",
    "top diplomat": "fm",
}
_NAME_PART = r"(?:[A-Z][a-zA-Z'\u00c0-\u017f-]+|[A-Z]\.|(?:al|el|bin|ibn|abu|ul)-[A-Z][\w'-]+)"
_NAME = (
    rf"{_NAME_PART}(?:\s(?:(?:bin|bint|al|ul|de|da|van|von|der|le|la|el)\s)?{_NAME_PART}){{0,6}}"
)
# Capitalised words that look like a state's name with one typo but are not (US states...).
_NOT_TYPOS = frozenset(
    _words(
        "Indiana Georgia Jordan Chad Guinea Niger Nigeria Indians Indian Malian Malaysian "
        "Iranian Iraqi Austrian Australian Swiss Swedish Samoan Omani Romanian Roman Romans "
        "Korean Koreans Polish Dutch Danish Finnish Irish Islam Islamic Islamist Islamabad "
        "Iranians Africa African America American Americas Asia Asian Europe European Arab "
        "Arabian Arabic Latin Nordic Germanic Maltese Malta Mali Malawi Oman Iran Iraq Peru "
        "Cuba Togo Fiji Laos Nepal Yemen Benin Gabon Ghana Kenya Libya Sudan Syria Tonga Tuvalu "
        "Chile China Chinese Japan Japanese Russia Russian Spain Spanish Italy Italian France "
        "French Paris Sweden Swede Ireland Iceland Monday Tuesday Wednesday Thursday Friday "
        "Saturday Sunday"
    )
)


@dataclass(frozen=True)
class _Entry:
    code: str | None
    form: Form
    leaders: tuple[Term, ...] = ()


@cache
def _surface_table() -> dict[str, _Entry]:
    table: dict[str, _Entry] = {}
    for s in state_names():
        for form, values in (("capital", s.capitals), ("demonym", s.demonyms), ("name", s.names)):
            for v in values:
                table[v] = _Entry(s.code, form)  # type: ignore[arg-type]
                if form == "demonym" and not v.endswith(("s", "ese", "ish", "ch", ".")):
                    table.setdefault(v + "s", _Entry(s.code, "demonym"))
    for prefix, code in _COMBINING.items():
        table[prefix] = _Entry(code, "demonym")
    for region in _REGIONS:
        table[region] = _Entry(None, "name")  # longer than the demonym it contains
    by_alias: dict[str, list[Term]] = {}
    for t in terms():
        for alias in (t.name, *t.aliases):
            for form in _spellings(alias):
                by_alias.setdefault(form, []).append(t)
    for alias, ts in by_alias.items():
        if alias in table:
            continue
        table[alias] = _Entry(None, "person", tuple(ts))
    return table


@lru_cache(maxsize=1024)
def _holder_named(name: str, role: Role | None, on: date | None) -> Term | None:
    """The one office-holder of that day with this role and this name among theirs ("PM
    Shehbaz" in 2022: Pakistan's prime minister), whatever the state."""
    if not name or " " in name or role is None or on is None:
        return None
    found = [t for t in terms() if t.role == role and t.holds_on(on) and name in t.name.split()]
    return found[0] if len(found) == 1 else None


def _spellings(alias: str) -> tuple[str, ...]:
    """A name and its hyphen variants, as outlets write them: "Bhutto Zardari" and
    "Bhutto-Zardari", "Yoon Suk-yeol" and "Yoon Suk Yeol"."""
    forms = [alias]
    if " " in alias and "-" not in alias:
        head, _, last = alias.rpartition(" ")
        if last[:1].isupper():
            forms.append(f"{head}-{last}")
    if "-" in alias:
        forms.append(re.sub(r"-(\w)", lambda m: " " + m.group(1).upper(), alias))
    return tuple(dict.fromkeys(forms))


@cache
def _surface_regex() -> re.Pattern[str]:
    alt = trie_pattern(list(_surface_table()))
    combining = "|".join(_COMBINING)
    # A form starts with a capital letter but for a few ("the State of ...", "al-Sisi"): a
    # look-ahead on those first letters lets the engine skip every other position at once
    # instead of trying the whole alternation there (about twice as fast on news text).
    lower_starts = sorted(
        {re.escape(form[:3]) for form in _surface_table() if not form[:1].isupper()}
    )
    first = "|".join(["[A-Z]", *lower_starts])
    # not inside a longer word: "Xi" is no name in "Xi'an" (an apostrophe then letters), though
    # it is in "Xi's"
    return re.compile(
        rf"(?<![\w.])(?=(?:{first}))(?:{alt})(?![\w]|\.\w|['’](?!s\b)\w)"
        rf"|(?<![\w-])(?:{combining})(?=-[A-Z])"
    )


@lru_cache(maxsize=16)
def _surface_matches(text: str) -> tuple[tuple[int, int, str], ...]:
    """Every gazetteer surface form in ``text``: one pass shared by states and persons."""
    return tuple((m.start(), m.end(), m.group()) for m in _surface_regex().finditer(text))


@cache
def _office_regex() -> re.Pattern[str]:
    alt = trie_pattern(sorted(_OFFICES))
    return re.compile(
        rf"(?i:(?<![\w-])(?:acting\s+|caretaker\s+|interim\s+)?(?P<title>{alt})(?![\w-]))"
        rf"(?:,?\s+(?P<name>{_NAME}))?"
    )


@cache
def _typo_candidates() -> dict[str, str]:
    return {
        v: s.code
        for s in state_names()
        for v in (*s.names, *s.demonyms)
        if v.isalpha() and len(v) >= 6
    }


@cache
def _typo_by_prefix() -> dict[str, list[str]]:
    by: dict[str, list[str]] = {}
    for name in _typo_candidates():
        by.setdefault(name[:2], []).append(name)
    return by


@lru_cache(maxsize=4096)
def _typo_state(word: str) -> str | None:
    """The state a capitalised word names with one typo ("Pakistn"), else None."""
    if word in _NOT_TYPOS or len(word) < 6:
        return None
    pool = _typo_by_prefix().get(word[:2], [])
    close = difflib.get_close_matches(word, pool, n=1, cutoff=0.9) if pool else []
    if close and close[0][0] == word[0] and abs(len(close[0]) - len(word)) <= 1:
        return _typo_candidates()[close[0]]
    return None


_CAP_WORD = re.compile(r"(?<![\w-])[A-Z][a-z]{5,}(?![\w-])")


def _pick_term(leaders: tuple[Term, ...], on: date | None) -> Term | None:
    """The term a name denotes on ``on``: in office then, else the only person of that name."""
    if on is not None:
        current = [t for t in leaders if t.holds_on(on)]
        if current:
            return current[0]
    names = {t.name for t in leaders}
    if len(names) == 1:
        # Not in office on that day (or no date): the person, with the nearest term's office.
        ordered = sorted(leaders, key=lambda t: abs((t.start - (on or t.start)).days))
        return ordered[0]
    return None


def find_states(text: str) -> list[StateMention]:
    """Every state named in ``text`` (names, demonyms, capitals, one-typo names)."""
    table = _surface_table()
    out = [
        StateMention(start, end, entry.code, entry.form)
        for start, end, surface in _surface_matches(text)
        if (entry := table[surface]).code is not None
        and not (entry.form == "capital" and _ROUTE.match(text, end))
    ]
    taken = {(m.start, m.end) for m in out}
    for m in _CAP_WORD.finditer(text):
        if (m.start(), m.end()) in taken or m.group() in table:
            continue
        code = _typo_state(m.group())
        if code is not None:
            out.append(StateMention(m.start(), m.end(), code, "name"))
    out.sort(key=lambda s: s.start)
    return out


def find_persons(
    text: str, on: date | None, states: list[StateMention], known: dict[str, Term]
) -> list[PersonMention]:
    """Leaders by name, and offices ("the Pakistani prime minister", "Foreign Minister X").

    ``known`` maps aliases to the terms already resolved in this article (so "Sharif" after
    "Muhammad Shehbaz Sharif" is the same person); it is updated in place.
    """
    table = _surface_table()
    people: list[PersonMention] = []
    by_start: dict[int, PersonMention] = {}
    for start, end, surface in _surface_matches(text):
        entry = table[surface]
        if entry.form != "person" or _inside_other_name(text, start, end, surface):
            continue
        term = known.get(surface) or _pick_term(entry.leaders, on)
        if term is None:
            continue
        if surface == term.name or len(surface.split()) > 1:
            for alias in (term.name, *term.aliases):
                known.setdefault(alias, term)
        p = PersonMention(start, end, term.name, term.title, term.country, term.role)
        people.append(p)
        by_start[start] = p
    for m in _office_regex().finditer(text):
        title_key = m.group("title").lower()
        if title_key in _ABBREVIATED:
            if not m.group("title").split()[0].isupper():
                continue  # "5 pm" is a time
            title_key = _ABBREVIATED[title_key]
        role = _OFFICES[title_key]
        title = _title_case(title_key)
        country = _country_before(text, m.start(), states)
        name_start = m.start("name") if m.group("name") else -1
        named = by_start.get(name_start)
        if named is not None:
            people.remove(named)
            country = named.country or country
            people.append(
                PersonMention(m.start(), named.end, named.name, named.title, country, named.role)
            )
            continue
        name = _strip_honorific(m.group("name") or "")
        plain = re.sub(r"\s[A-Z]\.(?=\s)", "", name)
        known_entry = table.get(plain)
        if plain != name and known_entry is not None and known_entry.form == "person":
            term = _pick_term(known_entry.leaders, on)
            if term is not None:
                people.append(
                    PersonMention(
                        m.start(), m.end(), term.name, term.title, term.country, term.role
                    )
                )
                continue
        holder = (
            office_holder(country, role, on)
            if country and role and on
            else _holder_named(name, role, on)
        )
        if holder is not None and name and " " not in name and name in holder.name.split():
            # "Foreign Minister Wang": the office-holder of that day, named by one of the names
            people.append(
                PersonMention(m.start(), m.end(), holder.name, holder.title, country, holder.role)
            )
            continue
        if name and _looks_like_name(name, table):
            shown = None if title_key == "counterpart" else title
            people.append(PersonMention(m.start(), m.end(), name, shown, country, role))
            continue
        if title_key == "counterpart":
            continue  # "his Russian counterpart" with no name: nobody to resolve
        # "the Pakistani leader" is whoever of its leaders the story named (analysis resolves it)
        holder = (
            office_holder(country, role, on)
            if country and role and on and title_key != "leader"
            else None
        )
        end = m.end("title")
        if holder is not None:
            people.append(
                PersonMention(m.start(), end, holder.name, holder.title, country, holder.role)
            )
        else:
            people.append(PersonMention(m.start(), end, None, title, country, role))
    people.extend(_honorific_persons(text, states, people))
    people.extend(_appositive_persons(text, states, people))
    people.extend(_surname_mentions(text, people))
    people.sort(key=lambda p: p.start)
    return people


def _inside_other_name(text: str, start: int, end: int, alias: str) -> bool:
    """True when a one-word alias is part of a longer name ("Ghani" in "Abdul Ghani Baradar")."""
    if " " in alias:
        return False
    before = re.search(r"([A-Z][\w'-]*)\s+$", text[max(0, start - 40) : start])
    after = re.match(r"\s+([A-Z][a-z][\w'-]*)", text[end : end + 40])
    window = max(0, start - 40)
    if (
        before
        and before.group(1) not in _TITLE_WORDS
        and before.group(1) not in _NOT_NAMES
        and not re.search(r"[.!?:;\"]\s*$", text[window : window + before.start()])
    ):
        return before.group(1) not in _surface_table()
    return bool(
        after and after.group(1) not in _NOT_NAMES and after.group(1) not in _surface_table()
    )


def _strip_honorific(name: str) -> str:
    """The name after the last honorific: "Lt Gen Nadeem Anjum" -> "Nadeem Anjum"."""
    parts = re.split(rf"(?:^|\s){_HONORIFIC}\s+", name)
    words = parts[-1].strip().split()
    while len(words) > 1 and words[-1].strip("'’") in _NOT_NAMES:
        words.pop()  # "Shah Mehmood Qureshi Thursday": a day, not a name
    if words and all(w.isupper() and len(w) > 1 for w in words):
        return ""  # "ISLAMABAD", "SS": a dateline or initials, not a name
    if len(words) == 2 and words[0].isupper() and len(words[0]) > 1 and not words[1].isupper():
        words = [words[1], words[0].capitalize()]  # "HAYASHI Yoshimasa": surname first, in caps
    return " ".join(words).strip("'’")


_HONORIFIC_NAME = re.compile(rf"\b{_HONORIFIC}\s+(?P<name>{_NAME})")
_APPOSITIVE = re.compile(
    rf"(?P<name>{_NAME}),\s+(?:the\s+|an?\s+)?(?:acting\s+)?(?:[a-z-]+\s+){{1,5}}"
    r"(?:of|for|to)\s+(?:the\s+)?$"
)


def _free(start: int, end: int, people: list[PersonMention]) -> bool:
    return not any(p.start < end and start < p.end for p in people)


def _honorific_persons(
    text: str, states: list[StateMention], people: list[PersonMention]
) -> list[PersonMention]:
    """Officials named after an honorific ("Mullah Abdul Ghani Baradar"), with a state nearby."""
    out: list[PersonMention] = []
    table = _surface_table()
    for m in _HONORIFIC_NAME.finditer(text):
        name = _strip_honorific(m.group("name"))
        if not name or not _free(m.start("name"), m.end("name"), people + out):
            continue
        if len(name.split()) < 2 or not _looks_like_name(name, table):
            continue
        near = [
            s
            for s in states
            if m.start() - 90 <= s.end <= m.start() and "." not in text[s.end : m.start()]
        ]
        country = near[-1].code if near else None
        out.append(PersonMention(m.start("name"), m.end("name"), name, None, country, None))
    return out


def _appositive_persons(
    text: str, states: list[StateMention], people: list[PersonMention]
) -> list[PersonMention]:
    """ "Ali Shamkhani, the secretary of Iran's Supreme National Security Council": name + state."""
    out: list[PersonMention] = []
    table = _surface_table()
    for s in states:
        window_start = max(0, s.start - 120)
        window = text[window_start : s.start]
        if ", " not in window:
            continue
        m = _APPOSITIVE.search(window)
        if m is None:
            continue
        start, end = window_start + m.start("name"), window_start + m.end("name")
        name = _strip_honorific(m.group("name"))
        if len(name.split()) < 2 or not _looks_like_name(name, table):
            continue
        if _free(start, end, people + out):
            out.append(PersonMention(start, end, name, None, s.code, None))
    return out


_WORD = re.compile(r"(?<![\w-])[\w-]+(?![\w-])")  # every word, hyphens kept
_CAPITAL_WORD = re.compile(r"(?<![\w-])[A-Z][\w-]*(?![\w-])")


def _surname_mentions(text: str, people: list[PersonMention]) -> list[PersonMention]:
    """Later mentions of an official named in full before, by one of the names ("Shamkhani",
    "Khan said", "Mr. Shehbaz"): each name part of four letters or more that belongs to one
    person of the article only, and is neither a state's name nor a common word."""
    owners: dict[str, set[str]] = {}
    by_name: dict[str, PersonMention] = {}
    table = _surface_table()
    for p in people:
        if not p.name or not p.country or len(p.name.split()) < 2:
            continue
        by_name.setdefault(p.name, p)
        parts = p.name.split()
        for part in parts:
            # the surname as written ("al-Araji"), the other names when capitalised
            if part is not parts[-1] and not part[0].isupper():
                continue
            if len(part) >= 4 and part not in _NOT_NAMES:
                entry = table.get(part)
                if entry is not None and entry.form != "person":
                    continue  # "Jordan", "Chad": a state's name
                owners.setdefault(part, set()).add(p.name)
    unknown = {
        part: by_name[next(iter(names))] for part, names in owners.items() if len(names) == 1
    }
    for surname, p in list(unknown.items()):
        # "al-Araji" opens a sentence as "Al-Araji"
        unknown.setdefault(surname[0].upper() + surname[1:], p)
    if not unknown:
        return []
    out: list[PersonMention] = []
    # one precompiled scan of the words, looked up in the article's names (compiling an
    # alternation of them per article costs more than the whole look-up); capitalised words
    # only, unless a name starts in lower case ("al-Araji")
    scan = _WORD if any(not k[:1].isupper() for k in unknown) else _CAPITAL_WORD
    for m in scan.finditer(text):
        q = unknown.get(m.group())
        if q is not None and m.start() > q.start and _free(m.start(), m.end(), people + out):
            out.append(PersonMention(m.start(), m.end(), q.name, q.title, q.country, q.role))
    return out


def _looks_like_name(name: str, table: dict[str, _Entry]) -> bool:
    first = name.split()[0]
    if _INSTITUTION.search(name):
        return False  # "State's Supreme Council of Something" names a body, not a person
    return first not in table and first not in _NOT_NAMES


_INSTITUTION = re.compile(
    r"'s\b|\b(?:Council|Ministry|Committee|Commission|Party|Office|Assembly|Parliament|"
    r"Government|Agency|Department|Directorate|Bureau|Senate|Congress|Court|Bank|Union|Forces)\b"
)


_NOT_NAMES = frozenset(
    _words(
        "The This That He She It They His Her Their On In At For And But Said Says Told During "
        "After Before While When Who Which Monday Tuesday Wednesday Thursday Friday Saturday "
        "House Office Palace Secretariat Hall Residence PM FM "
        "Sunday January February March April May June July August September October November "
        "December"
    )
)


def _country_before(text: str, start: int, states: list[StateMention]) -> str | None:
    """The state named just before an office: "Pakistani Prime Minister", "China's premier"."""
    for s in reversed(states):
        if s.end > start:
            continue
        gap = text[s.end : start]
        if re.fullmatch(r"(?:'s)?\s*(?:then\s+|new\s+|former\s+|acting\s+|caretaker\s+)?", gap):
            return s.code
        break
    return None


def _title_case(title: str) -> str:
    return " ".join(w if w in ("of", "for") else w.capitalize() for w in title.split())


def state_for_place(place: str) -> str | None:
    """The state a dateline place names or is the capital of: "BEIJING" -> CHN; else None."""
    key = " ".join(w.capitalize() for w in place.split())
    entry = _surface_table().get(key)
    return entry.code if entry is not None and entry.form in ("capital", "name") else None
