"""The web app's speed: building the search index, the relationship page and search (page
and library), each request through the whole ASGI app (routing, queries, templates) in
process, so the figure is the server's time without the network."""

from __future__ import annotations

import random
import time
import warnings
from collections.abc import Callable

from benchmarks.queries import latency_ms
from benchmarks.rows import Row
from benchmarks.targets import Target
from tracker.projections.search import rebuild_search, search
from tracker.synth import pairs
from tracker.web import create_app

WORDS = (
    "agriculture", "infrastructure", "finance", "culture", "phone", "joint statement",
    "regret steps", "deepen cooperation", "memorandum", "trade", "visited", "hold talks",
)  # fmt: skip


def measure(target: Target, n: int, *, seed: int = 0, requests: int = 100) -> list[Row]:
    """Rows: search index rebuild (events/s), relationship page p50/p95, search page and
    library search p50/p95 (views already up to date)."""
    store, rng = target.store, random.Random(f"web:{seed}")
    start = time.perf_counter()
    indexed = rebuild_search(store)
    seconds = time.perf_counter() - start
    rows = [Row(target.backend, n, "search index rebuild", indexed / seconds, "events/s")]
    known = pairs(seed)
    with warnings.catch_warnings():  # starlette's note about a future httpx; not ours to fix
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient
    with TestClient(create_app(store)) as client:

        def get(path: str) -> Callable[[], object]:
            def call() -> object:
                response = client.get(path)
                assert response.status_code == 200, response.text[:200]
                return response

            return call

        def page() -> Callable[[], object]:
            a, b = rng.choice(known)
            return get(f"/r/{a}-{b}")

        def search_page() -> Callable[[], object]:
            return get(f"/search?q={rng.choice(WORDS)}")

        def library() -> Callable[[], object]:
            word = rng.choice(WORDS)
            return lambda: search(store, word)

        for name, make in (
            ("relationship page", page),
            ("search page", search_page),
            ("search (library)", library),
        ):
            make()()  # warm: templates compiled, caches filled
            p50, p95 = latency_ms([make() for _ in range(requests)])
            rows.append(Row(target.backend, n, f"{name} p50", p50, "ms"))
            rows.append(Row(target.backend, n, f"{name} p95", p95, "ms"))
    return rows
