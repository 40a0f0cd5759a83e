"""The scheduler for real: APScheduler fires interval jobs, honours stored next_due, stops
cleanly (max cycles, duration, stop event, SIGTERM), and workers share feeds by lease."""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from tests.conftest import ROOT
from tests.feeds_support import _http, article_titles, feed_server, item, make_config, rss
from tracker.feeds.decide import FeedState
from tracker.feeds.recorder import feed_states
from tracker.scheduler import run_scheduler
from tracker.store import SqlEventStore, open_store, verify

__all__ = ["_http", "feed_server"]


def _counting(server: HTTPServer, paths: list[str], items: int = 2) -> Counter[str]:
    hits: Counter[str] = Counter()

    def handler(request: Request) -> Response:
        hits[request.path] += 1
        n = sum(ord(c) for c in request.path)
        body = rss(*(item(n * 1000 + i) for i in range(items)))
        return Response(body, content_type="application/rss+xml")

    for path in paths:
        server.expect_request(path).respond_with_handler(handler)
    return hits


def test_jobs_fire_on_their_interval_and_stop_after_max_cycles(
    store: SqlEventStore, feed_server: HTTPServer, tmp_path: Path
) -> None:
    hits = _counting(feed_server, ["/a", "/b"])
    config = make_config(
        tmp_path,
        [
            {"name": "a", "url": feed_server.url_for("/a")},
            {"name": "b", "url": feed_server.url_for("/b")},
        ],
        interval="1s",
    )
    started = time.monotonic()
    report = run_scheduler(store, config, max_cycles=5)
    elapsed = time.monotonic() - started
    assert report.stopped_by == "max_cycles" and report.cycles >= 5
    assert hits["/a"] >= 2 and hits["/b"] >= 2  # fired again after the 1s interval
    assert 1.0 <= elapsed < 10
    assert report.new_articles == 4 == len(article_titles(store))  # later cycles add nothing
    assert all(feed_states(store).lease_holder(n) == (None, None) for n in ("a", "b"))
    assert verify(store).ok


def test_restart_honours_the_stored_next_due(
    db_url: str, feed_server: HTTPServer, tmp_path: Path
) -> None:
    store = open_store(db_url)
    hits = _counting(feed_server, ["/a", "/b"])
    config = make_config(
        tmp_path,
        [
            {"name": "a", "url": feed_server.url_for("/a")},
            {"name": "b", "url": feed_server.url_for("/b")},
        ],
        interval="1h",
    )
    later = datetime.now(UTC) + timedelta(hours=1)
    feed_states(store).ensure_state(
        FeedState(
            name="b",
            url=feed_server.url_for("/b"),
            next_due=later,
            health={"config_url": feed_server.url_for("/b")},
        ),
    )
    report = run_scheduler(store, config, duration=1.0)
    store.close()
    assert report.stopped_by == "duration"
    assert hits == Counter({"/a": 1})  # b is backed off for an hour; a was due at once


def test_stop_event_lets_the_feed_in_flight_finish_cleanly(
    store: SqlEventStore, feed_server: HTTPServer, tmp_path: Path
) -> None:
    body = rss(*(item(i) for i in range(200)))
    feed_server.expect_request("/big").respond_with_data(
        body, headers={"ETag": '"big"'}, content_type="application/rss+xml"
    )
    config = make_config(tmp_path, [{"name": "big", "url": feed_server.url_for("/big")}])
    stop = threading.Event()

    def stop_when_ingesting() -> None:
        while not stop.is_set():
            if len(article_titles(store)) >= 5:
                stop.set()
            time.sleep(0.01)

    watcher = threading.Thread(target=stop_when_ingesting)
    watcher.start()
    report = run_scheduler(store, config, stop=stop, duration=20)
    watcher.join()
    written = len(article_titles(store))
    assert 5 <= written < 200 and report.new_articles == written
    state = feed_states(store).load_state("big")
    assert state is not None and state.etag is None  # not saved: the next poll re-downloads
    assert feed_states(store).lease_holder("big") == (None, None)
    assert verify(store).ok
    run_scheduler(store, config, max_cycles=1)
    assert len(article_titles(store)) == 200


def _run(db: str, feeds: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), "run", "--feeds", str(feeds), "--db", db, *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_run_command_stops_cleanly_on_sigterm(
    db_url: str, feed_server: HTTPServer, tmp_path: Path
) -> None:
    hits = _counting(feed_server, ["/a"])
    config = make_config(tmp_path, [{"name": "a", "url": feed_server.url_for("/a")}], interval="1s")
    proc = _run(db_url, config.path)
    deadline = time.monotonic() + 20
    while hits["/a"] < 2 and time.monotonic() < deadline:  # the 2nd fetch: cycle 1 is done
        time.sleep(0.05)
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=20)
    assert proc.returncode == 0, err
    assert "received SIGTERM" in err and "stopped (signal)" in err
    assert "poll 1: feed=a status=ok http=200 new_articles=2" in err
    assert "cycles" in out  # the run summary table
    store = open_store(db_url)
    try:
        assert len(article_titles(store)) == 2 and verify(store).ok
        assert feed_states(store).lease_holder("a") == (None, None)
    finally:
        store.close()


def test_two_run_workers_share_the_feeds(
    pg_url: str, feed_server: HTTPServer, tmp_path: Path
) -> None:
    """Several ``run`` workers on one PostgreSQL (issue 8's deployment)."""
    paths = [f"/w{i}" for i in range(6)]
    hits = _counting(feed_server, paths, items=3)
    config = make_config(
        tmp_path,
        [{"name": p.strip("/"), "url": feed_server.url_for(p)} for p in paths],
        interval="1h",
    )
    open_store(pg_url).close()  # migrate once, before the workers race
    # long enough for both to finish every feed: a worker stopped in the middle of a feed
    # leaves it not done (nothing is lost), and the other worker then fetches it again
    workers = [_run(pg_url, config.path, "--duration", "10") for _ in range(2)]
    for w in workers:
        _out, err = w.communicate(timeout=60)
        assert w.returncode == 0, err
    assert hits == Counter({p: 1 for p in paths})  # each feed fetched once per interval
    store = open_store(pg_url)
    try:
        titles = article_titles(store)
        assert len(titles) == len(set(titles)) == 18
        assert verify(store).ok
    finally:
        store.close()
