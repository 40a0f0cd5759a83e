"""The one append path for diplomatic facts, with corroboration, and the analysts' corrections.

A relationship stream (``pair-CHN-PAK``) is the consistency boundary: facts, corroborations,
merges and retractions about one pair of states are appended there, so a fold over one stream
gives that relationship's whole story.

``record_facts`` reads the relationship's state as far as the decision needs it
(``decisions.state.decision_state``: the projection's stored candidate entries, found by an indexed
date range, plus the few events appended since, folded by the projection's own fold, so the
cost does not grow with the stream) and, for each new fact that reports an active event again
(``decisions.matching.decide_match``), appends an ``EventCorroborated`` (the new source, what
it says and why it was taken as the same event) instead of a second fact; a fact too thinly
related to decide is appended as a fact of its own with a ``DuplicateSuspected`` naming the
events it may duplicate. The append names the stream version it read, and a ``ConcurrencyError``
re-reads and re-decides (bounded), so two pollers can never record the same meeting twice.
Ids are deterministic (a fact from its source and content; a corroboration from its target
and source), so re-ingesting an article is a no-op, and an article never corroborates an
event it already reports.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from events import (
    DiplomaticEvent,
    DomainEvent,
    DuplicateSuspected,
    EventConfirmed,
    EventCorroborated,
    EventRetracted,
    EventsMerged,
)
from tracker.decisions.matching import Candidates, Decision, candidates, decide_match
from tracker.decisions.state import (
    PAIR_PREFIX,
    PairState,
    apply,
    decision_state,
    pair_of_stream,
    pair_stream,
    source_key,
    source_of,
)
from tracker.errors import ConcurrencyError, InputError
from tracker.store import (
    AppendResult,
    EventLog,
    RecordedEvent,
    to_new_event,
    to_recorded,
)
from tracker.store.mapping import deterministic_id

ARTICLE_PREFIX = "article-"
MAX_ATTEMPTS = 5
_COMMON_FIELDS = frozenset(DiplomaticEvent.model_fields)
__all__ = [
    "ARTICLE_PREFIX",
    "PAIR_PREFIX",
    "confirm_event",
    "corroboration_id",
    "fact_id",
    "merge_events",
    "pair_stream",
    "record_facts",
    "retract_event",
    "stream_for",
]

Decide = Callable[[PairState], list[tuple[UUID, DomainEvent]]]
"""Given the folded stream, the events to append (with their ids)."""


def stream_for(event: DiplomaticEvent) -> str:
    """The relationship stream a diplomatic fact belongs to."""
    return pair_stream(*event.pair)


def fact_id(event: DiplomaticEvent) -> UUID:
    """Deterministic id of a fact from its source and content, so re-ingesting is a no-op."""
    p = event.provenance
    return deterministic_id(
        event.type_name, p.article_id or p.url, p.start, p.end, event.actors,
        event.occurred_on, event.summary,
    )  # fmt: skip


def corroboration_id(target_id: str, source: str) -> UUID:
    """Deterministic id of "``source`` reports event ``target_id`` too"."""
    return deterministic_id("EventCorroborated", target_id, source)


def _read_state(
    store: EventLog, stream: str, keys: Iterable[str], wanted: Sequence[Candidates]
) -> PairState:
    pair = pair_of_stream(stream)
    if pair is None:  # a one-state stream: no relationship entries, only its version
        return PairState(version=store.stream_version(stream))
    return decision_state(store, pair, keys=keys, wanted=wanted)


def _append_decided(
    store: EventLog,
    stream: str,
    decide: Decide,
    metadata: dict[str, Any] | None,
    *,
    keys: Iterable[str] = (),
    wanted: Sequence[Candidates] = (),
) -> AppendResult:
    """Read the state ``decide`` needs (entries ``keys`` and the ``wanted`` candidates),
    decide what to append and append it at the version read; on a concurrent write re-read and
    decide again, up to MAX_ATTEMPTS. Raises ConcurrencyError."""
    keys = tuple(keys)
    for attempt in range(1, MAX_ATTEMPTS + 1):
        state = _read_state(store, stream, keys, wanted)
        events = [to_new_event(e, event_id=i, metadata=metadata) for i, e in decide(state)]
        try:
            return store.append(stream, events, expected_version=state.version)
        except ConcurrencyError:
            if attempt == MAX_ATTEMPTS:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


def _corroboration(target: str, fact: DiplomaticEvent, reasons: Sequence[str]) -> EventCorroborated:
    """``fact`` as a report of the recorded event ``target``: its source and what it says."""
    own = fact.model_dump(mode="json", exclude=set(_COMMON_FIELDS))
    return EventCorroborated(
        event_id=UUID(target),
        provenance=fact.provenance,
        confidence=fact.confidence,
        persons=fact.persons,
        occurred_on=fact.occurred_on,
        date_precision=fact.date_precision,
        location=fact.location,
        summary=fact.summary,
        details=own,
        reasons=tuple(reasons),
    )


def _decide_facts(facts: Sequence[DiplomaticEvent], stream: str, now: datetime) -> Decide:
    def decide(state: PairState) -> list[tuple[UUID, DomainEvent]]:
        out: list[tuple[UUID, DomainEvent]] = []
        for fact in facts:
            fid = fact_id(fact)
            decision = Decision() if state.knows(str(fid)) else decide_match(state, fact, now)
            todo: list[tuple[UUID, DomainEvent]] = [(fid, fact)]
            if decision.match is not None:
                key = source_key(source_of(fact.provenance))
                if key in {source_key(s) for s in decision.match.sources}:
                    continue  # this article already reports that event
                target = decision.match.event_id
                todo = [
                    (corroboration_id(target, key), _corroboration(target, fact, decision.reasons))
                ]
            elif decision.suspects:
                flag = DuplicateSuspected(
                    event_id=fid,
                    of_ids=tuple(UUID(e.event_id) for e in decision.suspects),
                    reason=decision.why,
                )
                todo.append((deterministic_id("DuplicateSuspected", fid), flag))
            for event_id, event in todo:
                out.append((event_id, event))
                # Later facts of the same batch must see this one (two outlets in one run).
                state = apply(state, RecordedEvent(event, event_id, stream, 0, 0, now, {}))
        return out

    return decide


def record_facts(
    store: EventLog,
    facts: Sequence[DiplomaticEvent],
    *,
    metadata: dict[str, Any] | None = None,
    now: datetime | None = None,
) -> list[AppendResult]:
    """Append facts to their relationship streams, one atomic append per stream; a fact that
    reports an active event again becomes an ``EventCorroborated``. ``now`` (default: the
    clock) decides whether two undated reports are close enough. Raises StoreError."""
    when = now or datetime.now(UTC)
    by_stream: dict[str, list[DiplomaticEvent]] = {}
    for fact in facts:
        by_stream.setdefault(stream_for(fact), []).append(fact)
    return [
        _append_decided(
            store,
            stream,
            _decide_facts(group, stream, when),
            metadata,
            keys=[str(fact_id(f)) for f in group],
            wanted=[candidates(f) for f in group],
        )
        for stream, group in by_stream.items()
    ]


# -- analysts' corrections -----------------------------------------------------------------------


def _event_uuid(text: str) -> UUID:
    try:
        return UUID(text.strip())
    except ValueError:
        raise InputError(
            f"bad event id {text!r}: give the full id, as printed by `timeline --json`"
        ) from None


def _fact_stream(store: EventLog, event_id: UUID) -> str:
    row = store.get(event_id)
    if row is None:
        raise InputError(f"no event {event_id} in the log; see `timeline A B --json` for ids")
    if pair_of_stream(row.stream_id) is None or not isinstance(
        to_recorded(row).event, DiplomaticEvent
    ):
        raise InputError(
            f"event {event_id} is a {row.type} in {row.stream_id!r}, not a fact of a relationship"
        )
    return row.stream_id


def _check_active(state: PairState, event_id: UUID) -> None:
    eid = str(event_id)
    if eid in state.entries:
        return
    if eid in state.aliases:
        raise InputError(f"event {eid} was merged into {state.resolve(eid)}; use that id")
    raise InputError(f"event {eid} is already retracted")


def _need_reason(reason: str) -> str:
    if not reason.strip():
        raise InputError("--reason is required: say in one line why")
    return reason.strip()


def _correct_one(
    store: EventLog,
    event_id: str,
    reason: str,
    analyst: str,
    make: Callable[[UUID, str], DomainEvent],
) -> AppendResult:
    """Append ``make(target, reason)`` on the target fact's pair stream, once the target is
    known to be an active fact; its id is deterministic from its type and target."""
    why = _need_reason(reason)
    target = _event_uuid(event_id)
    stream = _fact_stream(store, target)

    def decide(state: PairState) -> list[tuple[UUID, DomainEvent]]:
        _check_active(state, target)
        event = make(target, why)
        return [(deterministic_id(event.type_name, target), event)]

    return _append_decided(
        store, stream, decide, {"source": "manual", "analyst": analyst}, keys=[str(target)]
    )


def retract_event(
    store: EventLog, event_id: str, reason: str, *, analyst: str = "analyst"
) -> AppendResult:
    """Withdraw an active fact with ``EventRetracted`` on its pair stream; raises InputError
    for a bad or unknown id, a non-fact, an event already retracted or merged away."""
    return _correct_one(
        store, event_id, reason, analyst, lambda t, why: EventRetracted(event_id=t, reason=why)
    )


def confirm_event(
    store: EventLog, event_id: str, reason: str, *, analyst: str = "analyst"
) -> AppendResult:
    """Record that an analyst checked an active fact (``EventConfirmed``); confirming it again
    is a no-op (same deterministic id). Raises InputError like ``retract_event``."""
    return _correct_one(
        store, event_id, reason, analyst, lambda t, why: EventConfirmed(event_id=t, reason=why)
    )


def merge_events(
    store: EventLog,
    survivor_id: str,
    other_ids: Sequence[str],
    reason: str,
    *,
    analyst: str = "analyst",
) -> AppendResult:
    """Record that ``other_ids`` are the same real-world event as ``survivor_id`` (kept, with all
    their sources). All must be active facts of one relationship, of one kind. Raises
    InputError naming the offending id."""
    why = _need_reason(reason)
    survivor = _event_uuid(survivor_id)
    others = list(dict.fromkeys(_event_uuid(o) for o in other_ids))
    if not others:
        raise InputError("name at least one event to merge into the survivor")
    if survivor in others:
        raise InputError(f"event {survivor} cannot be merged into itself")
    stream = _fact_stream(store, survivor)
    for other in others:
        if _fact_stream(store, other) != stream:
            raise InputError(f"event {other} is not about the same pair of states ({stream})")

    def decide(state: PairState) -> list[tuple[UUID, DomainEvent]]:
        for eid in (survivor, *others):
            _check_active(state, eid)
        kind = state.entries[str(survivor)].kind
        for other in others:
            if state.entries[str(other)].kind != kind:
                raise InputError(
                    f"event {other} is a {state.entries[str(other)].kind}, not a {kind}: "
                    "only events of one kind can be merged"
                )
        mid = deterministic_id("EventsMerged", survivor, *sorted(map(str, others)))
        return [(mid, EventsMerged(survivor_id=survivor, merged_ids=tuple(others), reason=why))]

    return _append_decided(
        store,
        stream,
        decide,
        {"source": "manual", "analyst": analyst},
        keys=[str(i) for i in (survivor, *others)],
    )
