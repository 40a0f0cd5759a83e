"""Which outlet published an article: from its URL's site, else its feed, else the site's domain.

Known sites are data (``events/data/outlets.json``: a registrable domain, or a full host for a
site on a shared domain, to the outlet's name). The registrable domain comes from
``tldextract`` with its bundled Public Suffix List snapshot only (``suffix_list_urls=()``), so
it never touches the network: ``www.app.com.pk`` -> ``app.com.pk``.
"""

from __future__ import annotations

import json
from functools import cache, lru_cache
from importlib import resources
from urllib.parse import urlsplit

import tldextract


@cache
def _known() -> dict[str, str]:
    text = resources.files("events.data").joinpath("outlets.json").read_text(encoding="utf-8")
    return {k: v for k, v in json.loads(text).items() if not k.startswith("_")}


@cache
def _extractor() -> tldextract.TLDExtract:
    # The bundled snapshot, no download and no cache directory: offline and side-effect free.
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


def site_of(url: str | None) -> str | None:
    """The registrable domain of an http(s) URL (``news.bbc.co.uk`` -> ``bbc.co.uk``); the bare
    host when it has no public suffix (``localhost``); None for no URL or a local path."""
    if not url or not url.lower().startswith(("http://", "https://")):
        return None
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    if not host:
        return None
    parts = _extractor()(host)
    return f"{parts.domain}.{parts.suffix}" if parts.domain and parts.suffix else host


def known_outlet(url: str | None) -> str | None:
    """The outlet's name when the URL's host or registrable domain is a known site."""
    site = site_of(url)
    if site is None:
        return None
    host = (urlsplit(url or "").hostname or "").lower().removeprefix("www.")
    known = _known()
    return known.get(host) or known.get(site)


UNKNOWN = "unknown outlet"


@lru_cache(maxsize=4096)  # views name the outlet of every source; URLs repeat
def outlet_of(url: str | None, feed: str | None = None) -> str:
    """The outlet to record for an article: a known site's name, else the feed's name, else
    the URL's registrable domain, else ``UNKNOWN`` (a local file given without ``--url``)."""
    return known_outlet(url) or feed or site_of(url) or UNKNOWN
