"""APScheduler 3 wiring for ``run``: one interval job per feed, each calling ``poll_feeds``.

Jobs: ``coalesce=True`` (missed runs collapse into one), ``max_instances=1`` (a slow feed never
overlaps itself), jitter (feeds spread out instead of firing together) and a misfire grace time.

Job store: an in-memory one rebuilt on start from ``feed_state.next_due``, not a persistent
SQLAlchemyJobStore. The schedule that must survive a restart (next due, backoff, Retry-After,
disabled feeds) already lives in ``feed_state``, written in the same place as the poll's
outcome; a second, pickled copy in ``apscheduler_jobs`` would drift from it (and from
feeds.yaml, whose feeds and intervals may change between runs) and would need the job's
arguments (store, config) to be picklable. Each job's first run is at its feed's stored
``next_due`` (or now), so a restart neither forgets a backoff nor polls everything at once.
Leases (``tracker.feeds.state``) keep several ``run`` workers and a manual ``poll`` apart.
"""

from __future__ import annotations

import logging
import signal
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import FrameType

from apscheduler.events import EVENT_JOB_ERROR, JobExecutionEvent
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.interval import IntervalTrigger

from tracker.config import FeedConfig, FeedsConfig
from tracker.errors import InputError
from tracker.feeds.poll import PollResult, poll_feeds, worker_id
from tracker.feeds.recorder import feed_states
from tracker.store import EventLog

log = logging.getLogger(__name__)


@dataclass
class RunReport:
    """What a ``run`` did before it stopped."""

    owner: str
    cycles: int = 0
    polls: int = 0
    new_articles: int = 0
    new_events: int = 0
    errors: int = 0
    results: list[PollResult] = field(default_factory=list)
    stopped_by: str = ""


def _jitter(feed: FeedConfig) -> int:
    return max(0, min(int(feed.interval * 0.1), 300))


def _slack(feed: FeedConfig) -> float:
    """How early a job may find its feed due: the trigger's jitter fires it up to ``jitter``
    seconds early, and a poll that took a moment pushed ``next_due`` a moment later than the
    trigger's own schedule; without slack such a run would skip a whole interval."""
    return _jitter(feed) + min(feed.interval * 0.05, 30.0) + 0.5


def _grace(feed: FeedConfig) -> int:
    return max(1, min(int(feed.interval), 3600))


def install_signal_handlers(stop: threading.Event) -> None:
    """Make SIGINT and SIGTERM set ``stop`` (main thread only; elsewhere a no-op)."""
    if threading.current_thread() is not threading.main_thread():
        return

    def _handle(signum: int, _frame: FrameType | None) -> None:
        log.info("received %s: stopping after the feed in flight", signal.Signals(signum).name)
        stop.set()

    signal.signal(signal.SIGINT, _handle)
    signal.signal(signal.SIGTERM, _handle)


def run_scheduler(
    store: EventLog,
    config: FeedsConfig,
    *,
    max_cycles: int | None = None,
    duration: float | None = None,
    stop: threading.Event | None = None,
) -> RunReport:
    """Poll every enabled feed on its interval until ``stop`` is set, ``max_cycles`` cycles have
    run, or ``duration`` seconds have passed; then shut down, letting the feed in flight finish
    its current article. A cycle is one poll of every enabled feed (``cycles`` counts the
    complete ones); with ``max_cycles`` the first cycle runs now, whatever the feeds' stored
    next due time, like ``poll``. Raises InputError when no feed is enabled."""
    feeds = [f for f in config.feeds if f.enabled]
    if not feeds:
        raise InputError(f"{config.path}: no enabled feeds to schedule")
    if max_cycles is not None and max_cycles < 1:
        raise InputError(f"--max-cycles must be at least 1, got {max_cycles}")
    stop = stop or threading.Event()
    report = RunReport(owner=worker_id())
    lock = threading.Lock()
    polls = dict.fromkeys((f.name for f in feeds), 0)

    def job(name: str, slack: float) -> None:
        with lock:
            if stop.is_set() or (max_cycles is not None and polls[name] >= max_cycles):
                return
            forced = max_cycles is not None and polls[name] == 0
        results = poll_feeds(
            store,
            config,
            only=[name],
            due_only=not forced,
            due_slack=slack,
            owner=report.owner,
            stop=stop,
        )
        with lock:
            polls[name] += 1
            report.polls += 1
            report.cycles = min(polls.values())
            for r in results:
                report.results.append(r)
                report.new_articles += r.new_articles
                report.new_events += r.new_events
                report.errors += r.status == "error"
                log.info(
                    "poll %d: feed=%s status=%s http=%s new_articles=%d new_events=%d "
                    "next_due=%s%s",
                    report.polls,
                    r.feed,
                    r.status,
                    r.http_status,
                    r.new_articles,
                    r.new_events,
                    r.next_due.isoformat(timespec="seconds") if r.next_due else "-",
                    f" error={r.error}" if r.error and r.status == "error" else "",
                )
            if max_cycles is not None and report.cycles >= max_cycles:
                report.stopped_by = report.stopped_by or "max_cycles"
                stop.set()

    def on_error(event: JobExecutionEvent) -> None:  # a bug in a job: log it, stop the run
        log.error("job %s crashed: %r", event.job_id, event.exception)
        report.stopped_by = f"job {event.job_id} crashed: {event.exception!r}"
        stop.set()

    scheduler = BackgroundScheduler(
        timezone=UTC,
        job_defaults={"coalesce": True, "max_instances": 1},
        executors={"default": {"type": "threadpool", "max_workers": min(4, len(feeds))}},
    )
    scheduler.add_listener(on_error, EVENT_JOB_ERROR)
    states = feed_states(store).load_states()
    now = datetime.now(UTC)
    for feed in feeds:
        due = states[feed.name].next_due if feed.name in states else None
        scheduler.add_job(
            job,
            IntervalTrigger(seconds=feed.interval, jitter=_jitter(feed), timezone=UTC),
            args=[feed.name, _slack(feed)],
            id=feed.name,
            name=f"poll {feed.name}",
            next_run_time=max(due, now) if due and max_cycles is None else now,
            misfire_grace_time=_grace(feed),
        )
    log.info("run %s: %d feeds scheduled", report.owner, len(feeds))
    scheduler.start()
    started = time.monotonic()
    try:
        while not stop.is_set():
            if duration is not None and time.monotonic() - started >= duration:
                report.stopped_by = "duration"
                break
            stop.wait(0.2)
    finally:
        stop.set()
        scheduler.shutdown(wait=True)
    report.stopped_by = report.stopped_by or "signal"
    log.info(
        "run %s stopped (%s): %d cycles, %d polls, %d new articles, %d errors",
        report.owner,
        report.stopped_by,
        report.cycles,
        report.polls,
        report.new_articles,
        report.errors,
    )
    return report
