"""A large local feed set built from the annotated articles, and a poller run as a subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path
from xml.sax.saxutils import escape

import yaml

from tests.conftest import ROOT
from tracker.store import SqlEventStore

GOLD = ROOT / "tests" / "fixtures" / "gold"


def write_feed_set(folder: Path, feeds: int = 3, per_feed: int = 30) -> tuple[Path, int]:
    """Write ``feeds`` RSS files whose items carry the gold articles' texts (distinct links);
    the first item of each feed is also carried by the next feed (same link). Returns the
    feeds.yaml path and the number of distinct articles."""
    texts = [p.read_text(encoding="utf-8").split("\n", 1) for p in sorted(GOLD.glob("*.txt"))]
    folder.mkdir(parents=True, exist_ok=True)
    entries: list[list[str]] = []
    for f in range(feeds):
        items = []
        for i in range(per_feed):
            n = f * per_feed + i
            title, body = texts[n % len(texts)]
            items.append(
                f"<item><title>{escape(title)} ({n})</title>"
                f"<link>https://wire.example.org/story/{n}</link>"
                f"<description>{escape(body.strip())}</description>"
                "<pubDate>Thu, 03 Nov 2022 08:00:00 +0000</pubDate></item>"
            )
        entries.append(items)
    for f in range(feeds):  # one shared story per neighbouring feed: recorded once
        entries[(f + 1) % feeds].append(entries[f][0])
    feed_list = []
    for f, items in enumerate(entries):
        path = folder / f"feed{f}.xml"
        path.write_text(
            '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
            f"<title>Feed {f}</title><link>https://wire.example.org/</link>"
            + "".join(items)
            + "</channel></rss>",
            encoding="utf-8",
        )
        feed_list.append({"name": f"feed{f}", "url": path.name})
    config = folder / "feeds.yaml"
    config.write_text(
        yaml.safe_dump(
            {"defaults": {"min_summary_chars": 0, "interval": "10m"}, "feeds": feed_list}
        )
    )
    return config, feeds * per_feed


def poll_command(feeds: Path, db: str) -> list[str]:
    """The argv of ``manage.py poll`` on ``feeds`` and ``db``."""
    return [sys.executable, "manage.py", "poll", "--feeds", str(feeds), "--db", db, "--json"]


def poll(feeds: Path, db: str) -> subprocess.CompletedProcess[str]:
    """Run one poll to completion in a subprocess."""
    return subprocess.run(
        poll_command(feeds, db), cwd=ROOT, capture_output=True, text=True, timeout=300
    )


Contribution = tuple[str, str, int, int]


def log_summary(store: SqlEventStore) -> tuple[Counter[str], Counter[str], set[str]]:
    """Event types counted, article ids counted, and the set of event ids in the log."""
    types: Counter[str] = Counter()
    articles: Counter[str] = Counter()
    ids: set[str] = set()
    for row in store.read_all():
        types[row.type] += 1
        ids.add(str(row.event_id))
        if row.type == "ArticleRecorded":
            articles[json.loads(row.payload)["article_id"]] += 1
    return types, articles, ids


def contributions(store: SqlEventStore) -> Counter[Contribution]:
    """What each article contributed: (article id, event kind, evidence span), as a fact or as a
    corroboration of an earlier fact. Independent of the order articles were ingested in."""
    kinds: dict[str, str] = {}
    found: Counter[Contribution] = Counter()
    for row in store.read_all():
        payload = json.loads(row.payload)
        prov = payload.get("provenance")
        if prov is None:
            continue
        if row.type == "EventCorroborated":
            kind = kinds[payload["event_id"]]
        else:
            kind = kinds[str(row.event_id)] = row.type
        found[(prov["article_id"], kind, prov["start"], prov["end"])] += 1
    return found
