"""Retrieve: a polite HTTP client (httpx) and the local-file reader, both under one size cap.

Politeness: a User-Agent naming the project, connect/read timeouts plus a total wall-clock
deadline (so a server dribbling one byte per second is cut), conditional GET from the stored
validators, redirects followed by hand (limit, loop detection, permanent moves reported),
and a body cap enforced while streaming, on the *decoded* bytes.

Why decode gzip/deflate here and not let httpx do it: httpx's decoders call
``zlib.decompressobj().decompress(chunk)`` without ``max_length``, so one 64 KB chunk of a
gzip bomb can inflate to ~64 MB before the first decoded chunk reaches us. Reading
``iter_raw()`` and inflating with ``max_length`` bounds memory to the cap.
"""

from __future__ import annotations

import mimetypes
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin

import httpx

from tracker.config import FeedSettings, local_path
from tracker.errors import FeedError

_REDIRECTS = {301, 302, 303, 307, 308}
_PERMANENT = {301, 308}


class FetchError(FeedError):
    """A feed or page could not be retrieved. ``status`` is the HTTP status, if any."""

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        retry_after: str | None = None,
        url: str | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after
        self.url = url


class BodyTooLargeError(FetchError):
    """The (decoded) body exceeded the configured ``max_bytes``."""


@dataclass(frozen=True)
class Validators:
    """What a conditional GET sends back: the stored ETag and Last-Modified."""

    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True)
class Retrieved:
    """A successful retrieval (2xx or 304). ``body`` is None on 304."""

    url: str
    status: int
    body: bytes | None
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    cache_control: str | None = None
    moved_to: str | None = None
    redirects: tuple[str, ...] = field(default=())

    @property
    def not_modified(self) -> bool:
        """True for a 304: nothing to parse."""
        return self.status == 304


class _Inflater:
    """Incremental gzip/deflate decoding that never produces more than the cap."""

    def __init__(self, encoding: str) -> None:
        self.encoding = encoding
        # 16 + MAX_WBITS: gzip header; 32 + MAX_WBITS would also auto-detect zlib.
        wbits = 16 + zlib.MAX_WBITS if encoding in ("gzip", "x-gzip") else zlib.MAX_WBITS
        self._obj = zlib.decompressobj(wbits)
        self._first = True

    def feed(self, data: bytes, room: int) -> bytes:
        """Decode ``data`` producing at most ``room`` + 1 bytes; raises zlib.error."""
        if self._first and self.encoding == "deflate":
            self._first = False
            try:  # "deflate" is zlib-wrapped by the RFC, raw deflate in practice often
                return self._feed(data, room)
            except zlib.error:
                self._obj = zlib.decompressobj(-zlib.MAX_WBITS)
        return self._feed(data, room)

    def _feed(self, data: bytes, room: int) -> bytes:
        # input held back by max_length last time goes first
        return self._obj.decompress(self._obj.unconsumed_tail + data, room + 1)

    def overflowing(self) -> bool:
        """True when input is still waiting (held back by the output limit)."""
        return bool(self._obj.unconsumed_tail)


def _capped(chunks: Iterator[bytes], limit: int, what: str, deadline: float) -> bytes:
    """Join ``chunks`` up to ``limit`` bytes; raises BodyTooLargeError or FetchError (deadline)."""
    parts: list[bytes] = []
    size = 0
    for chunk in chunks:
        size += len(chunk)
        if size > limit:
            raise BodyTooLargeError(f"{what}: body larger than max_bytes={limit}; cut")
        parts.append(chunk)
        if time.monotonic() > deadline:
            raise FetchError(f"{what}: took longer than total_timeout; cut")
    return b"".join(parts)


def _decoded(raw: Iterator[bytes], encoding: str, limit: int, what: str) -> Iterator[bytes]:
    """Decode a content-encoded stream, producing at most ``limit`` + 1 bytes."""
    encodings = [e.strip().lower() for e in encoding.split(",") if e.strip()]
    encodings = [e for e in encodings if e != "identity"]
    if not encodings:
        yield from raw
        return
    if len(encodings) > 1 or encodings[0] not in ("gzip", "x-gzip", "deflate"):
        raise FetchError(f"{what}: unsupported Content-Encoding {encoding!r}")
    inflater = _Inflater(encodings[0])
    produced = 0
    try:
        for chunk in raw:
            out = inflater.feed(chunk, max(limit - produced, 0))
            produced += len(out)
            yield out
            while inflater.overflowing() and produced <= limit:
                out = inflater.feed(b"", max(limit - produced, 0))
                produced += len(out)
                yield out
    except zlib.error as e:
        raise FetchError(f"{what}: broken {encodings[0]} body: {e}") from None


class PoliteClient:
    """Fetches feeds and pages over HTTP(S) or from disk, politely and under a size cap.

    Use as a context manager, or call ``close()``. One client serves a whole poll cycle.
    """

    def __init__(
        self, settings: FeedSettings | None = None, *, transport: httpx.BaseTransport | None = None
    ) -> None:
        self.settings = settings or FeedSettings()
        s = self.settings
        self._http = httpx.Client(
            headers={"User-Agent": s.user_agent, "Accept-Encoding": "gzip, deflate"},
            timeout=httpx.Timeout(
                s.read_timeout, connect=s.connect_timeout, pool=s.connect_timeout
            ),
            follow_redirects=False,  # followed by hand: limit, loops, permanent moves
            transport=transport,
        )

    def __enter__(self) -> PoliteClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection pool."""
        self._http.close()

    def fetch(
        self,
        url: str,
        *,
        base: Path,
        validators: Validators | None = None,
        settings: FeedSettings | None = None,
        accept: str = "application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.5",
    ) -> Retrieved:
        """Retrieve ``url`` (http(s), file:// or a path relative to ``base``); raises FetchError.

        2xx and 304 are returned; any other status, a timeout, an oversize body or a redirect
        problem raises ``FetchError`` carrying the status and ``Retry-After``.
        """
        s = settings or self.settings
        if not url.startswith(("http://", "https://")):
            return self._read_local(url, base, s)
        headers = {"Accept": accept}
        if validators and validators.etag:
            headers["If-None-Match"] = validators.etag
        if validators and validators.last_modified:
            headers["If-Modified-Since"] = validators.last_modified
        deadline = time.monotonic() + s.total_timeout
        seen = [url]
        moved_to: str | None = None
        permanent = True
        current = url
        try:
            while True:
                request = self._http.build_request(
                    "GET",
                    current,
                    headers=headers,
                    timeout=httpx.Timeout(
                        s.read_timeout, connect=s.connect_timeout, pool=s.connect_timeout
                    ),
                )
                response = self._http.send(request, stream=True)
                try:
                    if response.status_code in _REDIRECTS:
                        location = response.headers.get("location")
                        if not location:
                            raise FetchError(
                                f"{current}: HTTP {response.status_code} without a Location",
                                status=response.status_code,
                                url=current,
                            )
                        target = urljoin(current, location)
                        if not target.startswith(("http://", "https://")):
                            raise FetchError(f"{current}: redirect to non-HTTP URL {target!r}")
                        if target in seen:
                            raise FetchError(
                                f"{url}: redirect loop via {target}", status=response.status_code
                            )
                        if len(seen) > s.max_redirects:
                            raise FetchError(
                                f"{url}: more than max_redirects={s.max_redirects} redirects",
                                status=response.status_code,
                            )
                        permanent = permanent and response.status_code in _PERMANENT
                        if permanent:
                            moved_to = target
                        seen.append(target)
                        current = target
                        continue
                    return self._finish(response, current, s, deadline, moved_to, seen)
                finally:
                    response.close()
        except httpx.TimeoutException as e:
            raise FetchError(f"{current}: timed out ({type(e).__name__})", url=current) from None
        except httpx.TransportError as e:
            raise FetchError(f"{current}: cannot connect: {e}", url=current) from None
        except httpx.InvalidURL as e:
            raise FetchError(f"{current}: invalid URL: {e}", url=current) from None

    def _finish(
        self,
        response: httpx.Response,
        url: str,
        s: FeedSettings,
        deadline: float,
        moved_to: str | None,
        seen: list[str],
    ) -> Retrieved:
        status = response.status_code
        h = response.headers
        common = {
            "url": url,
            "status": status,
            "etag": h.get("etag"),
            "last_modified": h.get("last-modified"),
            "cache_control": h.get("cache-control"),
            "moved_to": moved_to,
            "redirects": tuple(seen[1:]),
        }
        if status == 304:
            return Retrieved(body=None, content_type=h.get("content-type"), **common)
        if not 200 <= status < 300:
            reason = response.reason_phrase or ""
            raise FetchError(
                f"{url}: HTTP {status} {reason}".rstrip(),
                status=status,
                retry_after=h.get("retry-after"),
                url=url,
            )
        length = h.get("content-length")
        if (
            length
            and length.isdigit()
            and int(length) > s.max_bytes
            and not h.get("content-encoding")
        ):
            raise BodyTooLargeError(
                f"{url}: Content-Length {length} exceeds max_bytes={s.max_bytes}; not downloaded",
                status=status,
            )
        # iter_raw() without a chunk size yields what each read returns; with one, httpx would
        # buffer up to it and a slow server could hold us past the deadline.
        raw = _capped(response.iter_raw(), s.max_bytes, url, deadline)
        decoded = _decoded(iter([raw]), h.get("content-encoding", ""), s.max_bytes, url)
        body = _capped(decoded, s.max_bytes, url, deadline)
        return Retrieved(body=body, content_type=h.get("content-type"), **common)

    @staticmethod
    def _read_local(url: str, base: Path, s: FeedSettings) -> Retrieved:
        path = local_path(url, base)
        try:
            with path.open("rb") as f:
                body = f.read(s.max_bytes + 1)
        except OSError as e:
            raise FetchError(f"{path}: cannot read: {e.strerror or e}", url=str(path)) from None
        if len(body) > s.max_bytes:
            raise BodyTooLargeError(f"{path}: larger than max_bytes={s.max_bytes}; not read")
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return Retrieved(url=str(path), status=200, body=body, content_type=kind)
