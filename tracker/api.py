"""The functions the commands call. Each opens nothing itself: it takes an open store."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, get_origin
from urllib.parse import urlsplit

from pydantic import ValidationError

from events import (
    DIPLOMATIC_TYPES,
    DiplomaticEvent,
    ExtractorInfo,
    Person,
    Provenance,
    UnknownCountryError,
    UnknownEventTypeError,
    canonical_pair,
    kind_of,
    resolve_country,
    type_name_of,
)
from tracker.errors import InputError
from tracker.recording import record_facts
from tracker.store import EventLog, SqlEventStore, VerifyReport, migrate, verify
from tracker.store.interface import AppendResult, StoredEvent


@dataclass(frozen=True)
class InitReport:
    """What ``init`` did."""

    url: str
    migrated: bool
    revisions: tuple[str, ...]
    last_position: int


def init_store(store: SqlEventStore) -> InitReport:
    """Create or migrate the schema of the SQL store ``store``."""
    migrated = migrate.upgrade(store.engine)
    return InitReport(
        url=store.url.render_as_string(hide_password=True),
        migrated=migrated,
        revisions=tuple(sorted(migrate.current_revisions(store.engine))),
        last_position=store.last_position(),
    )


def country(text: str) -> str:
    """ISO3 code for a country given by name, ISO2 or ISO3; raises InputError with suggestions."""
    try:
        return resolve_country(text)
    except UnknownCountryError as e:
        raise InputError(str(e)) from None


def pair_of(text: str) -> tuple[str, str]:
    """``CHN-PAK``, ``china-pakistan`` or ``CN-PK`` as a canonical pair of ISO3 codes; raises
    InputError. Names may contain hyphens (``Guinea-Bissau``): every split is tried."""
    for i, ch in enumerate(text):
        if ch != "-":
            continue
        try:
            a, b = resolve_country(text[:i]), resolve_country(text[i + 1 :])
        except ValueError:
            continue
        if a != b:
            return canonical_pair(a, b)
    raise InputError(f"unknown relationship {text!r}: use two states, e.g. /r/CHN-PAK")


def parse_day(text: str, what: str = "date") -> date:
    """An ISO date (YYYY-MM-DD); raises InputError naming ``what``."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise InputError(f"bad {what} {text!r}: use YYYY-MM-DD, e.g. 2022-11-02") from None


def parse_moment(text: str, what: str = "time") -> datetime:
    """An ISO date or date-time, as tz-aware UTC (a bare date means the end of that day)."""
    try:
        if len(text.strip()) == 10:
            d = date.fromisoformat(text.strip())
            return datetime(d.year, d.month, d.day, 23, 59, 59, 999999, tzinfo=UTC)
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise InputError(f"bad {what} {text!r}: use YYYY-MM-DD or an ISO date-time") from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


@dataclass(frozen=True)
class LogEntry:
    """One row of ``log``: the envelope and a one-line description."""

    position: int
    recorded_at: str
    type: str
    stream: str
    occurred_on: str | None
    summary: str
    event_id: str


_DESCRIBE_CHARS = 200  # one line of ``log``, even for a row recorded before the doors checked


def _describe(row: StoredEvent) -> str:
    payload: dict[str, Any] = json.loads(row.payload)
    if row.type == "ArticleRecorded":
        text = str(payload.get("title") or payload.get("url") or "")
    else:
        summary = payload.get("summary") or payload.get("reason") or ""
        actors = "–".join(payload.get("actors") or [])
        text = f"{actors}: {summary}" if actors else str(summary)
    return text if len(text) <= _DESCRIBE_CHARS else text[: _DESCRIBE_CHARS - 1] + "…"


def type_names(types: Sequence[str]) -> list[str]:
    """Stored type names for kinds or type names (``meeting``, ``MeetingHeld``); raises
    InputError suggesting the closest names."""
    try:
        return list(dict.fromkeys(type_name_of(t) for t in types))
    except UnknownEventTypeError as e:
        raise InputError(str(e)) from None


def recent_events(store: EventLog, limit: int = 20, types: Sequence[str] = ()) -> list[LogEntry]:
    """The newest events, newest first; ``types`` are kinds or type names."""
    if limit < 1:
        raise InputError(f"--limit must be at least 1, got {limit}")
    return [
        LogEntry(
            position=r.position,
            recorded_at=r.recorded_at.isoformat(timespec="seconds"),
            type=r.type,
            stream=r.stream_id,
            occurred_on=r.occurred_on.isoformat() if r.occurred_on else None,
            summary=_describe(r),
            event_id=str(r.event_id),
        )
        for r in store.tail(limit, type_names(types))
    ]


def verify_log(store: EventLog) -> VerifyReport:
    """Walk the hash chain of the whole log."""
    return verify(store)


def _check_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise InputError(f"bad source URL {url!r}: give the http(s) address of the source")
    return url


_COMMON_FIELDS = frozenset(DiplomaticEvent.model_fields)
MAX_SUMMARY_CHARS = 1000


def _field_value(cls: type[DiplomaticEvent], key: str, raw: str) -> Any:
    """A ``--set`` value read as the field's type: lists comma-separated (or a JSON list),
    anything else the text as given, which pydantic converts (``amount=27.8``)."""
    field = cls.model_fields.get(key)
    if field is None or key in _COMMON_FIELDS:
        known = ", ".join(k for k in cls.model_fields if k not in _COMMON_FIELDS) or "none"
        raise InputError(f"bad --set {key!r}: {cls.kind} has no such field (fields: {known})")
    if get_origin(field.annotation) in (tuple, list):
        if raw.lstrip().startswith("["):
            try:
                return json.loads(raw)
            except ValueError:
                raise InputError(f"bad --set {key}={raw}: not a JSON list") from None
        return [x.strip() for x in raw.split(",") if x.strip()]
    return raw.strip()


def _people(persons: Sequence[str]) -> tuple[Person, ...]:
    people = []
    for p in persons:
        name, _, rest = p.partition("|")
        title, _, where = rest.partition("|")
        people.append(
            Person(
                name=name.strip(),
                title=title.strip() or None,
                country=country(where) if where else None,
            )
        )
    return tuple(people)


def _pair_of(countries: Sequence[str]) -> tuple[str, str]:
    codes = tuple(country(c) for c in countries)
    if len(codes) != 2:
        raise InputError(
            f"a fact needs a pair of states, got {len(codes)} ({', '.join(countries) or 'none'}): "
            "name two, e.g. China Pakistan"
        )
    if codes[0] == codes[1]:
        raise InputError(f"{countries[0]!r} and {countries[1]!r} are the same state: name two")
    return codes[0], codes[1]


def record_by_hand(
    store: EventLog,
    *,
    kind: str,
    countries: Sequence[str],
    on: str | None,
    source_url: str,
    summary: str,
    persons: Sequence[str] = (),
    fields: Sequence[str] = (),
    planned: bool = False,
    analyst: str = "analyst",
    today: date | None = None,
) -> list[AppendResult]:
    """Record a fact an analyst read in a source, through the normal append path.

    ``countries`` are two distinct states; ``persons`` are ``Name`` or ``Name|Title|Country``;
    ``fields`` are ``key=value`` pairs for the type-specific fields, read as the field's type
    (``area=e-commerce``, ``period=2022``, ``amount=27.8``, ``topics=CPEC,Taiwan``). A date after
    ``today`` (UTC) is refused unless the event is ``planned``. Raises InputError.
    """
    try:
        cls = DIPLOMATIC_TYPES[kind_of(kind)]
    except UnknownEventTypeError as e:
        raise InputError(str(e)) from None
    if not summary.strip():
        raise InputError("--summary is required: say in one line what happened")
    if len(summary) > MAX_SUMMARY_CHARS:
        raise InputError(
            f"--summary of {len(summary):,} characters (at most {MAX_SUMMARY_CHARS:,}): "
            "say in one line what happened; the source holds the rest"
        )
    pair = _pair_of(countries)
    day = parse_day(on, "--on date") if on else None
    today = today or datetime.now(UTC).date()
    if day is not None and day > today and not planned:
        raise InputError(
            f"--on {day} is in the future: record a planned event with --planned, "
            "or give the date it happened"
        )
    extra: dict[str, Any] = {}
    for item in fields:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise InputError(f"bad --set {item!r}: use key=value, e.g. area=e-commerce")
        extra[key.strip()] = _field_value(cls, key.strip(), value)
    try:
        fact = cls.model_validate(
            dict(
                actors=pair,
                persons=_people(persons),
                occurred_on=day,
                date_precision="day" if day else None,
                planned=planned,
                summary=summary.strip(),
                provenance=Provenance(url=_check_url(source_url), source="analyst"),
                extractor=ExtractorInfo(name=analyst, version="manual"),
                confidence=1.0,
                **extra,
            )
        )
    except ValidationError as e:
        first = e.errors()[0]
        where = ".".join(str(x) for x in first["loc"]) or cls.kind
        raise InputError(f"invalid {cls.kind}: {where}: {first['msg']}") from None
    return record_facts(store, [fact], metadata={"source": "manual", "analyst": analyst})
