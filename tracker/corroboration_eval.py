"""Score corroboration on a cluster set: does each real-world event end on one event, alone?

A cluster set is a directory of articles (``NAME.meta.json`` with ``url``, ``outlet``,
``published``, ``sha256``; the text in ``NAME.txt`` or ``cache/NAME.txt``) and a
``clusters.json``: a list of ``{"id", "type", "actors", "date", "persons", "articles": {NAME:
evidence sentence}, "near_miss_of": null or a cluster id, "note"}``, one per real-world event
(a near miss is a cluster of its own that names the event it could be confused with).

``evaluate_clusters`` ingests every article with a text into a fresh temporary SQLite store
through the real pipeline (``ingest``'s path, in publication order), then compares the
relationship timelines with the clusters. An article *lands* on an event when the event has
the cluster's pair and type and lists the article among its sources.

- **completeness**: the share of main clusters (``near_miss_of`` null, with an ingested
  article) whose ingested articles all land on one and the same event. Near misses are
  there to be kept apart; how many of them land whole on one event is reported beside it;
- **matching completeness**: the same over what the matching had to bring together: per main
  cluster, its *well-extracted* articles (those that yielded an event of the cluster's kind and
  pair on the cluster's date), over the clusters with two or more of them. A cluster
  incomplete only because an article yielded no such event, or a wrong date, counts against
  extraction, not matching;
- **purity**: the share of produced events that hold reports of one cluster only, counted over
  the events that hold an article of some cluster of their pair and type. An event is impure
  when no single cluster of its pair and type claims all its claimed articles: a near miss
  merged with its twin (named so in the misses), or two clusters merged. Articles that no
  cluster of the event's pair and type claims are not judged (the set annotates the events it
  is about, not every event each article mentions).

Articles without a text (or whose text no longer matches its ``sha256``) are skipped and
counted; a cluster none of whose articles was ingested is left out of both figures.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from events import UnknownCountryError, resolve_country
from tracker.articles import article_id
from tracker.errors import InputError
from tracker.intake import load_article
from tracker.pipeline import ingest_article
from tracker.projections import queries
from tracker.projections.model import TimelineEntry
from tracker.store import open_store


@dataclass(frozen=True)
class Cluster:
    """One real-world event of the set and the articles (name -> evidence) that report it."""

    id: str
    kind: str
    pair: tuple[str, str]
    date: str | None
    persons: tuple[str, ...]
    articles: dict[str, str]
    near_miss_of: str | None = None
    note: str = ""


@dataclass(frozen=True)
class Landing:
    """Where one cluster's ingested articles ended: event id -> the articles on it."""

    cluster: str
    events: dict[str, tuple[str, ...]]
    nowhere: tuple[str, ...]
    complete: bool


@dataclass
class CorroborationReport:
    """The figures and the misses of one run over a cluster set."""

    clusters: int = 0
    near_misses: int = 0
    articles: int = 0
    ingested: int = 0
    skipped: list[str] = field(default_factory=list)
    scored_clusters: int = 0
    complete_clusters: int = 0
    scored_near_misses: int = 0
    complete_near_misses: int = 0
    matchable_clusters: int = 0
    matched_clusters: int = 0
    # Main clusters' articles by what extraction gave: an event of the cluster's kind and pair
    # on its date, only on another date, or none of that kind at all.
    articles_on_date: int = 0
    articles_other_date: int = 0
    articles_no_event: int = 0
    scored_events: int = 0
    pure_events: int = 0
    misses: list[str] = field(default_factory=list)
    landings: list[Landing] = field(default_factory=list)

    @property
    def completeness(self) -> float:
        """Complete clusters / scored clusters (1.0 with nothing to score)."""
        return self.complete_clusters / self.scored_clusters if self.scored_clusters else 1.0

    @property
    def matching_completeness(self) -> float:
        """Clusters whose well-extracted articles share one event / clusters with two or more
        such articles: completeness as far as the matching decides it."""
        return self.matched_clusters / self.matchable_clusters if self.matchable_clusters else 1.0

    @property
    def purity(self) -> float:
        """Pure events / scored events (1.0 with nothing to score)."""
        return self.pure_events / self.scored_events if self.scored_events else 1.0

    def summary(self) -> dict[str, Any]:
        """The figures as a flat dict with stable keys."""
        return {
            "clusters": self.clusters,
            "near_misses": self.near_misses,
            "articles": self.articles,
            "ingested": self.ingested,
            "skipped": len(self.skipped),
            "scored_clusters": self.scored_clusters,
            "complete_clusters": self.complete_clusters,
            "completeness": round(self.completeness, 4),
            "scored_near_misses": self.scored_near_misses,
            "complete_near_misses": self.complete_near_misses,
            "matchable_clusters": self.matchable_clusters,
            "matched_clusters": self.matched_clusters,
            "matching_completeness": round(self.matching_completeness, 4),
            "articles_on_date": self.articles_on_date,
            "articles_other_date": self.articles_other_date,
            "articles_no_event": self.articles_no_event,
            "scored_events": self.scored_events,
            "pure_events": self.pure_events,
            "purity": round(self.purity, 4),
        }


def _pair(raw: Any, where: str) -> tuple[str, str]:
    try:
        codes = sorted({resolve_country(str(c)) for c in raw})
    except (UnknownCountryError, TypeError) as e:
        raise InputError(f"{where}: actors: {e}") from None
    if len(codes) != 2:
        raise InputError(f"{where}: actors must name two different states, got {raw!r}")
    return codes[0], codes[1]


def _cluster(raw: Any, i: int, path: Path) -> Cluster:
    where = f"{path}: cluster {i}"
    if not isinstance(raw, dict) or not raw.get("id") or not isinstance(raw.get("articles"), dict):
        raise InputError(f"{where}: needs an 'id' and an 'articles' object (NAME: evidence)")
    where = f"{path}: cluster {raw['id']!r}"
    try:
        (kind,) = queries.normalise_kinds([str(raw.get("type"))])
    except (InputError, ValueError) as e:
        raise InputError(f"{where}: {e}") from None
    return Cluster(
        id=str(raw["id"]),
        kind=kind,
        pair=_pair(raw.get("actors") or (), where),
        date=raw.get("date"),
        persons=tuple(str(p) for p in raw.get("persons") or ()),
        articles={str(k): str(v) for k, v in raw["articles"].items()},
        near_miss_of=raw.get("near_miss_of"),
        note=str(raw.get("note") or ""),
    )


def _read_json(path: Path, missing: str) -> Any:
    """The JSON value of ``path``; raises InputError (``missing`` when there is no file)."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(missing) from None
    except (OSError, ValueError) as e:
        raise InputError(f"{path}: not readable JSON ({e})") from None


def load_clusters(directory: Path) -> list[Cluster]:
    """The clusters of ``directory/clusters.json``; raises InputError naming the problem."""
    path = directory / "clusters.json"
    raw = _read_json(path, f"no clusters.json in {directory}: not a cluster set")
    if not isinstance(raw, list):
        raise InputError(f"{path}: must be a list of clusters")
    clusters = [_cluster(c, i, path) for i, c in enumerate(raw)]
    ids = [c.id for c in clusters]
    if len(set(ids)) != len(ids):
        raise InputError(f"{path}: cluster ids must be unique")
    return clusters


def _text_of(directory: Path, name: str) -> Path | None:
    for candidate in (directory / f"{name}.txt", directory / "cache" / f"{name}.txt"):
        if candidate.is_file():
            return candidate
    return None


def _meta(directory: Path, name: str) -> dict[str, Any]:
    path = directory / f"{name}.meta.json"
    meta = _read_json(path, f"no {path.name} in {directory} for article {name!r}")
    if not isinstance(meta, dict):
        raise InputError(f"{path}: must be an object with url, outlet, published, sha256")
    return meta


def _published(meta: dict[str, Any], name: str) -> date | None:
    raw = meta.get("published")
    try:
        return date.fromisoformat(str(raw)[:10]) if raw else None
    except ValueError:
        raise InputError(f"{name}.meta.json: bad published date {raw!r}") from None


def _ingest_all(
    directory: Path, names: Iterable[str], url: str, report: CorroborationReport
) -> dict[str, str]:
    """Ingest every article with a (matching) text, in publication order; name -> article id."""
    loaded = []
    for name in sorted(names):
        meta = _meta(directory, name)
        text = _text_of(directory, name)
        if text is None:
            report.skipped.append(f"{name}: no text")
            continue
        sha = meta.get("sha256")
        if sha and hashlib.sha256(text.read_bytes()).hexdigest() != sha:
            report.skipped.append(f"{name}: text does not match its sha256")
            continue
        loaded.append((_published(meta, name) or date.max, name, text, meta))
    ids: dict[str, str] = {}
    store = open_store(url)
    try:
        for published, name, text, meta in sorted(loaded, key=lambda x: (x[0], x[1])):
            try:
                article = load_article(
                    str(text), published=None if published == date.max else published,
                    url=meta.get("url") or None,
                )  # fmt: skip
            except InputError as e:  # refused at the door, as `ingest` would refuse it
                report.skipped.append(f"{name}: {e}")
                continue
            ingest_article(store, article)
            ids[name] = article_id(article)
    finally:
        store.close()
    report.ingested = len(ids)
    return ids


def _describe(e: TimelineEntry) -> str:
    who = ", ".join(p.name for p in e.persons) or "nobody named"
    return f"{e.kind} {e.occurred_on or 'undated'} ({who}) {e.event_id[:8]}"


def _on_events(
    c: Cluster, names: Sequence[str], entries: Sequence[TimelineEntry], name_of: dict[str, str]
) -> dict[str, list[str]]:
    """Event id -> the cluster's articles among its sources (events of the cluster's kind)."""
    on: dict[str, list[str]] = {}
    for e in entries:
        if e.kind == c.kind:
            here = {name_of[s.article_id] for s in e.sources if s.article_id in name_of}
            on.update({e.event_id: [n for n in names if n in here]} if here & set(names) else {})
    return on


def _well_extracted(
    c: Cluster, on: dict[str, list[str]], by_id: dict[str, TimelineEntry]
) -> set[str]:
    """The cluster's articles that yielded an event of its kind on its date (any date when the
    cluster has none): what matching had to bring together."""
    day = date.fromisoformat(c.date) if c.date else None
    return {n for k, v in on.items() if day is None or by_id[k].occurred_on == day for n in v}


def score_clusters(
    clusters: Sequence[Cluster],
    entries: dict[tuple[str, str], list[TimelineEntry]],
    ids: dict[str, str],
    report: CorroborationReport,
) -> None:
    """Add to ``report`` the figures and misses of ``entries`` (each pair's timeline) against
    ``clusters``; ``ids`` maps each ingested article's name to its article id."""
    name_of = {aid: name for name, aid in ids.items()}
    by_id = {e.event_id: e for es in entries.values() for e in es}
    for c in clusters:
        names = [n for n in c.articles if n in ids]
        if not names:
            continue
        on = _on_events(c, names, entries.get(c.pair, []), name_of)
        nowhere = tuple(n for n in names if not any(n in v for v in on.values()))
        complete = any(len(v) == len(names) for v in on.values())
        report.landings.append(
            Landing(c.id, {k: tuple(v) for k, v in on.items()}, nowhere, complete)
        )
        if c.near_miss_of is not None:
            report.scored_near_misses += 1
            report.complete_near_misses += complete
            continue
        report.scored_clusters += 1
        report.complete_clusters += complete
        good = _well_extracted(c, on, by_id)
        report.articles_on_date += len(good)
        report.articles_no_event += len(nowhere)
        report.articles_other_date += len(names) - len(good) - len(nowhere)
        if len(good) >= 2:
            report.matchable_clusters += 1
            report.matched_clusters += any(good <= set(v) for v in on.values())
        if not complete:
            parts = [f"{', '.join(v)} on {_describe(by_id[k])}" for k, v in on.items()]
            if nowhere:
                parts.append(f"{', '.join(nowhere)} on no {c.kind} of {'-'.join(c.pair)}")
            report.misses.append(f"split {c.id} ({c.kind} {c.date}): " + "; ".join(parts))
    clusters_of: dict[tuple[str, ...], set[str]] = {}  # (pair, kind, name) -> cluster ids
    for c in clusters:
        for n in c.articles:
            clusters_of.setdefault((*c.pair, c.kind, n), set()).add(c.id)
    twin = {c.id: c.near_miss_of for c in clusters if c.near_miss_of}
    for (a, b), es in sorted(entries.items()):
        for e in es:
            names = [name_of[s.article_id] for s in e.sources if s.article_id in name_of]
            claims = [cl for n in names if (cl := clusters_of.get((a, b, e.kind, n)))]
            if not claims:
                continue  # an event no cluster is about (e.g. an agreement outside the set)
            report.scored_events += 1
            if set.intersection(*claims):
                report.pure_events += 1
                continue
            held = sorted({cid for cl in claims for cid in cl})
            twins = [f"near miss {c} of {twin[c]}" for c in held if twin.get(c) in held]
            report.misses.append(f"merged {' + '.join(twins or held)} on {_describe(e)}")


def evaluate_clusters(directory: Path) -> CorroborationReport:
    """Ingest the cluster set in ``directory`` into a fresh temporary store and score it
    (definitions in the module docstring). Raises InputError for a malformed set."""
    if not directory.is_dir():
        raise InputError(f"no such directory: {directory}")
    clusters = load_clusters(directory)
    report = CorroborationReport(
        clusters=len(clusters), near_misses=sum(c.near_miss_of is not None for c in clusters)
    )
    names = {n for c in clusters for n in c.articles}
    report.articles = len(names)
    with tempfile.TemporaryDirectory(prefix="eval-corroboration-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'eval.db'}"
        ids = _ingest_all(directory, names, url, report)
        store = open_store(url)
        try:
            entries = {p: queries.timeline(store, *p) for p in sorted({c.pair for c in clusters})}
        finally:
            store.close()
    score_clusters(clusters, entries, ids, report)
    return report
