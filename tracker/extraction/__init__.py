"""Rule-based extraction of diplomatic facts from article text (pure, no I/O).

``extract(article)`` gives every candidate (background and planned ones included);
``extract_facts(article, article_id)`` is the pipeline's extractor: the candidates as events
of ``events/``, background ones dropped, planned ones kept with ``planned=True``.
"""

from __future__ import annotations

from tracker.extraction.candidates import EVENT_TYPES, Candidate, Evidence, PersonRef
from tracker.extraction.engine import extract
from tracker.extraction.facts import EXTRACTOR, extract_facts, to_event

__all__ = [
    "EVENT_TYPES",
    "EXTRACTOR",
    "Candidate",
    "Evidence",
    "PersonRef",
    "extract",
    "extract_facts",
    "to_event",
]
