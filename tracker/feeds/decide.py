"""Decide: pure functions from (feed state, what was retrieved and parsed, ``now``) to what is
new and when to poll next. No I/O and no clock: ``now`` and the jitter draw are arguments.
"""

from __future__ import annotations

import json
import re
from collections.abc import Container, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

from lxml import html as lxml_html

from tracker.articles import Article, article_id
from tracker.config import FeedConfig
from tracker.feeds.parse import ParsedEntry, ParsedFeed

RETRY_AFTER_MAX = timedelta(days=7)
"""A server's Retry-After is honoured up to this (a hostile one cannot park a feed forever)."""
LOWER_BOUND_MAX = timedelta(days=1)
"""``<ttl>`` and ``max-age`` lengthen the interval up to this."""
_MAX_AGE = re.compile(r"(?:^|[,\s])max-age\s*=\s*\"?(\d+)", re.IGNORECASE)
_BLOCKS = {
    "p",
    "div",
    "br",
    "li",
    "ul",
    "ol",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "tr",
    "blockquote",
}


@dataclass(frozen=True)
class FeedState:
    """The stored operational state of one feed (a ``feed_state`` row, minus the lease)."""

    name: str
    url: str
    etag: str | None = None
    last_modified: str | None = None
    last_attempt: datetime | None = None
    last_success: datetime | None = None
    last_status: int | None = None
    last_error: str | None = None
    failures: int = 0
    next_due: datetime | None = None
    disabled_reason: str | None = None
    health: dict[str, Any] = field(default_factory=dict)

    def health_json(self) -> str:
        """The health mapping as stored (JSON text)."""
        return json.dumps(self.health, sort_keys=True, ensure_ascii=False, default=str)


@dataclass(frozen=True)
class Attempt:
    """What one poll of a feed found out (filled in by ``poll`` from fetch and parse)."""

    status: int | None = None
    error: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    cache_control: str | None = None
    retry_after: str | None = None
    moved_to: str | None = None
    ttl_minutes: int | None = None
    warnings: tuple[str, ...] = ()
    complete: bool = True
    entries: int = 0
    new_articles: int = 0

    @property
    def ok(self) -> bool:
        """True when the feed was retrieved (and, unless 304, parsed)."""
        return self.error is None


@dataclass(frozen=True)
class NewEntry:
    """An entry not yet recorded: the article built from the feed, and where full text is."""

    article: Article
    full_text_url: str | None


def reconcile(state: FeedState | None, feed: FeedConfig, location: str) -> FeedState:
    """The state to poll ``feed`` with: a fresh one, or the stored one reset if the feed's
    URL in feeds.yaml changed (a new URL re-enables a disabled feed and drops validators)."""
    if state is None:
        return FeedState(name=feed.name, url=location, health={"config_url": location})
    if state.health.get("config_url") == location:
        return state
    return replace(
        state,
        url=location,
        etag=None,
        last_modified=None,
        failures=0,
        next_due=None,
        disabled_reason=None,
        health={"config_url": location},
    )


def strip_html(fragment: str) -> str:
    """Plain text of an HTML fragment, paragraphs kept as blank-line breaks.

    Hand-written over lxml because trafilatura discards short fragments such as feed summaries.
    """
    if "<" not in fragment and "&" not in fragment:
        return "\n\n".join(p.strip() for p in re.split(r"\n\s*\n", fragment) if p.strip())
    try:
        root = lxml_html.fragment_fromstring(fragment, create_parent="div")
    except Exception:  # lxml refuses some fragments (e.g. only a comment): no text
        return ""
    for junk in root.xpath("//script|//style|//noscript"):
        junk.drop_tree()
    for el in root.iter():
        if isinstance(el.tag, str) and el.tag.lower() in _BLOCKS:
            el.tail = "\n\n" + (el.tail or "")
    text = root.text_content()
    paragraphs = (" ".join(p.split()) for p in re.split(r"\n\s*\n", text))
    return "\n\n".join(p for p in paragraphs if p)


def entry_article(entry: ParsedEntry, feed: FeedConfig, base_url: str) -> NewEntry:
    """The article for ``entry`` from its feed text, and the page to fetch for full text.

    A link to a local file (a sample feed) is kept as written and identity falls to the guid.
    """
    url, target = _locate(entry.link, feed, base_url)
    text = strip_html(entry.summary)
    article = Article(
        title=entry.title or (text[:80] if text else "(untitled)"),
        text=text,
        url=url,
        published=entry.published,
        feed=feed.name,
        guid=entry.guid,
        text_source="feed",
    )
    wants = feed.fetch_full_text or len(text) < feed.min_summary_chars
    return NewEntry(article=article, full_text_url=target if wants else None)


def _locate(link: str | None, feed: FeedConfig, base_url: str) -> tuple[str | None, str | None]:
    """(article url, full-text location) of an entry link. Only a local feed may point at
    local files; a web feed's ``file:``, ``javascript:`` ... links are ignored."""
    if not link:
        return None, None
    resolved = link if feed.is_local else urljoin(base_url, link)
    scheme = urlsplit(resolved).scheme.lower()
    if scheme in ("http", "https"):
        return resolved, resolved
    if feed.is_local and (scheme in ("", "file") or len(scheme) == 1):
        return link, resolved
    return None, None


def new_entries(
    parsed: ParsedFeed, feed: FeedConfig, base_url: str, recorded: Container[str]
) -> list[NewEntry]:
    """Entries of ``parsed`` whose article id is not in ``recorded``, each once, feed order."""
    seen: set[str] = set()
    out: list[NewEntry] = []
    for entry in parsed.entries:
        candidate = entry_article(entry, feed, base_url)
        aid = article_id(candidate.article)
        if aid in seen or aid in recorded:
            continue
        seen.add(aid)
        out.append(candidate)
    return out


def entry_ids(parsed: ParsedFeed, feed: FeedConfig, base_url: str) -> list[str]:
    """The article id of every entry (to look up which are already recorded)."""
    return [article_id(entry_article(e, feed, base_url).article) for e in parsed.entries]


def retry_after_delay(value: str | None, now: datetime) -> timedelta | None:
    """``Retry-After`` (seconds or an HTTP date) as a delay from ``now``, capped; None if bad."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        delay = timedelta(seconds=int(value[:9]))
    else:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        if when.tzinfo is None:
            return None
        delay = when - now
    return min(max(delay, timedelta(0)), RETRY_AFTER_MAX)


def max_age(cache_control: str | None) -> timedelta | None:
    """``Cache-Control: max-age`` as a delay, or None."""
    if not cache_control or "no-store" in cache_control.lower():
        return None
    match = _MAX_AGE.search(cache_control)
    return timedelta(seconds=int(match.group(1)[:9])) if match else None


def backoff(feed: FeedConfig, failures: int, rand: float) -> timedelta:
    """Delay after ``failures`` consecutive failures: the interval doubled per failure, plus up
    to 25% jitter (``rand`` in [0, 1)), capped at ``backoff_max``."""
    exponent = min(max(failures - 1, 0), 30)
    delay = feed.interval * (2**exponent) * (1 + 0.25 * rand)
    return timedelta(seconds=min(delay, feed.backoff_max))


def poll_interval(feed: FeedConfig, attempt: Attempt) -> timedelta:
    """The interval after a success: the configured one, lengthened by ``<ttl>`` and
    ``max-age`` (each a lower bound, capped at LOWER_BOUND_MAX)."""
    interval = timedelta(seconds=feed.interval)
    bounds = [max_age(attempt.cache_control)]
    if attempt.ttl_minutes:
        bounds.append(timedelta(minutes=attempt.ttl_minutes))
    for bound in bounds:
        if bound is not None:
            interval = max(interval, min(bound, LOWER_BOUND_MAX))
    return interval


def next_state(
    state: FeedState, feed: FeedConfig, attempt: Attempt, now: datetime, rand: float = 0.0
) -> FeedState:
    """The feed's state after ``attempt`` at ``now``: validators, failures, next due, health."""
    health: dict[str, Any] = {
        "config_url": state.health.get("config_url", state.url),
        "warnings": list(attempt.warnings),
        "entries": attempt.entries,
        "new_articles": attempt.new_articles,
    }
    for key in ("moved_from", "moved_at"):
        if key in state.health:
            health[key] = state.health[key]
    url = state.url
    if attempt.moved_to and attempt.moved_to != state.url:
        health["moved_from"] = state.url
        health["moved_at"] = now.isoformat()
        url = attempt.moved_to
    if attempt.ok:
        etag, modified = state.etag, state.last_modified
        if attempt.complete and attempt.status != 304:
            etag, modified = attempt.etag, attempt.last_modified
        elif attempt.status == 304:
            etag = attempt.etag or etag
            modified = attempt.last_modified or modified
        return replace(
            state,
            url=url,
            etag=etag,
            last_modified=modified,
            last_attempt=now,
            last_success=now,
            last_status=attempt.status,
            last_error=None,
            failures=0,
            # an interrupted ingest is due again at once: the rest of the entries are waiting
            next_due=now + poll_interval(feed, attempt) if attempt.complete else now,
            health=health,
        )
    failures = state.failures + 1
    health["last_failure"] = attempt.error
    if attempt.status == 410:
        reason = (
            f"HTTP 410 Gone at {state.url} on {now.date().isoformat()}: "
            "remove the feed from feeds.yaml or give it a new url"
        )
        return replace(
            state,
            url=url,
            last_attempt=now,
            last_status=410,
            last_error=attempt.error,
            failures=failures,
            next_due=None,
            disabled_reason=reason,
            health=health,
        )
    delay = backoff(feed, failures, rand)
    wait = retry_after_delay(attempt.retry_after, now)
    if wait is not None:
        health["retry_after"] = attempt.retry_after
        delay = max(delay, wait)
    return replace(
        state,
        url=url,
        last_attempt=now,
        last_status=attempt.status,
        last_error=attempt.error,
        failures=failures,
        next_due=now + delay,
        health=health,
    )


def due(states: Sequence[FeedState], now: datetime) -> list[str]:
    """Names of the enabled feeds whose next poll is due at ``now``."""
    return [
        s.name
        for s in states
        if s.disabled_reason is None and (s.next_due is None or s.next_due <= now)
    ]
