"""Articles: identity (one article, one id, whichever feed carries it) and recording.

An article's id comes from its normalised link (scheme/host lower-cased, tracking parameters
and fragment dropped), else its feed guid, else a hash of title + text. ``ArticleRecorded`` is
appended to the stream ``article-<id>`` with expected version 0, so the store itself refuses a
second recording of the same article, across runs, feeds and concurrent pollers.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
from datetime import datetime
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit
from uuid import UUID

from events import ArticleRecorded
from tracker.errors import ConcurrencyError, InputError
from tracker.extraction.document import Article as Article  # re-exported: callers read it here
from tracker.store import EventStore, RecordedEvent, to_new_event, to_recorded
from tracker.store.mapping import deterministic_id

# a first line this long, or a sentence with its full stop, is a paragraph, not a headline
_LEAD_WORDS = 25
_LEAD_TITLE_CHARS = 200
_TRACKING_PREFIXES = ("utm_", "mc_", "pk_", "hsa_")
MAX_TITLE_CHARS = 500
MAX_TEXT_CHARS = 500_000
# C0 controls other than tab, newline, form feed and carriage return never occur in prose.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_TRACKING_KEYS = {"fbclid", "gclid", "dclid", "msclkid", "igshid", "ref", "ref_src", "cmpid"}


def normalise_url(url: str) -> str:
    """Canonical form of a link: lower-case scheme and host, no default port, no fragment,
    no tracking parameters (utm_*, fbclid, ...), remaining query parameters sorted."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    try:
        port = parts.port
    except ValueError:  # a malformed port is kept out of the key rather than raised
        port = None
    if port and port != {"http": 80, "https": 443}.get(parts.scheme.lower()):
        host = f"{host}:{port}"
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if not k.lower().startswith(_TRACKING_PREFIXES) and k.lower() not in _TRACKING_KEYS
    ]
    path = parts.path or "/"
    return urlunsplit((parts.scheme.lower(), host, path, urlencode(sorted(query)), ""))


def content_hash(title: str, text: str) -> str:
    """SHA-256 of title and text, whitespace-folded."""
    folded = " ".join(title.split()) + "\n" + " ".join(text.split())
    return hashlib.sha256(folded.encode()).hexdigest()


def article_id(article: Article) -> str:
    """Stable id of an article: by normalised link, else guid, else content hash."""
    if article.url and "://" in article.url:
        key = "url:" + normalise_url(article.url)
    elif article.guid:
        key = "guid:" + article.guid.strip()
    else:
        key = "hash:" + content_hash(article.title, article.text)
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def article_stream(aid: str) -> str:
    """Stream id holding one article's record."""
    return f"article-{aid}"


def article_event_id(aid: str) -> UUID:
    """The (deterministic) event id of an article's ``ArticleRecorded``."""
    return deterministic_id("article", aid)


def is_recorded(store: EventStore, aid: str) -> bool:
    """True when the article with id ``aid`` has been recorded."""
    return bool(store.read_stream(article_stream(aid)))


def record_article(store: EventStore, article: Article) -> RecordedEvent[ArticleRecorded] | None:
    """Append ``ArticleRecorded`` unless this article is already stored; None when it was."""
    aid = article_id(article)
    event = ArticleRecorded(
        article_id=aid,
        url=article.url,
        title=article.title,
        published=article.published,
        feed=article.feed,
        content_hash=content_hash(article.title, article.text),
        text=article.text,
        text_source=article.text_source,
    )
    new = to_new_event(event, event_id=article_event_id(aid), metadata={"feed": article.feed})
    try:
        result = store.append(article_stream(aid), [new], expected_version=0)
    except ConcurrencyError:
        return None
    if not result.written:
        return None
    recorded = to_recorded(result.written[0])
    assert isinstance(recorded.event, ArticleRecorded)
    return recorded  # type: ignore[return-value]


def article_from_text(
    raw: str,
    *,
    url: str | None = None,
    published: datetime | None = None,
    feed: str | None = None,
    text_source: str = "file",
) -> Article:
    """An article from the plain-text form: first non-empty line the title, the rest the body.

    A first line that is a paragraph (a lead with no headline above it) is also the body's first
    paragraph, and its opening words the title."""
    lines = raw.replace("\r\n", "\n").lstrip("\ufeff").split("\n")
    while lines and not lines[0].strip():
        lines.pop(0)
    title = lines[0].strip() if lines else ""
    # a file that opens with its lead paragraph (no headline) keeps it in the body too
    words = len(title.split())
    lead = words >= _LEAD_WORDS or (words >= 10 and title.endswith((".", ".”", '."')))
    first = 0 if lead else 1
    body = "\n".join(lines[first:]).strip("\n")
    if lead and len(title) > _LEAD_TITLE_CHARS:
        # the lead stands in for a headline: its opening words
        title = title[:_LEAD_TITLE_CHARS].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return Article(
        title=title, text=body, url=url, published=published, feed=feed, text_source=text_source
    )


def article_from_html(
    html: str, *, url: str | None = None, published: datetime | None = None, feed: str | None = None
) -> Article:
    """An article from an HTML page: main text and title by trafilatura."""
    import trafilatura  # imported lazily: it is slow to import and only HTML needs it

    doc = trafilatura.bare_extraction(html, url=url, with_metadata=True, favor_precision=True)
    text = (getattr(doc, "text", None) or "") if doc is not None else ""
    title = (getattr(doc, "title", None) or "") if doc is not None else ""
    return Article(
        title=title.strip(),
        text=text.strip(),
        url=url,
        published=published,
        feed=feed,
        text_source="html",
    )


def decode_text(raw: bytes, where: str, declared: str | None = None) -> str:
    """Bytes of an article as text: UTF-8, else the ``declared`` charset, else the charset
    charset-normalizer detects; raises InputError for an empty or binary (undecodable) input."""
    if not raw.strip():
        raise InputError(f"{where}: empty, no article text")
    text: str | None = None
    for encoding in ("utf-8", declared):
        if encoding and text is None:
            with contextlib.suppress(UnicodeDecodeError, LookupError):
                text = raw.decode(encoding)
    if text is None:
        from charset_normalizer import from_bytes  # imported lazily: only odd inputs need it

        best = from_bytes(raw).best()
        text = str(best) if best is not None else None
    if text is None or _CONTROL.search(text):
        raise InputError(f"{where}: not text (binary or undecodable); give a .txt or .html article")
    return text.lstrip("\ufeff")


def check_article(article: Article, where: str) -> Article:
    """``article`` when it has a title and a body of sensible length; raises InputError."""
    if not article.title.strip() or not article.text.strip():
        raise InputError(f"{where}: no article found (need a title line and a body)")
    if len(article.title) > MAX_TITLE_CHARS:
        raise InputError(
            f"{where}: title of {len(article.title):,} characters (at most {MAX_TITLE_CHARS}); "
            "the first line of a .txt article is its title"
        )
    if len(article.text) > MAX_TEXT_CHARS:
        raise InputError(
            f"{where}: text of {len(article.text):,} characters (at most {MAX_TEXT_CHARS:,}); "
            "give one article per file"
        )
    return article


def read_article_file(
    path: Path, *, url: str | None = None, published: datetime | None = None
) -> Article:
    """Read a ``.txt`` (title line + body) or ``.html`` article file; raises InputError when it
    is missing, not text, or not an article of sensible length."""
    try:
        size = path.stat().st_size
        if size > 4 * MAX_TEXT_CHARS:
            raise InputError(f"{path}: {size:,} bytes is too large for one article")
        raw = decode_text(path.read_bytes(), str(path))
    except FileNotFoundError:
        raise InputError(f"no such file: {path}") from None
    except IsADirectoryError:
        raise InputError(f"{path} is a directory: give article files") from None
    except OSError as e:
        raise InputError(f"cannot read {path}: {e.strerror}") from None
    if path.suffix.lower() in (".html", ".htm") or raw.lstrip()[:15].lower().startswith(
        ("<!doctype html", "<html")
    ):
        article = article_from_html(raw, url=url, published=published)
    else:
        article = article_from_text(raw, url=url, published=published)
    return check_article(article, str(path))
