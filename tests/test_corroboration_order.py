"""Views are a function of the set of facts, not of their order (issue 16, case 13).

The demo's articles (captured from the bundled sample feeds through the real polling path)
are ingested into fresh stores in random orders; every view, compared by content (event ids,
log positions and transaction times depend on the order by nature), is the same, and the
details of every report (topics, persons, dates) are in it.
"""

from __future__ import annotations

import dataclasses
import json
import tempfile
from collections.abc import Sequence
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from events import DiplomaticEvent
from tests.conftest import ROOT
from tracker.articles import Article
from tracker.config import load_feeds
from tracker.feeds.poll import poll_feeds
from tracker.intake import load_article
from tracker.pipeline import default_extractor, ingest_article
from tracker.projections import queries
from tracker.projections.model import TimelineEntry
from tracker.store import open_store

NOW = datetime(2022, 11, 4, 12, tzinfo=UTC)
CLUSTERS = ROOT / "tests" / "fixtures" / "corroboration"
# What depends on arrival by nature: ids, positions and times, and which report came first
# (it has no merge reasons; the others say why they joined it).
_ARRIVAL = {"event_id", "position", "recorded_at", "as_of", "possible_duplicates", "reasons"}


@cache
def demo_articles(tmp: Path) -> tuple[Article, ...]:
    """The articles the demo's poll yields, in the demo's order."""
    seen: list[Article] = []
    extract = default_extractor()

    def capture(article: Article, aid: str) -> Sequence[DiplomaticEvent]:
        seen.append(article)
        return extract(article, aid)

    store = open_store(f"sqlite:///{tmp / 'capture.db'}")
    try:
        poll_feeds(store, load_feeds(ROOT / "samples" / "feeds.yaml"), now=NOW, extractor=capture)
    finally:
        store.close()
    return tuple(seen)


def _canonical(value: Any, ids: dict[str, str]) -> Any:
    """A view by content: no ids, positions or times of arrival; lists in content order."""
    if isinstance(value, TimelineEntry):
        plain = _canonical(dataclasses.asdict(value), ids)
        plain["possible_duplicates"] = sorted(ids[i] for i in value.possible_duplicates)
        return plain
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _canonical({f.name: getattr(value, f.name) for f in dataclasses.fields(value)}, ids)
    if isinstance(value, dict):
        return {k: _canonical(v, ids) for k, v in value.items() if k not in _ARRIVAL}
    if isinstance(value, list | tuple):
        items = [_canonical(v, ids) for v in value]
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, default=str))
    return value


def views_in_order(articles: Sequence[Article], path: Path | str) -> dict[str, Any]:
    """Ingest ``articles`` in this order into a fresh store (a SQLite file, or a URL); every
    relationship's timeline and view by content."""
    store = open_store(path if isinstance(path, str) else f"sqlite:///{path}")
    try:
        for article in articles:
            ingest_article(store, article)
        out: dict[str, Any] = {}
        for summary in queries.relations(store):
            a, b = summary.pair
            entries = queries.timeline(store, a, b)
            ids = {
                e.event_id: json.dumps(
                    [e.kind, str(e.occurred_on), [s.article_id for s in e.sources]]
                )
                for e in entries
            }
            out["-".join(summary.pair)] = {
                "timeline": _canonical(entries, ids),
                "view": _canonical(queries.relationship_view(store, a, b), ids),
                "summary": _canonical(summary, ids),
            }
        return out
    finally:
        store.close()


def test_the_demo_view_holds_every_reports_details(tmp_path: Path) -> None:
    views = views_in_order(demo_articles(tmp_path), tmp_path / "demo.db")
    pak = views["CHN-PAK"]["view"]["statements"]["PAK"]
    assert {"taiwan", "cpec", "xinjiang", "hong kong", "friendship"} <= set(pak), sorted(pak)


def cluster_set_articles() -> tuple[Article, ...]:
    """The synthetic multi-outlet set's articles (tests/fixtures/corroboration)."""
    out = []
    for meta_path in sorted(CLUSTERS.glob("*.meta.json")):
        text = meta_path.with_name(meta_path.name.replace(".meta.json", ".txt"))
        if text.exists():
            meta = json.loads(meta_path.read_text())
            day = date.fromisoformat(meta["published"])
            out.append(load_article(str(text), published=day, url=meta["url"]))
    return tuple(out)


def test_reversed_on_each_backend_equals_the_demo_order(any_url: str, tmp_path: Path) -> None:
    """The cheap cross-backend check: the demo's articles in reverse on SQLite and PostgreSQL
    give the views of the demo's own order."""
    articles = demo_articles(tmp_path)
    baseline = views_in_order(articles, tmp_path / "baseline.db")
    assert views_in_order(articles[::-1], any_url) == baseline


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data(), which=st.sampled_from(["demo", "clusters"]))
def test_views_do_not_depend_on_the_order_of_articles(
    tmp_path: Path, data: st.DataObject, which: str
) -> None:
    articles = demo_articles(tmp_path) if which == "demo" else cluster_set_articles()
    baseline = _baseline(tmp_path, articles)
    order = data.draw(st.permutations(range(len(articles))))
    run = Path(tempfile.mkdtemp(dir=tmp_path)) / "run.db"  # a fresh store each example
    assert views_in_order([articles[i] for i in order], run) == baseline


_BASELINES: dict[tuple[Article, ...], dict[str, Any]] = {}


def _baseline(tmp: Path, articles: tuple[Article, ...]) -> dict[str, Any]:
    if articles not in _BASELINES:
        _BASELINES[articles] = views_in_order(articles, Path(tempfile.mkdtemp(dir=tmp)) / "b.db")
    return _BASELINES[articles]
