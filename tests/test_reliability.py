"""Crash safety and concurrency of the whole pipeline: nothing lost, nothing duplicated."""

from __future__ import annotations

import random
import signal
import subprocess
import time
from collections import Counter
from dataclasses import asdict
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.reliability_support import (
    Contribution,
    contributions,
    log_summary,
    poll,
    poll_command,
    write_feed_set,
)
from tracker.config import load_feeds
from tracker.feeds.poll import poll_feeds
from tracker.projections import queries
from tracker.projections.runner import rebuild_projections
from tracker.store import SqlEventStore, open_store, verify


def _views(store: SqlEventStore) -> dict[tuple[str, str], dict[str, object]]:
    views = {}
    for r in queries.relations(store):
        view = asdict(queries.relationship_view(store, *r.pair))
        views[r.pair] = {k: v for k, v in view.items() if k not in ("as_of",)}
    return views


def _articles_recorded(store: SqlEventStore) -> int:
    return sum(1 for r in store.read_all() if r.type == "ArticleRecorded")


def _reference(tmp_path: Path, feeds: Path) -> tuple[set[str], Counter[Contribution]]:
    """Event ids and contributions of an uninterrupted run of the same feeds (fresh SQLite)."""
    url = f"sqlite:///{tmp_path / 'reference.db'}"
    done = poll(feeds, url)
    assert done.returncode == 0, done.stderr
    store = open_store(url)
    _, _, ids = log_summary(store)
    found = contributions(store)
    store.close()
    assert found
    return ids, found


def test_kill_9_in_the_middle_of_an_ingest_loses_and_duplicates_nothing(
    any_url: str, tmp_path: Path
) -> None:
    feeds, articles = write_feed_set(tmp_path / "feeds", feeds=3, per_feed=16)
    expected_ids, expected = _reference(tmp_path, feeds)
    store = open_store(any_url)
    rng = random.Random(20221102)
    kills = 0
    for threshold in (4, 16, 32):
        proc = subprocess.Popen(poll_command(feeds, any_url), cwd=ROOT,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        deadline = time.monotonic() + 120
        while proc.poll() is None and time.monotonic() < deadline:
            if _articles_recorded(store) >= threshold:
                time.sleep(rng.uniform(0.0, 0.3))
                proc.send_signal(signal.SIGKILL)
                kills += 1
                break
            time.sleep(0.05)
        proc.wait(timeout=60)
    assert kills >= 2, "the poller finished before it could be killed"
    done = poll(feeds, any_url)
    assert done.returncode == 0, done.stderr

    types, per_article, ids = log_summary(store)
    assert len(per_article) == articles and set(per_article.values()) == {1}
    assert ids == expected_ids  # every event exactly once, the same as an uninterrupted run
    assert contributions(store) == expected
    report = verify(store)
    assert report.ok and report.checked == sum(types.values())
    incremental = _views(store)
    rebuild_projections(store)
    assert _views(store) == incremental
    store.close()


def test_two_pollers_at_once_record_everything_once(any_url: str, tmp_path: Path) -> None:
    feeds, articles = write_feed_set(tmp_path / "feeds", feeds=4, per_feed=5)
    _, expected = _reference(tmp_path, feeds)
    procs = [
        subprocess.Popen(poll_command(feeds, any_url), cwd=ROOT, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
        for _ in range(2)
    ]  # fmt: skip
    outputs = [p.communicate(timeout=300) for p in procs]
    for proc, (_, err) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, err
        assert "locked" not in err.lower() and "Traceback" not in err
    store = open_store(any_url)
    _, per_article, _ = log_summary(store)
    assert len(per_article) == articles and set(per_article.values()) == {1}
    # The pollers interleave articles, so which report of a story is the fact and which the
    # corroboration may differ from a sequential run; each report still counts exactly once.
    assert contributions(store) == expected
    assert verify(store).ok
    store.close()


@pytest.mark.parametrize("rounds", [100])
def test_reingesting_the_same_feeds_adds_nothing(
    store: SqlEventStore, tmp_path: Path, rounds: int
) -> None:
    feeds, articles = write_feed_set(tmp_path / "feeds", feeds=2, per_feed=5)
    config = load_feeds(feeds)
    first = poll_feeds(store, config)
    assert sum(r.new_articles for r in first) == articles
    position = store.last_position()
    for _ in range(rounds):
        again = poll_feeds(store, config)
        assert sum(r.new_articles + r.new_events for r in again) == 0
    assert store.last_position() == position
