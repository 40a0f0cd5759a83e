"""Rule-based extraction of diplomatic facts from article text (pure, no I/O)."""

from __future__ import annotations

from events import DiplomaticEvent
from tracker.articles import Article


def extract_facts(article: Article, article_id: str) -> list[DiplomaticEvent]:
    """Diplomatic facts stated in ``article``. Placeholder until the extractor lands."""
    return []
