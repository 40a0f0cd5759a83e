"""Outlets: never null, from a known site, the feed, or the URL's registrable domain."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from tests.conftest import CORPUS
from tracker.outlets import UNKNOWN, outlet_of, site_of


@pytest.mark.parametrize(
    ("url", "feed", "outlet"),
    [
        ("https://www.app.com.pk/national/pm-arrives/", None, "APP"),
        ("https://english.news.cn/20221102/x.html", "some-feed", "Xinhua"),  # site beats feed
        ("https://news.bbc.co.uk/2/hi/asia/1.stm", None, "BBC"),  # registrable domain known
        ("https://www.example.org/a", "xinhua-world", "xinhua-world"),  # unknown site: the feed
        ("https://www.example.co.uk/a", None, "example.co.uk"),  # else its registrable domain
        ("samples/articles/x.html", "app-national", "app-national"),  # a local page: the feed
        (None, None, UNKNOWN),
    ],
)
def test_outlet_of(url: str | None, feed: str | None, outlet: str) -> None:
    assert outlet_of(url, feed) == outlet


def test_site_of_is_offline_and_tolerant() -> None:
    assert site_of("http://localhost:8080/x") == "localhost"
    assert site_of("https://www.fmprc.gov.cn/mfa_eng/") == "fmprc.gov.cn"
    assert site_of("file:///tmp/x.txt") is None


def test_ingested_article_sources_name_their_outlet_and_evidence(
    run_cli: Callable[..., Any],
) -> None:
    url = "https://www.dawn.com/news/1718731/pm-shehbaz-meets-xi"
    result = run_cli("ingest", str(CORPUS), "--published", "2022-11-03", "--url", url)
    assert result.exit_code == 0, result.output
    entries = json.loads(run_cli("timeline", "China", "Pakistan", "--json").stdout)
    sources = [s for e in entries for s in e["sources"]]
    assert sources and {s["outlet"] for s in sources} == {"Dawn"}
    quoted = [s["quote"] for s in sources]
    assert all(q and len(q) > 20 for q in quoted)
