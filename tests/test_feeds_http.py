"""Polite fetching against a real loopback server: validators, status codes, caps, redirects."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime, timedelta
from pathlib import Path

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from tests.feeds_support import _http, article_titles, feed_server, item, make_config, rss
from tracker.config import USER_AGENT
from tracker.feeds.poll import feed_health, poll_feeds
from tracker.feeds.recorder import feed_states
from tracker.store import SqlEventStore, verify

__all__ = ["_http", "feed_server"]
NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def test_etag_gives_304_and_no_parse(
    store: SqlEventStore, feed_server: HTTPServer, tmp_path: Path
) -> None:
    feed_server.expect_request("/f", headers={"If-None-Match": '"v1"'}).respond_with_data(
        "", status=304, headers={"ETag": '"v1"'}
    )
    feed_server.expect_request("/f").respond_with_data(
        rss(item(1), item(2)), headers={"ETag": '"v1"'}, content_type="application/rss+xml"
    )
    config = make_config(tmp_path, [{"name": "f", "url": feed_server.url_for("/f")}])
    first = poll_feeds(store, config, now=NOW)
    assert (first[0].status, first[0].new_articles) == ("ok", 2)
    assert feed_states(store).load_state("f").etag == '"v1"'  # type: ignore[union-attr]
    second = poll_feeds(store, config, now=NOW + timedelta(hours=1))
    assert (second[0].status, second[0].http_status, second[0].entries) == ("not_modified", 304, 0)
    assert feed_server.log[-1][0].headers["If-None-Match"] == '"v1"'
    assert feed_server.log[0][0].headers["User-Agent"] == USER_AGENT
    assert len(article_titles(store)) == 2


def test_last_modified_gives_304(
    store: SqlEventStore, feed_server: HTTPServer, tmp_path: Path
) -> None:
    stamp = "Wed, 01 Mar 2023 10:00:00 GMT"
    feed_server.expect_request("/f", headers={"If-Modified-Since": stamp}).respond_with_data(
        "", status=304
    )
    feed_server.expect_request("/f").respond_with_data(
        rss(item(1)), headers={"Last-Modified": stamp}, content_type="application/rss+xml"
    )
    config = make_config(tmp_path, [{"name": "f", "url": feed_server.url_for("/f")}])
    assert poll_feeds(store, config, now=NOW)[0].new_articles == 1
    again = poll_feeds(store, config, now=NOW + timedelta(hours=1))[0]
    assert again.status == "not_modified"
    state = feed_states(store).load_state("f")
    assert state is not None and state.last_modified == stamp and state.failures == 0
    assert state.last_success == NOW + timedelta(hours=1)


def test_429_retry_after_pushes_next_due(
    store: SqlEventStore, feed_server: HTTPServer, tmp_path: Path
) -> None:
    feed_server.expect_request("/f").respond_with_data(
        "slow down", status=429, headers={"Retry-After": "7200"}
    )
    config = make_config(tmp_path, [{"name": "f", "url": feed_server.url_for("/f")}])
    result = poll_feeds(store, config, now=NOW)[0]
    assert (result.status, result.http_status) == ("error", 429)
    assert result.next_due == NOW + timedelta(hours=2)  # Retry-After beats the 10m backoff
    health = feed_health(store, config)[0]
    assert health.failures == 1 and health.http_status == 429 and "429" in str(health.last_error)


def test_503_with_http_date_retry_after(
    store: SqlEventStore, feed_server: HTTPServer, tmp_path: Path
) -> None:
    feed_server.expect_request("/f").respond_with_data(
        "", status=503, headers={"Retry-After": "Sun, 01 Mar 2026 15:00:00 GMT"}
    )
    config = make_config(tmp_path, [{"name": "f", "url": feed_server.url_for("/f")}])
    assert poll_feeds(store, config, now=NOW)[0].next_due == NOW + timedelta(hours=3)


def test_410_disables_the_feed(
    store: SqlEventStore, feed_server: HTTPServer, tmp_path: Path
) -> None:
    feed_server.expect_request("/gone").respond_with_data("", status=410)
    feed_server.expect_request("/ok").respond_with_data(rss(item(1)))
    config = make_config(
        tmp_path,
        [
            {"name": "gone", "url": feed_server.url_for("/gone")},
            {"name": "ok", "url": feed_server.url_for("/ok")},
        ],
    )
    results = poll_feeds(store, config, now=NOW)
    assert [r.status for r in results] == ["disabled", "ok"]
    assert "410 Gone" in str(results[0].error)
    requests = len(feed_server.log)
    again = poll_feeds(store, config, now=NOW + timedelta(days=1))
    assert again[0].status == "disabled" and "remove the feed" in str(again[0].error)
    assert len(feed_server.log) == requests + 1  # only the healthy feed was fetched
    health = {h.feed: h for h in feed_health(store, config)}
    assert health["gone"].disabled_reason and health["gone"].next_due is None


def test_301_records_the_new_url(
    store: SqlEventStore, feed_server: HTTPServer, tmp_path: Path
) -> None:
    new = feed_server.url_for("/new")
    feed_server.expect_request("/old").respond_with_data("", status=301, headers={"Location": new})
    feed_server.expect_request("/new").respond_with_data(rss(item(1)))
    config = make_config(tmp_path, [{"name": "f", "url": feed_server.url_for("/old")}])
    result = poll_feeds(store, config, now=NOW)[0]
    assert result.status == "ok" and result.url == new
    state = feed_states(store).load_state("f")
    assert state is not None and state.url == new
    assert state.health["moved_from"] == feed_server.url_for("/old")
    poll_feeds(store, config, now=NOW + timedelta(hours=1))
    assert feed_server.log[-1][0].path == "/new"  # the old URL is not asked again


def test_302_is_followed_but_not_recorded(
    store: SqlEventStore, feed_server: HTTPServer, tmp_path: Path
) -> None:
    feed_server.expect_request("/old").respond_with_data(
        "", status=302, headers={"Location": "/tmp"}
    )
    feed_server.expect_request("/tmp").respond_with_data(rss(item(1)))
    config = make_config(tmp_path, [{"name": "f", "url": feed_server.url_for("/old")}])
    assert poll_feeds(store, config, now=NOW)[0].status == "ok"
    assert feed_states(store).load_state("f").url == feed_server.url_for("/old")  # type: ignore[union-attr]


def test_oversize_body_aborted_while_streaming(
    store: SqlEventStore, feed_server: HTTPServer, tmp_path: Path
) -> None:
    sent = {"bytes": 0}

    def endless(_request: Request) -> Response:
        def chunks():  # type: ignore[no-untyped-def]
            for _ in range(400):  # 400 x 64 KiB = 25 MiB, no Content-Length
                sent["bytes"] += 65536
                yield b"<!-- " + b"x" * 65526 + b" -->"

        return Response(chunks(), content_type="application/rss+xml")

    feed_server.expect_request("/big").respond_with_handler(endless)
    feed_server.expect_request("/ok").respond_with_data(rss(item(1)))
    config = make_config(
        tmp_path,
        [
            {"name": "big", "url": feed_server.url_for("/big")},
            {"name": "ok", "url": feed_server.url_for("/ok")},
        ],
        max_bytes=200_000,
    )
    big, ok = poll_feeds(store, config, now=NOW)
    assert big.status == "error" and "max_bytes=200000" in str(big.error)
    assert ok.status == "ok" and ok.new_articles == 1
    assert sent["bytes"] < 25 * 1024 * 1024  # the client hung up early


def test_content_length_over_cap_not_downloaded(
    store: SqlEventStore, feed_server: HTTPServer, tmp_path: Path
) -> None:
    feed_server.expect_request("/big").respond_with_data(b"x" * 300_000)
    config = make_config(
        tmp_path, [{"name": "big", "url": feed_server.url_for("/big")}], max_bytes=200_000
    )
    result = poll_feeds(store, config, now=NOW)[0]
    assert "Content-Length 300000 exceeds max_bytes=200000" in str(result.error)


def test_gzip_body_is_decoded(
    store: SqlEventStore, feed_server: HTTPServer, tmp_path: Path
) -> None:
    feed_server.expect_request("/f").respond_with_data(
        gzip.compress(rss(item(1), item(2))),
        headers={"Content-Encoding": "gzip"},
        content_type="application/rss+xml",
    )
    config = make_config(tmp_path, [{"name": "f", "url": feed_server.url_for("/f")}])
    assert poll_feeds(store, config, now=NOW)[0].new_articles == 2
    assert "gzip" in feed_server.log[0][0].headers["Accept-Encoding"]


def test_broken_xml_is_a_health_error_and_other_feeds_ingest(
    store: SqlEventStore, feed_server: HTTPServer, tmp_path: Path
) -> None:
    feed_server.expect_request("/broken").respond_with_data(
        b"<rss><channel><title>x</title><<<>>&&& not xml", content_type="application/rss+xml"
    )
    feed_server.expect_request("/ok").respond_with_data(rss(item(1), item(2)))
    config = make_config(
        tmp_path,
        [
            {"name": "broken", "url": feed_server.url_for("/broken")},
            {"name": "ok", "url": feed_server.url_for("/ok")},
        ],
    )
    broken, ok = poll_feeds(store, config, now=NOW, rand=lambda: 0.0)
    assert broken.status == "error" and "not a parseable feed" in str(broken.error)
    assert ok.new_articles == 2
    health = {h.feed: h for h in feed_health(store, config)}
    assert health["broken"].failures == 1 and health["broken"].last_error
    assert health["broken"].next_due == NOW + timedelta(
        minutes=10
    )  # first backoff = interval (jitter draw 0)
    assert verify(store).ok


def test_same_story_in_two_feeds_recorded_once(
    store: SqlEventStore, feed_server: HTTPServer, tmp_path: Path
) -> None:
    link = "https://news.example.org/pak-chn-summit"
    feed_server.expect_request("/a").respond_with_data(
        rss(item(1, link=link + "?utm_source=a"), item(2))
    )
    feed_server.expect_request("/b").respond_with_data(
        rss(item(3, link="HTTPS://News.Example.org/pak-chn-summit#comments"), item(4))
    )
    config = make_config(
        tmp_path,
        [
            {"name": "a", "url": feed_server.url_for("/a")},
            {"name": "b", "url": feed_server.url_for("/b")},
        ],
    )
    a, b = poll_feeds(store, config, now=NOW)
    assert (a.new_articles, b.new_articles) == (2, 1)
    assert sorted(article_titles(store)) == [
        "Story 1: foreign ministers meet",
        "Story 2: foreign ministers meet",
        "Story 4: foreign ministers meet",
    ]


def test_full_text_fetched_with_the_same_client(
    store: SqlEventStore, feed_server: HTTPServer, tmp_path: Path
) -> None:
    page = (
        "<html><head><title>Talks</title></head><body><nav>Home | World</nav><article>"
        "<h1>Ministers hold talks</h1>"
        + "".join(
            f"<p>Paragraph {i}: the two foreign ministers discussed trade, energy and the "
            "security situation in the region at length during their meeting.</p>"
            for i in range(6)
        )
        + "</article><footer>Copyright</footer></body></html>"
    )
    feed_server.expect_request("/page").respond_with_data(page, content_type="text/html")
    feed_server.expect_request("/missing").respond_with_data("no", status=404)
    feed_server.expect_request("/f").respond_with_data(
        rss(
            item(1, link=feed_server.url_for("/page"), text="Short."),
            item(2, link=feed_server.url_for("/missing"), text="Also short."),
        )
    )
    config = make_config(
        tmp_path, [{"name": "f", "url": feed_server.url_for("/f"), "min_summary_chars": 100}]
    )
    result = poll_feeds(store, config, now=NOW)[0]
    assert result.new_articles == 2
    assert any("404" in w and "kept the feed summary" in w for w in result.warnings)
    page_req = next(r for r, _ in feed_server.log if r.path == "/page")
    assert page_req.headers["User-Agent"] == USER_AGENT
    import json

    texts = {
        json.loads(r.payload)["url"]: json.loads(r.payload)
        for r in store.read_all()
        if r.type == "ArticleRecorded"
    }
    full = texts[feed_server.url_for("/page")]
    assert full["text_source"] == "html" and "Paragraph 5" in full["text"]
    assert texts[feed_server.url_for("/missing")]["text"] == "Also short."
