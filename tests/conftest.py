"""Shared fixtures: real SQLite files, real PostgreSQL schemas, the CLI runner."""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from tracker.cli import app
from tracker.store import EventLog, SqlEventStore, open_store
from tracker.store.memory import MemoryEventStore

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "samples" / "articles" / "cgtn-2022-11-03-xi-meets-shehbaz.txt"
PG_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def _pg_base() -> str:
    return os.environ.get("TRACKER_TEST_PG_URL", PG_DEFAULT)


def _pg_available() -> bool:
    try:
        engine = sa.create_engine(_pg_base(), connect_args={"connect_timeout": 2})
        with engine.connect():
            pass
        engine.dispose()
        return True
    except Exception:
        return False


PG_AVAILABLE = _pg_available()
# Debian's chromium, headless and offline (the HTML export and the web app are checked in it).
CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    """A real SQLite file in the test's temporary directory."""
    return f"sqlite:///{tmp_path / 'tracker.db'}"


@contextlib.contextmanager
def pg_schema(prefix: str = "t") -> Iterator[str]:
    """The URL of a fresh PostgreSQL schema, dropped afterwards; skipped visibly without a
    server."""
    if not PG_AVAILABLE:
        pytest.skip(f"PostgreSQL not reachable at {_pg_base()} (set TRACKER_TEST_PG_URL)")
    schema = f"{prefix}_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(_pg_base(), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    base = sa.make_url(_pg_base())
    url = base.update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh PostgreSQL schema (dropped afterwards); skipped visibly without a server."""
    with pg_schema() as url:
        yield url


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def any_url(request: pytest.FixtureRequest) -> str:
    """The URL of an empty store on each backend."""
    name = "db_url" if request.param == "sqlite" else "pg_url"
    return str(request.getfixturevalue(name))


@pytest.fixture
def sql_store(any_url: str) -> Iterator[SqlEventStore]:
    """An open, migrated SQL store on each SQL backend."""
    s = open_store(any_url)
    yield s
    s.close()


@pytest.fixture
def store(sql_store: SqlEventStore) -> SqlEventStore:
    """The SQL store (modules whose tests hold on every backend override this with
    ``any_store``)."""
    return sql_store


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres), "memory"])
def any_store(request: pytest.FixtureRequest) -> Iterator[EventLog]:
    """An empty store on each backend, the in-memory one included (the contract suite)."""
    if request.param == "memory":
        yield MemoryEventStore()
        return
    s = open_store(
        str(request.getfixturevalue("db_url" if request.param == "sqlite" else "pg_url"))
    )
    yield s
    s.close()


@pytest.fixture
def run_cli(any_url: str) -> Callable[..., Any]:
    """Run a CLI command against the test store: ``run_cli("log", "--json")``."""
    runner = CliRunner()

    def run(*args: str, db: bool = True) -> Any:
        argv = [*args, "--db", any_url] if db else list(args)
        return runner.invoke(app, argv, catch_exceptions=False)

    return run
