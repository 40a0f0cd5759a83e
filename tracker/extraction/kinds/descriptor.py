"""Descriptors: the name a pair gives its relationship ("all-weather strategic cooperative
partnership"), once per name and article."""

from __future__ import annotations

import re

from tracker.extraction import rules
from tracker.extraction.analysis import Analysis, entities, evidence
from tracker.extraction.candidates import Candidate
from tracker.extraction.extractor import Line
from tracker.extraction.patterns import contains_any

_LEADING = re.compile(r"^(?:and|of|new)\s+", re.I)


class DescriptorExtractor:
    """Finds partnership names sentence by sentence."""

    def __init__(self) -> None:
        self.found: list[Candidate] = []
        self.seen: set[str] = set()

    def read(self, doc: Analysis, line: Line) -> None:
        """Each new partnership name of the sentence, for the two states it names (else the
        story's pair)."""
        sent = line.sent
        if not contains_any(line.lower, rules.DESCRIPTOR_HINTS):
            return
        for m in rules.DESCRIPTOR.finditer(sent.text):
            phrase = m.group(1).strip()
            if not rules.DESCRIPTOR_WORDS.search(phrase):
                continue
            key = _LEADING.sub("", phrase).lower()
            ents = [e for e in entities(doc, sent.start, sent.end) if e.code and e.explicit]
            codes = list(dict.fromkeys(e.code for e in ents))
            actors = tuple(codes[:2]) if len(codes) >= 2 else doc.main
            if len(actors) != 2 or key in self.seen:
                continue
            self.seen.add(key)
            self.found.append(
                Candidate(
                    type="descriptor",
                    actors=tuple(actors),
                    evidence=evidence(doc, sent),
                    # a name is dated by the day it was used: the story's
                    date=doc.news_date.isoformat() if doc.news_date else None,
                    date_precision="day" if doc.news_date else None,
                    confidence=0.7,
                    fields={"descriptor": key},
                )
            )

    def results(self, doc: Analysis) -> list[Candidate]:
        """The names in the order found."""
        return self.found
