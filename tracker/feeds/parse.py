"""Parse: feed bytes -> ``ParsedFeed`` with feedparser, after a screen for hostile XML.

feedparser's own defences are partial: its strict (SAX) parser disables external general
entities, and ``replace_doctype`` keeps only "safe-looking" internal entities for the loose
parser, but that is not a documented guarantee, and parameter entities and nesting are left to
expat's version. So bytes whose markup declares entities (``<!ENTITY``: billion laughs, XXE)
are refused before feedparser sees them. Real feeds never need entity declarations (the
Netscape RSS 0.91 DOCTYPE, without an internal subset, is still accepted). The check runs on
the bytes with NULs removed, so a UTF-16 body cannot hide the declaration.

feedparser is always given a file object, never ``bytes``/``str``: ``feedparser.parse(x)``
first tries ``open(x)``, so a body reading ``/etc/passwd`` would be read from disk.
"""

from __future__ import annotations

import io
import re
from calendar import timegm
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import feedparser

from tracker.errors import FeedError

_ENTITY_DECL = re.compile(rb"<!\s*ENTITY", re.IGNORECASE)
_HTML_START = re.compile(rb"^\s*(<\?xml[^>]*>\s*)?(<!doctype\s+html|<html)", re.IGNORECASE)
_ENTRY_START = re.compile(rb"<(?:[A-Za-z0-9_.-]+:)?(?:item|entry)[\s/>]")
_ROOT_CLOSER = (
    (re.compile(rb"<rss[\s>]"), b"</channel></rss>"),
    (re.compile(rb"<(?:[A-Za-z0-9_.-]+:)?feed[\s>]"), b"</feed>"),
    (re.compile(rb"<rdf:RDF[\s>]"), b"</rdf:RDF>"),
)
# Bozo exceptions that still leave a trustworthy parse (warn, keep going).
_SURVIVABLE = (
    "CharacterEncodingOverride",
    "CharacterEncodingUnknown",
    "NonXMLContentType",
    "UndeclaredNamespace",
)


class FeedParseError(FeedError):
    """The body is not a usable feed (empty, HTML, refused markup, unparseable)."""


@dataclass(frozen=True)
class ParsedEntry:
    """One feed item, as the feed states it."""

    title: str
    link: str | None
    guid: str | None
    summary: str
    published: datetime | None


@dataclass(frozen=True)
class ParsedFeed:
    """A parsed feed: items in feed order, the RSS ``<ttl>`` (minutes) and parse warnings."""

    title: str
    version: str
    entries: tuple[ParsedEntry, ...]
    ttl_minutes: int | None = None
    warnings: tuple[str, ...] = ()
    total_entries: int = 0


def _when(entry: Any) -> datetime | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = dict.get(entry, key)  # plain dict lookup: no feedparser key-mapping warning
        if value:
            try:
                return datetime.fromtimestamp(timegm(value), tz=UTC)
            except (OverflowError, ValueError, TypeError):
                continue
    return None


def _summary(entry: Any) -> str:
    content = entry.get("content") or []
    texts = [c.get("value", "") for c in content if isinstance(c, dict)]
    longest = max(texts, key=len, default="")
    summary = str(entry.get("summary") or "")
    return longest if len(longest) > len(summary) else summary


def _text(value: object) -> str:
    return " ".join(str(value or "").split())


def screen(body: bytes, what: str) -> None:
    """Refuse bodies that cannot be a safe feed; raises FeedParseError."""
    if not body.strip():
        raise FeedParseError(f"{what}: empty body (HTTP 200 with no content)")
    if _ENTITY_DECL.search(body.replace(b"\x00", b"")):
        raise FeedParseError(
            f"{what}: refused: the document declares XML entities (entity expansion / XXE risk)"
        )


def _truncate(body: bytes, max_entries: int) -> tuple[bytes, int]:
    """The body cut before its (max_entries + 1)-th item and closed again, and the item count.

    feedparser's cost is linear in the entries it builds (~0.4 ms each here), so a 10 MB body
    of tiny items would burn many seconds of CPU for entries that are then thrown away.
    Hand-written because feedparser has no entry limit. If the cut leaves a broken document,
    feedparser falls back to its loose parser over the shorter body (a partial parse).
    """
    starts = [m.start() for m in _ENTRY_START.finditer(body)]
    if len(starts) <= max_entries:
        return body, len(starts)
    head = body[: starts[max_entries]]
    for root, closer in _ROOT_CLOSER:
        if root.search(head):
            return head + closer, len(starts)
    return head, len(starts)


def parse_feed(
    body: bytes, *, url: str, content_type: str | None = None, max_entries: int = 1000
) -> ParsedFeed:
    """Parse feed bytes; raises FeedParseError when nothing usable comes out.

    Survivable problems (wrong charset, a malformed tail after good items) become warnings.
    """
    screen(body, url)
    body, counted = _truncate(body, max_entries)
    # content-location lets feedparser resolve relative links; a local feed's links stay as
    # written (relative to the feed file) so that stored urls do not depend on the checkout.
    headers = {"content-location": url} if url.startswith(("http://", "https://")) else {}
    if content_type:
        headers["content-type"] = content_type
    try:
        result = feedparser.parse(io.BytesIO(body), response_headers=headers, sanitize_html=True)
    except Exception as e:  # feedparser on hostile bytes: an input problem, not our bug
        raise FeedParseError(f"{url}: feedparser failed: {type(e).__name__}: {e}") from None
    warnings: list[str] = []
    exc = result.get("bozo_exception") if result.get("bozo") else None
    entries = list(result.get("entries") or [])
    version = str(result.get("version") or "")
    if exc is not None:
        name = type(exc).__name__
        text = _text(exc)[:300]
        survivable = name in _SURVIVABLE
        if not survivable and not entries:
            if _HTML_START.match(body) or "html" in (content_type or "").lower():
                raise FeedParseError(f"{url}: an HTML page, not a feed (check the feed URL)")
            raise FeedParseError(f"{url}: not a parseable feed: {name}: {text}")
        warnings.append(f"{name}: {text}" if survivable else f"partial parse: {name}: {text}")
    if not version and not entries:
        if _HTML_START.match(body):
            raise FeedParseError(f"{url}: an HTML page, not a feed (check the feed URL)")
        raise FeedParseError(f"{url}: not an RSS/Atom feed")
    total = max(len(entries), counted)
    if total > max_entries:
        warnings.append(f"feed has {total} entries; only the first max_entries={max_entries} read")
        entries = entries[:max_entries]
    parsed = tuple(
        ParsedEntry(
            title=_text(e.get("title")),
            link=(str(e.get("link")).strip() or None) if e.get("link") else None,
            guid=(str(e.get("id")).strip() or None) if e.get("id") else None,
            summary=_summary(e),
            published=_when(e),
        )
        for e in entries
    )
    feed = result.get("feed") or {}
    ttl_raw = str(feed.get("ttl") or "").strip()
    ttl = int(ttl_raw) if ttl_raw.isdigit() and len(ttl_raw) < 7 else None
    return ParsedFeed(
        title=_text(feed.get("title")),
        version=version,
        entries=parsed,
        ttl_minutes=ttl,
        warnings=tuple(warnings),
        total_entries=total,
    )
