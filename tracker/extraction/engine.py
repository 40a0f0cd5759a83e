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
    """Spans of the paragraphs that credit a photograph (captions, whatever they say).

    Line by line, the regex only on lines with a slash or a caption word: one regex over the
    whole text costs more than the rest of the sentence splitting."""
    out = []
    start = 0
    for line in text.split("\n"):
        end = start + len(line)
        probe = line[:16].lower()
        if ("/" in line or "photo" in probe or "image" in probe or "(photo" in line.lower()) and (
            rules.PHOTO_CREDIT.search(line)
        ):
            out.append((start, end))
        start = end + 1
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
