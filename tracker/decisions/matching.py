"""Whether a newly extracted fact reports a recorded event again, and why (pure).

A new fact is judged against each active event of its relationship with the same kind and
planned flag. It is the same real-world event when the date agrees within the precision of
both dates (the same day; the same month or year for coarser ones; two undated reports only
when recorded within ``UNDATED_WINDOW`` of each other) and the kind's own identity holds:

- meeting, phone call, visit: *who*. Persons are compared per state, as one identity across
  spellings, aliases, surnames and titles ("Shehbaz", "PM Shehbaz", "the premier" of Pakistan
  that day: ``tracker.persons``); spokespersons only report and are left out. Two reports that
  name different people of one state are different events (the visitor's second meeting of
  the day, with another counterpart). A visit keeps its direction (visitor, host) unless the
  persons agree: then one report read it the other way round (a thin match);
- statement: the same speaker state and similar wording (quote, else summary);
- agreement: the same area, else a similar title/summary (one report naming no area: thin);
- trade figure: the same period, direction (and exporter) and amount; the date is ignored,
  since reports of one figure come out months apart;
- descriptor: the same wording; joint statement: the date alone.

Each judgement has a strength. **Firm**: the identity holds on shared evidence (a person in
common and the same day; the same area, speaker and words...). **Alone**: nothing contradicts
it but the evidence is thin (one report names nobody; dates only to the month; both undated
with a person in common; a call between the same people dated a day apart, as time zones
make it): accepted when it is the only such event. **Suspect**: a meeting or visit dated a
day apart (which is also what two meetings of one visit on consecutive days look like), or
two undated reports with nobody to compare. ``decide_match`` takes the earliest firm event,
else the only "alone" one; otherwise the fact is recorded on its own and, when suspect or
ambiguous candidates exist, flagged as their possible duplicate for an analyst
(``DuplicateSuspected``) rather than merged. Every decision says why.

Similarity is ``difflib`` (stdlib): the reports are short and there are few candidates per pair
and day, so a C extension would buy nothing.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import IntEnum

from events import DiplomaticEvent
from tracker.persons import is_reporter, same_person
from tracker.projections.model import PersonRef, TimelineEntry
from tracker.projections.relationship import PairState

DAY_TOLERANCE = timedelta(days=1)
UNDATED_WINDOW = timedelta(days=31)
TEXT_SIMILARITY = 0.6
AMOUNT_TOLERANCE = 0.005
_CONTENT_KINDS = ("statement", "agreement", "descriptor")


def _word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


_WORD = re.compile(r"[^\W_]+")
_STOPWORDS = _word_set(
    "a an and are as at be by for from has have in is it its of on or that the their this to "
    "was were will with said says say"
)


def _words(text: str | None) -> list[str]:
    return _WORD.findall((text or "").casefold())


def _stems(text: str | None) -> set[str]:
    # A crude stem (the first five letters) so "supports"/"supported"/"support" agree.
    return {w[:5] for w in _words(text) if w not in _STOPWORDS}


def similarity(a: str | None, b: str | None) -> float:
    """How alike two short texts are (0..1): the better of the word-sequence ratio and the
    overlap coefficient of their content-word stems (shared / size of the smaller set,
    counted only when both have three or more)."""
    wa, wb = _words(a), _words(b)
    if not wa or not wb:
        return 0.0
    sequence = difflib.SequenceMatcher(None, wa, wb, autojunk=False).ratio()
    sa, sb = _stems(a), _stems(b)
    overlap = len(sa & sb) / min(len(sa), len(sb)) if min(len(sa), len(sb)) >= 3 else 0.0
    return max(sequence, overlap)


def _days_agree(a: date, a_precision: str | None, b: date, b_precision: str | None) -> bool:
    precisions = {a_precision or "day", b_precision or "day"}
    if "year" in precisions:
        return a.year == b.year
    if "month" in precisions:
        return (a.year, a.month) == (b.year, b.month)
    return abs(a - b) <= DAY_TOLERANCE


class Strength(IntEnum):
    """How well the evidence supports "the same event" (see the module docstring)."""

    SUSPECT = 0
    ALONE = 1
    FIRM = 2


Judged = tuple[Strength, str] | None
"""A strength and its reason, or None: not the same event."""


@dataclass(frozen=True)
class Judgement:
    """Why ``fact`` may report ``entry`` again, and how strongly."""

    entry: TimelineEntry
    strength: Strength
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Decision:
    """What a new fact is: a report of ``match`` (for ``reasons``), or a new event, flagged as
    a possible duplicate of ``suspects`` (for ``why``) when there are any."""

    match: TimelineEntry | None = None
    reasons: tuple[str, ...] = ()
    suspects: tuple[TimelineEntry, ...] = ()
    why: str = ""


def _date_strength(entry: TimelineEntry, fact: DiplomaticEvent, now: datetime) -> Judged:
    a, b = entry.occurred_on, fact.occurred_on
    if a is None and b is None:
        if abs(now - entry.recorded_at) > UNDATED_WINDOW:
            return None
        return Strength.ALONE, f"both undated, recorded within {UNDATED_WINDOW.days} days"
    if a is None or b is None or not _days_agree(a, entry.date_precision, b, fact.date_precision):
        return None
    coarse = {entry.date_precision or "day", fact.date_precision or "day"} - {"day"}
    if coarse:
        return Strength.ALONE, f"same {max(coarse, key=len)} ({a:%Y-%m} and {b:%Y-%m})"
    if a != b:
        return Strength.SUSPECT, f"dates a day apart ({a} and {b})"
    return Strength.FIRM, f"same date {a}"


def _participants(persons: Iterable[PersonRef]) -> list[PersonRef]:
    return [p for p in persons if not is_reporter(p)]


def _who(entry: TimelineEntry, fact: DiplomaticEvent) -> Judged:
    """Persons per state: where both reports name someone of a state, one must be in common
    (else they are different events); firm with a person in common, "alone" with nobody to
    compare. Persons of no known state are compared with everyone."""
    on = fact.occurred_on or entry.occurred_on
    mine = _participants(entry.persons)
    theirs = _participants(PersonRef(p.name, p.title, p.country) for p in fact.persons)
    shared: dict[str, None] = {}
    for state in sorted({p.country for p in (*mine, *theirs) if p.country}):
        if not any(p.country == state for p in mine) or not any(p.country == state for p in theirs):
            continue  # one report names nobody of this state: nothing to compare
        here = [p for p in mine if p.country in (state, None)]
        there = [p for p in theirs if p.country in (state, None)]
        common = [p.name for p in here for q in there if same_person(p, q, on)]
        if not common:
            return None  # another counterpart: another event
        shared.update(dict.fromkeys(common))
    if not shared and mine and theirs:
        shared.update(dict.fromkeys(p.name for p in mine for q in theirs if same_person(p, q, on)))
        if not shared and not any(p.country for p in (*mine, *theirs)):
            return None  # nobody in common, and no state to tell them apart by
    if shared:
        return Strength.FIRM, "same persons: " + ", ".join(shared)
    return Strength.ALONE, "no persons to compare (no state named by both reports)"


def _identity(entry: TimelineEntry, fact: DiplomaticEvent) -> Judged:
    """The kind's own identity (module docstring); None when it does not hold."""
    d = entry.details
    new = fact.model_dump(mode="json")
    if fact.kind in ("meeting", "phone_call", "visit"):
        who = _who(entry, fact)
        if fact.kind == "visit" and entry.actors != tuple(fact.actors):
            # Visitor and host swapped: one report misread the direction (two visits opposite
            # ways on one day by the same people do not happen), so the persons must agree.
            if who is None or who[0] < Strength.FIRM:
                return None
            return Strength.ALONE, f"{who[1]}; visitor and host read the other way round"
        return who
    if fact.kind == "statement":
        if entry.actors[0] != fact.actors[0]:
            return None
        quotes = similarity(d.get("quote"), new.get("quote"))
        alike = max(quotes, similarity(entry.summary, fact.summary))
        if alike < TEXT_SIMILARITY:
            return None
        return Strength.FIRM, f"same speaker state {fact.actors[0]}, similar words ({alike:.2f})"
    if fact.kind == "agreement":
        area, other = (d.get("area") or "").casefold(), (new.get("area") or "").casefold()
        if area and other:
            return (Strength.FIRM, f"same area {area}") if area == other else None
        text = max(
            similarity(d.get("title"), new.get("title")), similarity(entry.summary, fact.summary)
        )
        if text >= TEXT_SIMILARITY:
            return Strength.FIRM, f"similar title ({text:.2f})"
        return (Strength.ALONE, "one report names no area") if area or other else None
    if fact.kind == "trade_figure":
        if (d.get("period"), d.get("direction")) != (new.get("period"), new.get("direction")):
            return None
        if new.get("direction") != "total" and entry.actors != tuple(fact.actors):
            return None
        a, b = _value(d.get("amount"), d.get("unit")), _value(new["amount"], new["unit"])
        if abs(a - b) > AMOUNT_TOLERANCE * max(a, b, 1e-9):
            return None
        return Strength.FIRM, f"same figure: {new['direction']} {new.get('period')} {b:g}"
    if fact.kind == "descriptor":
        if str(d.get("descriptor", "")).casefold() != str(new["descriptor"]).casefold():
            return None
        return Strength.FIRM, "same wording"
    return Strength.FIRM, "one joint statement a day"


def _value(amount: object, unit: object) -> float:
    units = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
    return float(amount or 0.0) * units.get(str(unit), 1.0)  # type: ignore[arg-type]


def judge(entry: TimelineEntry, fact: DiplomaticEvent, now: datetime) -> Judgement | None:
    """Whether ``fact`` may report the event ``entry`` again, how strongly and why (rules
    above); None when it cannot (another kind, date or identity)."""
    if entry.type != fact.type_name or entry.planned != fact.planned:
        return None
    identity = _identity(entry, fact)
    if identity is None:
        return None
    reasons = [f"same type ({fact.kind.replace('_', ' ')})"]
    strength = identity[0]
    if fact.kind == "trade_figure":  # reports of one figure come out months apart
        reasons.append(identity[1])
        return Judgement(entry, strength, tuple(reasons))
    when = _date_strength(entry, fact, now)
    if when is None:
        return None
    if fact.kind in _CONTENT_KINDS or (
        fact.kind in ("phone_call", "visit") and identity[0] == Strength.FIRM
    ):
        # The content decides (any agreeing date will do); a call between the same people
        # is dated a day apart across time zones far more often than repeated the next day,
        # and a visit spans days (dated by the arrival in one report, the talks in another).
        when = (max(when[0], Strength.ALONE), when[1])
    reasons += [when[1], identity[1]]
    if entry.occurred_on is None and fact.occurred_on is None and strength < Strength.FIRM:
        return Judgement(entry, Strength.SUSPECT, tuple(reasons))  # no date, nobody: too thin
    return Judgement(entry, min(strength, when[0]), tuple(reasons))


def matches(entry: TimelineEntry, fact: DiplomaticEvent, now: datetime) -> bool:
    """True when ``fact`` is accepted as a report of ``entry`` when ``entry`` is its only
    candidate (a firm or an "alone" judgement)."""
    found = judge(entry, fact, now)
    return found is not None and found.strength >= Strength.ALONE


def decide_match(state: PairState, fact: DiplomaticEvent, now: datetime) -> Decision:
    """The earliest-recorded event ``fact`` firmly reports again; else the only event it may
    report; else no match, with the events it might duplicate (several possible ones, or
    dates a day apart) as suspects."""
    found = [j for e in state.entries.values() if (j := judge(e, fact, now)) is not None]
    found.sort(key=lambda j: j.entry.position)
    firm = [j for j in found if j.strength == Strength.FIRM]
    if firm:
        return Decision(firm[0].entry, firm[0].reasons)
    alone = [j for j in found if j.strength == Strength.ALONE]
    if len(alone) == 1:
        only = alone[0]
        return Decision(only.entry, (*only.reasons, "the only such event"))
    if not found:
        return Decision()
    why = (
        f"{len(alone)} events it may report, too little to tell which"
        if len(alone) > 1
        else "; ".join(found[0].reasons[1:])
    )
    return Decision(suspects=tuple(j.entry for j in found), why=why)


def find_match(state: PairState, fact: DiplomaticEvent, now: datetime) -> TimelineEntry | None:
    """The event ``fact`` reports again (``decide_match``), if any."""
    return decide_match(state, fact, now).match


@dataclass(frozen=True)
class Candidates:
    """Which active events a fact could match, judged from an event's type and date alone.

    ``start``/``end`` bound the dates of the candidates (both None: any date, undated ones too,
    as for trade figures); ``undated``: only undated events. ``admits`` never rejects an event
    that ``matches`` would accept, so a store can load only the admitted ones.
    """

    type: str
    start: date | None
    end: date | None
    undated: bool
    on: date | None
    precision: str | None

    def admits(self, occurred_on: date | None, precision: str | None, type_name: str) -> bool:
        """True when an event of ``type_name`` dated ``occurred_on`` may match the fact."""
        if type_name != self.type:
            return False
        if self.start is None and not self.undated:
            return True
        if self.undated or occurred_on is None or self.on is None:
            return self.undated and occurred_on is None
        return _days_agree(occurred_on, precision, self.on, self.precision)


def candidates(fact: DiplomaticEvent) -> Candidates:
    """The candidate events of ``fact``: its type; for a dated fact, events dated in its year
    (or within the day tolerance across the year's ends), since a year-precise date on either
    side agrees with any day of that year; for an undated fact, undated events."""
    on, kind = fact.occurred_on, fact.type_name
    if fact.kind == "trade_figure":
        return Candidates(kind, None, None, False, on, fact.date_precision)
    if on is None:
        return Candidates(kind, None, None, True, None, fact.date_precision)
    start = min(on.replace(month=1, day=1), on - DAY_TOLERANCE)
    end = max(on.replace(month=12, day=31), on + DAY_TOLERANCE)
    return Candidates(kind, start, end, False, on, fact.date_precision)
