"""Hostile and broken feeds against a loopback server: each one yields a per-feed health error
or a correct partial parse, the good feed of the same cycle still ingests, the log verifies."""

from __future__ import annotations

import gzip
import io
import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import feedparser
import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Response

from tests.feeds_support import DATA, _http, article_titles, feed_server, item, make_config, rss
from tracker.feeds.parse import FeedParseError, parse_feed
from tracker.feeds.poll import PollResult, feed_health, poll_feeds
from tracker.store import SqlEventStore, open_store, verify

__all__ = ["_http", "feed_server"]
NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
SECRET = "TOP-SECRET-3f9a1c"


@dataclass(frozen=True)
class Case:
    """One hostile feed: how the server answers, and what the result must say."""

    serve: Callable[[HTTPServer, Path], None]
    status: str
    message: str
    settings: tuple[tuple[str, object], ...] = ()


def _data(name: str, **headers: str) -> Callable[[HTTPServer, Path], None]:
    def serve(server: HTTPServer, _tmp: Path) -> None:
        server.expect_request("/hostile").respond_with_data(
            (DATA / name).read_bytes(), content_type="application/rss+xml", headers=headers
        )

    return serve


def _xxe(name: str) -> Callable[[HTTPServer, Path], None]:
    def serve(server: HTTPServer, tmp: Path) -> None:
        secret = tmp / "secret.txt"
        secret.write_text(SECRET)
        body = (DATA / name).read_text().replace("@SECRET@", str(secret))
        server.expect_request("/hostile").respond_with_data(body, content_type="application/xml")

    return serve


def _stream(
    chunks: Callable[[], Iterator[bytes]], **headers: str
) -> Callable[[HTTPServer, Path], None]:
    def serve(server: HTTPServer, _tmp: Path) -> None:
        server.expect_request("/hostile").respond_with_handler(
            lambda _r: Response(chunks(), content_type="application/rss+xml", headers=headers)
        )

    return serve


def _fifty_mb() -> Iterator[bytes]:
    yield b'<?xml version="1.0"?><rss version="2.0"><channel><title>big</title>'
    for _ in range(800):  # 800 x 64 KiB = 50 MiB
        yield b"<!--" + b"x" * 65529 + b"-->"


_BOMB = gzip.compress(b"\0" * (50 * 1024 * 1024), compresslevel=9)


def _gzip_bomb(server: HTTPServer, _tmp: Path) -> None:
    server.expect_request("/hostile").respond_with_data(
        _BOMB, headers={"Content-Encoding": "gzip"}, content_type="application/rss+xml"
    )


def _slow() -> Iterator[bytes]:
    for byte in rss(item(9)):
        time.sleep(0.25)
        yield bytes([byte])


def _stall() -> Iterator[bytes]:
    yield b"<?xml"
    time.sleep(3)
    yield b"?>"


def _loop(server: HTTPServer, _tmp: Path) -> None:
    server.expect_request("/hostile").respond_with_data("", 302, {"Location": "/hop"})
    server.expect_request("/hop").respond_with_data("", 301, {"Location": "/hostile"})


def _chain(server: HTTPServer, _tmp: Path) -> None:
    server.expect_request("/hostile").respond_with_data("", 302, {"Location": "/r1"})
    for i in range(1, 10):
        server.expect_request(f"/r{i}").respond_with_data("", 302, {"Location": f"/r{i + 1}"})


def _empty(server: HTTPServer, _tmp: Path) -> None:
    server.expect_request("/hostile").respond_with_data(b"", content_type="application/rss+xml")


def _many(server: HTTPServer, _tmp: Path) -> None:
    body = rss(*(item(i) for i in range(10_000)))
    server.expect_request("/hostile").respond_with_data(body, content_type="application/rss+xml")


def _path_body(server: HTTPServer, tmp: Path) -> None:
    # feedparser.parse(bytes) would first try open(bytes): a body naming a local feed file
    # must not make the tracker read that file.
    local = tmp / "local-feed.xml"
    local.write_bytes(rss({"title": "Read from disk!", "link": "https://x.example/disk"}))
    server.expect_request("/hostile").respond_with_data(str(local).encode())


CASES = {
    "billion-laughs": Case(_data("billion-laughs.xml"), "error", "declares XML entities"),
    "xxe-local-file": Case(_xxe("xxe.xml"), "error", "declares XML entities"),
    "xxe-parameter-entity": Case(_xxe("xxe-parameter.xml"), "error", "declares XML entities"),
    "50mb-body": Case(_stream(_fifty_mb), "error", "larger than max_bytes=1000000"),
    "gzip-bomb": Case(_gzip_bomb, "error", "larger than max_bytes=1000000"),
    "malformed-xml": Case(_data("partial.xml"), "ok", "partial parse"),
    "html-not-feed": Case(_data("html-page.html"), "error", "an HTML page, not a feed"),
    "wrong-charset": Case(_data("wrong-charset.xml"), "ok", "declared as utf-8"),
    "slow-body": Case(
        _stream(_slow), "error", "longer than total_timeout", (("total_timeout", 1),)
    ),
    "stalled-body": Case(_stream(_stall), "error", "timed out", (("read_timeout", 0.5),)),
    "redirect-loop": Case(_loop, "error", "redirect loop"),
    "redirect-chain": Case(_chain, "error", "more than max_redirects=5"),
    "empty-200": Case(_empty, "error", "empty body"),
    "10000-entries": Case(
        _many, "ok", "feed has 10000 entries", (("max_bytes", 5_000_000), ("max_entries", 20))
    ),
    "body-is-a-path": Case(_path_body, "error", "not"),
}


@pytest.fixture
def sqlite_store(db_url: str) -> Iterator[SqlEventStore]:
    """A store on a real SQLite file (the hostile cases are about fetch and parse)."""
    s = open_store(db_url)
    yield s
    s.close()


def _cycle(
    store: SqlEventStore, server: HTTPServer, tmp_path: Path, case: Case
) -> tuple[PollResult, PollResult]:
    case.serve(server, tmp_path)
    server.expect_request("/good").respond_with_data(
        (DATA / "good.xml").read_bytes(), content_type="application/rss+xml"
    )
    config = make_config(
        tmp_path,
        [
            {"name": "hostile", "url": server.url_for("/hostile"), **dict(case.settings)},
            {"name": "good", "url": server.url_for("/good")},
        ],
    )
    hostile, good = poll_feeds(store, config, now=NOW)
    return hostile, good


@pytest.mark.parametrize("name", list(CASES))
def test_hostile_feed(
    name: str, sqlite_store: SqlEventStore, feed_server: HTTPServer, tmp_path: Path
) -> None:
    case = CASES[name]
    started = time.monotonic()
    hostile, good = _cycle(sqlite_store, feed_server, tmp_path, case)
    assert time.monotonic() - started < 8
    assert hostile.status == case.status, hostile
    said = " ".join([hostile.error or "", *hostile.warnings])
    assert case.message in said
    assert good.status == "ok" and good.new_articles == 2
    report = verify(sqlite_store)
    assert report.ok and report.checked == sqlite_store.last_position()
    log_text = "".join(r.payload for r in sqlite_store.read_all())
    assert SECRET not in log_text and "lollollol" not in log_text
    assert "Read from disk!" not in log_text
    config = make_config(tmp_path, [{"name": "hostile", "url": "http://127.0.0.1/"}])
    health = feed_health(sqlite_store, config)[0]
    if case.status == "error":
        assert hostile.new_articles == 0 and hostile.next_due is not None
        assert health.failures == 1 and health.last_error == hostile.error
    else:
        assert health.failures == 0 and hostile.new_articles > 0
        assert case.message in " ".join(health.warnings)  # recorded as feed health


def test_partial_and_charset_parses_keep_the_good_items(
    sqlite_store: SqlEventStore, feed_server: HTTPServer, tmp_path: Path
) -> None:
    _cycle(sqlite_store, feed_server, tmp_path, CASES["malformed-xml"])
    titles = article_titles(sqlite_store)
    assert "Foreign ministers meet in Islamabad" in titles and "Trade talks resume" in titles
    feed_server.clear()
    _cycle(sqlite_store, feed_server, tmp_path, CASES["wrong-charset"])
    assert "Café diplomacy in Paris" in article_titles(sqlite_store)
    text = next(
        json.loads(r.payload)["text"]
        for r in sqlite_store.read_all()
        if "Café" in json.loads(r.payload).get("title", "")
    )
    assert "ministère des Affaires étrangères" in text


def test_10000_entries_keep_the_first_max_entries(
    sqlite_store: SqlEventStore, feed_server: HTTPServer, tmp_path: Path
) -> None:
    hostile, _good = _cycle(sqlite_store, feed_server, tmp_path, CASES["10000-entries"])
    assert (hostile.entries, hostile.new_articles) == (20, 20)
    titles = article_titles(sqlite_store)
    assert "Story 0: foreign ministers meet" in titles
    assert "Story 19: foreign ministers meet" in titles
    assert "Story 20: foreign ministers meet" not in titles


def test_feedparser_itself_does_not_expand_entities(tmp_path: Path) -> None:
    """The library's own defence, below our screen (a regression guard on feedparser)."""
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET)
    for name in ("billion-laughs.xml", "xxe.xml", "xxe-parameter.xml"):
        body = (DATA / name).read_text().replace("@SECRET@", str(secret)).encode()
        result = feedparser.parse(io.BytesIO(body))
        dumped = json.dumps(result.get("entries"), default=str)
        assert SECRET not in dumped and "lollollol" not in dumped
        with pytest.raises(FeedParseError, match="declares XML entities"):
            parse_feed(body, url=name)


def test_utf16_body_cannot_hide_an_entity_declaration() -> None:
    body = (
        (DATA / "billion-laughs.xml").read_text().replace('encoding="UTF-8"', 'encoding="UTF-16"')
    )
    with pytest.raises(FeedParseError, match="declares XML entities"):
        parse_feed(body.encode("utf-16"), url="utf16")
