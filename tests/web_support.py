"""The web app on a real loopback port (uvicorn in a thread) over a store the demo filled."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import uvicorn

from events import DiplomaticEvent, ExtractorInfo, Person, Provenance, make_event
from tests.conftest import ROOT, pg_schema
from tracker.config import load_feeds
from tracker.demo import run_demo
from tracker.recording import fact_id, stream_for
from tracker.store import SqlEventStore, open_store, to_new_event
from tracker.web import create_app

TOKEN = "test-admin-token-0123456789"
ARTIFACTS = ROOT / "test-artifacts"
EARLY_SOURCE = "https://example.org/2019/strategic-dialogue"
EARLY_RECORDED = datetime(2020, 1, 1, 12, tzinfo=UTC)
LIVE_ARTICLE = """Pakistan, China foreign ministers meet in Islamabad

ISLAMABAD, March 3, 2023 (APP) - Pakistan's Foreign Minister Bilawal Bhutto Zardari met Chinese \
Foreign Minister Qin Gang in Islamabad on Friday and discussed the Gwadar port and energy projects.
"""


def early_fact_id() -> str:
    """Id of the fact ``fill_store`` records as known since 2020 (before the demo)."""
    return str(fact_id(_early_fact()))


def _early_fact() -> DiplomaticEvent:
    return make_event(
        "meeting",
        actors=("CHN", "PAK"),
        persons=(Person(name="Sohail Mahmood", title="Foreign Secretary", country="PAK"),),
        occurred_on=date(2019, 12, 10),
        date_precision="day",
        summary="China and Pakistan held their strategic dialogue in Islamabad",
        provenance=Provenance(
            url=EARLY_SOURCE,
            title="Strategic dialogue held",
            source="example-wire",
            quote="The two sides held the strategic dialogue in Islamabad.",
        ),
        extractor=ExtractorInfo(name="analyst", version="manual"),
        confidence=1.0,
    )


def fill_store(url: str) -> SqlEventStore:
    """A store with one CHN-PAK fact recorded on 2020-01-01, then the demo's feeds."""
    store = open_store(url)
    fact = _early_fact()
    store.append(
        stream_for(fact), [to_new_event(fact, event_id=fact_id(fact))], recorded_at=EARLY_RECORDED
    )
    run_demo(store)
    return store


def write_live_article(directory: Path) -> Path:
    """A new article file (a Pakistan-China meeting on 2023-03-03) for ``ingest``."""
    path = directory / "live-article.txt"
    path.write_text(LIVE_ARTICLE, encoding="utf-8")
    return path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.contextmanager
def live_server(
    store: SqlEventStore, *, token: str | None = TOKEN, with_scheduler: bool = False
) -> Iterator[str]:
    """Serve the app for ``store`` on a free loopback port; yields its base URL."""
    app = create_app(
        store, admin_token=token, feeds=load_feeds(ROOT / "samples" / "feeds.yaml"),
        with_scheduler=with_scheduler, poll_interval=0.05,
    )  # fmt: skip
    port = _free_port()
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_level="warning", timeout_graceful_shutdown=1
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the web app did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@contextlib.contextmanager
def store_url(backend: str, tmp: Path) -> Iterator[str]:
    """An empty store's URL on ``backend`` for a whole test module: a SQLite file in ``tmp``,
    or a PostgreSQL schema dropped afterwards (skipped visibly without a server)."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp / 'web.db'}"
        return
    with pg_schema("w") as url:
        yield url
