"""Property: arbitrary Unicode and HTML-ish noise never crash the extractor or yield bad values."""

from __future__ import annotations

from datetime import UTC, date, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from events.countries import is_country_code
from tracker.articles import Article
from tracker.extraction import extract, extract_facts

_WORDS = st.sampled_from(
    [
        "China", "Pakistan", "ChinaPakistan", "Xi", "Sharif", "met", "visited", "said", "signed",
        "agreements", "on", "Wednesday", "yesterday", "last", "month", "$", "27.82", "billion",
        "trade", "<p>", "</div>", "&amp;", "\u201c", "\u2019s", ".", ",", "\n", "BEIJING,",
        "Nov.", "3,", "2022", "(APP):", "not", "talks", "with", "Prime", "Minister", "the",
        "joint", "statement", "phone", "call", "Beijing", "Islamabad", "Kremlin", "Photo",
    ]
)  # fmt: skip
_TEXT = st.one_of(
    st.text(max_size=400),
    st.lists(_WORDS, max_size=80).map(" ".join),
    st.lists(st.one_of(_WORDS, st.text(max_size=8)), max_size=60).map("".join),
)


def _check(article: Article) -> None:
    for c in extract(article):
        assert c.actors and all(is_country_code(a) for a in c.actors)
        assert len(set(c.actors)) == len(c.actors)
        if c.date is not None:
            date.fromisoformat(c.date)
        assert 0 <= c.evidence.start <= c.evidence.end <= len(article.text)
        assert article.text[c.evidence.start : c.evidence.end] == c.evidence.quote
    extract_facts(article, "prop")  # every candidate validates as an event


@settings(max_examples=150, deadline=None)
@given(title=st.text(max_size=60), text=_TEXT, published=st.one_of(st.none(), st.dates()))
def test_no_crash_valid_codes_and_dates(title: str, text: str, published: date | None) -> None:
    moment = (
        datetime(published.year, published.month, published.day, tzinfo=UTC) if published else None
    )
    _check(Article(title=title, text=text, published=moment))
