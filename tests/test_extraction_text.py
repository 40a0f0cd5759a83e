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
