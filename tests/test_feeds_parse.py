"""The parse step: feedparser behind the hostile-markup screen; arbitrary input never crashes."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.feeds_support import DATA, item, rss
from tracker.config import FeedConfig
from tracker.feeds.decide import entry_article
from tracker.feeds.parse import FeedParseError, ParsedFeed, parse_feed

FEED = FeedConfig(name="f", url="https://a.example/rss")


def test_rss_fields_and_utc_dates() -> None:
    parsed = parse_feed(
        (DATA / "good.xml").read_bytes(), url="https://a.example/rss", content_type="text/xml"
    )
    first = parsed.entries[0]
    assert (first.title, first.link, first.guid) == (
        "China and Pakistan hold strategic dialogue",
        "https://news.example.org/good-1",
        "https://a.example/good-1",  # feedparser resolves a permalink guid against the feed
    )
    assert first.published == datetime(2023, 1, 2, 10, 0, tzinfo=UTC)
    assert parsed.warnings == ()


def test_atom_with_offset_dates_and_relative_links() -> None:
    body = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>A</title><id>urn:a</id>
<updated>2023-03-16T12:00:00+09:00</updated>
<entry><title>Summit</title><link href="/news/1"/><id>urn:a:1</id>
<published>2023-03-16T20:30:00+09:00</published>
<content type="html">&lt;p&gt;Body&lt;/p&gt;</content>
</entry></feed>"""
    parsed = parse_feed(
        body, url="https://b.example/feed.atom", content_type="application/atom+xml"
    )
    entry = parsed.entries[0]
    assert entry.link == "https://b.example/news/1"
    assert entry.published == datetime(2023, 3, 16, 11, 30, tzinfo=UTC)
    assert "Body" in entry.summary


def test_ttl_is_read() -> None:
    assert parse_feed(rss(item(1), ttl=60), url="u").ttl_minutes == 60


def test_empty_feed_is_fine_but_empty_body_is_not() -> None:
    assert parse_feed(rss(), url="u").entries == ()
    for body in (b"", b"   \n"):
        try:
            parse_feed(body, url="u")
        except FeedParseError as e:
            assert "empty body" in str(e)
        else:  # pragma: no cover
            raise AssertionError("empty body parsed")


def _check(body: bytes) -> None:
    try:
        parsed = parse_feed(body, url="https://a.example/rss")
    except FeedParseError:
        return
    assert isinstance(parsed, ParsedFeed)
    for entry in parsed.entries:
        made = entry_article(entry, FEED, "https://a.example/rss").article
        assert isinstance(made.title, str) and isinstance(made.text, str)
        assert made.published is None or made.published.tzinfo is not None


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2000))
def test_random_bytes_never_crash(body: bytes) -> None:
    _check(body)


_TEXT = st.text(max_size=60)
_ITEM = st.fixed_dictionaries(
    {},
    optional={
        "title": _TEXT,
        "link": _TEXT,
        "guid": _TEXT,
        "description": _TEXT,
        "pubDate": st.one_of(_TEXT, st.just("Mon, 02 Jan 2023 10:00:00 +0000")),
    },
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_ITEM, max_size=5), st.sampled_from([None, 5, 10**9]))
def test_random_feeds_never_crash(items: list[dict[str, str]], ttl: int | None) -> None:
    _check(rss(*items, ttl=ttl))


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=500), st.integers(min_value=0, max_value=400))
def test_random_xmlish_text_and_truncation_never_crash(noise: str, cut: int) -> None:
    body = rss(item(1), item(2)).decode()
    mangled = body[:cut] + noise + body[cut:]
    _check(mangled.encode("utf-8", errors="surrogatepass"))
