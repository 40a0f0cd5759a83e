"""Normalisation keeps offsets into the original text; sentence splitting."""

from __future__ import annotations

from tracker.extraction.text import normalise, split_sentences


def test_repairs_keep_offsets_into_the_original() -> None:
    original = "Ties are strong.The ChinaPakistan corridor is \u201cvital\u201d, said Mr. Khan."
    norm = normalise(original)
    assert norm.text == 'Ties are strong. The China-Pakistan corridor is "vital", said Mr. Khan.'
    start = norm.text.index("Pakistan")
    a, b = norm.original_span(start, start + len("Pakistan"))
    assert original[a:b] == "Pakistan"
    a, b = norm.original_span(0, len(norm.text))
    assert original[a:b] == original


def test_short_codes_after_a_glued_name() -> None:
    assert normalise("for IndiaUS ties").text == "for India-US ties"
    assert normalise("U.S. officials").text == "U.S. officials"


def test_sentences_respect_abbreviations_and_lines() -> None:
    text = normalise(
        "Dr. S. Jaishankar met Mr. Qin Gang on Nov. 3. They talked.\nA heading\nU.S. aid rose."
    ).text
    got = [s.text for s in split_sentences(text)]
    assert got == [
        "Dr. S. Jaishankar met Mr. Qin Gang on Nov. 3.",
        "They talked.",
        "A heading",
        "U.S. aid rose.",
    ]


def test_lowered_patterns_match_what_ignorecase_matches() -> None:
    import re

    import pytest

    from tracker.extraction.patterns import lower_source, trie_pattern

    source = r"(?P<x>Spoke\S*)\s+(?:By|On)\s+\D?Phone"
    text = "Xi SPOKE with Biden on Phone; they spoke by phone"
    lowered = re.compile(lower_source(source))
    ignore = re.compile(source, re.IGNORECASE)
    assert [m.span() for m in lowered.finditer(text.lower())] == [
        m.span() for m in ignore.finditer(text)
    ]
    with pytest.raises(ValueError):
        lower_source("(?-i:[A-Z])")
    trie = re.compile(rf"\b(?:{trie_pattern(['Guinea', 'Guinea-Bissau', 'Ghana'])})\b")
    assert trie.findall("Ghana, Guinea-Bissau and Guinea") == ["Ghana", "Guinea-Bissau", "Guinea"]
