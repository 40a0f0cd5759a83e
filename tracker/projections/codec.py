"""Read models <-> the JSON bodies of ``view_rows`` (lossless: decode(encode(x)) == x)."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Callable, Iterator, Sequence
from datetime import date, datetime
from typing import Any, TypeVar, overload

import orjson

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

T = TypeVar("T")


def _default(value: Any) -> Any:
    raise TypeError(f"cannot encode {type(value).__name__} in a view row")


def encode(value: Any) -> str:
    """A read-model dataclass (or plain JSON value) as deterministic JSON text.

    orjson (a C library) serialises the frozen dataclasses, dates and tuples natively: view
    rows are most of a rebuild's output, and ``json`` with a per-object hook cost several
    times more.
    """
    return orjson.dumps(value, default=_default, option=orjson.OPT_SORT_KEYS).decode()


def decode(text: str | bytes) -> Any:
    """The JSON value of a view row's body."""
    return orjson.loads(text)


@contextlib.contextmanager
def bulk() -> Iterator[None]:
    """Pause the cyclic garbage collector while many rows are decoded into read models.

    The objects are acyclic, and the collections that thousands of allocations trigger (each
    scanning everything alive) cost more than the decoding itself: half a whole-pair timeline.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _source(d: dict[str, Any] | None) -> Source | None:
    return _source_from(d) if d is not None else None


# Rows are decoded with ``built`` (no dataclass ``__init__``): the rows are ours, written by
# ``encode`` from the same classes and replayed when the projection's version changes, so every
# field is present; the result equals what ``__init__`` builds (tested).
def _person_from(d: dict[str, Any]) -> PersonRef:
    return built(PersonRef, d)


def _source_from(d: dict[str, Any]) -> Source:
    return built(Source, {**d, "reasons": tuple(d.get("reasons") or ())})


def entry_from(d: dict[str, Any]) -> TimelineEntry:
    """A TimelineEntry from its decoded JSON."""
    return built(
        TimelineEntry,
        {
            **d,
            "pair": (d["pair"][0], d["pair"][1]),
            "actors": tuple(d["actors"]),
            "occurred_on": _day(d["occurred_on"]),
            "persons": tuple(map(_person_from, d["persons"])),
            "sources": tuple(map(_source_from, d["sources"])),
            "recorded_at": datetime.fromisoformat(d["recorded_at"]),
            "possible_duplicates": tuple(d.get("possible_duplicates") or ()),
            "confirmed": d.get("confirmed", False),
        },
    )


def _maybe_entry(d: dict[str, Any] | None) -> TimelineEntry | None:
    return entry_from(d) if d is not None else None


def view_from(d: dict[str, Any]) -> RelationshipView:
    """A RelationshipView from its decoded JSON."""
    return RelationshipView(
        pair=(d["pair"][0], d["pair"][1]),
        names=(d["names"][0], d["names"][1]),
        counts=d["counts"],
        first_date=_day(d["first_date"]),
        last_date=_day(d["last_date"]),
        last_meeting=_maybe_entry(d["last_meeting"]),
        last_leader_contact=_maybe_entry(d["last_leader_contact"]),
        agreements=tuple(entry_from(e) for e in d["agreements"]),
        statements={
            speaker: {topic: entry_from(e) for topic, e in topics.items()}
            for speaker, topics in d["statements"].items()
        },
        trade=tuple(entry_from(e) for e in d["trade"]),
        descriptor=d["descriptor"],
        descriptor_history=tuple(map(_change_from, d["descriptor_history"])),
        monthly_scores=tuple(MonthlyScore(**m) for m in d["monthly_scores"]),
        trend=d["trend"],
        planned=tuple(entry_from(e) for e in d["planned"]),
        as_of=datetime.fromisoformat(d["as_of"]) if d["as_of"] else None,
        position=d["position"],
        extra=d["extra"],
    )


def _change_from(c: dict[str, Any]) -> DescriptorChange:
    return DescriptorChange(c["descriptor"], _day(c["since"]), c["event_id"], _source(c["source"]))


class Lazy(Sequence[T]):
    """Rows of a part decoded when read (``convert`` per item): a view shows the latest
    ``LIST_LIMIT`` agreements and descriptor changes of all months, so of the dozens of parts
    an as-of or a refresh reads, only the last few lists are ever decoded."""

    def __init__(self, raw: list[dict[str, Any]], convert: Callable[[dict[str, Any]], T]) -> None:
        self._raw = raw
        self._convert = convert

    def __len__(self) -> int:
        return len(self._raw)

    @overload
    def __getitem__(self, index: int) -> T: ...

    @overload
    def __getitem__(self, index: slice) -> list[T]: ...

    def __getitem__(self, index: int | slice) -> T | list[T]:
        if isinstance(index, slice):
            return [self._convert(d) for d in self._raw[index]]
        return self._convert(self._raw[index])


class LazyChanges(Lazy[DescriptorChange]):
    """A part's descriptor changes; ``texts`` are what joining the months compares."""

    def __init__(self, raw: list[dict[str, Any]]) -> None:
        super().__init__(raw, _change_from)
        self.texts = [str(c["descriptor"]) for c in raw]


def part_from(d: dict[str, Any]) -> BucketPart:
    """A BucketPart from its decoded JSON."""
    return BucketPart(
        bucket=d["bucket"],
        counts=d["counts"],
        agreement_items=d["agreement_items"],
        agreements=Lazy(d["agreements"], entry_from),
        first_date=_day(d["first_date"]),
        last_date=_day(d["last_date"]),
        last_meeting=_maybe_entry(d["last_meeting"]),
        last_leader_contact=_maybe_entry(d["last_leader_contact"]),
        last_action=_maybe_entry(d["last_action"]),
        last_report=_maybe_entry(d["last_report"]),
        statements={
            speaker: {topic: entry_from(e) for topic, e in topics.items()}
            for speaker, topics in d["statements"].items()
        },
        trade=tuple(map(entry_from, d["trade"])),
        descriptors=LazyChanges(d["descriptors"]),
        descriptors_cut=d["descriptors_cut"],
        score=MonthlyScore(**d["score"]) if d["score"] else None,
        planned=tuple(map(entry_from, d["planned"])),
    )


def summary_from(d: dict[str, Any]) -> RelationSummary:
    """A RelationSummary from its decoded JSON."""
    return RelationSummary(
        pair=(d["pair"][0], d["pair"][1]),
        names=(d["names"][0], d["names"][1]),
        events=d["events"],
        counts=d["counts"],
        last_date=_day(d["last_date"]),
        last_event=d["last_event"],
        score=d["score"],
        sources=d["sources"],
    )
