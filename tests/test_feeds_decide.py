"""The pure decision core: validators, backoff, Retry-After, max-age / ttl, 410, new entries."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tracker.articles import article_id
from tracker.config import FeedConfig
from tracker.feeds.decide import (
    RETRY_AFTER_MAX,
    Attempt,
    FeedState,
    backoff,
    entry_article,
    max_age,
    new_entries,
    next_state,
    reconcile,
    retry_after_delay,
    strip_html,
)
from tracker.feeds.parse import ParsedEntry, ParsedFeed

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
FEED = FeedConfig(name="f", url="https://a.example/rss", interval=600, backoff_max=7200)
STATE = FeedState(name="f", url="https://a.example/rss", etag='"old"', health={"config_url": "x"})


def test_success_sets_validators_and_resets_failures() -> None:
    failing = FeedState(name="f", url=FEED.url, failures=3, last_error="boom")
    after = next_state(failing, FEED, Attempt(status=200, etag='"e"', last_modified="LM"), NOW)
    assert (after.etag, after.last_modified, after.failures, after.last_error) == (
        '"e"',
        "LM",
        0,
        None,
    )
    assert after.last_success == after.last_attempt == NOW
    assert after.next_due == NOW + timedelta(minutes=10)


def test_incomplete_ingest_keeps_the_old_validators() -> None:
    after = next_state(STATE, FEED, Attempt(status=200, etag='"new"', complete=False), NOW)
    assert after.etag == '"old"'  # the next poll downloads again instead of a 304
    assert after.next_due == NOW  # and is due at once


def test_304_keeps_validators_unless_the_server_sends_new_ones() -> None:
    assert next_state(STATE, FEED, Attempt(status=304), NOW).etag == '"old"'
    assert next_state(STATE, FEED, Attempt(status=304, etag='"n"'), NOW).etag == '"n"'


@pytest.mark.parametrize(
    ("failures", "rand", "delay"),
    [(1, 0.0, 600), (2, 0.0, 1200), (3, 0.0, 2400), (3, 0.999, 2400 * 1.24975), (9, 0.5, 7200)],
)
def test_backoff_doubles_with_jitter_and_is_capped(
    failures: int, rand: float, delay: float
) -> None:
    assert backoff(FEED, failures, rand).total_seconds() == pytest.approx(delay)


def test_failure_backs_off_and_retry_after_is_a_lower_bound() -> None:
    state = FeedState(name="f", url=FEED.url, failures=1)
    after = next_state(state, FEED, Attempt(status=500, error="HTTP 500"), NOW, rand=0.0)
    assert after.failures == 2 and after.next_due == NOW + timedelta(seconds=1200)
    limited = next_state(
        STATE, FEED, Attempt(status=429, error="HTTP 429", retry_after="3600"), NOW, rand=0.0
    )
    assert limited.next_due == NOW + timedelta(hours=1)
    assert limited.etag == '"old"' and limited.health["retry_after"] == "3600"


def test_retry_after_forms() -> None:
    assert retry_after_delay("120", NOW) == timedelta(seconds=120)
    assert retry_after_delay("Sun, 01 Mar 2026 13:30:00 GMT", NOW) == timedelta(minutes=90)
    assert retry_after_delay("Sun, 01 Mar 2026 11:00:00 GMT", NOW) == timedelta(0)
    assert retry_after_delay("99999999999", NOW) == RETRY_AFTER_MAX
    assert retry_after_delay("soon", NOW) is None and retry_after_delay(None, NOW) is None


def test_max_age_and_ttl_lengthen_the_interval_only() -> None:
    assert max_age("public, max-age=3600") == timedelta(hours=1)
    assert max_age("no-store, max-age=3600") is None and max_age(None) is None
    longer = next_state(STATE, FEED, Attempt(status=200, cache_control="max-age=3600"), NOW)
    assert longer.next_due == NOW + timedelta(hours=1)
    shorter = next_state(STATE, FEED, Attempt(status=200, cache_control="max-age=5"), NOW)
    assert shorter.next_due == NOW + timedelta(minutes=10)
    ttl = next_state(STATE, FEED, Attempt(status=200, ttl_minutes=45), NOW)
    assert ttl.next_due == NOW + timedelta(minutes=45)
    hostile = next_state(STATE, FEED, Attempt(status=200, ttl_minutes=10**6), NOW)
    assert hostile.next_due == NOW + timedelta(days=1)


def test_410_disables_with_reason_and_no_next_due() -> None:
    after = next_state(STATE, FEED, Attempt(status=410, error="HTTP 410 Gone"), NOW)
    assert after.next_due is None and after.disabled_reason is not None
    assert after.disabled_reason.startswith("HTTP 410 Gone at https://a.example/rss on 2026-03-01")


def test_permanent_move_is_recorded_and_kept() -> None:
    moved = next_state(STATE, FEED, Attempt(status=200, moved_to="https://b.example/rss"), NOW)
    assert moved.url == "https://b.example/rss"
    assert moved.health["moved_from"] == "https://a.example/rss"
    later = next_state(moved, FEED, Attempt(status=304), NOW + timedelta(hours=1))
    assert later.url == "https://b.example/rss" and later.health["moved_from"]


def test_reconcile_resets_state_when_feeds_yaml_changes_the_url() -> None:
    fresh = reconcile(None, FEED, FEED.url)
    assert fresh.url == FEED.url and fresh.health == {"config_url": FEED.url}
    assert reconcile(fresh, FEED, FEED.url) is fresh
    gone = FeedState(
        name="f", url=FEED.url, etag="e", disabled_reason="410", health={"config_url": FEED.url}
    )
    new = reconcile(gone, FEED, "https://c.example/rss")
    assert (new.url, new.etag, new.disabled_reason) == ("https://c.example/rss", None, None)


def _entry(link: str | None, guid: str | None = None, summary: str = "Short.") -> ParsedEntry:
    return ParsedEntry(title="T", link=link, guid=guid, summary=summary, published=None)


def test_new_entries_dedupe_within_the_feed_and_against_recorded() -> None:
    parsed = ParsedFeed(
        title="x",
        version="rss20",
        entries=(
            _entry("https://n.example/a?utm_source=x"),
            _entry("https://n.example/a#frag"),
            _entry("https://n.example/b"),
            _entry(None, guid="g-1"),
        ),
    )
    recorded = {article_id(entry_article(parsed.entries[2], FEED, FEED.url).article)}
    fresh = new_entries(parsed, FEED, FEED.url, recorded)
    assert [e.article.url for e in fresh] == ["https://n.example/a?utm_source=x", None]
    assert fresh[1].article.guid == "g-1"


def test_full_text_wanted_when_asked_or_summary_short() -> None:
    short = FeedConfig(name="f", url=FEED.url, min_summary_chars=50)
    assert entry_article(_entry("/p"), short, FEED.url).full_text_url == "https://a.example/p"
    long_text = "word " * 30
    assert entry_article(_entry("/p", summary=long_text), short, FEED.url).full_text_url is None
    always = FeedConfig(name="f", url=FEED.url, fetch_full_text=True)
    assert entry_article(_entry("/p", summary=long_text), always, FEED.url).full_text_url


def test_a_web_feed_never_points_at_local_files() -> None:
    web = FeedConfig(name="f", url=FEED.url, fetch_full_text=True)
    for link in ("file:///etc/passwd", "javascript:alert(1)", "data:text/html,x"):
        made = entry_article(_entry(link), web, FEED.url)
        assert made.full_text_url is None and made.article.url is None
    local = FeedConfig(name="f", url="feeds/x.xml", fetch_full_text=True)
    made = entry_article(_entry("../articles/a.html", guid="g"), local, "/srv/feeds/x.xml")
    assert made.full_text_url == "../articles/a.html" and made.article.url == "../articles/a.html"


def test_strip_html_keeps_paragraphs() -> None:
    html = "<p>First &amp; <b>bold</b>.</p><p>Second<br>line</p><script>x</script>"
    assert strip_html(html) == "First & bold.\n\nSecond\n\nline"
    assert strip_html("plain text") == "plain text"
    assert strip_html("<!-- only a comment -->") == ""
