"""Events announced by a trigger phrase: meetings, calls, visits, joint statements, agreements.

Each such type is a ``TriggerKind`` in its own module (``kinds/``): its trigger phrases, who
its actors and persons are, and how it splits or merges. This module runs them together,
clause by clause and in registry order: a trigger's span is taken once (an earlier kind's
match wins an overlap); negation and irrealis cues drop a trigger, plan cues flag it planned,
past dates and past-perfect cues flag it background; the day is the one named nearest in the
clause, else in the sentence, else the story's day. Mentions of one event ("the talks",
"during the visit") merge into one candidate.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import lru_cache
from itertools import combinations

from tracker.extraction import rules
from tracker.extraction.analysis import (
    Analysis,
    Entity,
    clauses,
    entities,
    evidence,
    explicit_people,
    other,
    sentence_dates,
)
from tracker.extraction.candidates import Candidate, PersonRef
from tracker.extraction.dates import DateMention
from tracker.extraction.extractor import Line
from tracker.extraction.patterns import contains_any, lower_source
from tracker.extraction.text import Sentence

_SINCE = re.compile(r"\b(?:since|launched|founded|established|began|begun)\b[^.;]{0,30}$", re.I)
_IS_DUE = re.compile(r"(?:is|are) due\b", re.I)
_TO_END = re.compile(r"\bto\s+$")
_TRIPLE_HYPHEN = re.compile(r"\b\w+-\w+-\w+\b")
_QUOTED = re.compile(r"[\"“][^\"“”]*[\"”]|(?<!\w)'[^']{8,}'(?!\w)")
_SIGNED = re.compile(r"\b(?:signed|inked|adopted)\b")


@dataclass(frozen=True)
class Trigger:
    """A phrase that announces an event; ``anaphoric`` ones refer back ("the talks").

    ``hints`` are lower-case substrings one of which every match contains: a clause without any
    of them is not searched (a C-fast ``in`` test instead of a regex). A test checks the hints
    against every match in the annotated sets.
    """

    pattern: re.Pattern[str]
    hints: tuple[str, ...]
    anaphoric: bool = False
    lowered: re.Pattern[str] | None = None  # the same pattern for lower-cased text, if any

    def finditer(self, text: str, lower: str) -> Iterator[re.Match[str]]:
        """Matches in ``text``; ``lower`` is ``text.lower()`` (searched when that is faster)."""
        if self.lowered is not None and len(lower) == len(text):
            return self.lowered.finditer(lower)
        return self.pattern.finditer(text)


def trigger(pattern: str, hints: tuple[str, ...], anaphoric: bool = False) -> Trigger:
    """A case-insensitive trigger, with its lower-cased twin when the pattern allows one."""
    compiled = re.compile(pattern, re.IGNORECASE)
    try:
        lowered: re.Pattern[str] | None = re.compile(lower_source(pattern))
    except ValueError:
        lowered = None
    return Trigger(compiled, hints, anaphoric, lowered)


@dataclass(frozen=True)
class Site:
    """Where a trigger matched: the sentence, the clause ``[c_start, c_end)`` and the trigger
    ``[a, b)``."""

    doc: Analysis
    sent: Sentence
    match: re.Match[str]
    c_start: int
    a: int
    b: int
    c_end: int
    anaphoric: bool

    @property
    def clause(self) -> str:
        """The clause's text."""
        return self.doc.text[self.c_start : self.c_end]

    @property
    def after(self) -> str:
        """The clause's text after the trigger."""
        return self.doc.text[self.b : self.c_end]


ActorsFn = Callable[[Site, list[Entity]], list[tuple[str, ...]]]
PersonsFn = Callable[[Site, list[Entity], tuple[str, ...]], tuple[PersonRef, ...]]


def pair_actors(site: Site, ents: list[Entity]) -> list[tuple[str, ...]]:
    """Participant pairs of an encounter or a document (one per pair of a multilateral one)."""
    return pair_actors_with(site, ents, None)


def pair_actors_with(
    site: Site, ents: list[Entity], sentence_people: list[str] | None
) -> list[tuple[str, ...]]:
    """``pair_actors``, completed by the states of the persons named in the sentence."""
    doc = site.doc
    clause = site.clause
    person_codes = [e.code for e in ents if e.person is not None and e.explicit]
    if len(set(person_codes)) < 2 and sentence_people:
        person_codes += [c for c in sentence_people if c not in person_codes]
    codes = list(dict.fromkeys([*person_codes, *(e.code for e in ents)]))
    many = rules.MULTILATERAL.search(clause) or _TRIPLE_HYPHEN.search(clause)
    if len(codes) >= 3 and many:
        # the states named up to the trigger take part ("A, B and C held a summit ... aimed at D")
        upto = [e.code for e in ents if e.start < site.b]
        group = tuple(dict.fromkeys(upto))[:4] if len(set(upto)) >= 3 else tuple(codes[:4])
        doc.discourse.group = group
        return [tuple(p) for p in combinations(group, 2)]
    # only states count back ("the four ministers" may be two from each of two states)
    size = _GROUP_SIZE.search(many.group()) if many and _GROUP_NOUN.search(many.group()) else None
    named = any(e.explicit for e in ents)
    group = doc.discourse.group
    if not named and size and _SIZES[size.group().lower()] == len(group):
        return [tuple(p) for p in combinations(group, 2)]  # "the three countries issued"
    if len(codes) >= 2:
        return [tuple(codes[:2])]
    if len(codes) == 1:
        second = other(doc, codes[0])
        if second:
            return [(codes[0], second)]
        if doc.here and doc.here != codes[0]:
            return [(codes[0], doc.here)]
    if not codes and len(doc.main) == 2:
        return [doc.main]  # "Tuesday's talks were held ...": the story's two states
    return []


# "the three countries", "trilateral": how many states a back-reference names
_GROUP_SIZE = re.compile(r"three|tri|four|quad", re.I)
_SIZES = {"three": 3, "tri": 3, "four": 4, "quad": 4}
_GROUP_NOUN = re.compile(r"countr|nation|state|govern|side|trilat|tripart|quadri", re.I)


def participants(site: Site, ents: list[Entity], actors: tuple[str, ...]) -> tuple[PersonRef, ...]:
    """Who takes part in an encounter: the subject and the object of the trigger, completed by
    persons of a missing side named elsewhere in the sentence."""
    named = [e for e in ents if e.person is not None and e.code in (*actors, "")]
    grouped = [p for e in ents if e.group for p in e.group if p.country in actors]
    subject = [e.person for e in named if e.start < site.a and e.person]
    obj = [e.person for e in named if e.start >= site.b and e.person]
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
            people = [e.person for e in explicit_people(site.doc, site.sent) if e.code == code]
            found += [p for p in people[:1] if p is not None]
    # an official of unknown state in a bilateral event belongs to the side not yet named
    missing = [c for c in actors if not any(p.country == c for p in found)]
    out = []
    for p in found:
        if p.country is None and missing:
            p = replace(p, country=missing.pop(0))
        out.append(p)
    return tuple(dict.fromkeys(out))


def signatories(site: Site, ents: list[Entity], actors: tuple[str, ...]) -> tuple[PersonRef, ...]:
    """Signatories of a document: the persons who are the subject of "signed", "inked",
    "adopted" (none when the text does not say who signed)."""
    start = max(0, site.a - 60)
    verb = _SIGNED.search(site.doc.text[start : site.b])
    if verb is None:
        return ()
    verb_at = start + verb.start()
    return tuple(
        dict.fromkeys(
            e.person
            for e in ents
            if e.person and e.explicit and e.start < verb_at and e.code in actors
        )
    )


def same_encounter(old: Candidate, new: Candidate, also: bool) -> bool:
    """Two mentions of one encounter: same day, persons of one included in the other's, and no
    "also" (which announces another one)."""
    if also or old.date != new.date:
        return False
    a, b = set(old.persons), set(new.persons)
    return a <= b or b <= a


def _one(site: Site, cand: Candidate, state: TriggeredState) -> list[Candidate]:
    return [cand]


def _never(site: Site) -> bool:
    return False


@dataclass(frozen=True)
class TriggerKind:
    """One event type announced by triggers, and how its candidates are built and merged.

    - ``actors``/``persons``: who (pairs of states; the persons of one pair);
    - ``variants``: the candidates one trigger yields (one agreement per area, say);
    - ``rejects``: a match that announces no event of this type ("received the business
      community");
    - ``same``: whether a new candidate is a second mention of an old one (same type and actor
      set already checked);
    - ``absorbs``: whether a new candidate replaces an old, vaguer one;
    - ``ordered``: the actors' order is part of the identity (visitor, host);
    - ``mention_creates``: an anaphoric mention with nothing to refer back to makes an event;
    - ``encounter``: triggers mark where an event was reported (statements next to them report
      it, not a position); ``contact``: the event dates the remarks made during it;
    - ``ends_clause``: once it matched, the clause holds nothing else ("a phone call" is never
      also a meeting); ``reads_lists``: its triggers skip list items already read.
    """

    type: str
    triggers: tuple[Trigger, ...]
    actors: ActorsFn = pair_actors
    persons: PersonsFn = participants
    variants: Callable[[Site, Candidate, TriggeredState], list[Candidate]] = _one
    rejects: Callable[[Site], bool] = _never
    same: Callable[[Candidate, Candidate, bool], bool] = same_encounter
    absorbs: Callable[[Candidate, Candidate], bool] | None = None
    ordered: bool = False
    mention_creates: bool = True
    encounter: bool = False
    contact: bool = False
    ends_clause: bool = False
    reads_lists: bool = False


@dataclass
class _Slot:
    """A candidate being built; ``multi`` marks one pair of a multilateral event."""

    cand: Candidate
    multi: bool = False


@dataclass
class TriggeredState:
    """The triggered extractor's state across the sentences of one article."""

    slots: list[_Slot] = field(default_factory=list)
    negated: set[str] = field(default_factory=set)
    listed_until: int = 0  # bullet lines up to here were read as one list (of agreements)


class TriggeredExtractor:
    """Runs the registered trigger kinds over each clause (see the module docstring)."""

    def __init__(self, kinds: tuple[TriggerKind, ...]) -> None:
        self.kinds = kinds
        self.by_type = {k.type: k for k in kinds}
        self.hints = frozenset(h for k in kinds for t in k.triggers for h in t.hints)
        self.hint_list = tuple(sorted(self.hints))
        self.state = TriggeredState()

    def read(self, doc: Analysis, line: Line) -> None:
        """Look for triggers in every clause of the sentence that has a hint of one."""
        lower = line.lower
        if not contains_any(lower, self.hint_list):
            return
        for c_start, c_end in clauses(line.sent):
            self._clause(doc, line, c_start, c_end)

    def results(self, doc: Analysis) -> list[Candidate]:
        """Every candidate built, in the order first found."""
        return [slot.cand for slot in self.state.slots]

    def _clause(self, doc: Analysis, line: Line, c_start: int, c_end: int) -> None:
        text = doc.text
        clause = text[c_start:c_end]
        lower = clause.lower()
        present = {h for h in self.hints if h in lower}
        if not present:
            return
        taken: list[tuple[int, int]] = []
        future_time: bool | None = None  # FUTURE_TIME in the clause, searched once when needed
        for kind in self.kinds:
            ended = False
            for trig in kind.triggers:
                if present.isdisjoint(trig.hints):
                    continue
                for m in trig.finditer(clause, lower):
                    a, b = c_start + m.start(), c_start + m.end()
                    if kind.reads_lists and a < self.state.listed_until:
                        break  # an item of a list already read
                    if any(x < b and a < y for x, y in taken):
                        continue
                    before = text[c_start:a]
                    after = text[b:c_end]
                    # the cue patterns end in "[^.;]{0,N}$": only the last 90 characters match
                    window = before[-90:]
                    if rules.NEGATION_BEFORE.search(window) or rules.NEGATION_AFTER.match(
                        after[:120]
                    ):
                        taken.append((a, b))
                        self.state.negated.add(kind.type)
                        continue
                    planned = bool(
                        rules.PLANNED.search(window)
                        or rules.PLANNED_AFTER.match(after[:80])
                        or self._in_planned_lead(doc, line, a)
                    )
                    if not planned:
                        if future_time is None:
                            # the future inside a quotation is the speaker's, not the report's
                            unquoted = _QUOTED.sub(" ", clause)
                            future_time = rules.FUTURE_TIME.search(unquoted) is not None
                        planned = future_time or _IS_DUE.match(m.group()) is not None
                    if _TO_END.search(before) and not planned:
                        continue  # "the first president to visit Japan": no event
                    site = Site(doc, line.sent, m, c_start, a, b, c_end, trig.anaphoric)
                    if kind.rejects(site):
                        continue
                    # a planned trigger reads its sentence's dates forward; the others do not
                    dates = sentence_dates(doc, line.sent, future=True) if planned else line.dates
                    if self._event(kind, site, dates, line.same_day, planned):
                        taken.append((a, b))
                        if kind.encounter and not trig.anaphoric:
                            doc.discourse.event_triggers.append(a)
                        if kind.ends_clause:
                            ended = True
            if ended:
                return

    @staticmethod
    def _in_planned_lead(doc: Analysis, line: Line, a: int) -> bool:
        """Whether the trigger at ``a`` sits in an opening "Following ..." phrase of a sentence
        whose main clause is in the future."""
        sent = line.sent
        lead = doc.text[sent.start : a]
        if "," in lead or not rules.LEADING_PHRASE.match(lead):
            return False
        comma = doc.text.find(",", a, sent.end)
        if comma < 0:
            return False
        future = rules.FUTURE_MAIN.search(doc.text, comma, sent.end)
        # "After the talks, a diplomat told reporters China will ...": the future is reported
        return future is not None and not rules.REPORTING.search(doc.text, comma, future.start())

    def _event(
        self,
        kind: TriggerKind,
        site: Site,
        dates: list[DateMention],
        same_day: bool,
        planned: bool,
    ) -> bool:
        doc = site.doc
        c_start, a, b, c_end = site.c_start, site.a, site.b, site.c_end
        text = doc.text
        everyone = entities(doc, c_start, c_end)
        ents = [e for e in everyone if e.code]
        clause = site.clause
        dates = [d for d in dates if not _attributive(text, d, a, b)]
        near = [d for d in dates if d.start >= a or d.start >= a - 40 or d.start - c_start < 25]
        background = _is_background(doc, clause, near, c_start, c_end) or bool(
            rules.CAME_AFTER.search(text[max(c_start, a - 40) : a])
        )
        if planned and not _dated_right_after(dates, b):
            background = False
        elif background:
            planned = False
        day = _event_day(doc, dates, a, c_start, c_end, same_day, background)
        if day is None and not planned and not background:
            day = doc.news_date
        if day is not None and doc.ref is not None and day > doc.ref and not background:
            planned = True  # nothing reported can have happened after the story was filed
        if (
            day is not None
            and doc.news_date
            and not planned
            and day < doc.news_date - timedelta(days=7)
        ):
            background = True
        pairs = kind.actors(site, ents)
        if not pairs:
            return False
        multi = len(pairs) > 1
        made = False
        also = bool(rules.ALSO.search(text[max(c_start, a - 30) : a]))
        dated = _explicit_day(dates, c_start, c_end)
        for actors in pairs:
            persons = kind.persons(site, everyone, actors)
            explicit = sum(1 for e in ents if e.explicit and e.code in actors)
            conf = 0.55 + 0.1 * min(explicit, 2) + (0.1 if persons else 0.0)
            conf -= 0.15 if (planned or background) else 0.0
            base = Candidate(
                type=kind.type,
                actors=actors,
                evidence=evidence(doc, site.sent),
                persons=persons,
                date=day.isoformat() if day else None,
                date_precision="day" if day else None,
                background=background,
                planned=planned,
                confidence=min(conf, 0.95),
            )
            for cand in kind.variants(site, base, self.state):
                made |= self._add(doc, kind, cand, site.anaphoric, also, multi, dated)
        return made

    def _add(
        self,
        doc: Analysis,
        kind: TriggerKind,
        cand: Candidate,
        anaphoric: bool,
        also: bool,
        multi: bool = False,
        dated: bool = False,
    ) -> bool:
        """Add a candidate, or merge it into the one it mentions again.

        A mention of a meeting or call already reported ("the talks", "the call") only merges;
        a repeated visit mention creates the visit when none is known ("During the visit").
        """
        slots = self.state.slots
        if anaphoric:
            for i in range(len(slots) - 1, -1, -1):
                old = slots[i].cand
                # a mention refers back whatever the status it seems to have ("looks forward to
                # this visit" after "will pay a visit"); a visit's back-reference may name the
                # host as its subject ("Sunak called it a historic visit")
                if (
                    old.type == cand.type
                    and not old.background
                    and not cand.background
                    and (old.planned == cand.planned or not dated)
                    and set(cand.actors) & set(old.actors)
                    and (
                        not kind.ordered
                        or old.actors == cand.actors
                        or set(old.actors) == set(cand.actors)
                    )
                    and (not dated or cand.date == old.date)
                ):
                    self._merge(doc, i, cand)
                    return True
            if not kind.mention_creates or cand.type in self.state.negated:
                return False
        for i, slot in enumerate(slots):
            if slot.multi == multi and self._same_event(slot.cand, cand, also):
                self._merge(doc, i, cand)
                return True
        if kind.absorbs is not None:
            for slot in slots:
                if kind.absorbs(slot.cand, cand):
                    persons = tuple(dict.fromkeys([*slot.cand.persons, *cand.persons]))
                    slot.cand = replace(cand, persons=persons)
                    return True
        slots.append(_Slot(cand, multi))
        self._note(doc, cand)
        return True

    def _merge(self, doc: Analysis, i: int, cand: Candidate) -> None:
        old = self.state.slots[i].cand
        new = cand.persons
        if self.by_type[old.type].ordered:
            # "During the visit the prime minister will meet President Xi": only visitors
            new = tuple(p for p in new if p.country in (None, old.actors[0]))
        persons = tuple(dict.fromkeys([*old.persons, *new]))
        merged = replace(old, persons=persons, confidence=max(old.confidence, cand.confidence))
        self.state.slots[i].cand = merged
        self._note(doc, merged)

    def _note(self, doc: Analysis, cand: Candidate) -> None:
        kind = self.by_type.get(cand.type)
        if kind is not None and kind.contact and not cand.background and not cand.planned:
            doc.discourse.last_event = cand
            doc.discourse.event_sentence = doc.discourse.sentence_index

    def _same_event(self, old: Candidate, new: Candidate, also: bool) -> bool:
        if old.type != new.type or old.background != new.background:
            return False
        if old.planned != new.planned:
            return False
        kind = self.by_type[new.type]
        if kind.ordered:
            return old.actors == new.actors
        if set(old.actors) != set(new.actors):
            return False
        return kind.same(old, new, also)


def _attributive(text: str, d: DateMention, a: int, b: int) -> bool:
    """A date that belongs to a noun, not to the event ("the treaty signed on Jan. 22, 1963")."""
    if a <= d.start <= b + 15:
        return False
    return bool(rules.ATTRIBUTIVE_DATE.search(text[max(0, d.start - 30) : d.start]))


def _dated_right_after(dates: list[DateMention], b: int) -> bool:
    return any(b <= d.start <= b + 15 and d.precision != "day" for d in dates)


def _event_day(
    doc: Analysis,
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
        return doc.discourse.last_day or doc.news_date
    return None


def _is_background(
    doc: Analysis, clause: str, dates: list[DateMention], c_start: int, c_end: int
) -> bool:
    """Past events named only as context: past perfect, "last met", or a date well before."""
    if _cued_background(clause):
        return True
    news = doc.news_date
    if news is None:
        return False
    text = doc.text
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


@lru_cache(maxsize=4096)
def _cued_background(clause: str) -> bool:
    """A background cue in the clause: past perfect outside reported speech, "last met", ...
    (cached: the triggers of one clause ask the same)."""
    if rules.BACKGROUND.search(clause):
        return True
    perfect = rules.PAST_PERFECT.search(clause)
    return bool(perfect and not rules.REPORTING.search(clause[: perfect.start()]))


def _explicit_day(dates: list[DateMention], c_start: int, c_end: int) -> bool:
    """True when a day is named in the clause ``[c_start, c_end)``."""
    return any(d.precision == "day" and c_start <= d.start < c_end for d in dates)
