"""The functions the commands call. Each opens nothing itself: it takes an open store."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from pydantic import ValidationError

from events import (
    DIPLOMATIC_TYPES,
    ExtractorInfo,
    Person,
    Provenance,
    UnknownCountryError,
    canonical_pair,
    make_event,
    resolve_country,
)
from tracker.errors import InputError
from tracker.recording import record_facts
from tracker.store import EventLog, SqlEventStore, VerifyReport, migrate, verify
from tracker.store.interface import AppendResult, StoredEvent

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


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


def _describe(row: StoredEvent) -> str:
    payload: dict[str, Any] = json.loads(row.payload)
    if row.type == "ArticleRecorded":
        return str(payload.get("title") or payload.get("url") or "")
    text = payload.get("summary") or payload.get("reason") or ""
    actors = "–".join(payload.get("actors") or [])
    return f"{actors}: {text}" if actors else str(text)


def recent_events(store: EventLog, limit: int = 20, types: Sequence[str] = ()) -> list[LogEntry]:
    """The newest events, newest first."""
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
        for r in store.tail(limit, types)
    ]


def verify_log(store: EventLog) -> VerifyReport:
    """Walk the hash chain of the whole log."""
    return verify(store)


def _check_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise InputError(f"bad source URL {url!r}: give the http(s) address of the source")
    return url


def _field_value(raw: str) -> Any:
    try:
        return json.loads(raw)
    except ValueError:
        return raw


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
    analyst: str = "analyst",
) -> list[AppendResult]:
    """Record a fact an analyst read in a source, through the normal append path.

    ``persons`` are ``Name`` or ``Name|Title|Country``; ``fields`` are ``key=value`` pairs for the
    type-specific fields (``area=e-commerce``, ``topics=["CPEC"]``). Raises InputError.
    """
    if kind not in DIPLOMATIC_TYPES:
        raise InputError(
            f"unknown event type {kind!r}; choose one of {', '.join(DIPLOMATIC_TYPES)}"
        )
    if not summary.strip():
        raise InputError("--summary is required: say in one line what happened")
    extra: dict[str, Any] = {}
    for item in fields:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise InputError(f"bad --set {item!r}: use key=value, e.g. area=e-commerce")
        extra[key.strip()] = _field_value(value)
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
    try:
        fact = make_event(
            kind,
            actors=tuple(country(c) for c in countries),
            persons=tuple(people),
            occurred_on=parse_day(on, "--on date") if on else None,
            date_precision="day" if on else None,
            summary=summary.strip(),
            provenance=Provenance(url=_check_url(source_url), source="analyst"),
            extractor=ExtractorInfo(name=analyst, version="manual"),
            confidence=1.0,
            **extra,
        )
    except ValidationError as e:
        first = e.errors()[0]
        where = ".".join(str(x) for x in first["loc"]) or kind
        raise InputError(f"invalid {kind}: {where}: {first['msg']}") from None
    return record_facts(store, [fact], metadata={"source": "manual", "analyst": analyst})
