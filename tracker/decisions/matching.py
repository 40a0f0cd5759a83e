"""Which active event of a relationship a newly extracted fact reports again (pure).

A new fact is the same real-world event as an active one when it has the same kind and
planned flag, its date agrees within the precision of both dates (±1 day for day dates, the
same month or year for coarser ones; two undated reports only when recorded within
``UNDATED_WINDOW`` of each other), and the kind's own identity holds:

- meeting, phone call, visit: the persons named overlap (or one side names nobody); a visit
  also keeps its direction (visitor, host);
- statement: the same speaker state and similar wording (quote, else summary);
- agreement: the same area (or, with no area on either side, a similar title/summary);
- trade figure: the same period, direction (and exporter) and amount; the date is ignored,
  since reports of one figure come out months apart;
- descriptor: the same wording; joint statement: the date alone.

Similarity is ``difflib`` (stdlib): the reports are short and there are few candidates per pair
and day, so a C extension would buy nothing.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from events import DiplomaticEvent
from tracker.projections.model import PersonRef, TimelineEntry
from tracker.projections.relationship import PairState

DAY_TOLERANCE = timedelta(days=1)
UNDATED_WINDOW = timedelta(days=31)
TEXT_SIMILARITY = 0.6
NAME_TOKEN_SIMILARITY = 0.8
AMOUNT_TOLERANCE = 0.005


def _word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words that are titles or honorifics when they appear inside a reported name.
_NAME_NOISE = _word_set(
    "mr mrs ms dr he h e sir hrh his her excellency majesty highness president prime minister "
    "pm premier chancellor king queen emir sultan crown prince foreign state secretary general "
    "chairman vice deputy"
)
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


def _name_tokens(name: str) -> list[str]:
    return [w for w in _words(name) if w not in _NAME_NOISE]


def same_person(a: PersonRef, b: PersonRef) -> bool:
    """True when two names denote one person: every word of the shorter name closely matches
    a word of the longer ("Shehbaz Sharif" ~ "Muhammad Shahbaz Sharif")."""
    if a.country and b.country and a.country != b.country:
        return False
    ta, tb = _name_tokens(a.name), _name_tokens(b.name)
    short, long_ = (ta, tb) if len(ta) <= len(tb) else (tb, ta)
    if not short:
        return False
    return all(
        any(difflib.SequenceMatcher(None, s, w).ratio() >= NAME_TOKEN_SIMILARITY for w in long_)
        for s in short
    )


def _persons_overlap(a: Iterable[PersonRef], b: Iterable[PersonRef]) -> bool:
    pa, pb = list(a), list(b)
    if not pa or not pb:
        return True
    return any(same_person(x, y) for x in pa for y in pb)


def _days_agree(a: date, a_precision: str | None, b: date, b_precision: str | None) -> bool:
    precisions = {a_precision or "day", b_precision or "day"}
    if "year" in precisions:
        return a.year == b.year
    if "month" in precisions:
        return (a.year, a.month) == (b.year, b.month)
    return abs(a - b) <= DAY_TOLERANCE


def _dates_agree(entry: TimelineEntry, fact: DiplomaticEvent, now: datetime) -> bool:
    a, b = entry.occurred_on, fact.occurred_on
    if a is None and b is None:
        return abs(now - entry.recorded_at) <= UNDATED_WINDOW
    if a is None or b is None:
        return False
    return _days_agree(a, entry.date_precision, b, fact.date_precision)


def _value(amount: object, unit: object) -> float:
    units = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
    return float(amount or 0.0) * units.get(str(unit), 1.0)  # type: ignore[arg-type]


def _same_kind_identity(entry: TimelineEntry, fact: DiplomaticEvent) -> bool:
    d = entry.details
    new = fact.model_dump(mode="json")
    if fact.kind in ("meeting", "phone_call", "visit"):
        persons = [PersonRef(p.name, p.title, p.country) for p in fact.persons]
        direction = fact.kind != "visit" or entry.actors == tuple(fact.actors)
        return direction and _persons_overlap(entry.persons, persons)
    if fact.kind == "statement":
        if entry.actors[0] != fact.actors[0]:
            return False
        quotes = similarity(d.get("quote"), new.get("quote"))
        return max(quotes, similarity(entry.summary, fact.summary)) >= TEXT_SIMILARITY
    if fact.kind == "agreement":
        area, other = (d.get("area") or "").casefold(), (new.get("area") or "").casefold()
        if area or other:
            return area == other
        text = max(
            similarity(d.get("title"), new.get("title")), similarity(entry.summary, fact.summary)
        )
        return text >= TEXT_SIMILARITY
    if fact.kind == "trade_figure":
        if (d.get("period"), d.get("direction")) != (new.get("period"), new.get("direction")):
            return False
        if new.get("direction") != "total" and entry.actors != tuple(fact.actors):
            return False
        a, b = _value(d.get("amount"), d.get("unit")), _value(new["amount"], new["unit"])
        return abs(a - b) <= AMOUNT_TOLERANCE * max(a, b, 1e-9)
    if fact.kind == "descriptor":
        return str(d.get("descriptor", "")).casefold() == str(new["descriptor"]).casefold()
    return True


def matches(entry: TimelineEntry, fact: DiplomaticEvent, now: datetime) -> bool:
    """True when ``fact`` reports the real-world event ``entry`` again (rules above)."""
    if entry.type != fact.type_name or entry.planned != fact.planned:
        return False
    if fact.kind != "trade_figure" and not _dates_agree(entry, fact, now):
        return False
    return _same_kind_identity(entry, fact)


def find_match(state: PairState, fact: DiplomaticEvent, now: datetime) -> TimelineEntry | None:
    """The earliest-recorded active event that ``fact`` reports again, if any."""
    candidates = [e for e in state.entries.values() if matches(e, fact, now)]
    return min(candidates, key=lambda e: e.position, default=None)


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
