"""Full-text search index: ``search_docs`` (one row per active event and per article), with
SQLite FTS5 (external content, kept in step by triggers on ``search_docs``) or a PostgreSQL
``tsvector`` column and GIN index. Filled by the search projection
(``tracker/projections/search.py``), so it can be dropped and rebuilt from the log.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_COLUMNS = """
    doc_key VARCHAR(200) NOT NULL UNIQUE,
    doc_kind VARCHAR(20) NOT NULL,
    pair VARCHAR(20),
    type VARCHAR(40) NOT NULL,
    day DATE,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    url TEXT,
    position BIGINT NOT NULL
"""
_SQLITE = [
    f"CREATE TABLE search_docs (id INTEGER PRIMARY KEY, {_COLUMNS})",
    """CREATE VIRTUAL TABLE search_fts USING fts5(title, body, content='search_docs',
       content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER search_docs_ai AFTER INSERT ON search_docs BEGIN
       INSERT INTO search_fts(rowid, title, body) VALUES (new.id, new.title, new.body); END""",
    """CREATE TRIGGER search_docs_ad AFTER DELETE ON search_docs BEGIN
       INSERT INTO search_fts(search_fts, rowid, title, body)
       VALUES ('delete', old.id, old.title, old.body); END""",
    "CREATE INDEX ix_search_docs_filter ON search_docs (pair, type, day)",
]
_PG = [
    f"""CREATE TABLE search_docs (id BIGSERIAL PRIMARY KEY, {_COLUMNS},
        tsv tsvector GENERATED ALWAYS AS (
            setweight(to_tsvector('english', title), 'A') ||
            setweight(to_tsvector('english', body), 'B')) STORED)""",
    "CREATE INDEX ix_search_docs_tsv ON search_docs USING GIN (tsv)",
    "CREATE INDEX ix_search_docs_filter ON search_docs (pair, type, day)",
]


def upgrade() -> None:
    for ddl in _PG if op.get_bind().dialect.name == "postgresql" else _SQLITE:
        op.execute(ddl)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        op.execute("DROP TABLE IF EXISTS search_fts")
    op.execute("DROP TABLE IF EXISTS search_docs")
