"""The interface every extractor implements, and what it is given for each sentence."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from tracker.extraction.analysis import Analysis
from tracker.extraction.candidates import Candidate
from tracker.extraction.dates import DateMention
from tracker.extraction.text import Sentence


@dataclass(frozen=True)
class Line:
    """One sentence as the extractors read it: its dates (the dateline's left out), its
    lower-cased text, and whether it says "the same day" (an event dated by the one before)."""

    sent: Sentence
    dates: list[DateMention]
    lower: str
    same_day: bool


class Extractor(Protocol):
    """Reads an article sentence by sentence and gives its candidates at the end.

    One instance per article (it may keep state between sentences). ``read`` is called for each
    sentence in order, after the extractors registered before it have read that sentence;
    ``results`` once, after the last sentence.
    """

    def read(self, doc: Analysis, line: Line) -> None:
        """Take in one sentence."""
        ...

    def results(self, doc: Analysis) -> list[Candidate]:
        """The candidates found in the article."""
        ...
