"""Feed state and the polling lease on every backend: one poller per feed at a time."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from tests.feeds_support import _http, article_titles, feed_server, item, make_config, rss
from tracker.feeds.decide import FeedState
from tracker.feeds.poll import poll_feeds
from tracker.feeds.recorder import feed_states
from tracker.feeds.state import holder_is_dead
from tracker.store import EventLog, verify


@pytest.fixture
def store(any_store: EventLog) -> EventLog:
    """Every backend, the in-memory store included."""
    return any_store


__all__ = ["_http", "feed_server"]
NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
MINUTE = timedelta(minutes=1)


def _seed(store: EventLog, **fields: object) -> FeedState:
    state = FeedState(name="f", url="https://a.example/rss", **fields)  # type: ignore[arg-type]
    feed_states(store).ensure_state(state)
    return state


def test_lease_is_exclusive_until_it_expires(store: EventLog) -> None:
    _seed(store)
    states = feed_states(store)
    assert states.acquire_lease("f", "a", NOW, MINUTE) is not None
    assert states.acquire_lease("f", "b", NOW + timedelta(seconds=30), MINUTE) is None
    assert states.lease_holder("f") == ("a", NOW + MINUTE)
    # a crashed holder never releases: once expired, the lease is taken over
    taken = states.acquire_lease("f", "b", NOW + timedelta(seconds=61), MINUTE)
    assert taken is not None and states.lease_holder("f")[0] == "b"
    assert not states.renew_lease("f", "a", NOW + 2 * MINUTE)
    assert not states.save_and_release(FeedState(name="f", url="https://evil/"), "a")
    assert states.load_state("f").url == "https://a.example/rss"  # type: ignore[union-attr]
    states.release_lease("f", "b")
    assert states.lease_holder("f") == (None, None)


def test_due_only_and_disabled(store: EventLog) -> None:
    _seed(store, next_due=NOW + MINUTE)
    states = feed_states(store)
    assert states.acquire_lease("f", "a", NOW, MINUTE, due_by=NOW + timedelta(seconds=59)) is None
    assert states.acquire_lease("f", "a", NOW, MINUTE, due_by=NOW + MINUTE) is not None
    states.release_lease("f", "a")
    states.ensure_state(FeedState(name="f", url="https://a.example/rss", disabled_reason="410"))
    assert states.acquire_lease("f", "a", NOW, MINUTE) is None


def test_racing_threads_get_one_lease(store: EventLog) -> None:
    _seed(store)
    barrier = threading.Barrier(8)
    winners: list[str] = []

    def grab(owner: str) -> None:
        barrier.wait()
        if feed_states(store).acquire_lease("f", owner, NOW, MINUTE) is not None:
            winners.append(owner)

    threads = [threading.Thread(target=grab, args=(f"w{i}",)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(winners) == 1 and feed_states(store).lease_holder("f")[0] == winners[0]


def test_manual_poll_respects_a_held_lease_but_ignores_next_due(
    store: EventLog, feed_server: HTTPServer, tmp_path: Path
) -> None:
    feed_server.expect_request("/f").respond_with_data(rss(item(1)))
    config = make_config(tmp_path, [{"name": "f", "url": feed_server.url_for("/f")}])
    assert poll_feeds(store, config, now=NOW)[0].next_due == NOW + timedelta(minutes=10)
    # not due for 10 minutes, but a poll by hand goes ahead
    assert poll_feeds(store, config, now=NOW + MINUTE)[0].status == "ok"
    # ...and the scheduler's due-only poll does not
    assert poll_feeds(store, config, now=NOW + MINUTE, due_only=True)[0].status == "not_due"
    assert feed_states(store).acquire_lease("f", "scheduler", NOW, timedelta(hours=1)) is not None
    requests = len(feed_server.log)
    held = poll_feeds(store, config, now=NOW + 2 * MINUTE)[0]
    assert held.status == "leased" and len(feed_server.log) == requests


def _race(
    store: EventLog, server: HTTPServer, tmp_path: Path, *, due_only: bool
) -> tuple[Counter[str], int, Counter[str]]:
    """Three pollers at once over three slow feeds: (fetches per feed, most fetches of one
    feed in flight together, result statuses)."""
    hits: Counter[str] = Counter()
    in_flight: Counter[str] = Counter()
    peak = [0]
    lock = threading.Lock()

    def slow_feed(request: Request) -> Response:
        with lock:
            hits[request.path] += 1
            in_flight[request.path] += 1
            peak[0] = max(peak[0], in_flight[request.path])
        threading.Event().wait(0.3)
        with lock:
            in_flight[request.path] -= 1
        n = int(request.path.strip("/f"))
        return Response(rss(item(n), item(100 + n)), content_type="application/rss+xml")

    for n in range(1, 4):
        server.expect_request(f"/f{n}").respond_with_handler(slow_feed)
    config = make_config(
        tmp_path, [{"name": f"f{n}", "url": server.url_for(f"/f{n}")} for n in range(1, 4)]
    )
    statuses: Counter[str] = Counter()
    barrier = threading.Barrier(3)

    def poller() -> None:
        barrier.wait()
        for r in poll_feeds(store, config, now=NOW, due_only=due_only):
            with lock:
                statuses[r.status] += 1

    threads = [threading.Thread(target=poller) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return hits, peak[0], statuses


def test_concurrent_manual_polls_never_fetch_a_feed_at_once(
    store: EventLog, feed_server: HTTPServer, tmp_path: Path
) -> None:
    hits, peak, statuses = _race(store, feed_server, tmp_path, due_only=False)
    assert peak == 1 and set(hits) == {"/f1", "/f2", "/f3"}
    assert statuses["ok"] == sum(hits.values()) and statuses["ok"] + statuses["leased"] == 9
    titles = article_titles(store)
    assert len(titles) == len(set(titles)) == 6
    assert verify(store).ok


def test_concurrent_scheduled_polls_fetch_each_feed_once_per_interval(
    store: EventLog, feed_server: HTTPServer, tmp_path: Path
) -> None:
    hits, _peak, statuses = _race(store, feed_server, tmp_path, due_only=True)
    assert hits == Counter({"/f1": 1, "/f2": 1, "/f3": 1})
    assert statuses["ok"] == 3 and statuses["leased"] + statuses["not_due"] == 6
    assert len(article_titles(store)) == 6


def test_a_dead_local_pollers_lease_is_taken_over_at_once(
    store: EventLog, feed_server: HTTPServer, tmp_path: Path
) -> None:
    feed_server.expect_request("/f").respond_with_data(rss(item(1)))
    config = make_config(tmp_path, [{"name": "f", "url": feed_server.url_for("/f")}])
    poll_feeds(store, config, now=NOW)
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()  # its pid is now free: the "poller" was kill -9-ed
    dead = f"{socket.gethostname()}:{gone.pid}:deadbeef"
    alive = f"{socket.gethostname()}:{os.getpid()}:cafebabe"
    assert holder_is_dead(dead) and not holder_is_dead(alive)
    assert not holder_is_dead("other-host:1:x") and not holder_is_dead(None)
    later = NOW + MINUTE
    assert feed_states(store).acquire_lease("f", dead, later, timedelta(hours=1)) is not None
    result = poll_feeds(store, config, now=later)[0]
    assert result.status == "ok"
    assert feed_states(store).lease_holder("f") == (None, None)
    assert feed_states(store).acquire_lease("f", alive, later, timedelta(hours=1)) is not None
    assert poll_feeds(store, config, now=later)[0].status == "leased"
