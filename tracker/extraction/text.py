"""Text normalisation and sentence splitting, with offsets back into the original text.

Wire copy and pasted press releases carry noise: curly quotes, non-breaking spaces, state names
glued together when a hyphen was lost ("ChinaPakistan"), a missing space after a full stop
("said.The"). ``normalise`` repairs these and keeps, for every character of the normalised text,
the offset of the original character it came from, so evidence spans point into the article as
published. Sentence splitting is hand-written (a regex plus an abbreviation list): the rules are
short, and a model-based splitter would cost more than the whole extractor.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from events.gazetteer import state_names
from tracker.extraction.patterns import trie_pattern


def _words(text: str) -> list[str]:
    """The words of a space-separated list (long word lists read better so)."""
    return text.split()


_ONE_TO_ONE = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2033": '"',
        "\u00a0": " ",
        **{chr(c): " " for c in range(0x2000, 0x200B)},
        "\u202f": " ",
        "\u2007": " ",
        "\u200b": " ",
        "\u2010": "-",
        "\u2011": "-",
        "\t": " ",
        "\r": " ",
    }
)
# "said.The", "2022.China": a full stop glued to the next sentence (not "U.S." or "No.1").
_MISSING_SPACE = re.compile(r"(?<=[a-z\d)%]{2}[.!?])(?=[A-Z][a-z])|(?<=[a-z]{2}[.!?]\")(?=[A-Z])")

_CAMEL = re.compile(r"\b\w*[a-z][A-Z]\w*")
_ABBREVIATIONS = frozenset(
    _words(
        "mr mrs ms dr prof gen col lt maj capt sgt rev st mt no nos vs etc inc ltd co corp jr "
        "sr jan feb mar apr jun jul aug sep sept oct nov dec amb gov sen rep adm cmdr hon e.g "
        "i.e approx fig dept est u.s u.k u.n u.a.e p.m a.m"
    )
)
_BOUNDARY = re.compile(r"[.!?]+[\"')\]]*(?=\s+[\"'(\[]?[A-Z0-9])")


@dataclass(frozen=True)
class Sentence:
    """One sentence: its normalised text and its span in the normalised text."""

    text: str
    start: int
    end: int
    paragraph: int


@dataclass(frozen=True)
class NormalText:
    """Normalised text plus the map from its offsets to offsets of the original text."""

    original: str
    text: str
    origin: tuple[int, ...]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The span of the original text that the normalised span ``[start, end)`` came from."""
        if end <= start:
            pos = self.origin[min(start, len(self.origin) - 1)]
            return pos, pos
        return self.origin[start], self.origin[end - 1] + 1


@cache
def _glued_states() -> re.Pattern[str]:
    """Two one-word state names written as one word: ChinaPakistan, PakistanChina."""
    words = sorted(
        {
            n
            for s in state_names()
            for n in (*s.names, *s.demonyms)
            if n.isalpha() and n[0].isupper() and len(n) > 3
        },
        key=len,
        reverse=True,
    )
    alt = trie_pattern(words)
    second = trie_pattern([*words, "US", "UK", "UAE", "EU"])
    return re.compile(rf"\b(?:{alt})(?=(?:{second})\b)")


def normalise(original: str) -> NormalText:
    """Repair quotes, spaces, glued state names and glued sentences; keep the offset map."""
    text = original
    for char, repl in _ONE_TO_ONE.items():  # str.replace is C-fast; translate with a dict is not
        if chr(char) in text:
            text = text.replace(chr(char), str(repl))
    inserts: dict[int, str] = {}
    for word in _CAMEL.finditer(text):  # only words with an inner capital can be glued names
        for m in _glued_states().finditer(text, word.start(), word.end()):
            inserts[m.end()] = "-"
    for m in _MISSING_SPACE.finditer(text):
        inserts.setdefault(m.start(), " ")
    if not inserts:
        return NormalText(original, text, tuple(range(len(text) + 1)))
    out: list[str] = []
    origin: list[int] = []
    last = 0
    for pos in sorted(inserts):
        out.append(text[last:pos])
        origin.extend(range(last, pos))
        out.append(inserts[pos])
        origin.append(pos)  # an inserted character maps to the original character after it
        last = pos
    out.append(text[last:])
    origin.extend(range(last, len(text) + 1))
    return NormalText(original, "".join(out), tuple(origin))


def _is_abbreviation(text: str, dot: int) -> bool:
    """True when the full stop at ``dot`` ends an abbreviation or an initial, not a sentence."""
    word_start = dot
    while word_start > 0 and (text[word_start - 1].isalpha() or text[word_start - 1] == "."):
        word_start -= 1
    word = text[word_start:dot].lower()
    return word in _ABBREVIATIONS or (len(word) == 1 and text[word_start].isupper())


def split_sentences(text: str) -> Iterator[Sentence]:
    """Sentences of a normalised text; a line break always ends a sentence (headings, datelines)."""
    paragraph = 0
    for para in re.finditer(r"[^\n]+", text):
        start = para.start()
        chunk = para.group()
        if not chunk.strip():
            continue
        cut = 0
        for m in _BOUNDARY.finditer(chunk):
            if chunk[m.start()] == "." and _is_abbreviation(chunk, m.start()):
                continue
            yield from _sentence(text, start + cut, start + m.end(), paragraph)
            cut = m.end()
        yield from _sentence(text, start + cut, para.end(), paragraph)
        paragraph += 1


def _sentence(text: str, start: int, end: int, paragraph: int) -> Iterator[Sentence]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        yield Sentence(text[start:end], start, end, paragraph)
