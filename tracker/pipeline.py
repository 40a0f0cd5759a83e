"""Article -> facts -> log: the path shared by polling, ``ingest`` and the demo.

Steps: skip an article already recorded; run the extractor (pure); append the facts to their
relationship streams; then record the article. The article record is written last, as the
"done" mark: a crash in between leaves facts whose deterministic ids make the retry a no-op
for them, and the retry then records the article. Re-running on the same article writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from events import DiplomaticEvent
from tracker.articles import Article, article_event_id, article_id, is_recorded, record_article
from tracker.outlets import outlet_of
from tracker.recording import record_facts
from tracker.store import EventLog

Extractor = Callable[[Article, str], Sequence[DiplomaticEvent]]
"""Turns an article (and its id, for provenance) into diplomatic facts; must be pure."""


def default_extractor() -> Extractor:
    """The rule-based extractor of ``tracker.extraction``."""
    from tracker.extraction import extract_facts

    return extract_facts


def with_outlet(fact: DiplomaticEvent, outlet: str) -> DiplomaticEvent:
    """``fact`` with its source's outlet set (its id does not depend on it)."""
    if fact.provenance.source == outlet:
        return fact
    provenance = fact.provenance.model_copy(update={"source": outlet})
    return fact.model_copy(update={"provenance": provenance})


@dataclass(frozen=True)
class IngestResult:
    """What ingesting one article did."""

    article_id: str | None
    new_article: bool
    facts_written: int
    duplicates: int


def ingest_article(
    store: EventLog, article: Article, extractor: Extractor | None = None
) -> IngestResult:
    """Record ``article`` and its facts; an article already recorded is skipped whole."""
    aid = article_id(article)
    if is_recorded(store, aid):
        return IngestResult(aid, False, 0, 0)
    outlet = outlet_of(article.url, article.feed)
    facts = [with_outlet(f, outlet) for f in (extractor or default_extractor())(article, aid)]
    results = record_facts(
        store, facts, metadata={"causation_id": str(article_event_id(aid)), "article_id": aid}
    )
    new = record_article(store, article) is not None
    written = sum(len(r.written) for r in results)
    dups = sum(len(r.duplicates) for r in results)
    return IngestResult(aid, new, written, dups)
