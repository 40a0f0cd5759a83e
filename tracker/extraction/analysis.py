"""Shared analysis of one article, done once for every event type.

``analyse`` normalises the text, splits sentences, finds states, persons and dates, and fixes
the reference day (dateline, else publication date), the day the story is about (the first day
named in its lead), the story's main pair and the dateline's state. While the extractors walk
the sentences, ``Discourse`` keeps what the reading has established so far: who was named last
(for "he", "the two leaders"), who spoke last, which events were reported where. Entity lookup
(``entities``) resolves states, persons, groups and pronouns inside a span.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import lru_cache
from itertools import pairwise

from events.gazetteer import office_holder
from tracker.extraction import rules
from tracker.extraction.candidates import Candidate, Evidence, PersonRef
from tracker.extraction.dates import Dateline, DateMention, find_dates, parse_dateline
from tracker.extraction.document import Article
from tracker.extraction.gazetteer import (
    PersonMention,
    StateMention,
    find_persons,
    find_states,
    state_for_place,
)
from tracker.extraction.text import NormalText, Sentence, normalise, split_sentences

_HERE = re.compile(r"\bhere\b")


@dataclass(frozen=True)
class Entity:
    """A state reference inside a span: a state, a person, a group or a pronoun."""

    start: int
    end: int
    code: str
    person: PersonRef | None = None
    explicit: bool = True
    group: tuple[PersonRef, ...] = ()


@dataclass
class Discourse:
    """What the reading of the sentences so far has established (updated sentence by sentence)."""

    sentence_index: int = 0
    sent_start: int = 0
    last_person: PersonRef | None = None
    last_subject: PersonRef | None = None
    last_speaker: PersonRef | None = None
    last_day: date | None = None
    last_event: Candidate | None = None  # the last meeting or call reported as news
    event_sentence: int = -1
    event_triggers: list[int] = field(default_factory=list)  # where events were reported
    recent: dict[str, PersonRef] = field(default_factory=dict)  # last person named per state
    first_named: dict[str, PersonRef] = field(default_factory=dict)
    group: tuple[str, ...] = ()  # the states of the last multilateral event, for "the three"


@dataclass
class Analysis:
    """One article analysed: text, entities and dates, the story's frame, and the discourse."""

    norm: NormalText
    sentences: list[Sentence]
    ref: date | None
    news_date: date | None
    main: tuple[str, ...]
    here: str | None
    states: list[StateMention]
    persons: list[PersonMention]
    dateline_end: int = 0
    dateline_start: int = 0
    person_starts: list[int] = field(default_factory=list)
    state_starts: list[int] = field(default_factory=list)
    discourse: Discourse = field(default_factory=Discourse)
    entity_cache: dict[tuple[object, ...], list[Entity]] = field(default_factory=dict)

    @property
    def text(self) -> str:
        """The normalised text all offsets refer to."""
        return self.norm.text


def analyse(article: Article) -> Analysis:
    """Everything the extractors share about ``article``."""
    norm = normalise(article.text)
    text = norm.text
    published = article.published.date() if article.published else None
    dateline = parse_dateline(text, published)
    ref = (dateline.day if dateline and dateline.day else None) or published
    states = find_states(text)
    here = state_for_place(dateline.place) if dateline else None
    persons = _resolve_offices(find_persons(text, ref, states, {}), here, ref)
    sentences = [s for s in split_sentences(text) if s.text.strip()]
    return Analysis(
        norm=norm,
        sentences=sentences,
        ref=ref,
        news_date=_news_date(sentences, ref, dateline),
        main=_main_pair(article.title, states, persons),
        here=here,
        states=states,
        persons=persons,
        dateline_end=dateline.end if dateline else 0,
        dateline_start=dateline.start if dateline else 0,
        person_starts=[p.start for p in persons],
        state_starts=[s.start for s in states],
    )


def _resolve_offices(
    persons: list[PersonMention], home: str | None, on: date | None = None
) -> list[PersonMention]:
    """Give a bare office ("the prime minister", "the Secretary", "the Chinese leader") the
    person named earlier whose title holds that office's words: of the same state when one is
    named with it, the dateline state's official first, else the first one named (the story's
    protagonist); with none, the holder of that office in the dateline's state."""
    named: list[PersonMention] = []
    out: list[PersonMention] = []
    for p in persons:
        key = (p.title or "").lower()
        if key and p.name is None:
            pick = _antecedent(named, key, p.country, home)
            if pick is not None:
                p = replace(p, name=pick.name, country=pick.country, role=pick.role)
            elif p.country is None and home and p.role and on:
                # "the army chief" in a story filed from Islamabad: the dateline state's
                holder = office_holder(home, p.role, on)
                if holder is not None:
                    p = replace(p, name=holder.name, country=home, title=holder.title)
        if p.name is not None and key:
            named.append(p)
        out.append(p)
    return out


_HEADS = {"leader": ("president", "prime minister", "premier", "chancellor", "king", "emir")}


def _antecedent(
    named: list[PersonMention], key: str, country: str | None, home: str | None
) -> PersonMention | None:
    heads = _HEADS.get(key, (key,))
    seen = [
        q
        for q in named
        if country in (None, q.country)
        and any(re.search(rf"\b{re.escape(h)}\b", (q.title or "").lower()) for h in heads)
    ]
    exact = [q for q in seen if (q.title or "").lower() == key]
    pool = exact or seen
    return next((q for q in pool if q.country == home), pool[0] if pool else None)


def _news_date(
    sentences: list[Sentence], ref: date | None, dateline: Dateline | None
) -> date | None:
    """The day the story is about: the first day named in its lead, else the reference day."""
    for sent in sentences[:3]:
        for d in find_dates(sent.text, ref):
            if dateline and dateline.start <= sent.start + d.start < dateline.end:
                continue  # the dateline's own date is when the story was filed
            if d.precision == "day" and (ref is None or ref - timedelta(days=7) <= d.day <= ref):
                return d.day
    return ref


def _main_pair(
    title: str, states: list[StateMention], persons: list[PersonMention]
) -> tuple[str, ...]:
    """The two states the article is mostly about (title mentions count double)."""
    counts: Counter[str] = Counter()
    first: dict[str, int] = {}
    for s in find_states(title):
        counts[s.code] += 2
        first.setdefault(s.code, -1)
    for s in states:
        counts[s.code] += 1
        first.setdefault(s.code, s.start)
    for p in persons:
        if p.country:
            counts[p.country] += 1
            first.setdefault(p.country, p.start)
    ranked = sorted(counts, key=lambda c: (-counts[c], first[c]))
    return tuple(ranked[:2])


def other(doc: Analysis, code: str) -> str | None:
    """The other state of the article's main pair."""
    if len(doc.main) == 2 and code in doc.main:
        return next(c for c in doc.main if c != code)
    return None


@lru_cache(maxsize=4096)
def clauses(sent: Sentence) -> list[tuple[int, int]]:
    """Absolute spans of the clauses of a sentence (subordinate clauses split off)."""
    cuts = [0]
    for m in rules.CLAUSE_BREAK.finditer(sent.text):
        if m.start() > 0:
            cuts.append(m.start())
    cuts.append(len(sent.text))
    spans = []
    for a, b in pairwise(cuts):
        if b > a:
            spans.append((sent.start + a, sent.start + b))
    return spans


def entities(doc: Analysis, start: int, end: int) -> list[Entity]:
    """State references in ``[start, end)``: persons, states, "the two sides", "he", "here".

    Memoised while the article's coreference state (last subject, speaker) stays the same.
    """
    d = doc.discourse
    key = (start, end, d.last_subject, d.last_person, d.last_speaker)
    cached = doc.entity_cache.get(key)
    if cached is None:
        cached = doc.entity_cache[key] = _find_entities(doc, start, end)
    return cached


def _find_entities(doc: Analysis, start: int, end: int) -> list[Entity]:
    text = doc.text
    out: list[Entity] = []
    spans: list[tuple[int, int]] = []
    lo, hi = bisect_left(doc.person_starts, start), bisect_left(doc.person_starts, end)
    for p in doc.persons[lo:hi]:
        if start <= p.start < end:
            ref = PersonRef(p.name, p.title, p.country) if p.name else None
            if p.country:
                out.append(Entity(p.start, p.end, p.country, ref))
            elif ref is not None:
                out.append(Entity(p.start, p.end, "", ref))
            spans.append((p.start, p.end))
    lo, hi = bisect_left(doc.state_starts, start), bisect_left(doc.state_starts, end)
    for s in doc.states[lo:hi]:
        if (
            start <= s.start < end
            and not any(a <= s.start < b for a, b in spans)
            and rules.ATTRIBUTIVE_STATE.match(text[s.end : s.end + 30]) is None
        ):
            out.append(Entity(s.start, s.end, s.code))
    chunk = text[start:end]
    for m in rules.GROUP.finditer(chunk):
        if m.group().lower() in ("they", "their", "the two") and len(doc.main) < 2:
            continue
        first = doc.discourse.first_named
        people = (
            tuple(first[c] for c in doc.main if c in first)
            if rules.GROUP_PEOPLE.search(m.group())
            else ()
        )
        for code in doc.main:
            out.append(
                Entity(start + m.start(), start + m.end(), code, explicit=False, group=people)
            )
    for m in rules.PRONOUN.finditer(chunk):
        who = pronoun_person(doc, start + m.start())
        if who is not None and who.country:
            out.append(Entity(start + m.start(), start + m.end(), who.country, who, False))
    if doc.here:
        for m in _HERE.finditer(chunk):
            out.append(Entity(start + m.start(), start + m.end(), doc.here, explicit=False))
    out.sort(key=lambda e: e.start)
    return out


def explicit_people(doc: Analysis, sent: Sentence) -> list[Entity]:
    """The persons named (not referred to) in ``sent``, with their states."""
    return [e for e in entities(doc, sent.start, sent.end) if e.person is not None and e.explicit]


def pronoun_person(doc: Analysis, pos: int) -> PersonRef | None:
    """Who "he", "she" or "his" at ``pos`` is: the first person named earlier in the sentence,
    else the subject of the sentences before."""
    d = doc.discourse
    lo, hi = bisect_left(doc.person_starts, d.sent_start), bisect_left(doc.person_starts, pos)
    for p in doc.persons[lo:hi]:  # the persons are sorted by start
        if d.sent_start <= p.start < pos and p.name and p.country:
            return PersonRef(p.name, p.title, p.country)
    return d.last_subject or d.last_person


def sentence_dates(doc: Analysis, sent: Sentence, future: bool = False) -> list[DateMention]:
    """The dates of ``sent`` at offsets of the article text, the dateline's own left out (the
    filing date is no event's date). Built field by field: ``dataclasses.replace`` costs
    several times more, and this runs for every sentence."""
    offset = sent.start
    return [
        DateMention(d.start + offset, d.end + offset, d.day, d.precision, d.relative)
        for d in find_dates(sent.text, doc.ref, future)
        if not doc.dateline_start <= d.start + offset < doc.dateline_end
    ]


def evidence(doc: Analysis, sent: Sentence) -> Evidence:
    """The sentence as it stands in the original text, with its offsets there."""
    start, end = doc.norm.original_span(sent.start, sent.end)
    return Evidence(start, end, doc.norm.original[start:end])


def begin_sentence(doc: Analysis, index: int, sent: Sentence) -> None:
    """Move the discourse to sentence ``index``."""
    doc.discourse.sentence_index = index
    doc.discourse.sent_start = sent.start


def end_sentence(doc: Analysis, sent: Sentence, days: list[DateMention], same_day: bool) -> None:
    """Carry what ``sent`` established to the next sentences: its day, its persons, its subject."""
    d = doc.discourse
    day = [m for m in days if m.precision == "day"]
    if day:
        d.last_day = day[0].day
    elif not same_day:
        d.last_day = None
    subject_set = False
    lo, hi = bisect_left(doc.person_starts, sent.start), bisect_left(doc.person_starts, sent.end)
    for p in doc.persons[lo:hi]:  # the persons are sorted by start
        if sent.start <= p.start < sent.end and p.name:
            ref = PersonRef(p.name, p.title, p.country)
            d.last_person = ref
            if p.country:
                d.recent[p.country] = ref
                d.first_named.setdefault(p.country, ref)
            if not subject_set:
                d.last_subject = ref
                subject_set = True
