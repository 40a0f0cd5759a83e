"""The one append path for diplomatic facts: each fact goes to its relationship's stream.

A relationship stream (``pair-CHN-PAK``) is the consistency boundary: facts, corroborations,
merges and retractions about one pair of states are appended there, so a fold over one stream
gives that relationship's whole story.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from uuid import UUID

from events import DiplomaticEvent
from tracker.projections.pairs import PAIR_PREFIX, pair_stream
from tracker.store import AppendResult, EventStore, to_new_event
from tracker.store.mapping import deterministic_id

ARTICLE_PREFIX = "article-"
__all__ = ["ARTICLE_PREFIX", "PAIR_PREFIX", "fact_id", "pair_stream", "record_facts", "stream_for"]


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


def record_facts(
    store: EventStore,
    facts: Sequence[DiplomaticEvent],
    *,
    metadata: dict[str, Any] | None = None,
) -> list[AppendResult]:
    """Append facts to their relationship streams, one atomic append per stream."""
    by_stream: dict[str, list[DiplomaticEvent]] = {}
    for fact in facts:
        by_stream.setdefault(stream_for(fact), []).append(fact)
    return [
        store.append(
            stream, [to_new_event(f, event_id=fact_id(f), metadata=metadata) for f in group]
        )
        for stream, group in by_stream.items()
    ]
