"""Unit tests of the fetch step with httpx.MockTransport: decoding under the cap, headers."""

from __future__ import annotations

import gzip
import tracemalloc
import zlib
from pathlib import Path

import httpx
import pytest

from tracker.config import FeedSettings
from tracker.feeds.fetch import BodyTooLargeError, FetchError, PoliteClient, Validators

SETTINGS = FeedSettings(max_bytes=100_000)
BODY = b"<rss>" + b"payload " * 5000 + b"</rss>"  # 40 KB


def _client(handler: httpx.MockTransport) -> PoliteClient:
    return PoliteClient(SETTINGS, transport=handler)


def _serving(body: bytes, **headers: str) -> httpx.MockTransport:
    return httpx.MockTransport(
        lambda request: httpx.Response(200, stream=httpx.ByteStream(body), headers=headers)
    )


@pytest.mark.parametrize(
    ("encoding", "encode"),
    [
        ("gzip", gzip.compress),
        ("deflate", zlib.compress),  # RFC 1950 zlib stream
        ("deflate", lambda b: zlib.compress(b)[2:-4]),  # raw deflate, as many servers send
        ("identity", lambda b: b),
    ],
)
def test_content_encodings_are_decoded(encoding: str, encode: object) -> None:
    body = encode(BODY)  # type: ignore[operator]
    with _client(_serving(body, **{"Content-Encoding": encoding})) as client:
        got = client.fetch("https://a.example/rss", base=Path("."))
    assert got.body == BODY and got.status == 200


def test_gzip_bomb_is_cut_with_bounded_memory() -> None:
    bomb = gzip.compress(b"\0" * (200 * 1024 * 1024), compresslevel=9)  # 200 MB -> ~200 KB
    settings = FeedSettings(max_bytes=1_000_000)
    client = PoliteClient(settings, transport=_serving(bomb, **{"Content-Encoding": "gzip"}))
    tracemalloc.start()
    with pytest.raises(BodyTooLargeError, match="max_bytes=1000000"):
        client.fetch("https://a.example/rss", base=Path("."))
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 20 * 1024 * 1024  # nowhere near the 200 MB the bomb inflates to


def test_unsupported_or_broken_encoding_is_an_error() -> None:
    cases = [("br", b"xx", "unsupported Content-Encoding 'br'"), ("gzip", b"no", "broken gzip")]
    for encoding, body, message in cases:
        client = _client(_serving(body, **{"Content-Encoding": encoding}))
        with client, pytest.raises(FetchError, match=message):
            client.fetch("https://a.example/rss", base=Path("."))


def test_conditional_headers_and_user_agent() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(304)

    with _client(httpx.MockTransport(handler)) as client:
        got = client.fetch(
            "https://a.example/rss",
            base=Path("."),
            validators=Validators(etag='W/"x"', last_modified="Wed, 01 Mar 2023 10:00:00 GMT"),
        )
    assert got.not_modified and got.body is None
    headers = seen[0].headers
    assert headers["If-None-Match"] == 'W/"x"'
    assert headers["If-Modified-Since"] == "Wed, 01 Mar 2023 10:00:00 GMT"
    assert headers["User-Agent"].startswith("diplomatic-tracker/")
    assert headers["Accept-Encoding"] == "gzip, deflate"


def test_redirect_to_a_non_http_url_is_refused() -> None:
    transport = httpx.MockTransport(
        lambda request: httpx.Response(302, headers={"Location": "file:///etc/passwd"})
    )
    with _client(transport) as client, pytest.raises(FetchError, match="non-HTTP URL"):
        client.fetch("https://a.example/rss", base=Path("."))


def test_local_files_have_the_same_cap(tmp_path: Path) -> None:
    (tmp_path / "small.xml").write_bytes(BODY)
    (tmp_path / "big.xml").write_bytes(b"x" * 100_001)
    with PoliteClient(SETTINGS) as client:
        assert client.fetch("small.xml", base=tmp_path).body == BODY
        assert client.fetch((tmp_path / "small.xml").as_uri(), base=Path("/")).body == BODY
        with pytest.raises(BodyTooLargeError):
            client.fetch("big.xml", base=tmp_path)
        with pytest.raises(FetchError, match="cannot read"):
            client.fetch("missing.xml", base=tmp_path)
