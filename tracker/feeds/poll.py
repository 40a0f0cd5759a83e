"""The poll pipeline: lease -> retrieve -> parse -> decide -> ingest -> save, one feed at a time.

Each feed yields one ``PollResult``; a feed's failure (a ``TrackerError``) is a value in its
result, never an exception, so one bad feed cannot stop a cycle. Anything else is a bug and
is re-raised (after the lease is given back).

New validators (ETag / Last-Modified) are saved only when every new entry was ingested: if a
poll is interrupted or the store fails half-way, the next poll re-downloads the feed instead
of receiving a 304 and losing the remaining entries.
"""

from __future__ import annotations

import contextlib
import logging
import os
import random
import socket
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tracker.articles import Article, article_from_html, is_recorded
from tracker.config import FeedConfig, FeedsConfig, resolve_feed_location
from tracker.errors import ConflictError, FeedError, InputError, TrackerError
from tracker.feeds.decide import Attempt, FeedState, NewEntry, entry_ids, new_entries, reconcile
from tracker.feeds.decide import next_state as decide_next_state
from tracker.feeds.fetch import FetchError, PoliteClient, Retrieved, Validators
from tracker.feeds.parse import ParsedFeed, parse_feed
from tracker.feeds.recorder import feed_states
from tracker.feeds.state import holder_is_dead
from tracker.pipeline import Extractor, ingest_article
from tracker.store import EventLog

log = logging.getLogger(__name__)

ProgressHook = Callable[["PollResult"], None]
"""Called after each feed's poll (the CLI advances its progress bar)."""


@dataclass(frozen=True)
class PollResult:
    """What polling one feed did. ``status``: ok, not_modified, error, disabled, leased."""

    feed: str
    status: str
    url: str
    http_status: int | None = None
    entries: int = 0
    new_articles: int = 0
    new_events: int = 0
    error: str | None = None
    warnings: tuple[str, ...] = ()
    next_due: datetime | None = None


@dataclass(frozen=True)
class FeedHealth:
    """One row of ``feeds``: a feed's configuration joined with its stored state."""

    feed: str
    url: str
    enabled: bool
    last_attempt: datetime | None
    last_success: datetime | None
    http_status: int | None
    etag: bool
    failures: int
    next_due: datetime | None
    disabled_reason: str | None
    last_error: str | None
    warnings: tuple[str, ...]


def worker_id() -> str:
    """A lease owner name unique to this process and call: host:pid:random."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def _clock(now: datetime | None) -> datetime:
    return now if now is not None else datetime.now(UTC)


@dataclass
class _Tally:
    """What one feed's poll has done so far (kept when it fails half-way)."""

    entries: int = 0
    new_articles: int = 0
    new_events: int = 0
    warnings: list[str] = field(default_factory=list)


class _Poller:
    """Polls the feeds of one cycle with one client, one owner name and one clock."""

    def __init__(
        self,
        store: EventLog,
        config: FeedsConfig,
        client: PoliteClient,
        *,
        owner: str,
        now: datetime | None,
        extractor: Extractor | None,
        stop: threading.Event | None,
        rand: Callable[[], float],
    ) -> None:
        self.store = store
        self.states = feed_states(store)
        self.config = config
        self.client = client
        self.owner = owner
        self.fixed_now = now
        self.extractor = extractor
        self.stop = stop
        self.rand = rand
        self.base = config.path.resolve().parent

    def poll(self, feed: FeedConfig, *, due_slack: float | None) -> PollResult:
        """Poll one feed under its lease."""
        location = resolve_feed_location(feed, self.base)
        if not feed.enabled:
            return PollResult(feed.name, "disabled", location, error="enabled: false in feeds.yaml")
        states = self.states
        stored = states.load_state(feed.name)
        state = reconcile(stored, feed, location)
        if state is not stored:
            # another poller may insert the row first: then theirs is used
            with contextlib.suppress(ConflictError):
                states.ensure_state(state)
        if state.disabled_reason:
            return PollResult(
                feed.name, "disabled", state.url, state.last_status, error=state.disabled_reason
            )
        now = _clock(self.fixed_now)
        due_by = None if due_slack is None else now + timedelta(seconds=due_slack)
        leased, refusal = self._lease(feed, now, due_by)
        if leased is None:
            current = states.load_state(feed.name)
            return PollResult(
                feed.name, refusal, state.url, next_due=current.next_due if current else None
            )
        done = False
        try:
            result, new_state = self._poll_leased(feed, leased)
            if not states.save_and_release(new_state, self.owner):
                log.warning("feed %s: lease lost during the poll; state not saved", feed.name)
            done = True
            return result
        finally:
            if not done:
                states.release_lease(feed.name, self.owner)

    def _lease(
        self, feed: FeedConfig, now: datetime, due_by: datetime | None
    ) -> tuple[FeedState | None, str]:
        """Lease ``feed`` (taking over a dead local poller's lease); else why not: ``leased``
        (another poller has it) or ``not_due``."""
        states = self.states
        duration = timedelta(seconds=feed.lease)
        leased = states.acquire_lease(feed.name, self.owner, now, duration, due_by=due_by)
        if leased is not None:
            return leased, ""
        holder, expires = states.lease_holder(feed.name)
        if holder is not None and holder_is_dead(holder):
            log.warning("feed %s: taking over the lease of dead poller %s", feed.name, holder)
            leased = states.take_over_lease(feed.name, self.owner, holder, now, duration)
            if leased is not None:
                return leased, ""
        # by hand only a lease can refuse; due-only, the feed may just not be due
        busy = due_by is None or (holder is not None and expires is not None and expires > now)
        return None, "leased" if busy else "not_due"

    def _poll_leased(self, feed: FeedConfig, state: FeedState) -> tuple[PollResult, FeedState]:
        tally = _Tally()
        http_status: int | None = None
        try:
            retrieved = self.client.fetch(
                state.url, base=self.base, validators=_validators(state), settings=feed
            )
            http_status = retrieved.status
            attempt = _attempt(retrieved)
            if not retrieved.not_modified:
                parsed = parse_feed(
                    retrieved.body or b"",
                    url=retrieved.url,
                    content_type=retrieved.content_type,
                    max_entries=feed.max_entries,
                )
                tally.entries = len(parsed.entries)
                tally.warnings.extend(parsed.warnings)
                complete = self._ingest(feed, parsed, retrieved.url, tally)
                attempt = replace(
                    attempt,
                    ttl_minutes=parsed.ttl_minutes,
                    warnings=tuple(tally.warnings[:50]),
                    complete=complete,
                    entries=tally.entries,
                    new_articles=tally.new_articles,
                )
        except FetchError as e:
            attempt = Attempt(status=e.status, error=str(e), retry_after=e.retry_after)
        except TrackerError as e:  # parse errors, store errors: this feed only
            attempt = Attempt(status=http_status, error=str(e), complete=False)
        now = _clock(self.fixed_now)
        new_state = decide_next_state(state, feed, attempt, now, self.rand())
        if attempt.ok:
            status = "not_modified" if attempt.status == 304 else "ok"
        else:
            status = "disabled" if new_state.disabled_reason else "error"
            log.warning("feed %s: %s", feed.name, attempt.error)
        result = PollResult(
            feed=feed.name,
            status=status,
            url=new_state.url,
            http_status=attempt.status,
            entries=tally.entries,
            new_articles=tally.new_articles,
            new_events=tally.new_events,
            error=new_state.disabled_reason or attempt.error,
            warnings=attempt.warnings,
            next_due=new_state.next_due,
        )
        return result, new_state

    def _ingest(self, feed: FeedConfig, parsed: ParsedFeed, base_url: str, tally: _Tally) -> bool:
        """Ingest the entries not yet recorded, renewing the lease as it goes; False when
        stopped before the end. Raises StoreError (counts so far are in ``tally``)."""
        ids = entry_ids(parsed, feed, base_url)
        recorded = {aid for aid in set(ids) if is_recorded(self.store, aid)}
        renewed = time.monotonic()
        for entry in new_entries(parsed, feed, base_url, recorded):
            if self.stop is not None and self.stop.is_set():
                tally.warnings.append("stopped before all new entries were ingested")
                return False
            article, why = self._full_text(entry, feed, base_url)
            if why:
                tally.warnings.append(why)
            ingested = ingest_article(self.store, article, self.extractor)
            tally.new_articles += int(ingested.new_article)
            tally.new_events += ingested.facts_written
            if time.monotonic() - renewed > feed.lease / 2:
                renewed = time.monotonic()
                until = _clock(self.fixed_now) + timedelta(seconds=feed.lease)
                self.states.renew_lease(feed.name, self.owner, until)
        return True

    def _full_text(self, entry: NewEntry, feed: FeedConfig, base_url: str) -> tuple[Article, str]:
        """The entry's article with its page's main text, or the feed text and the reason."""
        article = entry.article
        if entry.full_text_url is None:
            return article, ""
        page_base = Path(base_url).parent if feed.is_local else self.base
        try:
            page = self.client.fetch(
                entry.full_text_url,
                base=page_base,
                settings=feed,
                accept="text/html, application/xhtml+xml;q=0.9, */*;q=0.5",
            )
            html = (page.body or b"").decode("utf-8", errors="replace")
            extracted = article_from_html(html, url=article.url)
        except FetchError as e:
            return article, f"full text of {entry.full_text_url}: {e}; kept the feed summary"
        except Exception as e:  # trafilatura/lxml on hostile HTML: fall back, record why
            return article, (
                f"full text of {entry.full_text_url}: extraction failed "
                f"({type(e).__name__}); kept the feed summary"
            )
        if len(extracted.text) <= len(article.text):
            return article, (
                f"full text of {entry.full_text_url}: no main text found; kept the feed summary"
            )
        return replace(article, text=extracted.text, text_source="html"), ""


def _validators(state: FeedState) -> Validators:
    return Validators(state.etag, state.last_modified)


def _attempt(retrieved: Retrieved) -> Attempt:
    return Attempt(
        status=retrieved.status,
        etag=retrieved.etag,
        last_modified=retrieved.last_modified,
        cache_control=retrieved.cache_control,
        moved_to=retrieved.moved_to,
    )


def _select(config: FeedsConfig, only: Sequence[str] | None) -> list[FeedConfig]:
    if not only:
        return list(config.feeds)
    return [config.get(name) for name in only]


def poll_feeds(
    store: EventLog,
    config: FeedsConfig,
    *,
    only: Sequence[str] | None = None,
    now: datetime | None = None,
    client: PoliteClient | None = None,
    due_only: bool = False,
    due_slack: float = 0.0,
    owner: str | None = None,
    extractor: Extractor | None = None,
    progress: ProgressHook | None = None,
    stop: threading.Event | None = None,
    rand: Callable[[], float] = random.random,
) -> list[PollResult]:
    """Poll the feeds of ``config`` (or those named in ``only``), one result per feed.

    By hand (``due_only=False``) every enabled feed is polled now; the scheduler passes
    ``due_only=True`` to skip feeds not due within ``due_slack`` seconds (its jobs fire up to
    their jitter early). Leases are always respected. ``now`` fixes the
    clock (tests). Raises InputError for an unknown feed name; feed failures are results.
    """
    feeds = _select(config, only)
    if not feeds:
        raise InputError(f"{config.path}: no feeds configured (add some under 'feeds:')")
    own_client = client is None
    http = client or PoliteClient(config.defaults)
    poller = _Poller(
        store,
        config,
        http,
        owner=owner or worker_id(),
        now=now,
        extractor=extractor,
        stop=stop,
        rand=rand,
    )
    results: list[PollResult] = []
    try:
        for feed in feeds:
            if stop is not None and stop.is_set():
                break
            try:
                result = poller.poll(feed, due_slack=due_slack if due_only else None)
            except FeedError as e:  # pragma: no cover - the poller turns these into results
                result = PollResult(feed.name, "error", feed.url, error=str(e))
            results.append(result)
            if progress is not None:
                progress(result)
    finally:
        if own_client:
            http.close()
    return results


def feed_health(store: EventLog, config: FeedsConfig) -> list[FeedHealth]:
    """Each configured feed's health from ``feed_state`` (never polled: empty fields)."""
    states = feed_states(store).load_states()
    base = config.path.resolve().parent
    rows = []
    for feed in config.feeds:
        s = states.get(feed.name)
        url = s.url if s else resolve_feed_location(feed, base)
        rows.append(
            FeedHealth(
                feed=feed.name,
                url=url,
                enabled=feed.enabled,
                last_attempt=s.last_attempt if s else None,
                last_success=s.last_success if s else None,
                http_status=s.last_status if s else None,
                etag=bool(s and s.etag),
                failures=s.failures if s else 0,
                next_due=s.next_due if s else None,
                disabled_reason=(s.disabled_reason if s else None)
                or (None if feed.enabled else "enabled: false in feeds.yaml"),
                last_error=s.last_error if s else None,
                warnings=tuple(s.health.get("warnings", ())) if s else (),
            )
        )
    return rows
