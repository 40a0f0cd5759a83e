"""The extractor: article -> candidates. Pure and deterministic.

``analyse`` does the shared work once (sentences, clauses, states, persons, dates, the story's
frame); then each sentence goes to every registered extractor in order (``registry``), and the
discourse (who was named last, the last day) moves on. Photo captions are skipped.
"""

from __future__ import annotations

import re

from tracker.extraction import rules
from tracker.extraction.analysis import analyse, begin_sentence, end_sentence, sentence_dates
from tracker.extraction.candidates import Candidate
from tracker.extraction.document import Article
from tracker.extraction.extractor import Line
from tracker.extraction.patterns import contains_any
from tracker.extraction.registry import EXTRACTORS

_SAME_DAY = re.compile(
    r"\b(?:(?:on )?the same day|later (?:in|that) day|earlier in the day|that day)\b", re.I
)


def _caption_paragraphs(text: str) -> list[tuple[int, int]]:
    """Spans of the paragraphs that credit a photograph (captions, whatever they say)."""
    out = []
    for m in rules.PHOTO_CREDIT.finditer(text):
        start = text.rfind("\n", 0, m.start()) + 1
        end = text.find("\n", m.end())
        out.append((start, len(text) if end < 0 else end))
    return out


def extract(article: Article) -> list[Candidate]:
    """Every candidate event in ``article``, background and planned ones included."""
    doc = analyse(article)
    readers = [make() for make in EXTRACTORS]
    captions = _caption_paragraphs(doc.text)
    for i, sent in enumerate(doc.sentences):
        begin_sentence(doc, i, sent)
        lower = sent.text.lower()
        if contains_any(lower, rules.CAPTION_HINTS) and rules.CAPTION.search(sent.text):
            continue
        if any(a <= sent.start < b for a, b in captions):
            continue
        line = Line(
            sent=sent,
            dates=sentence_dates(doc, sent),
            lower=lower,
            same_day="day" in lower and bool(_SAME_DAY.search(sent.text)),
        )
        for reader in readers:
            reader.read(doc, line)
        end_sentence(doc, sent, line.dates, line.same_day)
    out = [cand for reader in readers for cand in reader.results(doc)]
    return sorted(out, key=lambda c: (c.evidence.start, c.type))
