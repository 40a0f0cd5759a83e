"""The relationship projection: a pure fold of one pair stream into its active events.

``PairState`` holds the active (neither retracted nor merged-away) real-world events of one
relationship, each as a ``TimelineEntry`` with all its sources, plus which ids were merged into
which survivor and which were retracted. ``apply`` dispatches on the event class with
``singledispatch``; unknown events leave the state unchanged. The state is immutable: its maps
are persistent (``rpds``), so one ``apply`` costs O(log n) and an "as of T" query is the same
fold over the events recorded by T.

The read models (``view_of``, ``timeline_of``, ``summary_of``) are pure functions of the state.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from functools import cache, lru_cache, singledispatch
from typing import Any

from pydantic import BaseModel
from rpds import HashTrieMap, HashTrieSet

from events import (
    DiplomaticEvent,
    DomainEvent,
    DuplicateSuspected,
    EventConfirmed,
    EventCorroborated,
    EventRetracted,
    EventsMerged,
    Provenance,
    code_for,
    country_name,
)
from events.areas import canonical_area, canonical_descriptor
from tracker.outlets import outlet_of
from tracker.persons import same_person
from tracker.projections.model import (
    BucketPart,
    DescriptorChange,
    MonthlyScore,
    PersonRef,
    RelationshipView,
    RelationSummary,
    Source,
    TimelineEntry,
    built,
)
from tracker.store import RecordedEvent

NAME = "relationship"
TREND_MONTHS = 12
# The view lists at most this many of the latest agreements and descriptor changes, so its row
# stays small (and fast to read) however long the relationship; ``counts["agreement"]`` has
# the total, and ``timeline --type agreement`` (or descriptor) every one.
LIST_LIMIT = 50
_CONTACT_KINDS = ("meeting", "visit", "phone_call")
_IN_PERSON_KINDS = ("meeting", "visit")
_REPORT_KINDS = ("descriptor", "trade_figure")
_COMMON = frozenset(DiplomaticEvent.model_fields)


@dataclass(frozen=True)
class PairState:
    """What the fold knows about one relationship after some prefix of its stream."""

    pair: tuple[str, str] | None = None
    entries: HashTrieMap[str, TimelineEntry] = field(default_factory=HashTrieMap)
    aliases: HashTrieMap[str, str] = field(default_factory=HashTrieMap)  # merged-away -> survivor
    retracted: HashTrieSet[str] = field(default_factory=HashTrieSet)
    position: int = 0  # global position of the last event applied
    version: int = 0  # stream version of the last event applied
    # The latest transaction time applied, and whether an event was recorded before one that
    # precedes it in the stream (then "as recorded by T" is not a prefix of the stream).
    recorded_at: datetime | None = None
    backdated: bool = False

    def resolve(self, event_id: str) -> str:
        """The id an event id stands for now (its survivor after merges)."""
        seen = 0
        while event_id in self.aliases and seen <= len(self.aliases):
            event_id = self.aliases[event_id]
            seen += 1
        return event_id

    def knows(self, event_id: str) -> bool:
        """True when ``event_id`` was ever applied (active, merged away or retracted)."""
        return event_id in self.entries or event_id in self.aliases or event_id in self.retracted


def initial() -> PairState:
    """The state before any event of the stream."""
    return PairState()


def apply(state: PairState, recorded: RecordedEvent[Any]) -> PairState:
    """The state after one recorded event of the pair stream."""
    new = _on(recorded.event, state, recorded)
    at, last = recorded.recorded_at, state.recorded_at
    return PairState(
        new.pair,
        new.entries,
        new.aliases,
        new.retracted,
        recorded.position,
        recorded.stream_version,
        at if last is None or at > last else last,
        state.backdated or (last is not None and at < last),
    )


def fold(records: Iterable[RecordedEvent[Any]], state: PairState | None = None) -> PairState:
    """Apply ``records`` in order, from ``state`` (default: the initial state)."""
    current = state if state is not None else initial()
    for recorded in records:
        current = apply(current, recorded)
    return current


@singledispatch
def _on(event: DomainEvent, state: PairState, recorded: RecordedEvent[Any]) -> PairState:
    return state  # unknown to this projection: ignored


@_on.register
def _fact(event: DiplomaticEvent, state: PairState, recorded: RecordedEvent[Any]) -> PairState:
    eid = str(recorded.event_id)
    if len(event.actors) != 2 or state.knows(eid):
        return state
    pair = (event.pair[0], event.pair[1])
    entry = entry_from_fact(event, eid, recorded.recorded_at, recorded.position)
    entries = state.entries.insert(eid, entry)  # built directly: the hottest step of a replay
    return PairState(state.pair or pair, entries, state.aliases, state.retracted)


@_on.register
def _corroborated(
    event: EventCorroborated, state: PairState, recorded: RecordedEvent[Any]
) -> PairState:
    target = state.resolve(str(event.event_id))
    entry = state.entries.get(target)
    if entry is None:
        return state
    updated = merge_entries(entry, report_entry(event, entry))
    if updated == entry:
        return state
    return replace(state, entries=state.entries.insert(target, updated))


@_on.register
def _merged(event: EventsMerged, state: PairState, recorded: RecordedEvent[Any]) -> PairState:
    survivor_id = state.resolve(str(event.survivor_id))
    survivor = state.entries.get(survivor_id)
    if survivor is None:
        return state
    entries, aliases = state.entries, state.aliases
    gone_ids = {survivor_id}
    for merged in event.merged_ids:
        gone_id = state.resolve(str(merged))
        gone = entries.get(gone_id)
        if gone is None or gone_id == survivor_id:
            continue
        survivor = merge_entries(survivor, gone)
        entries = entries.remove(gone_id)
        aliases = aliases.insert(gone_id, survivor_id)
        gone_ids.add(gone_id)
    survivor = replace(
        survivor,
        possible_duplicates=tuple(i for i in survivor.possible_duplicates if i not in gone_ids),
    )
    return replace(state, entries=entries.insert(survivor_id, survivor), aliases=aliases)


@_on.register
def _suspected(
    event: DuplicateSuspected, state: PairState, recorded: RecordedEvent[Any]
) -> PairState:
    flagged = state.resolve(str(event.event_id))
    others = {state.resolve(str(i)) for i in event.of_ids} - {flagged}
    entries = state.entries
    for a, b in [(flagged, o) for o in others] + [(o, flagged) for o in others]:
        entry = entries.get(a)
        if entry is not None and b in state.entries and b not in entry.possible_duplicates:
            links = tuple(sorted((*entry.possible_duplicates, b)))
            entries = entries.insert(a, replace(entry, possible_duplicates=links))
    return replace(state, entries=entries)


@_on.register
def _retracted(event: EventRetracted, state: PairState, recorded: RecordedEvent[Any]) -> PairState:
    # A retraction withdraws the real-world event the id stands for now (its merge survivor).
    target = state.resolve(str(event.event_id))
    gone = state.entries.get(target)
    if gone is None:
        return state
    entries = state.entries.remove(target)
    for other in gone.possible_duplicates:  # the flag goes with it
        entry = entries.get(other)
        if entry is not None:
            links = tuple(i for i in entry.possible_duplicates if i != target)
            entries = entries.insert(other, replace(entry, possible_duplicates=links))
    return replace(state, entries=entries, retracted=state.retracted.insert(target))


@_on.register
def _confirmed(event: EventConfirmed, state: PairState, recorded: RecordedEvent[Any]) -> PairState:
    # A confirmation marks the real-world event the id stands for now (its merge survivor).
    target = state.resolve(str(event.event_id))
    entry = state.entries.get(target)
    if entry is None or entry.confirmed:
        return state
    return replace(state, entries=state.entries.insert(target, replace(entry, confirmed=True)))


# -- entries and sources ----------------------------------------------------------------------


def source_of(provenance: Provenance, reasons: tuple[str, ...] = ()) -> Source:
    """The read-model form of a provenance (the outlet never missing: from the URL's site
    when the report did not name it); ``reasons``: why it was taken as the same event."""
    return built(
        Source,
        {
            "url": provenance.url,
            "title": provenance.title,
            "outlet": provenance.source or outlet_of(provenance.url),
            "article_id": provenance.article_id,
            "quote": provenance.quote,
            "reasons": reasons,
        },
    )


def source_key(source: Source) -> str:
    """What makes two sources the same report: the article id, else the URL, else the title."""
    return source.article_id or source.url or source.title or ""


def _add_sources(have: tuple[Source, ...], more: Iterable[Source]) -> tuple[Source, ...]:
    """The union of two source lists, in source-key order (the same whatever came first)."""
    by_key = {source_key(s): s for s in have}
    for s in more:
        by_key.setdefault(source_key(s), s)
    return tuple(by_key[k] for k in sorted(by_key))


_PRECISION = {"day": 3, "month": 2, "year": 1}


def _lead_key(entry: TimelineEntry) -> tuple[bool, str]:
    """Which of two reports leads a merge (gives summary, wording, codes): one with a summary
    first, then the smallest source key. Depends on the reports, not on their order."""
    return (not entry.summary, min((source_key(s) for s in entry.sources), default=""))


def _fuller(a: PersonRef, b: PersonRef) -> PersonRef:
    name = max(a.name, b.name, key=lambda n: (len(n), n))
    return PersonRef(name, a.title or b.title, a.country or b.country)


def _merge_persons(
    a: Sequence[PersonRef], b: Sequence[PersonRef], on: date | None
) -> tuple[PersonRef, ...]:
    """One person per identity (``tracker.persons``), the fullest name kept, sorted."""
    out: list[PersonRef] = []
    for p in sorted((*a, *b), key=lambda p: (p.country or "", -len(p.name), p.name)):
        same = next((i for i, q in enumerate(out) if same_person(p, q, on)), None)
        if same is None:
            out.append(p)
        else:
            out[same] = _fuller(out[same], p)
    return tuple(sorted(out, key=lambda p: (p.country or "", p.name)))


def _merge_details(lead: dict[str, Any], other: dict[str, Any]) -> dict[str, Any]:
    """Lists (topics, areas) united and sorted; any other field from the lead unless unset."""
    out = dict(other) | {k: v for k, v in lead.items() if v is not None}
    for key, value in out.items():
        if isinstance(value, list):
            both = [*(lead.get(key) or ()), *(other.get(key) or ())]
            out[key] = sorted(dict.fromkeys(both), key=str)
    return out


def _date_rank(entry: TimelineEntry) -> tuple[int, int]:
    """How good a report's date is: its precision, then, for a visit, the earlier day (a visit
    is dated by its arrival; some reports date it by the talks a day later)."""
    earlier = -entry.occurred_on.toordinal() if entry.kind == "visit" and entry.occurred_on else 0
    return _PRECISION.get(entry.date_precision or "", 0), earlier


def merge_entries(kept: TimelineEntry, other: TimelineEntry) -> TimelineEntry:
    """``kept`` (its id, position, transaction time) with what both reports know: every source,
    every person once, united topics and areas, the most precise date; wording and codes from
    the leading report (``_lead_key``). The same result whichever report came first."""
    lead, rest = (kept, other) if _lead_key(kept) <= _lead_key(other) else (other, kept)
    dated = max((lead, rest), key=lambda e: (*_date_rank(e), e is lead))
    on = dated.occurred_on
    return replace(
        lead,
        event_id=kept.event_id,
        recorded_at=kept.recorded_at,
        position=kept.position,
        occurred_on=on,
        date_precision=dated.date_precision if on is not None else lead.date_precision,
        persons=_merge_persons(lead.persons, rest.persons, on),
        location=lead.location or rest.location,
        details=_merge_details(lead.details, rest.details),
        confidence=max(kept.confidence, other.confidence),
        confirmed=kept.confirmed or other.confirmed,
        sources=_add_sources(kept.sources, other.sources),
        possible_duplicates=tuple(
            sorted({*kept.possible_duplicates, *other.possible_duplicates} - {kept.event_id})
        ),
    )


def report_entry(event: EventCorroborated, target: TimelineEntry) -> TimelineEntry:
    """What one corroborating report says of ``target``, as an entry of its own (a v1
    corroboration: only its source)."""
    stance = event.details.get("stance") if target.kind == "statement" else None
    code = code_for(target.kind, stance) if stance else None
    return replace(
        target,
        occurred_on=event.occurred_on,
        date_precision=event.date_precision,
        summary=event.summary,
        persons=tuple(PersonRef(p.name, p.title, p.country) for p in event.persons),
        location=event.location,
        details=dict(event.details),
        cameo=code.cameo if code else target.cameo,
        plover=code.plover if code else target.plover,
        goldstein=code.goldstein if code else target.goldstein,
        confidence=event.confidence,
        sources=(source_of(event.provenance, event.reasons),),
        possible_duplicates=(),
        confirmed=False,
    )


@cache
def _own_fields(cls: type[DiplomaticEvent]) -> tuple[str, ...]:
    return tuple(k for k in cls.model_fields if k not in _COMMON)


def _plain(value: Any) -> Any:
    """A field value as JSON gives it back (what ``model_dump(mode="json")`` writes for the
    types event fields have: tuples as lists, nested models as dicts, dates as ISO text)."""
    if value is None or isinstance(value, str | int | float):
        return value
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    raise TypeError(f"no JSON form for a {type(value).__name__} event field")


def entry_from_fact(
    fact: DiplomaticEvent, event_id: str, recorded_at: datetime, position: int
) -> TimelineEntry:
    """The timeline entry of a freshly recorded two-state fact (the hottest step of a replay:
    built field by field, see ``built``)."""
    values = fact.__dict__
    pair = fact.pair
    return built(
        TimelineEntry,
        {
            "event_id": event_id,
            "type": fact.type_name,
            "kind": fact.kind,
            "pair": (pair[0], pair[1]),
            "actors": tuple(fact.actors),
            "occurred_on": fact.occurred_on,
            "date_precision": fact.date_precision,
            "planned": fact.planned,
            "summary": fact.summary,
            "persons": tuple(
                built(PersonRef, {"name": p.name, "title": p.title, "country": p.country})
                for p in fact.persons
            ),
            "location": fact.location,
            "details": {k: _plain(values[k]) for k in _own_fields(type(fact))},
            "cameo": fact.cameo,
            "plover": fact.plover,
            "goldstein": fact.goldstein,
            "confidence": fact.confidence,
            "sources": (source_of(fact.provenance),),
            "recorded_at": recorded_at,
            "position": position,
            "possible_duplicates": (),
            "confirmed": False,
        },
    )


# -- who counts as a leader ---------------------------------------------------------------------

_LEADER = re.compile(
    r"\b(president|prime minister|premier|chancellor|king|queen|emperor|emir|amir|sultan|"
    r"head of state|head of government|supreme leader|taoiseach|state counsellor)\b"
)
_NOT_LEADER = re.compile(
    r"\b(vice|deputy|former|ex|acting|assistant|parliament|assembly|senate|congress|court|bank|"
    r"university|council|commission|party|exchequer|federation of|association|chamber)\b"
)


def is_leader(person: PersonRef) -> bool:
    """True when a person's title marks a head of state or government (President, Prime
    Minister, King, Chancellor...), not a deputy, a former one, or a president of some body.

    Decided from the title alone (no leaders gazetteer exists in ``events/``); "Chancellor of
    the Exchequer", "Vice President" and "President of the National Assembly" are not leaders.
    """
    return _leader_title(person.title or "")


@lru_cache(maxsize=4096)  # titles repeat across thousands of entries; views check every one
def _leader_title(title: str) -> bool:
    text = " ".join(title.lower().replace("-", " ").split())
    return bool(_LEADER.search(text)) and not _NOT_LEADER.search(text)


# -- read models --------------------------------------------------------------------------------


def _report_key(entry: TimelineEntry) -> tuple[int, str, str]:
    """Ties of one day broken by what the reports say, not by when they arrived: the more
    sources later (so a scan from the end meets the best-attested event first), then the
    wording and the leading source."""
    return (entry.source_count, entry.summary, _lead_key(entry)[1])


def valid_order(entry: TimelineEntry) -> tuple[bool, date, int]:
    """Sort key of valid-time order: by date, undated last, ties by log position."""
    return (entry.occurred_on is None, entry.occurred_on or date.min, entry.position)


def _latest_order(entry: TimelineEntry) -> tuple[date, tuple[int, str, str]]:
    return (entry.occurred_on or date.min, _report_key(entry))


def timeline_of(state: PairState) -> list[TimelineEntry]:
    """Every active event (planned ones included) in valid-time order, undated last."""
    return sorted(state.entries.values(), key=valid_order)


def _statements(entries: Sequence[TimelineEntry]) -> dict[str, dict[str, TimelineEntry]]:
    latest: dict[str, dict[str, TimelineEntry]] = {}
    for e in entries:
        if e.kind != "statement":
            continue
        topics = e.details.get("topics") or ["general"]
        for topic in topics:
            per_topic = latest.setdefault(e.actors[0], {})
            have = per_topic.get(topic)
            if have is None or _latest_order(e) > _latest_order(have):
                per_topic[topic] = e
    return {k: dict(sorted(v.items())) for k, v in sorted(latest.items())}


def _latest_trade(entries: Iterable[TimelineEntry]) -> dict[tuple[str, str], TimelineEntry]:
    """The latest figure per (period, direction)."""
    latest: dict[tuple[str, str], TimelineEntry] = {}
    for e in entries:
        if e.kind != "trade_figure":
            continue
        key = (str(e.details.get("period") or ""), str(e.details.get("direction") or "total"))
        if key not in latest or _latest_order(e) > _latest_order(latest[key]):
            latest[key] = e
    return latest


def _trade(latest: dict[tuple[str, str], TimelineEntry]) -> tuple[TimelineEntry, ...]:
    """The latest figures in (period, direction) order; a missing change is derived from the
    previous year's figure for the same direction and currency when both periods are years."""
    out = []
    for (period, direction), e in sorted(latest.items()):
        prev = latest.get((str(int(period) - 1), direction)) if period.isdigit() else None
        if (
            e.details.get("change_pct") is None
            and prev is not None
            and prev.details.get("currency") == e.details.get("currency")
            and _value(prev) > 0
        ):
            change = round((_value(e) / _value(prev) - 1) * 100, 2)
            e = replace(e, details={**e.details, "change_pct": change, "change_derived": True})
        out.append(e)
    return tuple(out)


_UNITS = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}


def _value(e: TimelineEntry) -> float:
    return float(e.details.get("amount") or 0.0) * _UNITS.get(str(e.details.get("unit")), 1.0)


def _descriptors(entries: Sequence[TimelineEntry]) -> tuple[DescriptorChange, ...]:
    changes: list[DescriptorChange] = []
    said = [e for e in entries if e.kind == "descriptor"]
    # Valid-time order, ties by what the reports say (not arrival): the same story each time.
    for e in sorted(said, key=lambda e: (*valid_order(e)[:2], _report_key(e))):
        text = canonical_descriptor(str(e.details.get("descriptor") or ""))
        if changes and changes[-1].descriptor.casefold() == text.casefold():
            continue
        changes.append(DescriptorChange(text, e.occurred_on, e.event_id, e.sources[0]))
    return tuple(changes)


def _source_order(source: Source) -> tuple[str, str, str]:
    return (source.url or "", source.title or "", source.article_id or "")


def _agreements(entries: Sequence[TimelineEntry]) -> list[TimelineEntry]:
    """Agreements in valid-time order, one per canonical area and date: a second phrasing of
    the same area ("CPEC", "cooperation under the CPEC") is one entry under the canonical area
    (``events.areas``), the best-attested entry with every source of both."""
    merged: dict[tuple[str, date | None], TimelineEntry] = {}
    for e in entries:
        if e.kind != "agreement":
            continue
        area = e.details.get("area")
        if not area:
            merged[(e.event_id, e.occurred_on)] = e
            continue
        key = (canonical_area(str(area)).casefold(), e.occurred_on)
        have = merged.get(key)
        best = e if have is None or _report_key(e) > _report_key(have) else have
        other = have if best is e else e
        extra = () if other is None else other.sources
        known = {_source_order(s) for s in best.sources}
        sources = best.sources + tuple(
            sorted((s for s in extra if _source_order(s) not in known), key=_source_order)
        )
        details = {**best.details, "area": canonical_area(str(best.details.get("area") or area))}
        merged[key] = replace(best, details=details, sources=sources)
    return sorted(merged.values(), key=valid_order)


PLAN_DAYS = 3  # a plan dated to the day took place if the event was held within this many days


def _took_place(plan: TimelineEntry, happened: Sequence[TimelineEntry]) -> bool:
    """True when a held event of the plan's kind fulfils it: in the plan's date window (to its
    precision) when the plan is dated, and naming the same persons (at least two in common, or
    all when fewer are named) when both name persons."""
    names = {p.name for p in plan.persons}
    for e in happened:
        if e.kind != plan.kind:
            continue
        if plan.occurred_on is not None:
            if e.occurred_on is None:
                continue
            if plan.date_precision == "year":
                if e.occurred_on.year != plan.occurred_on.year:
                    continue
            elif plan.date_precision == "month":
                if e.occurred_on.replace(day=1) != plan.occurred_on.replace(day=1):
                    continue
            elif abs((e.occurred_on - plan.occurred_on).days) > PLAN_DAYS:
                continue
        held = {p.name for p in e.persons}
        if names and held and len(names & held) < min(2, len(names), len(held)):
            continue
        return True
    return False


def monthly_scores(entries: Sequence[TimelineEntry]) -> tuple[MonthlyScore, ...]:
    """Sum of Goldstein weights per month of dated, happened events (each event once)."""
    months: dict[tuple[int, int], tuple[float, int]] = {}
    for e in entries:
        day = e.occurred_on
        if e.planned or day is None:
            continue
        month = (day.year, day.month)
        score, count = months.get(month, (0.0, 0))
        months[month] = (score + e.goldstein, count + 1)
    return tuple(
        MonthlyScore(f"{y:04d}-{m:02d}", round(s, 6), n)
        for (y, m), (s, n) in sorted(months.items())
    )


def trend(scores: Sequence[MonthlyScore], window: int = TREND_MONTHS) -> float | None:
    """Least-squares slope (score per month) over the last ``window`` scored months; None
    with fewer than two. Months are placed on a calendar axis, so gaps count."""
    recent = scores[-window:]
    if len(recent) < 2:
        return None
    xs = [int(s.month[:4]) * 12 + int(s.month[5:7]) for s in recent]
    ys = [s.score for s in recent]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    den = sum((x - mx) ** 2 for x in xs)
    return round(sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / den, 6)


def _last(
    ordered: Sequence[TimelineEntry], keep: Callable[[TimelineEntry], bool]
) -> TimelineEntry | None:
    """The latest (by date) of the entries ``keep`` accepts, from a list in valid-time order;
    among several of that day the best attested (``_report_key``: not the last to arrive, so
    the answer does not depend on the order of the articles). Scanned from the end, so the
    usual answer (a recent event) costs a few steps; undated entries count as earliest."""
    found: list[TimelineEntry] = []
    undated: list[TimelineEntry] = []
    for e in reversed(ordered):
        if found and e.occurred_on != found[0].occurred_on:
            break
        if not keep(e):
            continue
        (found if e.occurred_on is not None else undated).append(e)
    return max(found or undated, key=_report_key, default=None)


def _with_leader(ordered: Sequence[TimelineEntry], kinds: Sequence[str]) -> TimelineEntry | None:
    """The latest leader-level event of ``kinds``; on the same day a meeting wins over the visit
    or call it was part of (a summit is reported as both a visit and a meeting)."""
    last = _last(ordered, lambda e: e.kind in kinds and any(map(is_leader, e.persons)))
    if last is None or last.kind == "meeting" or last.occurred_on is None:
        return last
    same_day = _last(
        ordered,
        lambda e: (
            e.kind == "meeting"
            and e.occurred_on == last.occurred_on
            and any(map(is_leader, e.persons))
        ),
    )
    return same_day if same_day is not None and same_day.occurred_on == last.occurred_on else last


# -- the view, month by month ---------------------------------------------------------------


def bucket_of(entry: TimelineEntry) -> str:
    """The month an entry counts in (``YYYY-MM``), ``~`` when it is undated."""
    return entry.occurred_on.isoformat()[:7] if entry.occurred_on else "~"


def part_of(bucket: str, ordered: Sequence[TimelineEntry]) -> BucketPart:
    """What the entries of one month (in valid-time order, planned ones included) give the
    view; see ``BucketPart``."""
    happened = [e for e in ordered if not e.planned]
    counts: dict[str, int] = {}
    for e in happened:
        counts[e.kind] = counts.get(e.kind, 0) + 1
    agreements = _agreements(happened)
    descriptors = _descriptors(happened)
    dated = [e.occurred_on for e in happened if e.occurred_on is not None]
    scores = monthly_scores(happened)
    return BucketPart(
        bucket=bucket,
        counts=dict(sorted(counts.items())),
        agreement_items=len(agreements),
        agreements=tuple(agreements[-LIST_LIMIT:]),
        first_date=min(dated, default=None),
        last_date=max(dated, default=None),
        last_meeting=_with_leader(happened, _IN_PERSON_KINDS),
        last_leader_contact=_with_leader(happened, _CONTACT_KINDS),
        last_action=_last(happened, lambda e: e.kind not in _REPORT_KINDS),
        last_report=_last(happened, bool),
        statements=_statements(happened),
        trade=tuple(v for _, v in sorted(_latest_trade(happened).items())),
        descriptors=descriptors[-(LIST_LIMIT + 1) :],
        descriptors_cut=len(descriptors) > LIST_LIMIT + 1,
        score=scores[0] if scores else None,
        planned=tuple(e for e in ordered if e.planned),
    )


def parts_of(ordered: Sequence[TimelineEntry]) -> list[BucketPart]:
    """The parts of entries in valid-time order (months ascending, undated last)."""
    groups: dict[str, list[TimelineEntry]] = {}
    for e in ordered:
        groups.setdefault(bucket_of(e), []).append(e)
    return [part_of(bucket, entries) for bucket, entries in groups.items()]


def _latest_of_parts(
    parts: Sequence[BucketPart], pick: Callable[[BucketPart], TimelineEntry | None]
) -> TimelineEntry | None:
    """``_last`` over parts: the latest dated month's answer, else the undated one's."""
    found = [e for p in parts if (e := pick(p)) is not None]
    dated = [e for e in found if e.occurred_on is not None]
    return dated[-1] if dated else (found[-1] if found else None)


def _merged_latest(
    maps: Iterable[dict[Any, TimelineEntry]],
) -> dict[Any, TimelineEntry]:
    """Per key, the latest (``_latest_order``) of the months' latest: the first on a tie."""
    out: dict[Any, TimelineEntry] = {}
    for latest in maps:
        for key, e in latest.items():
            have = out.get(key)
            if have is None or _latest_order(e) > _latest_order(have):
                out[key] = e
    return out


def _descriptor_history(parts: Sequence[BucketPart]) -> tuple[DescriptorChange, ...]:
    """The latest ``LIST_LIMIT`` changes of the months joined, a change repeating the month
    before's last dropped (compared by text; only the changes shown are decoded)."""
    picked: list[tuple[Sequence[DescriptorChange], int]] = []
    last = ""
    for p in parts:
        texts = getattr(p.descriptors, "texts", None) or [c.descriptor for c in p.descriptors]
        for i, text in enumerate(texts):
            same = bool(picked) and last.casefold() == text.casefold()
            if same and (i > 0 or not p.descriptors_cut):
                continue
            picked.append((p.descriptors, i))
            last = text
    return tuple(changes[i] for changes, i in picked[-LIST_LIMIT:])


def view_from_parts(
    parts: Sequence[BucketPart],
    pair: tuple[str, str],
    *,
    held: Callable[[TimelineEntry], Iterable[TimelineEntry]],
    position: int,
    as_of: datetime | None = None,
) -> RelationshipView:
    """The relationship view from its months' parts (in month order, undated last).

    ``last_meeting`` is the latest meeting or visit and ``last_leader_contact`` the latest
    meeting, visit or phone call, both at head-of-state/government level (``is_leader``).
    Planned events are listed apart (until a held event fulfils them: ``held(plan)`` gives
    the happened events that may, at least those of its kind in its window) and counted
    nowhere else. Agreements (one per canonical area and date) and descriptor changes are
    the latest ``LIST_LIMIT``, in valid-time order.
    """
    counts: dict[str, int] = {}
    for p in parts:
        for kind, n in p.counts.items():
            counts[kind] = counts.get(kind, 0) + n
    items = sum(p.agreement_items for p in parts)
    if items:
        counts["agreement"] = items
    agreements: list[TimelineEntry] = []  # the latest LIST_LIMIT, read from the last months
    for p in reversed(parts):
        need = LIST_LIMIT - len(agreements)
        if need <= 0:
            break
        agreements[:0] = p.agreements[-need:]
    descriptors = _descriptor_history(parts)
    scores = tuple(p.score for p in parts if p.score is not None)
    statements = _merged_latest(
        {
            (speaker, topic): e
            for speaker, topics in p.statements.items()
            for topic, e in topics.items()
        }
        for p in parts
    )
    by_speaker: dict[str, dict[str, TimelineEntry]] = {}
    for (speaker, topic), e in sorted(statements.items()):
        by_speaker.setdefault(speaker, {})[topic] = e
    trade = _merged_latest(_latest_trade(p.trade) for p in parts)
    firsts = [p.first_date for p in parts if p.first_date is not None]
    lasts = [p.last_date for p in parts if p.last_date is not None]
    return RelationshipView(
        pair=pair,
        names=(country_name(pair[0]), country_name(pair[1])),
        counts=dict(sorted(counts.items())),
        first_date=min(firsts, default=None),
        last_date=max(lasts, default=None),
        last_meeting=_latest_of_parts(parts, lambda p: p.last_meeting),
        last_leader_contact=_latest_of_parts(parts, lambda p: p.last_leader_contact),
        agreements=tuple(agreements),
        statements=by_speaker,
        trade=_trade(trade),
        descriptor=descriptors[-1].descriptor if descriptors else None,
        descriptor_history=descriptors,
        monthly_scores=scores,
        trend=trend(scores),
        planned=tuple(
            plan for p in parts for plan in p.planned if not _took_place(plan, list(held(plan)))
        ),
        as_of=as_of,
        position=position,
    )


def summary_from_parts(
    parts: Sequence[BucketPart], view: RelationshipView, sources: int
) -> RelationSummary:
    """One ``relations`` line: counts, the latest happened event (a descriptor or a trade
    report only when there is nothing else), the cooperation score of the last
    ``TREND_MONTHS`` scored months and ``sources``, the number of distinct sources."""
    last = _latest_of_parts(parts, lambda p: p.last_action) or _latest_of_parts(
        parts, lambda p: p.last_report
    )
    return RelationSummary(
        pair=view.pair,
        names=view.names,
        events=sum(view.counts.values()),
        counts=view.counts,
        last_date=view.last_date,
        last_event=last.summary if last else None,
        score=round(sum(s.score for s in view.monthly_scores[-TREND_MONTHS:]), 6),
        sources=sources,
    )


def source_keys(entries: Iterable[TimelineEntry]) -> set[str]:
    """The distinct source keys of entries (``source_key`` inlined: a refresh runs it over
    every source of the months it touched)."""
    return {s.article_id or s.url or s.title or "" for e in entries for s in e.sources}


def view_of(
    state: PairState, pair: tuple[str, str], *, as_of: datetime | None = None
) -> RelationshipView:
    """The relationship view of a state (``view_from_parts`` of its months)."""
    ordered = timeline_of(state)
    happened = [e for e in ordered if not e.planned]
    return view_from_parts(
        parts_of(ordered), pair, held=lambda plan: happened, position=state.position, as_of=as_of
    )


def summary_of(state: PairState, view: RelationshipView) -> RelationSummary:
    """One ``relations`` line of a state (``summary_from_parts`` of its months)."""
    ordered = timeline_of(state)
    return summary_from_parts(parts_of(ordered), view, len(source_keys(ordered)))
