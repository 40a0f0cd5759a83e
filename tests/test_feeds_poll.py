"""The poll pipeline end to end on the bundled offline sample feeds (both backends)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from tests.conftest import ROOT
from tracker.config import load_feeds
from tracker.feeds.poll import feed_health, poll_feeds
from tracker.store import SqlEventStore, verify

SAMPLES = ROOT / "samples" / "feeds.yaml"
NOW = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def _articles(store: SqlEventStore) -> list[dict[str, object]]:
    return [json.loads(r.payload) for r in store.read_all() if r.type == "ArticleRecorded"]


def test_sample_feeds_ingest_once_and_second_poll_records_nothing(store: SqlEventStore) -> None:
    config = load_feeds(SAMPLES)
    first = poll_feeds(store, config, now=NOW)
    assert [r.status for r in first] == ["ok"] * len(config.feeds)
    entries = sum(r.entries for r in first)
    articles = _articles(store)
    # one story is carried by two feeds under the same link: recorded once
    assert len(articles) == sum(r.new_articles for r in first) == entries - 1
    links = [a["url"] for a in articles if a["url"]]
    assert len({link.split("?")[0] for link in links}) == len(links)

    second = poll_feeds(store, config, now=NOW)
    assert sum(r.new_articles for r in second) == 0
    assert len(_articles(store)) == len(articles)
    assert verify(store).ok


def test_local_links_give_full_text_and_published_is_utc(store: SqlEventStore) -> None:
    config = load_feeds(SAMPLES)
    poll_feeds(store, config, only=["sample-xinhua-world"], now=NOW)
    by_title = {a["title"]: a for a in _articles(store)}
    page = by_title["Xi meets Pakistani Prime Minister Shehbaz Sharif in Beijing"]
    assert page["text_source"] == "html"
    assert "Great Hall of the People" in str(page["text"])
    assert "Most read" not in str(page["text"])  # boilerplate left out by trafilatura
    assert page["published"] == "2022-11-02T14:05:00Z" or str(page["published"]).startswith(
        "2022-11-02T14:05:00"
    )
    statement = next(a for t, a in by_title.items() if "joint statement" in t)
    assert statement["text_source"] == "feed" and "<p>" not in str(statement["text"])


def test_feed_health_after_poll(store: SqlEventStore) -> None:
    config = load_feeds(SAMPLES)
    before = feed_health(store, config)
    assert all(h.last_attempt is None for h in before)
    poll_feeds(store, config, now=NOW)
    after = {h.feed: h for h in feed_health(store, config)}
    xinhua = after["sample-xinhua-world"]
    assert xinhua.last_success == NOW and xinhua.http_status == 200 and xinhua.failures == 0
    # <ttl>30</ttl> lengthens the 15m interval of samples/feeds.yaml
    assert xinhua.next_due is not None and (xinhua.next_due - NOW).total_seconds() == 1800
    assert (after["sample-cgtn-world"].next_due - NOW).total_seconds() == 900  # type: ignore[operator]
