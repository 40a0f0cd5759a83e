"""Synthetic diplomatic events: a realistic, seeded log over ~50 pairs of states.

The generator builds real ``events`` domain objects (meetings, visits, calls, statements,
joint statements, agreements, trade figures, descriptors, plus corroborations, retractions and
merges of earlier facts), with plausible persons, dates spread over several years and
provenance, and maps them onto relationship streams exactly as ``tracker.recording`` does. The
same seed always gives the same events, ids and timestamps, so benchmark runs are comparable.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from itertools import accumulate, combinations
from uuid import UUID

from events import (
    AgreementSigned,
    DiplomaticEvent,
    EventCorroborated,
    EventRetracted,
    EventsMerged,
    ExtractorInfo,
    JointStatementIssued,
    MeetingHeld,
    Person,
    PhoneCallHeld,
    Provenance,
    RelationshipDescribed,
    StatementMade,
    TradeFigureReported,
    VisitMade,
    country_name,
)
from events.base import DomainEvent
from tracker.errors import InputError
from tracker.recording import fact_id, stream_for
from tracker.store import NewEvent, SqlEventStore, to_new_event
from tracker.store.mapping import deterministic_id
from tracker.store.sql import safe_url

STATES = (
    "CHN", "USA", "RUS", "IND", "PAK", "DEU", "FRA", "GBR", "JPN", "KOR",
    "BRA", "ZAF", "TUR", "SAU", "IRN", "EGY", "IDN", "AUS", "CAN", "MEX",
    "NGA", "ARE", "ISR", "UKR", "VNM",
)  # fmt: skip
PAIR_COUNT = 50
START = date(2019, 1, 1)
YEARS = 6

_GIVEN = (
    "Li", "Anna", "Rahul", "Olga", "Ahmed", "Maria", "Kenji", "Fatima", "Jean", "Amara",
    "Carlos", "Mei", "Ivan", "Sara", "Omar", "Hannah", "Arjun", "Yuki", "Tomas", "Leila",
)  # fmt: skip
_FAMILY = (
    "Wang", "Smith", "Sharma", "Petrova", "Hassan", "Silva", "Tanaka", "Khan", "Dubois",
    "Okafor", "Garcia", "Chen", "Ivanov", "Cohen", "Yilmaz", "Schmidt", "Nguyen", "Kim",
    "Santos", "Haddad",
)  # fmt: skip
_TITLES = ("President", "Prime Minister", "Foreign Minister", "Trade Minister", "Ambassador")
_OUTLETS = ("Xinhua", "Reuters", "AP", "AFP", "TASS", "PTI", "Dawn", "CGTN", "Al Jazeera",
            "Kyodo", "Yonhap", "Anadolu", "DW", "BBC")  # fmt: skip
_TOPICS = ("trade", "security", "climate", "energy", "investment", "technology", "health",
           "education", "maritime", "counter-terrorism", "sanctions", "connectivity")  # fmt: skip
_AREAS = ("e-commerce", "agriculture", "infrastructure", "space", "culture", "finance",
          "customs", "tourism", "nuclear energy", "digital economy")  # fmt: skip
_DESCRIPTORS = ("strategic partnership", "comprehensive strategic partnership",
                "all-weather strategic cooperative partnership", "special privileged partnership",
                "strained relationship", "friendly relations")  # fmt: skip
_CITIES = ("Beijing", "Washington", "Moscow", "New Delhi", "Islamabad", "Berlin", "Paris",
           "London", "Tokyo", "Seoul", "Geneva", "New York", "Brussels", "Jakarta")  # fmt: skip
_STANCES = ("supportive", "neutral", "critical")
_EXTRACTOR = ExtractorInfo(name="synth", version="1")

# (kind, weight): diplomatic facts, then the record-keeping corrections.
_MIX = (
    ("meeting", 20), ("visit", 10), ("phone_call", 14), ("statement", 20),
    ("joint_statement", 5), ("agreement", 8), ("trade_figure", 7), ("descriptor", 2),
    ("corroboration", 9), ("retraction", 2), ("merge", 3),
)  # fmt: skip
_KINDS = [k for k, _ in _MIX]
_WEIGHTS = [w for _, w in _MIX]


@dataclass(frozen=True)
class SyntheticEvent:
    """One generated event: its stream, the appendable row and when it is recorded."""

    stream_id: str
    event: DomainEvent
    new: NewEvent
    recorded_at: datetime


@dataclass(frozen=True)
class SynthReport:
    """What ``write_synthetic`` stored."""

    events: int
    appends: int
    streams: int
    seed: int
    last_position: int


def pairs(seed: int, count: int = PAIR_COUNT) -> list[tuple[str, str]]:
    """``count`` distinct pairs of states (sorted ISO3 codes), chosen by ``seed``."""
    every = list(combinations(sorted(STATES), 2))
    return sorted(random.Random(f"pairs:{seed}").sample(every, count))


class _Generator:
    """Stateful source of events; remembers recent facts per pair for corrections."""

    def __init__(self, n: int, seed: int, years: int) -> None:
        self.rng = random.Random(seed)
        self.seed = seed
        self.n = n
        self.span = (date(START.year + years, 1, 1) - START).days
        self.pairs = pairs(seed)
        # A few relationships are far busier than most (Zipf-like weights over the pairs).
        order = random.Random(f"busy:{seed}").sample(range(len(self.pairs)), len(self.pairs))
        self.cum_weights = list(accumulate(1 / (order[k] + 1) ** 0.8 for k in range(len(order))))
        self.people = {
            code: tuple(
                Person(
                    name=f"{self.rng.choice(_GIVEN)} {self.rng.choice(_FAMILY)}",
                    title=title,
                    country=code,
                )
                for title in _TITLES
            )
            for code in STATES
        }
        self.names = {code: country_name(code) for code in STATES}  # pycountry is slow
        self.recent: dict[str, list[UUID]] = {}
        self.recorded = datetime.combine(START, datetime.min.time(), tzinfo=UTC)

    def events(self) -> Iterator[SyntheticEvent]:
        for i in range(self.n):
            day = START + timedelta(days=i * self.span // max(self.n, 1))
            yield self._one(i, day)

    def _one(self, i: int, day: date) -> SyntheticEvent:
        rng = self.rng
        a, b = rng.choices(self.pairs, cum_weights=self.cum_weights)[0]
        if rng.random() < 0.5:
            a, b = b, a
        kind = rng.choices(_KINDS, _WEIGHTS)[0]
        stream = f"pair-{min(a, b)}-{max(a, b)}"
        known = self.recent.get(stream, [])
        # Reports arrive up to three days after the fact; the log's clock never goes back.
        lag = timedelta(days=rng.randint(0, 3), minutes=rng.randint(0, 1439))
        when = datetime.combine(day, datetime.min.time(), tzinfo=UTC) + lag
        self.recorded = max(self.recorded + timedelta(microseconds=1), when)
        prov = self._provenance(i, day, a, b)
        event: DomainEvent
        if kind in ("corroboration", "retraction", "merge") and len(known) >= 3:
            event = self._record(kind, known, prov)
            new = to_new_event(event, event_id=deterministic_id("synth", self.seed, i))
        else:
            fact = self._fact(kind if kind in _FACT_KINDS else "meeting", a, b, day, prov)
            stream = stream_for(fact)
            event = fact
            new = to_new_event(fact, event_id=fact_id(fact), metadata={"source": "synth"})
            known.append(new.event_id)
            self.recent[stream] = known[-20:]
        return SyntheticEvent(stream, event, new, self.recorded)

    def _provenance(self, i: int, day: date, a: str, b: str) -> Provenance:
        rng = self.rng
        outlet = rng.choice(_OUTLETS)
        slug = f"{self.names[a]}-{self.names[b]}".lower().replace(" ", "-")
        start = rng.randint(0, 4000)
        return Provenance(
            article_id=f"synth-{self.seed}-{i}",
            url=f"https://news.example/{outlet.lower().replace(' ', '')}/{day:%Y/%m}/{slug}-{i}",
            title=f"{self.names[a]} and {self.names[b]} hold talks",
            source=outlet,
            start=start,
            end=start + rng.randint(60, 400),
            quote=f"{self.names[a]} and {self.names[b]} agreed to deepen cooperation.",
        )

    def _fact(self, kind: str, a: str, b: str, day: date, prov: Provenance) -> DiplomaticEvent:
        rng = self.rng
        pa, pb = rng.choice(self.people[a][:3]), rng.choice(self.people[b][:3])
        name_a, name_b = self.names[a], self.names[b]
        common = {
            "actors": (a, b),
            "persons": (pa, pb),
            "occurred_on": day,
            "date_precision": rng.choice(("day", "day", "day", "month")),
            "location": rng.choice(_CITIES),
            "provenance": prov,
            "extractor": _EXTRACTOR,
            "confidence": round(rng.uniform(0.6, 1.0), 2),
        }
        topics = tuple(rng.sample(_TOPICS, rng.randint(1, 3)))
        if kind == "meeting":
            return MeetingHeld(summary=f"{pa.name} met {pb.name}", **common)
        if kind == "visit":
            return VisitMade(summary=f"{pa.name} visited {name_b}", **common)
        if kind == "phone_call":
            return PhoneCallHeld(summary=f"{pa.name} spoke with {pb.name} by phone", **common)
        if kind == "statement":
            stance = rng.choice(_STANCES)
            return StatementMade(
                summary=f"{name_a} issued a {stance} statement on {name_b}",
                speaker=pa,
                stance=stance,
                topics=topics,
                quote=f"We {'welcome' if stance != 'critical' else 'regret'} the steps taken.",
                **common,
            )
        if kind == "joint_statement":
            return JointStatementIssued(
                summary=f"{name_a} and {name_b} issued a joint statement",
                topics=topics,
                areas=tuple(rng.sample(_AREAS, 2)),
                **common,
            )
        if kind == "agreement":
            area = rng.choice(_AREAS)
            return AgreementSigned(
                summary=f"{name_a} and {name_b} signed an agreement on {area}",
                area=area,
                title=f"Memorandum of understanding on {area} cooperation",
                **common,
            )
        if kind == "trade_figure":
            return TradeFigureReported(
                summary=f"Trade between {name_a} and {name_b} reported",
                amount=round(rng.uniform(0.5, 600.0), 1),
                period=str(day.year - 1),
                direction=rng.choice(("total", "exports", "imports")),
                change_pct=round(rng.uniform(-20, 30), 1),
                **common,
            )
        return RelationshipDescribed(
            summary=f"{name_a} and {name_b} described their ties",
            descriptor=rng.choice(_DESCRIPTORS),
            **common,
        )

    def _record(self, kind: str, known: list[UUID], prov: Provenance) -> DomainEvent:
        rng = self.rng
        if kind == "corroboration":
            return EventCorroborated(
                event_id=rng.choice(known), provenance=prov, confidence=round(rng.random(), 2)
            )
        if kind == "retraction":
            target = known.pop(rng.randrange(len(known)))
            return EventRetracted(event_id=target, reason="the source withdrew the story")
        survivor, merged = rng.sample(known, 2)
        known.remove(merged)
        return EventsMerged(survivor_id=survivor, merged_ids=(merged,), reason="same meeting")


_FACT_KINDS = frozenset(
    {"meeting", "visit", "phone_call", "statement", "joint_statement", "agreement"}
    | {"trade_figure", "descriptor"}
)


def generate(n: int, seed: int = 0, *, years: int = YEARS) -> Iterator[SyntheticEvent]:
    """Lazily generate ``n`` events in recorded order; the same seed gives the same events.

    Raises InputError for a negative ``n`` or fewer than one year.
    """
    if n < 0:
        raise InputError(f"--events must be at least 0, got {n}")
    if years < 1:
        raise InputError(f"years must be at least 1, got {years}")
    return _Generator(n, seed, years).events()


@dataclass(frozen=True)
class Batch:
    """Events for one append: a stream, its rows, and the ``recorded_at`` they share."""

    stream_id: str
    items: tuple[SyntheticEvent, ...]
    recorded_at: datetime

    @property
    def rows(self) -> list[NewEvent]:
        """The appendable rows."""
        return [s.new for s in self.items]


def day_batches(items: Iterable[SyntheticEvent], max_batch: int = 1000) -> Iterator[Batch]:
    """Group events as an ingester would append them: per recorded day, one batch per stream
    (at most ``max_batch`` rows), all stamped with that day's last report time, so that
    ``recorded_at`` never decreases along the log. A stream's batch that fills up on a busy
    day is appended at once (stamped with the latest report so far), so memory stays bounded
    by ``max_batch`` rows per pair however many events a day holds."""
    pending: dict[str, list[SyntheticEvent]] = {}
    current: date | None = None

    def flush() -> Iterator[Batch]:
        if not pending:
            return
        at = max(group[-1].recorded_at for group in pending.values())
        for stream, group in pending.items():
            yield Batch(stream, tuple(group), at)
        pending.clear()

    for item in items:
        day = item.recorded_at.date()
        if current is not None and day != current:
            yield from flush()
        current = day
        group = pending.setdefault(item.stream_id, [])
        group.append(item)
        if len(group) >= max_batch:
            yield Batch(item.stream_id, tuple(group), item.recorded_at)
            del pending[item.stream_id]
    yield from flush()


def write_synthetic(
    store: SqlEventStore,
    n: int,
    seed: int = 0,
    *,
    years: int = YEARS,
    max_batch: int = 1000,
    force: bool = False,
) -> SynthReport:
    """Append ``n`` synthetic events as an ingester would (see ``day_batches``), streaming in
    bounded memory. Raises InputError (also for a store holding real articles, unless
    ``force``), StoreError."""
    if not force and store.tail(1, ["ArticleRecorded"]):
        raise InputError(
            f"{safe_url(store.url)} holds real articles: synthetic events would mix with them "
            "for good (the log is append-only); name another store with --db, or add --force"
        )
    appends = count = 0
    streams: set[str] = set()
    for batch in day_batches(generate(n, seed, years=years), max_batch):
        store.append(batch.stream_id, batch.rows, recorded_at=batch.recorded_at)
        appends += 1
        count += len(batch.items)
        streams.add(batch.stream_id)
    return SynthReport(count, appends, len(streams), seed, store.last_position())
