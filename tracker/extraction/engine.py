"""The extractor: article -> candidates. Pure and deterministic.

Steps: normalise the text and split it into sentences and clauses; find states, persons and
dates once over the whole text; fix the reference day (dateline, else publication date) and
the day the story is about (the first day named in its lead); then, clause by clause, match the
triggers of each event type, drop negated and irrealis ones, flag planned and background ones,
pick actors by role and a date. Mentions of one event ("the talks", "during the visit") merge
into one candidate; statements merge per speaker and addressee.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import lru_cache
from itertools import combinations, pairwise
from typing import Any

from tracker.articles import Article
from tracker.extraction import rules
from tracker.extraction.candidates import Candidate, Evidence, PersonRef
from tracker.extraction.dates import DateMention, find_dates, parse_dateline
from tracker.extraction.gazetteer import (
    PersonMention,
    StateMention,
    find_persons,
    find_states,
    state_for_place,
)
from tracker.extraction.patterns import contains_any, mentions_any
from tracker.extraction.text import NormalText, Sentence, normalise, split_sentences

_SAME_DAY = re.compile(
    r"\b(?:(?:on )?the same day|later (?:in|that) day|earlier in the day|that day)\b", re.I
)
_SINCE = re.compile(r"\b(?:since|launched|founded|established|began|begun)\b[^.;]{0,30}$", re.I)
_QUOTE = re.compile(r'"([^"]{12,})"')
_HERE = re.compile(r"\bhere\b")
_DIGIT = re.compile(r"\d")
_WHO = re.compile(r",\s*(?:who|which|whose|\w+ing|in|at|during|on)\b[^,]*,")
# Patterns of the hot paths, compiled once (a string pattern costs a cache look-up a call)
_IS_DUE = re.compile(r"(?:is|are) due\b", re.I)
_TO_END = re.compile(r"\bto\s+$")
_CALL_ON = re.compile(r"call(?:ed|s)? on|calling on", re.I)
_TO_VERB = re.compile(r"[^.;]{0,80}?\bto \w+")
_TRIPLE_HYPHEN = re.compile(r"\b\w+-\w+-\w+\b")
_HERE_AFTER = re.compile(r"\s*here\b")
_POSSESSIVE = re.compile(r"(?:his|her)\b", re.I)
_AND = re.compile(r"\band\b")
_AND_END = re.compile(r"\band\s+(?:also\s+)?$")
_AND_THEN_END = re.compile(r"\band\s+(?:also\s+|then\s+|later\s+)?$")
_PRONOUN_END = re.compile(r"\b(?:he|she)\s*(?:also\s+)?$", re.I)


@dataclass(frozen=True)
class _Entity:
    """A state reference inside a clause: a state, a person, a group or a pronoun."""

    start: int
    end: int
    code: str
    person: PersonRef | None = None
    explicit: bool = True
    group: tuple[PersonRef, ...] = ()


@dataclass
class _Slot:
    """A candidate being built; ``multi`` marks one pair of a multilateral meeting."""

    cand: Candidate
    multi: bool = False


@dataclass
class _Context:
    """What the extractor knows about the article while it walks the sentences."""

    norm: NormalText
    ref: date | None
    news_date: date | None
    main: tuple[str, ...]
    here: str | None
    states: list[StateMention]
    persons: list[PersonMention]
    last_person: PersonRef | None = None
    last_subject: PersonRef | None = None
    last_speaker: PersonRef | None = None
    last_day: date | None = None
    last_event: Candidate | None = None
    event_sentence: int = -1
    sentence_index: int = 0
    sent_start: int = 0
    dateline_end: int = 0
    entity_cache: dict[tuple[object, ...], list[_Entity]] = field(default_factory=dict)
    recent: dict[str, PersonRef] = field(default_factory=dict)
    first_named: dict[str, PersonRef] = field(default_factory=dict)
    trade_period: str | None = None
    trade_reporter: str | None = None
    slots: list[_Slot] = field(default_factory=list)
    statements: dict[tuple[str, str], list[tuple[Sentence, str | None, date | None]]] = field(
        default_factory=dict
    )
    speakers: dict[tuple[str, str], PersonRef | None] = field(default_factory=dict)
    event_triggers: list[int] = field(default_factory=list)
    person_starts: list[int] = field(default_factory=list)
    state_starts: list[int] = field(default_factory=list)
    negated: set[str] = field(default_factory=set)
    listed_until: int = 0  # bullet lines up to here were read as one list of agreements
    group: tuple[str, ...] = ()  # the states of the last multilateral event, for "the three"


def extract(article: Article) -> list[Candidate]:
    """Every candidate event in ``article``, background and planned ones included."""
    norm = normalise(article.text)
    text = norm.text
    published = article.published.date() if article.published else None
    dateline = parse_dateline(text, published)
    ref = (dateline.day if dateline and dateline.day else None) or published
    states = find_states(text)
    here = state_for_place(dateline.place) if dateline else None
    persons = _resolve_offices(find_persons(text, ref, states, {}), here)
    sentences = [s for s in split_sentences(text) if s.text.strip()]
    ctx = _Context(
        norm=norm,
        ref=ref,
        news_date=_news_date(sentences, ref, dateline.end if dateline else 0),
        main=_main_pair(article.title, states, persons),
        here=here,
        states=states,
        persons=persons,
        dateline_end=dateline.end if dateline else 0,
        person_starts=[p.start for p in persons],
        state_starts=[s.start for s in states],
    )
    for i, sent in enumerate(sentences):
        ctx.sentence_index = i
        ctx.sent_start = sent.start
        if mentions_any(sent.text, rules.CAPTION_HINTS) and rules.CAPTION.search(sent.text):
            continue
        _sentence(ctx, sent)
    out = [slot.cand for slot in ctx.slots]
    out.extend(_statements(ctx))
    out.extend(_descriptors(ctx, sentences))
    return sorted(out, key=lambda c: (c.evidence.start, c.type))


# --- article-level context -------------------------------------------------------------------


def _resolve_offices(persons: list[PersonMention], home: str | None) -> list[PersonMention]:
    """Give a bare office ("the prime minister") a person named earlier with that title: the
    dateline state's, else the first one named (the story's protagonist)."""
    by_title: dict[str, list[PersonMention]] = {}
    out: list[PersonMention] = []
    for p in persons:
        key = (p.title or "").lower()
        if p.name is None and key in by_title:
            seen = [q for q in by_title[key] if p.country in (None, q.country)]
            pick = next((q for q in seen if q.country == home), seen[0] if seen else None)
            if pick is not None:
                p = replace(p, name=pick.name, country=pick.country, role=pick.role)
        if p.name is not None and key:
            by_title.setdefault(key, []).append(p)
        out.append(p)
    return out


def _news_date(sentences: list[Sentence], ref: date | None, skip: int) -> date | None:
    """The day the story is about: the first day named in its lead, else the reference day."""
    for sent in sentences[:3]:
        for d in find_dates(sent.text, ref):
            if sent.start + d.start < skip:
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


def _other(ctx: _Context, code: str) -> str | None:
    """The other state of the article's main pair."""
    if len(ctx.main) == 2 and code in ctx.main:
        return next(c for c in ctx.main if c != code)
    return None


# --- per sentence ----------------------------------------------------------------------------


@lru_cache(maxsize=4096)
def _clauses(sent: Sentence) -> list[tuple[int, int]]:
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


def _entities(ctx: _Context, start: int, end: int) -> list[_Entity]:
    """State references in ``[start, end)``: persons, states, "the two sides", "he", "here".

    Memoised while the article's coreference state (last subject, speaker) stays the same.
    """
    key = (start, end, ctx.last_subject, ctx.last_person, ctx.last_speaker)
    cached = ctx.entity_cache.get(key)
    if cached is None:
        cached = ctx.entity_cache[key] = _find_entities(ctx, start, end)
    return cached


def _find_entities(ctx: _Context, start: int, end: int) -> list[_Entity]:
    text = ctx.norm.text
    out: list[_Entity] = []
    spans: list[tuple[int, int]] = []
    lo, hi = bisect_left(ctx.person_starts, start), bisect_left(ctx.person_starts, end)
    for p in ctx.persons[lo:hi]:
        if start <= p.start < end:
            ref = PersonRef(p.name, p.title, p.country) if p.name else None
            if p.country:
                out.append(_Entity(p.start, p.end, p.country, ref))
            elif ref is not None:
                out.append(_Entity(p.start, p.end, "", ref))
            spans.append((p.start, p.end))
    lo, hi = bisect_left(ctx.state_starts, start), bisect_left(ctx.state_starts, end)
    for s in ctx.states[lo:hi]:
        if (
            start <= s.start < end
            and not any(a <= s.start < b for a, b in spans)
            and rules.ATTRIBUTIVE_STATE.match(text[s.end : s.end + 30]) is None
        ):
            out.append(_Entity(s.start, s.end, s.code))
    chunk = text[start:end]
    for m in rules.GROUP.finditer(chunk):
        if m.group().lower() in ("they", "their", "the two") and len(ctx.main) < 2:
            continue
        people = (
            tuple(ctx.first_named[c] for c in ctx.main if c in ctx.first_named)
            if rules.GROUP_PEOPLE.search(m.group())
            else ()
        )
        for code in ctx.main:
            out.append(
                _Entity(start + m.start(), start + m.end(), code, explicit=False, group=people)
            )
    for m in rules.PRONOUN.finditer(chunk):
        who = _pronoun_person(ctx, start + m.start())
        if who is not None and who.country:
            out.append(_Entity(start + m.start(), start + m.end(), who.country, who, False))
    if ctx.here:
        for m in _HERE.finditer(chunk):
            out.append(_Entity(start + m.start(), start + m.end(), ctx.here, explicit=False))
    out.sort(key=lambda e: e.start)
    return out


def _pronoun_person(ctx: _Context, pos: int) -> PersonRef | None:
    """Who "he", "she" or "his" at ``pos`` is: the first person named earlier in the sentence,
    else the subject of the sentences before."""
    lo, hi = bisect_left(ctx.person_starts, ctx.sent_start), bisect_left(ctx.person_starts, pos)
    for p in ctx.persons[lo:hi]:  # the persons are sorted by start
        if ctx.sent_start <= p.start < pos and p.name and p.country:
            return PersonRef(p.name, p.title, p.country)
    return ctx.last_subject or ctx.last_person


def _sentence_dates(ctx: _Context, sent: Sentence, future: bool = False) -> list[DateMention]:
    """The dates of ``sent`` at offsets of the article text, the dateline's own left out (the
    filing date is no event's date). Built field by field: ``dataclasses.replace`` costs
    several times more, and this runs for every sentence."""
    offset = sent.start
    return [
        DateMention(d.start + offset, d.end + offset, d.day, d.precision, d.relative)
        for d in find_dates(sent.text, ctx.ref, future)
        if d.start + offset >= ctx.dateline_end
    ]


def _sentence(ctx: _Context, sent: Sentence) -> None:
    dates = _sentence_dates(ctx, sent)
    lower = sent.text.lower()
    same_day = "day" in lower and bool(_SAME_DAY.search(sent.text))
    if mentions_any(sent.text, rules.TRIGGER_HINTS):
        for c_start, c_end in _clauses(sent):
            _clause(ctx, sent, c_start, c_end, dates, same_day)
    if rules.REPORTING.search(sent.text):
        _statement_clauses(ctx, sent)
    if (
        _DIGIT.search(sent.text)
        and contains_any(lower, rules.MONEY_HINTS)
        and contains_any(lower, ("trade", "export", "import", "shipment"))
    ):
        _trade(ctx, sent)
    day = [d for d in dates if d.precision == "day"]
    if day:
        ctx.last_day = day[0].day
    elif not same_day:
        ctx.last_day = None
    subject_set = False
    lo, hi = bisect_left(ctx.person_starts, sent.start), bisect_left(ctx.person_starts, sent.end)
    for p in ctx.persons[lo:hi]:  # the persons are sorted by start
        if sent.start <= p.start < sent.end and p.name:
            ref = PersonRef(p.name, p.title, p.country)
            ctx.last_person = ref
            if p.country:
                ctx.recent[p.country] = ref
                ctx.first_named.setdefault(p.country, ref)
            if not subject_set:
                ctx.last_subject = ref
                subject_set = True


def _clause(
    ctx: _Context,
    sent: Sentence,
    c_start: int,
    c_end: int,
    dates: list[DateMention],
    same_day: bool,
) -> None:
    text = ctx.norm.text
    clause = text[c_start:c_end]
    lower = clause.lower()
    present = {h for h in rules.ALL_HINTS if h in lower}
    if not present:
        return
    taken: list[tuple[int, int]] = []
    call_made = False
    future_time: bool | None = None  # FUTURE_TIME in the clause, searched once when needed
    for trig in rules.TRIGGERS:
        if call_made and trig.type == "meeting":
            break  # "received a phone call from ...": a call is never also a meeting
        if present.isdisjoint(trig.hints):
            continue
        for m in trig.finditer(clause, lower):
            a, b = c_start + m.start(), c_start + m.end()
            if trig.type == "agreement" and a < ctx.listed_until:
                break  # a bullet of a list already read
            if any(x < b and a < y for x, y in taken):
                continue
            before = text[c_start:a]
            after = text[b:c_end]
            # the cue patterns end in "[^.;]{0,N}$": only the last 90 characters can match
            window = before[-90:]
            if rules.NEGATION_BEFORE.search(window) or rules.NEGATION_AFTER.match(after[:120]):
                taken.append((a, b))
                ctx.negated.add(trig.type)
                continue
            planned = bool(rules.PLANNED.search(window))
            if not planned:
                if future_time is None:
                    future_time = rules.FUTURE_TIME.search(clause) is not None
                planned = future_time or _IS_DUE.match(m.group()) is not None
            if _TO_END.search(before) and not planned:
                continue  # "the first president to visit Japan": no event
            if trig.type == "meeting" and (
                rules.NON_OFFICIAL.match(after)
                or rules.AIRPORT_WELCOME.match(after)
                or (_CALL_ON.match(m.group()) and _TO_VERB.match(after))
            ):
                continue
            if planned:
                dates = _sentence_dates(ctx, sent, future=True)
            if _event(ctx, sent, trig, m, (c_start, a, b, c_end), dates, same_day, planned):
                taken.append((a, b))
                if trig.type in ("meeting", "phone_call", "visit") and not trig.anaphoric:
                    ctx.event_triggers.append(a)
                if trig.type == "phone_call":
                    call_made = True


def _event(
    ctx: _Context,
    sent: Sentence,
    trig: rules.Trigger,
    m: re.Match[str],
    span: tuple[int, int, int, int],
    dates: list[DateMention],
    same_day: bool,
    planned: bool,
) -> bool:
    c_start, a, b, c_end = span
    text = ctx.norm.text
    everyone = _entities(ctx, c_start, c_end)
    ents = [e for e in everyone if e.code]
    clause = text[c_start:c_end]
    dates = [d for d in dates if not _attributive(text, d, a, b)]
    near = [d for d in dates if d.start >= a or d.start >= a - 40 or d.start - c_start < 25]
    background = _is_background(ctx, clause, near, c_start, c_end)
    if planned and not _dated_right_after(dates, b):
        background = False
    elif background:
        planned = False
    day = _event_day(ctx, dates, a, c_start, c_end, same_day, background)
    if day is None and not planned and not background:
        day = ctx.news_date
    if (
        day is not None
        and ctx.news_date
        and not planned
        and day < ctx.news_date - timedelta(days=7)
    ):
        background = True
    if trig.type == "visit":
        pairs = _visit_actors(ctx, ents, a, b, trig.anaphoric, clause)
    else:
        people = [
            e.code
            for e in _entities(ctx, sent.start, sent.end)
            if e.person is not None and e.explicit and e.code
        ]
        pairs = _pair_actors(
            ctx, ents, clause, trig.anaphoric, people if trig.type == "meeting" else None, b
        )
    if not pairs:
        return False
    multi = len(pairs) > 1
    made = False
    for actors in pairs:
        persons = _event_persons(ctx, sent, trig.type, everyone, actors, a, b)
        explicit = sum(1 for e in ents if e.explicit and e.code in actors)
        conf = 0.55 + 0.1 * min(explicit, 2) + (0.1 if persons else 0.0)
        conf -= 0.15 if (planned or background) else 0.0
        base = Candidate(
            type=trig.type,
            actors=actors,
            evidence=_evidence(ctx, sent),
            persons=persons,
            date=day.isoformat() if day else None,
            date_precision="day" if day else None,
            background=background,
            planned=planned,
            confidence=min(conf, 0.95),
        )
        also = bool(rules.ALSO.search(text[max(c_start, a - 30) : a]))
        if trig.type == "agreement":
            modifier = _modifier_area(m.group())
            listed = _list_items(ctx, b, sent.end) or _areas(
                text[b:c_end], strong_only=modifier is not None
            )
            areas: list[str | None] = [*listed] or [modifier]
            for area in areas:
                fields: dict[str, Any] = {"area": area, "title": None}
                made |= _add(ctx, replace(base, fields=fields), False, also, multi)
        elif trig.type == "joint_statement":
            fields = {"topics": _topics(sent.text), "areas": tuple(_js_areas(sent.text))}
            made |= _add(ctx, replace(base, fields=fields), trig.anaphoric, also, multi)
        else:
            dated = _explicit_day(dates, c_start, c_end)
            made |= _add(ctx, base, trig.anaphoric, also, multi, dated)
    return made


def _event_persons(
    ctx: _Context,
    sent: Sentence,
    kind: str,
    ents: list[_Entity],
    actors: tuple[str, ...],
    a: int,
    b: int,
) -> tuple[PersonRef, ...]:
    """Who takes part: the subject and the object of the trigger, or the named visitors."""
    if kind in ("agreement", "joint_statement"):
        # signatories only: the persons who are the subject of "signed", "inked", "adopted"
        text = ctx.norm.text
        verb = re.search(r"\b(?:signed|inked|adopted)\b", text[max(0, a - 60) : b])
        if verb is None:
            return ()
        verb_at = max(0, a - 60) + verb.start()
        return tuple(
            dict.fromkeys(
                e.person
                for e in ents
                if e.person and e.explicit and e.start < verb_at and e.code in actors
            )
        )
    if kind == "trade_figure":
        return ()
    named = [e for e in ents if e.person is not None and e.code in (*actors, "")]
    grouped = [p for e in ents if e.group for p in e.group if p.country in actors]
    if kind == "visit":
        visitors = [e.person for e in named if e.person and e.code in (actors[0], "")]
        visitors += [p for p in grouped if p.country == actors[0]]
        return tuple(dict.fromkeys(visitors))[:3]
    subject = [e.person for e in named if e.start < a and e.person]
    obj = [e.person for e in named if e.start >= b and e.person]
    found: list[PersonRef] = []
    if subject:
        found.append(subject[-1] if obj else subject[0])
        found += [
            p for p in subject if p not in found and p.country not in {x.country for x in found}
        ][:1]
    if obj:
        found.append(obj[0])
    found += [p for p in grouped if p not in found]
    for code in actors:
        if not any(p.country == code for p in found):
            people = [
                e.person
                for e in _entities(ctx, sent.start, sent.end)
                if e.person is not None and e.explicit and e.code == code
            ]
            found += people[:1]
    # an official of unknown state in a bilateral event belongs to the side not yet named
    missing = [c for c in actors if not any(p.country == c for p in found)]
    out = []
    for p in found:
        if p.country is None and missing:
            p = replace(p, country=missing.pop(0))
        out.append(p)
    return tuple(dict.fromkeys(out))


def _attributive(text: str, d: DateMention, a: int, b: int) -> bool:
    """A date that belongs to a noun, not to the event ("the treaty signed on Jan. 22, 1963")."""
    if a <= d.start <= b + 15:
        return False
    return bool(rules.ATTRIBUTIVE_DATE.search(text[max(0, d.start - 30) : d.start]))


def _dated_right_after(dates: list[DateMention], b: int) -> bool:
    return any(b <= d.start <= b + 15 and d.precision != "day" for d in dates)


def _event_day(
    ctx: _Context,
    dates: list[DateMention],
    trigger_start: int,
    c_start: int,
    c_end: int,
    same_day: bool,
    background: bool = False,
) -> date | None:
    """The day of an event: a day named in its clause, else in its sentence, else none."""
    days = [d for d in dates if d.precision == "day"]
    in_clause = [d for d in days if c_start <= d.start < c_end]
    pool = in_clause if background else in_clause or days
    if pool:
        return min(pool, key=lambda d: abs(d.start - trigger_start)).day
    if same_day:
        return ctx.last_day or ctx.news_date
    return None


def _is_background(
    ctx: _Context, clause: str, dates: list[DateMention], c_start: int, c_end: int
) -> bool:
    """Past events named only as context: past perfect, "last met", or a date well before."""
    if rules.BACKGROUND.search(clause):
        return True
    news = ctx.news_date
    if news is None:
        return False
    text = ctx.norm.text
    for d in dates:
        if not (c_start <= d.start < c_end) or _SINCE.search(text[max(0, d.start - 30) : d.start]):
            continue
        if text[d.start : d.end].lower().startswith("since"):
            continue
        if d.precision == "year" and d.day.year < news.year:
            return True
        if d.precision == "month" and (d.day.year, d.day.month) < (news.year, news.month):
            return True
        if d.precision == "day" and d.day < news - timedelta(days=7):
            return True
    return False


def _pair_actors(
    ctx: _Context,
    ents: list[_Entity],
    clause: str,
    anaphoric: bool,
    sentence_people: list[str] | None = None,
    trigger_end: int | None = None,
) -> list[tuple[str, ...]]:
    """Participant pairs of a meeting, call, joint statement or agreement."""
    person_codes = [e.code for e in ents if e.person is not None and e.explicit]
    if len(set(person_codes)) < 2 and sentence_people:
        person_codes += [c for c in sentence_people if c not in person_codes]
    codes = list(dict.fromkeys([*person_codes, *(e.code for e in ents)]))
    many = rules.MULTILATERAL.search(clause) or _TRIPLE_HYPHEN.search(clause)
    if len(codes) >= 3 and many:
        # the states named up to the trigger take part ("A, B and C held a summit ... aimed at D")
        upto = [e.code for e in ents if trigger_end is None or e.start < trigger_end]
        ctx.group = tuple(dict.fromkeys(upto))[:4] if len(set(upto)) >= 3 else tuple(codes[:4])
        return [tuple(p) for p in combinations(ctx.group, 2)]
    # only states count back ("the four ministers" may be two from each of two states)
    size = _GROUP_SIZE.search(many.group()) if many and _GROUP_NOUN.search(many.group()) else None
    named = any(e.explicit for e in ents)
    if not named and size and _SIZES[size.group().lower()] == len(ctx.group):
        return [tuple(p) for p in combinations(ctx.group, 2)]  # "the three countries issued"
    if len(codes) >= 2:
        return [tuple(codes[:2])]
    if len(codes) == 1:
        other = _other(ctx, codes[0])
        if other:
            return [(codes[0], other)]
        if ctx.here and ctx.here != codes[0]:
            return [(codes[0], ctx.here)]
    if not codes and len(ctx.main) == 2:
        return [ctx.main]  # "Tuesday's talks were held ...": the story's two states
    return []


# "the three countries", "trilateral": how many states a back-reference names
_GROUP_SIZE = re.compile(r"three|tri|four|quad", re.I)
_SIZES = {"three": 3, "tri": 3, "four": 4, "quad": 4}
_GROUP_NOUN = re.compile(r"countr|nation|state|govern|side|trilat|tripart|quadri", re.I)
_DESTINATION = re.compile(r"^\s*(?:to|in|into|at|for)?\s*(?:the\s+)?(?:\S+\s+){0,1}?$", re.I)
_TRAVELLER = re.compile(
    r"\b(?:delegation|team|teams|minister|president|premier|leader|officials?|envoy|king|"
    r"chancellor|secretary|prince|emir|ambassador|he|she)\b",
    re.IGNORECASE,
)


def _visit_actors(
    ctx: _Context, ents: list[_Entity], a: int, b: int, anaphoric: bool, clause: str
) -> list[tuple[str, ...]]:
    """(visitor, host): the visitor is the subject, the host the place the trigger points to."""
    text = ctx.norm.text
    host = None
    for e in ents:
        if e.start >= b and _DESTINATION.match(text[b : e.start]) and e.explicit:
            host = e.code
            break
        if e.start >= b:
            break
    if host is None and _HERE_AFTER.match(text[b : b + 8]) and ctx.here:
        host = ctx.here
    before = [e for e in ents if e.start < a and e.code != host]
    people_before = [e for e in before if e.person is not None]
    visitor = people_before[0] if people_before else before[0] if before else None
    possessive = _POSSESSIVE.match(text[a : a + 4])
    if anaphoric and possessive:
        who = _pronoun_person(ctx, a)
        if who is not None and who.country:
            visitor = _Entity(a, b, who.country, who, explicit=False)
    if visitor is None:
        after = [e for e in ents if e.start >= b and e.code != host]
        visitor = next((e for e in after if e.person is not None), after[0] if after else None)
    if visitor is not None and visitor.person is None and not _TRAVELLER.search(clause):
        return []  # "Chinese missiles landed in ...": no one travelled
    code = visitor.code if visitor else None
    if code and host is None:
        host = next((e.code for e in ents if e.start >= b and e.code != code), None)
        host = host or _other(ctx, code) or (ctx.here if ctx.here != code else None)
    if host and code is None:
        code = _other(ctx, host)
    if code and host and code != host:
        return [(code, host)]
    return []


def _add(
    ctx: _Context,
    cand: Candidate,
    anaphoric: bool,
    also: bool,
    multi: bool = False,
    dated: bool = False,
) -> bool:
    """Add a candidate, or merge it into the one it mentions again.

    A mention of a meeting or call already reported ("the talks", "the call") only merges; a
    repeated visit mention creates the visit when none is known ("During the visit, ...").
    """
    if anaphoric:
        for i in range(len(ctx.slots) - 1, -1, -1):
            old = ctx.slots[i].cand
            if (
                old.type == cand.type
                and not old.background
                and not cand.background
                and old.planned == cand.planned
                and set(cand.actors) & set(old.actors)
                and (cand.type != "visit" or old.actors == cand.actors)
                and (not dated or cand.date == old.date)
            ):
                _merge(ctx, i, cand)
                return True
        if cand.type in ("meeting", "phone_call") or cand.type in ctx.negated:
            return False
    for i, slot in enumerate(ctx.slots):
        if slot.multi == multi and _same_event(slot.cand, cand, also):
            _merge(ctx, i, cand)
            return True
    for slot in ctx.slots:
        if _unnamed_signing(slot.cand, cand):
            # "signed several agreements. The agreements signed include: ...": the list
            # names the signing already recorded without an area
            persons = tuple(dict.fromkeys([*slot.cand.persons, *cand.persons]))
            slot.cand = replace(cand, persons=persons)
            return True
    ctx.slots.append(_Slot(cand, multi))
    _note_event(ctx, cand)
    return True


def _merge(ctx: _Context, i: int, cand: Candidate) -> None:
    old = ctx.slots[i].cand
    persons = tuple(dict.fromkeys([*old.persons, *cand.persons]))
    merged = replace(old, persons=persons, confidence=max(old.confidence, cand.confidence))
    ctx.slots[i].cand = merged
    _note_event(ctx, merged)


def _note_event(ctx: _Context, cand: Candidate) -> None:
    if cand.type in ("meeting", "phone_call") and not cand.background and not cand.planned:
        ctx.last_event = cand
        ctx.event_sentence = ctx.sentence_index


def _unnamed_signing(old: Candidate, new: Candidate) -> bool:
    """Whether ``old`` is an agreement with no area that ``new`` (one with an area) names."""
    return (
        old.type == new.type == "agreement"
        and old.fields.get("area") is None
        and new.fields.get("area") is not None
        and set(old.actors) == set(new.actors)
        and (old.date, old.background, old.planned) == (new.date, new.background, new.planned)
    )


def _same_event(old: Candidate, new: Candidate, also: bool) -> bool:
    if old.type != new.type or old.background != new.background or old.planned != new.planned:
        return False
    if new.type == "visit":
        return old.actors == new.actors
    if set(old.actors) != set(new.actors):
        return False
    if new.type == "agreement":
        return old.fields.get("area") == new.fields.get("area")
    if also or old.date != new.date:
        return False
    a, b = set(old.persons), set(new.persons)
    return a <= b or b <= a


# --- statements ------------------------------------------------------------------------------


def _statement_clauses(ctx: _Context, sent: Sentence) -> None:
    text = ctx.norm.text
    for c_start, c_end in _clauses(sent):
        clause = text[c_start:c_end]
        m = rules.REPORTING.search(clause)
        if m is None:
            continue
        v_start, v_end = c_start + m.start(), c_start + m.end()
        if rules.NEGATION_BEFORE.search(text[max(c_start, v_start - 25) : v_start]):
            continue
        if rules.DENIAL.search(clause):
            continue  # "said he had no plans to meet him": only rules an event out
        if m.group() in ("said", "says", "announced") and (
            any(v_end <= t < c_end for t in ctx.event_triggers)
            or (
                len(text[v_end:c_end].strip(" .")) < 25
                and any(sent.start <= t < v_start for t in ctx.event_triggers)
            )
        ):
            continue  # "the prime minister had dialled ..., the spokesperson said": a fact reported
        speaker, code, seg_start = _speaker(ctx, sent, c_start, v_start, v_end, c_end, m.group())
        if code is None:
            continue
        ents = [e for e in _entities(ctx, v_end, c_end) if e.explicit and e.code]
        target = next((e.code for e in ents if e.code != code), None)
        if target is None:
            before = [e for e in _entities(ctx, c_start, seg_start) if e.explicit and e.code]
            target = next((e.code for e in before if e.code != code), None)
        key = (speaker.name if speaker else code, code)
        ctx.speakers[key] = speaker
        day = _statement_day(ctx, sent, seg_start, c_end, code, target)
        addressees: list[str | None] = [*_listed_after(ctx, ents, code, v_end)] or [target]
        for addressee in addressees:
            ctx.statements.setdefault(key, []).append((sent, addressee, day))
        if speaker is not None:
            ctx.last_speaker = speaker
            ctx.last_subject = speaker


def _listed_after(ctx: _Context, ents: list[_Entity], code: str, verb_end: int) -> list[str]:
    """States listed right after the verb as addressees ("called on Mali, Chad and Niger")."""
    others = [e for e in ents if e.code != code and e.person is None]
    if len(others) < 2 or others[0].start - verb_end > 12:
        return []
    out = [others[0].code]
    for prev, nxt in pairwise(others):
        if not re.fullmatch(
            r"\s*(?:,|,?\s+(?:and|as well as))\s*", ctx.norm.text[prev.end : nxt.start]
        ):
            break
        out.append(nxt.code)
    return list(dict.fromkeys(out)) if len(out) >= 2 else []


def _speaker(
    ctx: _Context, sent: Sentence, c_start: int, v_start: int, v_end: int, c_end: int, verb: str
) -> tuple[PersonRef | None, str | None, int]:
    """Who speaks: the subject just before the verb (relative clauses skipped), or after it.

    Returns the person (None for a state speaking: "Beijing said"), their state and where the
    subject starts.
    """
    text = ctx.norm.text
    if verb.endswith("ing") and text[c_start:v_start].strip(" ,") == "":
        people = [
            e for e in _entities(ctx, sent.start, c_start) if e.person is not None and e.explicit
        ]
        if people:
            return (*_with_state(ctx, people[0].person, people[0].code), c_start)
        return None, None, c_start
    masked = _WHO.sub(lambda m: " " * len(m.group()), text[c_start:v_start])
    cut = masked.rfind(",")
    if cut >= 0 and masked[cut:].strip(' ,"') == "":
        cut = masked[:cut].rfind(",")  # '"...," Erdogan said': the quote is before the comma
    seg_start = c_start + cut + 1
    blank = {
        c_start + i for m in _WHO.finditer(text[c_start:v_start]) for i in range(m.start(), m.end())
    }
    ents = [e for e in _entities(ctx, seg_start, v_start) if e.start not in blank]
    segment = text[seg_start:v_start]
    states = [e for e in ents if e.person is None and e.explicit]
    people = [e for e in ents if e.person is not None]
    if not people and len({e.code for e in states}) >= 2 and _AND.search(segment):
        return None, None, seg_start  # "Riyadh and Tehran said": a joint voice, not one speaker
    if not people and _AND_END.search(segment) and ctx.last_speaker:
        return (*_with_state(ctx, ctx.last_speaker, ctx.last_speaker.country or ""), seg_start)
    if people and _AND_THEN_END.search(segment):
        # "X met Y and said ...": the subject of the first verb speaks
        people = people[:1]
    for e in reversed(people):
        if not e.explicit and ctx.last_speaker is not None:
            return (*_with_state(ctx, ctx.last_speaker, ctx.last_speaker.country or ""), seg_start)
        return (*_with_state(ctx, e.person, e.code), seg_start)
    if _PRONOUN_END.search(segment):
        who = ctx.last_subject or ctx.last_speaker or ctx.last_person
        if who is not None:
            return (*_with_state(ctx, who, who.country or ""), seg_start)
    if states and _is_state_subject(text[states[-1].end : v_start]):
        return None, states[-1].code, seg_start
    after = _entities(ctx, v_end, min(c_end, v_end + 60))
    if after and after[0].person is not None and text[v_end : after[0].start].strip() == "":
        return (*_with_state(ctx, after[0].person, after[0].code), seg_start)
    return None, None, seg_start


def _with_state(
    ctx: _Context, person: PersonRef | None, code: str
) -> tuple[PersonRef | None, str | None]:
    """A speaker and their state; an official of unknown state speaks for the dateline's state."""
    if person is None:
        return None, code or None
    if not code and not person.country and ctx.here and person.title:
        return replace(person, country=ctx.here), ctx.here
    return person, code or person.country


def _is_state_subject(gap: str) -> bool:
    """True when a state named just before the verb is its subject ("Beijing said")."""
    return bool(
        re.fullmatch(
            r"(?:'s)?\s*(?:(?:foreign|external affairs|defen[cs]e|commerce|trade) ministry|"
            r"ministry of (?:foreign|external) affairs|foreign office|government|cabinet|"
            r"presidency|embassy|mission|state department|president's office|"
            r"prime minister's office|leader|president|prime minister|premier|chancellor|"
            r"foreign minister)?\s*(?:(?:has|have|had|also|firmly|strongly|again|"
            r"once again)\s+)*(?:in a statement\s+)?",
            gap,
            re.IGNORECASE,
        )
    )


_BILATERAL = re.compile(
    r"\b(?:between us|our two (?:countries|nations|peoples)|both (?:countries|sides|nations)|"
    r"the two (?:countries|sides|nations)|bilateral|each other)\b",
    re.I,
)


def _statements(ctx: _Context) -> list[Candidate]:
    """One statement per speaker and addressee, its sentences merged."""
    out: list[Candidate] = []
    for key, items in ctx.statements.items():
        speaker = ctx.speakers[key]
        code = key[1]
        targets = [t for _, t, _ in items if t]
        default = targets[0] if targets else _other(ctx, code)
        counterpart = _other(ctx, code)
        groups: dict[str, list[tuple[Sentence, date | None]]] = {}
        for sent, target, day in items:
            if target is None and counterpart and _BILATERAL.search(sent.text):
                target = counterpart  # "no problem between us": the story's other state
            if target or default:
                groups.setdefault(target or default or "", []).append((sent, day))
        for target, sents in groups.items():
            first, day = sents[0]
            joined = " ".join(dict.fromkeys(s.text for s, _ in sents))
            stance = _stance(joined)
            quote = _QUOTE.search(joined)
            persons = (speaker,) if speaker else ()
            out.append(
                Candidate(
                    type="statement",
                    actors=(code, target),
                    evidence=_evidence(ctx, first),
                    persons=persons,
                    date=day.isoformat() if day else None,
                    date_precision="day" if day else None,
                    confidence=0.8 if speaker else 0.6,
                    fields={
                        "speaker": speaker.name if speaker else None,
                        "stance": stance,
                        "topics": _topics(joined),
                        "quote": quote.group(1) if quote else None,
                    },
                )
            )
    return out


def _statement_day(
    ctx: _Context, sent: Sentence, seg_start: int, c_end: int, code: str, target: str | None
) -> date | None:
    """The day of a remark: of the call or talks it was made in, a day named with it, or the
    day of the story."""
    event = ctx.last_event
    if event is not None and event.date:
        pair = {code, target} if target else {code}
        recent = ctx.event_sentence >= ctx.sentence_index - 1
        if rules.DURING_EVENT.search(sent.text) or (recent and pair <= set(event.actors)):
            return date.fromisoformat(event.date)
    news = ctx.news_date
    for d in find_dates(sent.text, ctx.ref):  # the sentence's dates (cached), in the clause
        inside = seg_start <= sent.start + d.start < c_end
        if inside and d.precision == "day" and news and news - timedelta(days=7) <= d.day <= news:
            return d.day
    return news


def _stance(text: str) -> str:
    critical = len(rules.CRITICAL.findall(text))
    supportive = len(rules.SUPPORTIVE.findall(text))
    if critical > supportive:
        return "critical"
    return "supportive" if supportive else "neutral"


def _topics(text: str) -> tuple[str, ...]:
    lower = text.lower()
    return tuple(
        name
        for (name, pattern), hints in zip(rules.TOPICS, rules.TOPIC_HINTS, strict=True)
        if (hints is None or contains_any(lower, hints)) and pattern.search(text)
    )


# --- agreements, joint statements, trade, descriptors ----------------------------------------


_COLON_LIST = re.compile(r"[^:;.]{0,60}?:\s*")
_BULLET_LINE = re.compile(
    r"(?:[ \t]*\n)+[ \t]*(?:[•·▪●◦*\-–—]|\(?\d{1,2}[.)]|\(?[a-z][.)])[ \t]+([^\n]+)"
)


def _list_items(ctx: _Context, b: int, sent_end: int) -> list[str]:
    """Areas of a list introduced by a colon after an agreement trigger, one per item.

    The items follow the colon in the same sentence, separated by semicolons ("signed four
    documents: a memorandum on X; an accord on Y; and a protocol on Z"), or stand on bullet
    lines after a sentence that ends with the colon. Bullet lines used so are marked, so that a
    trigger inside one ("- Exchange of Notes on ...") adds nothing more.
    """
    text = ctx.norm.text
    m = _COLON_LIST.match(text, b, sent_end)
    if m is None:
        return []
    rest = text[m.end() : sent_end]
    if rest.strip():
        items = [i for i in re.split(r"\s*;\s*", rest) if i.strip()]
        if len(items) < 2:
            return []
    else:
        items = []
        pos = sent_end
        while (line := _BULLET_LINE.match(text, pos)) is not None:
            items.append(line.group(1))
            pos = line.end()
        ctx.listed_until = max(ctx.listed_until, pos)
    out: list[str] = []
    for item in items:
        item = re.sub(r"^(?:and|or)\s+|[\s;,.]+(?:and|or)?$", "", item.strip()).strip(" ;,.")
        area = rules.AREA_PREFIX.sub("", item).strip(" ,.") or item
        if area and area not in out:
            out.append(area)
    return out


def _areas(after: str, strong_only: bool = False) -> list[str]:
    """The cooperation areas listed after an agreement trigger, one per item.

    A list introduced by "in the fields of", "covering" or "including" always counts; one
    after a plain preposition ("on X and on Y") only when ``strong_only`` is false, and never
    a place ("signed a pact in Pyongyang").
    """
    m = re.search(
        r"\b(?:in (?:the )?areas? of|in (?:the )?fields? of|covering|including|namely|"
        r"among them|among which|notably)\s+",
        after,
        re.I,
    )
    if m and m.group().startswith("in ") and re.search(r"(?:,|\band)\s*$", after[: m.start()]):
        m = None  # "on X, and in the field of Y": the field is one item of a longer list
    if m is None and strong_only:
        return []
    if m is None and _CIRCUMSTANCE.match(after):
        return []  # "signed in the presence of the two leaders": who watched, not an area
    if m is None:
        m = re.match(
            r"^(?:\s*of understanding)?\s*(?:,\s*)?(?:on|in|for|to (?:promote|resume|restore|"
            r"re-establish|establish|boost|expand|strengthen|deepen))\s+",
            after,
            re.I,
        )
    if m is None:
        return []
    rest = rules.AREA_END.sub("", after[m.end() :])
    rest = re.split(r"\s+and\s+(?:also\s+)?(?:signed|inked|concluded|exchanged)\b", rest)[0]
    if m.group().strip().lower().startswith(("on", "in", "for", "to", "of")):
        # a plain preposition: the list ends where the clause does
        rest = re.split(_LIST_END, rest)[0]
    rest = re.split(r",\s+and\s+(?=[A-Z])|\s+\band\s+(?=[A-Z][a-z]+\s+(?:said|announced))", rest)[0]
    out: list[str] = []
    by_prep = rules.AREA_PREP_SPLIT.split(rest)
    if len(by_prep) > 1:
        items = [i for p in by_prep for i in re.split(r",?\s+as well as\s+", p)]
    else:
        items = rules.AREA_SPLIT.split(rest)
    if len(by_prep) == 1 and not re.search(r",\s+and\s+", rest) and items:
        # no serial comma: the last "and" joins the last two items
        items = [*items[:-1], *re.split(r"\s+and\s+", items[-1])]
    for item in items:
        item = rules.AREA_PREFIX.sub("", item.strip())
        item = rules.AREA_STOP.sub("", item).strip(" ,.")
        place = find_states(item)
        if place and place[0].start == 0 and place[0].end == len(item):
            continue
        if _TITLED.search(item):
            continue  # an area is never a person ("Premier Li Keqiang")
        if item and len(item.split()) <= 12 and item not in out:
            out.append(item)
    return out


_CIRCUMSTANCE = re.compile(
    r"^\s*(?:,\s*)?(?:in (?:the )?(?:presence|company|front) of|in (?:a|the) (?:ceremony|"
    r"signing ceremony)|by (?:the )?(?:two|both) (?:sides|leaders|ministers))\b",
    re.I,
)
_TITLED = re.compile(
    r"\b(?:President|Prime Minister|Premier|Chancellor|King|Queen|Emir|Crown Prince|"
    r"(?:Foreign |Deputy |State )?Minister|Secretary of State|Sheikh)\s+(?-i:[A-Z])",
)


_LIST_END = re.compile(r",\s+(?:\w+\s+){0,4}?(?:media|officials?|reported|said)\b|,\s+\w+ing\b")
_MODIFIER = re.compile(
    r"\b(?:an?|the|new)\s+((?:[a-z][\w-]*\s+){1,4}?)(?:cooperation\s+)?(?:agreements?|accords?|"
    r"deals?|pacts?|treaty|memorandum)\b",
)


def _modifier_area(trigger: str) -> str | None:
    """The area named before the agreement noun: "a security cooperation agreement"."""
    m = _MODIFIER.search(trigger)
    if m is None:
        return None
    words = _QUANTITY.sub("", m.group(1).strip())
    if not words or set(words.split()) <= _GENERIC_MODIFIERS:
        return None  # "a number of bilateral agreements" names no area
    return words


_QUANTITY = re.compile(r"^(?:(?:number|total|series|host|raft|range|set) of\s*)+")
_GENERIC_MODIFIERS = frozenset(
    [
        "bilateral",
        "several",
        "various",
        "other",
        "key",
        "important",
        "major",
        "new",
        "further",
        "additional",
    ]
)


def _js_areas(text: str) -> list[str]:
    m = re.search(r"\bcooperation in (?:the )?(?:areas?|fields?) of\s+([^.;]+)", text, re.I)
    return _areas("covering " + m.group(1)) if m else []


def _trade(ctx: _Context, sent: Sentence) -> None:
    """Bilateral trade figures: an amount of money, what it measures, between whom, when."""
    text = ctx.norm.text
    for c_start, c_end in _clauses(sent):
        clause = text[c_start:c_end]
        money = rules.MONEY.search(clause)
        word = rules.TRADE_WORD.search(clause)
        if money is None or word is None:
            continue
        if rules.TARGET.search(clause[: money.start()]) or rules.PRODUCT.search(clause):
            continue  # targets, forecasts, product-level figures
        direction = "total"
        if rules.EXPORTS.fullmatch(word.group()):
            direction = "exports"
        elif rules.IMPORTS.fullmatch(word.group()):
            direction = "imports"
        ents = [e for e in _entities(ctx, c_start, c_end) if e.code]
        actors = _trade_actors(ctx, ents, clause, c_start, direction, ctx.trade_reporter)
        if actors is None:
            continue
        ctx.trade_reporter = actors[0]
        period = _period(ctx, clause) or _period(ctx, sent.text) or ctx.trade_period
        ctx.trade_period = period
        _trade_figure(ctx, sent, money, clause, actors, direction, period, _change(clause))
        for extra in rules.MONEY.finditer(clause, money.end()):
            if re.search(r"\bfrom\s+$", clause[max(0, extra.start() - 8) : extra.start()]):
                # the comparison figure: "down 14.3 percent from $598.2 million a year earlier"
                earlier = _previous_period(period)
                _trade_figure(ctx, sent, extra, clause, actors, direction, earlier, None)


def _trade_figure(
    ctx: _Context,
    sent: Sentence,
    money: re.Match[str],
    clause: str,
    actors: tuple[str, ...],
    direction: str,
    period: str | None,
    change: float | None,
) -> None:
    num = money.group("num") or money.group("num2")
    unit_raw = (money.group("unit") or money.group("unit2") or "").lower()
    cur_raw = (money.group("sym") or money.group("cur2") or "$").lower().rstrip(".")
    ctx.slots.append(
        _Slot(
            Candidate(
                type="trade_figure",
                actors=actors,
                evidence=_evidence(ctx, sent),
                confidence=0.8,
                fields={
                    "amount": float(num.replace(",", "")),
                    "currency": rules.CURRENCIES.get(cur_raw, "USD"),
                    "unit": rules.UNITS.get(unit_raw, ""),
                    "period": period,
                    "direction": direction,
                    "change_pct": change,
                },
            )
        )
    )


def _change(clause: str) -> float | None:
    """The signed percentage change stated in a clause ("down 38 percent" -> -38.0)."""
    change = rules.CHANGE.search(clause)
    if change is None:
        return None
    value = float(change.group("pct") or change.group("pct2"))
    word = change.group("dir") or change.group("dir2") or ""
    return -value if rules.FALLING.match(word) else value


def _previous_period(period: str | None) -> str | None:
    """The same period a year earlier: "2023-Q1" -> "2022-Q1"."""
    if period is None:
        return None
    m = re.match(r"^(FY)?(\d{4})(.*)$", period)
    if m is None:
        return None
    return f"{m.group(1) or ''}{int(m.group(2)) - 1}{m.group(3)}"


def _trade_actors(
    ctx: _Context,
    ents: list[_Entity],
    clause: str,
    c_start: int,
    direction: str,
    reporter: str | None,
) -> tuple[str, ...] | None:
    codes = list(dict.fromkeys(e.code for e in ents))
    if direction == "total":
        if len(codes) >= 2:
            return (codes[0], codes[1])
        if len(ctx.main) == 2 and (not codes or codes[0] in ctx.main):
            return ctx.main
        return None
    word = (rules.EXPORTS if direction == "exports" else rules.IMPORTS).search(clause)
    assert word is not None
    w = c_start + word.start()
    before = [e.code for e in ents if e.end <= w]
    after = [e.code for e in ents if e.start >= w]
    first = before[-1] if before else reporter
    second = next((c for c in after if c != first), None)
    if first is None and second and len(ctx.main) == 2 and second in ctx.main:
        first = next(c for c in ctx.main if c != second)
    if second is None and first and len(ctx.main) == 2 and first in ctx.main:
        second = next(c for c in ctx.main if c != first)
    if first and second and first != second:
        return (first, second)
    return None


_ORDINAL = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3}
_COUNT = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}  # fmt: skip


def _period(ctx: _Context, clause: str) -> str | None:
    """The period a trade figure covers: "2022", "2023-Q1", "2022-01/2022-11", "FY2023"."""
    fiscal = rules.FISCAL.search(clause)
    if fiscal:
        a = fiscal.group("a")
        b = fiscal.group("b")
        return f"FY{int(b) if b and len(b) == 4 else int(a) + 1 if b else a}"
    quarter = re.search(
        r"\b(first|second|third|fourth|1st|2nd|3rd)\s+quarter\b[^.;]{0,30}?((?:19|20)\d\d)",
        clause,
        re.I,
    )
    if quarter:
        return f"{quarter.group(2)}-Q{_ORDINAL[quarter.group(1).lower()]}"
    months = re.search(
        r"\bfirst\s+(two|three|four|five|six|seven|eight|nine|ten|eleven|\d{1,2})\s+months\s+"
        r"of\s+((?:19|20)\d\d)",
        clause,
        re.I,
    )
    if months:
        n = months.group(1).lower()
        count = int(n) if n.isdigit() else _COUNT[n]
        return f"{months.group(2)}-01/{months.group(2)}-{count:02d}"
    half = re.search(r"\b(first|second) half of (?:(?:the )?year )?((?:19|20)\d\d)", clause, re.I)
    if half:
        return f"{half.group(2)}-H{1 if half.group(1).lower() == 'first' else 2}"
    for d in find_dates(clause, ctx.ref):
        if d.precision == "year":
            return str(d.day.year)
        if d.precision == "month":
            return f"{d.day.year}-{d.day.month:02d}"
    year = re.search(r"\b((?:19|20)\d\d)\b", clause)
    return year.group(1) if year else None


def _descriptors(ctx: _Context, sentences: list[Sentence]) -> list[Candidate]:
    out: list[Candidate] = []
    seen: set[str] = set()
    for sent in sentences:
        if not mentions_any(sent.text, rules.DESCRIPTOR_HINTS):
            continue
        for m in rules.DESCRIPTOR.finditer(sent.text):
            phrase = m.group(1).strip()
            if not rules.DESCRIPTOR_WORDS.search(phrase):
                continue
            phrase = re.sub(r"^(?:and|of|new)\s+", "", phrase, flags=re.I)
            key = phrase.lower()
            ents = [e for e in _entities(ctx, sent.start, sent.end) if e.code and e.explicit]
            codes = list(dict.fromkeys(e.code for e in ents))
            actors = tuple(codes[:2]) if len(codes) >= 2 else ctx.main
            if len(actors) != 2 or key in seen:
                continue
            seen.add(key)
            out.append(
                Candidate(
                    type="descriptor",
                    actors=tuple(actors),
                    evidence=_evidence(ctx, sent),
                    confidence=0.7,
                    fields={"descriptor": key},
                )
            )
    return out


def _evidence(ctx: _Context, sent: Sentence) -> Evidence:
    start, end = ctx.norm.original_span(sent.start, sent.end)
    return Evidence(start, end, ctx.norm.original[start:end])


def _explicit_day(dates: list[DateMention], c_start: int, c_end: int) -> bool:
    """True when a day is named in the clause ``[c_start, c_end)``."""
    return any(d.precision == "day" and c_start <= d.start < c_end for d in dates)
