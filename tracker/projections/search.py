"""The search projection: full-text documents of active events and of articles, kept in
``search_docs`` (SQLite FTS5 or PostgreSQL ``tsvector``; see migration 0003).

Why a projection and not triggers on ``events``: a search document is the *current* state of a
real-world event (its summary, persons, every corroborating source's title and evidence
sentence), which the relationship fold already computes; a retraction or merge must take a
document out of the index and a corroboration must add text to another one. Row triggers see
one payload at a time and could do neither without re-implementing the fold in SQL on two
dialects. So the runner below reads the log from its own checkpoint, up to the relationship
projection's checkpoint, and rewrites the documents of the events each batch names from the
relationship's entry rows, in one transaction with its new checkpoint. Position 0 means a
rebuild: the first batch empties the index. The FTS5/tsvector indexes themselves are kept in
step with ``search_docs`` by the database (triggers on ``search_docs``, a generated column).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import islice
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from events import ArticleRecorded, country_name
from tracker.errors import InputError
from tracker.exports.labels import details_line, kind_label, persons_text
from tracker.projections import codec
from tracker.projections.model import TimelineEntry
from tracker.projections.pairs import pair_label, pair_of_stream
from tracker.projections.queries import normalise_kinds
from tracker.projections.runner import (
    CHECKPOINT as RELATIONSHIP_CHECKPOINT,
)
from tracker.projections.runner import (
    ENTRY_VIEW,
    STATE_VIEW,
    named_ids,
    update_projections,
)
from tracker.projections.tables import VIEW_ROWS
from tracker.store import SqlEventStore, StoredEvent, to_recorded
from tracker.store.checkpoints import load_checkpoint, reset_checkpoint, save_checkpoint
from tracker.store.sql import read_transaction, write_transaction

SEARCH_VERSION = 1
CHECKPOINT = f"projection:search:v{SEARCH_VERSION}"
BATCH_SIZE = 2000
ARTICLE = "article"
EVENT = "event"
HIT_START, HIT_END = "\x02", "\x03"  # snippet markers: never in article text
_CHUNK = 500
RANKED = 5000  # a search ranks at most the newest this many matches (see ``search``)
_WORD = re.compile(r"\w+", re.UNICODE)

SEARCH_DOCS = sa.Table(
    "search_docs",
    sa.MetaData(),
    sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), primary_key=True),
    sa.Column("doc_key", sa.String(200), nullable=False, unique=True),
    sa.Column("doc_kind", sa.String(20), nullable=False),
    sa.Column("pair", sa.String(20)),
    sa.Column("type", sa.String(40), nullable=False),
    sa.Column("day", sa.Date),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("body", sa.Text, nullable=False),
    sa.Column("url", sa.Text),
    sa.Column("position", sa.BigInteger, nullable=False),
)


# -- documents (pure) ---------------------------------------------------------------------------


def event_document(entry: TimelineEntry) -> dict[str, Any]:
    """The search row of an active event: summary as title; type, pair, persons, place,
    details, and every source's outlet, title and evidence sentence as body."""
    a, b = entry.pair
    a, b = entry.pair
    parts = [  # evidence first: snippets are drawn from the start of the best passage
        *(" ".join(x for x in (s.quote, s.title, s.outlet) if x) for s in entry.sources),
        persons_text(entry.persons),
        entry.location or "",
        details_line(entry),
        f"{kind_label(entry.kind)} {entry.type} {a}-{b} {country_name(a)} {country_name(b)}",
    ]
    return {
        "doc_key": f"{EVENT}:{entry.event_id}",
        "doc_kind": EVENT,
        "pair": pair_label(entry.pair),
        "type": entry.kind,
        "day": entry.occurred_on,
        "title": entry.summary,
        "body": "\n".join(p for p in parts if p),
        "url": entry.sources[0].url if entry.sources else None,
        "position": entry.position,
    }


def article_document(article: ArticleRecorded, position: int) -> dict[str, Any]:
    """The search row of an article: its title and text."""
    return {
        "doc_key": f"{ARTICLE}:{article.article_id}",
        "doc_kind": ARTICLE,
        "pair": None,
        "type": ARTICLE,
        "day": article.published.date() if article.published else None,
        "title": article.title or article.url or article.article_id,
        "body": article.text,
        "url": article.url,
        "position": position,
    }


def fts5_query(text: str) -> str:
    """A user's words as an FTS5 query: every word must occur (quoted, so no word is read as
    FTS5 syntax), the last one also as a prefix. Raises InputError when there is no word."""
    words = _WORD.findall(text)
    if not words:
        raise InputError(f"nothing to search for in {text!r}: give at least one word")
    quoted = [f'"{w}"' for w in words]
    quoted[-1] += "*"
    return " ".join(quoted)


# -- the runner (impure) ------------------------------------------------------------------------


def _touched(rows: Sequence[StoredEvent]) -> tuple[dict[str, set[str]], list[dict[str, Any]]]:
    """Event ids each pair's rows name (facts and the targets of corrections), and the
    documents of the articles among the rows."""
    ids: dict[str, set[str]] = {}
    articles = []
    for row in rows:
        pair = pair_of_stream(row.stream_id)
        if pair is not None:
            event = to_recorded(row).event
            ids.setdefault(pair_label(pair), set()).update((str(row.event_id), *named_ids(event)))
        elif row.type == ArticleRecorded.type_name:
            article = to_recorded(row).event
            assert isinstance(article, ArticleRecorded)
            articles.append(article_document(article, row.position))
    return ids, articles


def _resolved(conn: Connection, label: str, ids: set[str]) -> set[str]:
    """``ids`` and the survivors they were merged into (from the pair's state row)."""
    body = conn.execute(
        sa.select(VIEW_ROWS.c.body).where(VIEW_ROWS.c.view == STATE_VIEW, VIEW_ROWS.c.key == label)
    ).scalar_one_or_none()
    aliases: dict[str, str] = codec.decode(body)["aliases"] if body is not None else {}
    out = set(ids)
    for i in ids:
        seen = 0
        while i in aliases and seen <= len(aliases):
            i = aliases[i]
            out.add(i)
            seen += 1
    return out


def _entries(conn: Connection, ids: Sequence[str]) -> dict[str, TimelineEntry]:
    found: dict[str, TimelineEntry] = {}
    for i in range(0, len(ids), _CHUNK):
        q = sa.select(VIEW_ROWS.c.body).where(
            VIEW_ROWS.c.view == ENTRY_VIEW, VIEW_ROWS.c.key.in_(ids[i : i + _CHUNK])
        )
        for body in conn.execute(q).scalars():
            entry = codec.entry_from(codec.decode(body))
            found[entry.event_id] = entry
    return found


def _replace(conn: Connection, keys: Sequence[str], docs: Iterable[dict[str, Any]]) -> None:
    """Delete the documents ``keys`` and insert ``docs`` in log order (ids then grow with the
    position, which is what "the newest matches" means to ``search``)."""
    for i in range(0, len(keys), _CHUNK):
        conn.execute(sa.delete(SEARCH_DOCS).where(SEARCH_DOCS.c.doc_key.in_(keys[i : i + _CHUNK])))
    batch = sorted(docs, key=lambda doc: int(doc["position"]))
    for i in range(0, len(batch), _CHUNK):
        conn.execute(sa.insert(SEARCH_DOCS), batch[i : i + _CHUNK])


def update_search(store: SqlEventStore, *, batch_size: int = BATCH_SIZE) -> int:
    """Catch the search index up with the log (first the relationship projection it reads);
    returns how many log rows it read. Raises StoreError."""
    update_projections(store)
    engine = store.engine
    target = load_checkpoint(engine, RELATIONSHIP_CHECKPOINT)
    done = 0
    while load_checkpoint(engine, CHECKPOINT) < target:
        with write_transaction(engine) as conn:
            start = load_checkpoint(engine, CHECKPOINT)  # re-read under the write lock
            rows = [
                r for r in islice(store.read_all(start, batch_size), batch_size)
                if r.position <= target
            ]  # fmt: skip
            if not rows:
                break
            if start == 0:
                conn.execute(sa.delete(SEARCH_DOCS))
            ids, articles = _touched(rows)
            event_ids = sorted(
                {i for label, named in ids.items() for i in _resolved(conn, label, named)}
            )
            active = _entries(conn, event_ids)
            _replace(
                conn,
                [f"{EVENT}:{i}" for i in event_ids] + [d["doc_key"] for d in articles],
                [*(event_document(active[i]) for i in event_ids if i in active), *articles],
            )
            save_checkpoint(conn, CHECKPOINT, rows[-1].position)
        done += len(rows)
    return done


def rebuild_search(store: SqlEventStore) -> int:
    """Empty the search index and fill it again from the whole log."""
    with write_transaction(store.engine) as conn:
        reset_checkpoint(conn, CHECKPOINT)
    return update_search(store)


# -- the query ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchHit:
    """One search result: an event (``key`` is its id) or an article (its article id).

    ``snippet`` is the matching passage as (text, is_match) parts, so no markup travels in it.
    """

    kind: str  # "event" or "article"
    key: str
    type: str
    pair: str | None
    date: date | None
    title: str
    url: str | None
    snippet: tuple[tuple[str, bool], ...]
    rank: float


def _snippet_parts(text: str) -> tuple[tuple[str, bool], ...]:
    parts: list[tuple[str, bool]] = []
    for i, chunk in enumerate(re.split(f"{HIT_START}|{HIT_END}", text or "")):
        if chunk:
            parts.append((chunk, i % 2 == 1))
    return tuple(parts)


def _filters(
    pair: tuple[str, str] | None, kinds: Sequence[str], start: date | None, end: date | None
) -> list[Any]:
    d = SEARCH_DOCS.c
    out: list[Any] = []
    if pair is not None:
        out.append(d.pair == pair_label(pair))
    if kinds:
        out.append(d.type.in_(list(kinds)))
    if start is not None:
        out.append(d.day >= start)
    if end is not None:
        out.append(d.day <= end)
    return out


def _wanted_kinds(kinds: Sequence[str]) -> tuple[str, ...]:
    wanted = [k.strip().lower() for k in kinds if k.strip()]
    events = normalise_kinds([k for k in wanted if k != ARTICLE])
    return (*events, *((ARTICLE,) if ARTICLE in wanted else ()))


def search(
    store: SqlEventStore,
    text: str,
    *,
    pair: tuple[str, str] | None = None,
    kinds: Sequence[str] = (),
    start: date | None = None,
    end: date | None = None,
    limit: int = 50,
) -> list[SearchHit]:
    """Events and articles matching every word of ``text``, best first (FTS5 bm25 on SQLite,
    ``ts_rank`` on PostgreSQL; titles weigh more than bodies). ``kinds`` are event kinds or
    ``article``; ``pair`` (canonical) keeps only that relationship's events; ``start``/``end``
    bound the event date or the article's publication date. A word found in more than
    ``RANKED`` documents ranks only the newest ``RANKED`` of them (the rest are older reports of
    something that common). Raises InputError."""
    if limit < 1:
        raise InputError(f"limit must be at least 1, got {limit}")
    if start and end and start > end:
        raise InputError(f"from {start} is after to {end}: swap them")
    if not _WORD.search(text):
        raise InputError(f"nothing to search for in {text!r}: give at least one word")
    wanted = _wanted_kinds(kinds)
    update_search(store)
    d = SEARCH_DOCS.c
    where = _filters(pair, wanted, start, end)
    columns = (d.doc_kind, d.doc_key, d.type, d.pair, d.day, d.title, d.url)
    postgres = store.engine.dialect.name == "postgresql"
    if postgres:
        query = sa.func.websearch_to_tsquery("english", text)
        tsv: sa.ColumnClause[Any] = sa.literal_column("search_docs.tsv")
        matched = sa.select(d.id).where(tsv.op("@@")(query), *where)
        key: Any = d.id
    else:
        fts = sa.table("search_fts", sa.column("rowid"))
        match = sa.text("search_fts MATCH :match").bindparams(match=fts5_query(text))
        matched = (
            sa.select(fts.c.rowid).select_from(SEARCH_DOCS.join(fts, fts.c.rowid == d.id))
            .where(match, *where)
        )  # fmt: skip
        key = fts.c.rowid
    # The id at which the newest RANKED matches begin (None: fewer match): ranking every one
    # of a word in nearly every document costs ~30 us each, so only those are ranked.
    newest = matched.order_by(key.desc()).offset(RANKED - 1).limit(1)
    with read_transaction(store.engine) as conn:
        low = conn.execute(newest).scalar_one_or_none()
        recent = [] if low is None else [key >= low]
        if postgres:
            ranked = (
                sa.select(d.id, sa.func.ts_rank(tsv, query).label("rank"))
                .where(tsv.op("@@")(query), *where, *recent)
                .order_by(sa.desc("rank"), d.position.desc())
                .limit(limit)
                .subquery()
            )
            options = f"StartSel={HIT_START}, StopSel={HIT_END}, MaxWords=24, MinWords=10"
            snippet = sa.func.ts_headline(
                "english", d.title + sa.literal(" — ") + d.body, query, options
            )
            q = (
                sa.select(*columns, snippet.label("snippet"), ranked.c.rank)
                .join(ranked, ranked.c.id == d.id)
                .order_by(ranked.c.rank.desc(), d.position.desc())
            )
        else:
            rank: sa.ColumnClause[Any] = sa.literal_column("bm25(search_fts, 4.0, 1.0)")
            fragment: sa.ColumnClause[Any] = sa.literal_column(
                f"snippet(search_fts, -1, '{HIT_START}', '{HIT_END}', ' … ', 20)"
            )
            q = (
                sa.select(*columns, fragment.label("snippet"), (-rank).label("rank"))
                .select_from(SEARCH_DOCS.join(fts, fts.c.rowid == d.id))
                .where(match, *where, *recent)
                .order_by(rank, d.position.desc())
                .limit(limit)
            )
        rows = conn.execute(q).all()
    return [
        SearchHit(
            kind=r.doc_kind,
            key=r.doc_key.partition(":")[2],
            type=r.type,
            pair=r.pair,
            date=r.day,
            title=r.title,
            url=r.url,
            snippet=_snippet_parts(r.snippet),
            rank=round(float(r.rank), 6),
        )
        for r in rows
    ]
