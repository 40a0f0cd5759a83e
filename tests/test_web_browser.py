"""The web app in a real browser: Playwright for Python driving Debian's chromium (nothing is
downloaded; skipped with the reason when chromium is absent). Every flow an analyst follows,
with screenshots in ``test-artifacts/`` and no console errors; the same writes refused without
the token."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import CHROMIUM_ARGS
from tests.web_support import (
    ARTIFACTS,
    EARLY_SOURCE,
    TOKEN,
    early_fact_id,
    fill_store,
    live_server,
    write_live_article,
)
from tracker.intake import ingest_sources
from tracker.projections import queries
from tracker.store import SqlEventStore

CHROMIUM = "/usr/bin/chromium"
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright (pip) not installed")
pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists() and shutil.which("chromium") is None,
    reason=f"chromium not installed at {CHROMIUM} (apt-get install chromium)",
)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SqlEventStore]:
    tmp = tmp_path_factory.mktemp("browser")
    s = fill_store(f"sqlite:///{tmp / 'web.db'}")
    yield s
    s.close()


@pytest.fixture(scope="module")
def base(store: SqlEventStore) -> Iterator[str]:
    with live_server(store) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=list(CHROMIUM_ARGS))
        yield b
        b.close()


class Tab:
    """A browser page that records console errors and never leaves the loopback host: any
    other URL is answered by a stub (the test checks which URL was asked for)."""

    def __init__(self, browser: Any, base: str, name: str) -> None:
        self.context = browser.new_context(viewport={"width": 1200, "height": 900})
        self.page = self.context.new_page()
        self.base, self.name = base, name
        self.errors: list[str] = []
        self.outside: list[str] = []
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.context.route(re.compile(r"^(?!http://127\.0\.0\.1:)"), self._stub)

    def _stub(self, route: Any) -> None:
        self.outside.append(route.request.url)
        route.fulfill(status=200, content_type="text/html", body="<title>source page</title>ok")

    def open(self, path: str) -> Any:
        self.page.goto(self.base + path)
        self.ready()
        return self.page

    def ready(self) -> None:
        self.page.wait_for_selector("body[data-ready='1']")

    def shot(self, step: str) -> None:
        ARTIFACTS.mkdir(exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"web-{self.name}-{step}.png"), full_page=True)

    def close(self) -> None:
        self.context.close()
        assert self.errors == [], self.errors


@pytest.fixture
def tab(browser: Any, base: str, request: pytest.FixtureRequest) -> Iterator[Tab]:
    t = Tab(browser, base, request.node.name)
    yield t
    t.close()


def test_read_a_relationship(tab: Tab) -> None:
    page = tab.open("/")
    tab.shot("relationships")
    assert page.locator("#relations tbody tr").count() >= 4
    page.click("text=Score")
    tab.ready()
    assert "sort=score" in page.url
    page.click("a[href='/r/CHN-PAK']")
    tab.ready()
    assert page.locator("h1").inner_text() == "China–Pakistan"
    assert page.locator("svg#chart").count() == 1
    assert "all-weather strategic cooperative partnership" in page.inner_text("header")
    tab.shot("china-pakistan")

    page.check("input[name=type][value=meeting]")
    page.click("#filters button[type=submit]")
    tab.ready()
    assert "type=meeting" in page.url
    kinds = page.locator("#timeline li.event").evaluate_all(
        "els => els.map(e => e.getAttribute('data-kind'))"
    )
    assert kinds and set(kinds) == {"meeting"}
    tab.shot("filtered-meetings")

    page.fill("#as-of", "2021-01-01")
    page.click("#filters button[type=submit]")
    tab.ready()
    assert "as_of=2021-01-01" in page.url and "as known on 2021-01-01" in page.inner_text("header")
    ids = page.locator("#timeline li.event").evaluate_all("els => els.map(e => e.id)")
    assert ids == [f"e-{early_fact_id()}"]
    assert page.get_attribute("body", "data-position") is None  # a past view is not live
    tab.shot("as-of-2021")


def test_open_an_event_and_follow_its_source(tab: Tab) -> None:
    page = tab.open("/r/CHN-PAK?as_of=2021-01-01")
    page.click("#timeline a.event-link")
    tab.ready()
    assert page.url.endswith(f"/e/{early_fact_id()}")
    assert "The two sides held the strategic dialogue" in page.inner_text("blockquote.evidence")
    assert re.fullmatch(r"[0-9a-f]{64}", page.inner_text("#hash"))
    tab.shot("event")
    page.click("a.source-link")
    page.wait_for_load_state()
    assert page.url == EARLY_SOURCE and tab.outside == [EARLY_SOURCE]


def test_search_cpec(tab: Tab) -> None:
    page = tab.open("/search")
    page.fill("input[name=q]", "CPEC")
    page.click("#search-form button[type=submit]")
    tab.ready()
    assert page.locator("li.hit").count() >= 3
    assert "CPEC" in page.locator("li.hit mark").first.inner_text()
    tab.shot("search-cpec")
    page.locator("li.hit[data-kind=article] a.record").first.click()
    tab.ready()
    assert "ArticleRecorded" in page.inner_text("h1") and "CPEC" in page.inner_text("#record")
    page.go_back()
    tab.ready()
    page.select_option("select[name=type]", "agreement")
    page.click("#search-form button[type=submit]")
    tab.ready()
    kinds = page.locator("li.hit").evaluate_all("els => els.map(e => e.dataset.kind)")
    assert kinds and set(kinds) == {"event"}
    page.locator("li.hit a").first.click()
    tab.ready()
    assert "/e/" in page.url and "Agreement" in page.inner_text("h1")


def test_retract_with_the_token(tab: Tab, store: SqlEventStore) -> None:
    target = queries.timeline(store, "CHN", "PAK", kinds=["visit"])[0].event_id
    page = tab.open("/login")
    page.fill("input[name=name]", "Ayesha")
    page.fill("input[name=token]", TOKEN)
    page.click("#login-form button[type=submit]")
    tab.ready()
    assert "Signed in as Ayesha" in page.inner_text("nav")
    tab.open(f"/e/{target}")
    page.fill("#retract-form input[name=reason]", "the visit is the summit itself")
    tab.shot("before-retract")
    page.click("#retract-form button[type=submit]")
    tab.ready()
    assert page.inner_text("#status") == "retracted"
    assert "the visit is the summit itself" in page.inner_text("#history")
    assert "web:Ayesha" in page.inner_text("#history")
    tab.shot("retracted")
    tab.open("/r/CHN-PAK")
    assert page.locator(f"#e-{target}").count() == 0


def test_a_new_article_appears_live(tab: Tab, store: SqlEventStore, tmp_path: Path) -> None:
    page = tab.open("/r/CHN-PAK")
    page.wait_for_selector("body[data-live='1']")
    assert "Qin Gang" not in page.inner_text("#timeline")
    rows = ingest_sources(store, [str(write_live_article(tmp_path))], url="https://example.org/l")
    assert rows[0].facts_written >= 1
    page.wait_for_selector("body[data-updates]", timeout=15_000)
    page.wait_for_function("document.getElementById('timeline').innerText.includes('Qin Gang')")
    assert not page.locator("#live-note").is_hidden()
    tab.shot("live-update")
    log = tab.open("/log")
    assert "verify: OK" in log.inner_text("#verify")


def test_writes_are_refused_without_the_token(browser: Any, store: SqlEventStore) -> None:
    target = queries.timeline(store, "CHN", "PAK", kinds=["meeting"])[0].event_id
    with live_server(store) as base:  # a token is configured, but this browser never logs in
        tab = Tab(browser, base, "anonymous")
        page = tab.open(f"/e/{target}")
        assert page.locator("#retract-form").count() == 0
        assert "Log in with the admin token" in page.inner_text("#curate")
        status = page.evaluate(
            """id => fetch('/e/' + id + '/retract', {method: 'POST',
                 body: new URLSearchParams({reason: 'x', csrf: 'x'})}).then(r => r.status)""",
            target,
        )
        assert status == 403
        assert tab.errors == [  # chromium logs the refused request; nothing else went wrong
            "Failed to load resource: the server responded with a status of 403 (Forbidden)"
        ]
        tab.errors.clear()
        tab.shot("refused")
        tab.close()
    with live_server(store, token=None) as base:  # read-only server
        tab = Tab(browser, base, "read-only")
        page = tab.open("/login")
        assert "read-only" in page.inner_text("main")
        page = tab.open(f"/e/{target}")
        assert "This server is read-only" in page.inner_text("#curate")
        tab.close()
    assert target in {e.event_id for e in queries.timeline(store, "CHN", "PAK")}
