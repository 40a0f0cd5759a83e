"""Arbitrary article text through every text format: structure never changes, text survives."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import replace
from html.parser import HTMLParser

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from icalendar import Calendar

from tests.exports_sample import sample_report
from tracker.exports.csv_export import render_csv
from tracker.exports.html import render_html
from tracker.exports.ics import render_ics
from tracker.exports.markdown import render_markdown
from tracker.exports.report import Report
from tracker.projections.model import Source

# Text as feeds deliver it: any Unicode except surrogates, biased towards markup and formulas.
TEXT = st.one_of(
    st.text(st.characters(exclude_categories=["Cs"]), max_size=60),
    st.lists(
        st.sampled_from(
            ["<script>", "</script>", "<img src=x onerror=alert(1)>", '"', "'", "&amp;", "=",
             "+", "-", "@", "\r\n", "BEGIN:VEVENT", "](javascript:x)", "*", "`", "<!--", "]]>"]
        ),
        max_size=8,
    ).map("".join),
)  # fmt: skip
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _hostile(text: str, prefix: str = "x") -> Report:
    """The sample with ``text`` everywhere in its first entry; the prefix keeps it non-empty,
    so the same optional elements are always rendered."""
    text = prefix + text
    report = sample_report()
    first = report.entries[0]
    entry = replace(
        first,
        summary=text,
        location=text,
        details={"title": text, "topics": [text]},
        sources=(Source(url="https://example.org/a", title=text, outlet=text), *first.sources),
    )
    return replace(report, entries=(entry, *report.entries[1:]))


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, tuple[str, ...]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, tuple(sorted(k for k, _ in attrs))))


def _structure(html: str) -> list[tuple[str, tuple[str, ...]]]:
    parser = _Tags()
    parser.feed(html)
    return parser.tags


BASELINE = _structure(render_html(_hostile("plain words")))


@SETTINGS
@given(TEXT)
def test_html_structure_does_not_depend_on_article_text(text: str) -> None:
    assert _structure(render_html(_hostile(text))) == BASELINE


@SETTINGS
@given(TEXT)
def test_csv_cells_round_trip_and_never_start_a_formula(text: str) -> None:
    rows = list(csv.DictReader(io.StringIO(render_csv(_hostile(text, "")), newline="")))
    assert len(rows) == len(sample_report().entries)
    summary = rows[0]["summary"]
    formula = text.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert summary == ("'" + text if formula else text)


@SETTINGS
@given(TEXT)
def test_markdown_keeps_every_hostile_character_escaped(text: str) -> None:
    md = render_markdown(_hostile(text))
    assert re.findall(r"(?<!\\)(?<!\]\()<", md) == []
    assert re.findall(r"(?<!\\)\]\(javascript:", md) == []
    assert md.count("\n## ") == 2  # text cannot open a section


@SETTINGS
@given(TEXT)
def test_ics_text_cannot_add_components(text: str) -> None:
    cal = Calendar.from_ical(render_ics(_hostile(text)))
    events = list(cal.walk("VEVENT"))
    assert len(events) == sum(1 for e in sample_report().entries if e.occurred_on)
    newlines = "x" + text.replace("\r\n", "\n").replace("\r", "\n")
    assert str(events[0]["SUMMARY"]) == f"China–Pakistan: {newlines}"
