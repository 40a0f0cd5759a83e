"""The JSON API and the pages over HTTP (httpx against uvicorn on a loopback port), on SQLite
and PostgreSQL: the same shapes as the CLI's --json, read-only without the token, CSRF on
forms, escaping, the body limit, live updates."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import jsonschema
import pytest
from typer.testing import CliRunner

from events import ExtractorInfo, Provenance, make_event
from tests.conftest import ROOT
from tests.web_support import (
    TOKEN,
    early_fact_id,
    fill_store,
    live_server,
    store_url,
    write_live_article,
)
from tracker.cli import app as cli_app
from tracker.exports.json_export import schema as timeline_schema
from tracker.exports.relationship import export_relationship
from tracker.intake import ingest_sources
from tracker.projections import queries
from tracker.recording import record_facts
from tracker.store import SqlEventStore, open_store
from tracker.web import pages

FEEDS = str(ROOT / "samples" / "feeds.yaml")


@dataclass
class Site:
    """A served store: its URL (for the CLI), the open store and the app's base URL."""

    db: str
    store: SqlEventStore
    base: str
    client: httpx.Client

    def cli_json(self, *args: str) -> Any:
        done = CliRunner().invoke(cli_app, [*args, "--db", self.db, "--json"])
        assert done.exit_code == 0, done.output
        return json.loads(done.stdout)

    def api(self, path: str, **params: Any) -> Any:
        response = self.client.get(f"/api/v1{path}", params=params)
        assert response.status_code == 200, response.text
        return response.json()


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def site(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Site]:
    with store_url(request.param, tmp_path_factory.mktemp("web")) as url:
        store = fill_store(url)
        try:
            with live_server(store) as base, httpx.Client(base_url=base, timeout=20) as client:
                yield Site(url, store, base, client)
        finally:
            store.close()


def _meeting_ids(site: Site) -> list[str]:
    return [e.event_id for e in queries.timeline(site.store, "CHN", "PAK", kinds=["meeting"])]


# -- the same shapes as the CLI ---------------------------------------------------------------


def test_reads_equal_the_cli_json(site: Site) -> None:
    assert site.api("/relationships", sort="score") == site.cli_json("relations", "--sort", "score")
    assert site.api("/relationships/CHN-PAK") == site.cli_json("relation", "China", "PK")
    assert site.api(
        "/relationships/CHN-PAK/timeline", type="agreement", **{"from": "2022-11-01"}
    ) == site.cli_json("timeline", "CHN", "PAK", "--type", "agreement", "--from", "2022-11-01")
    assert site.api("/relationships/CHN-PAK", as_of="2021-01-01") == site.cli_json(
        "relation", "CHN", "PAK", "--as-of", "2021-01-01"
    )
    assert site.api("/log", limit=15) == site.cli_json("log", "--limit", "15")
    assert site.api("/verify") == site.cli_json("verify")
    event_id = _meeting_ids(site)[0]
    assert site.api(f"/events/{event_id}") == site.cli_json("event", event_id)
    assert site.api("/search", q="CPEC", pair="CHN-PAK") == site.cli_json(
        "search", "CPEC", "--pair", "CHN-PAK"
    )
    assert site.api("/feeds") == site.cli_json("feeds", "--feeds", FEEDS)


def test_as_of_shows_what_was_known_then(site: Site) -> None:
    then = site.api("/relationships/CHN-PAK/timeline", as_of="2021-01-01")
    assert [e["event_id"] for e in then] == [early_fact_id()]
    now = site.api("/relationships/CHN-PAK/timeline")
    assert len(now) > 10 and early_fact_id() in {e["event_id"] for e in now}


def test_openapi_and_the_export_schema_are_served(site: Site) -> None:
    spec = site.api("/openapi.json")
    assert {"/api/v1/relationships", "/api/v1/search", "/api/v1/events/{event_id}/retract"} <= set(
        spec["paths"]
    )
    assert site.api("/schema/timeline.json") == timeline_schema()
    document = site.api("/relationships/CHN-PAK/export", type="meeting")
    jsonschema.validate(document, timeline_schema())
    assert document["events"] and {e["kind"] for e in document["events"]} == {"meeting"}


def test_search_filters_by_pair_type_and_date(site: Site) -> None:
    hits = site.api("/search", q="CPEC")
    assert {h["kind"] for h in hits} == {"event", "article"}
    agreements = site.api("/search", q="CPEC", type="agreement", pair="CHN-PAK")
    assert agreements and all(h["type"] == "agreement" for h in agreements)
    assert any(m for h in agreements for text, m in h["snippet"] if "CPEC" in text)
    assert site.api("/search", q="CPEC", to="2019-12-31") == []
    articles = site.api("/search", q="Shehbaz", type="article")
    assert articles and all(h["kind"] == "article" for h in articles)


def test_bad_requests_are_one_readable_error(site: Site) -> None:
    for path, status, text in (
        ("/api/v1/events/not-an-id", 400, "bad event id"),
        ("/api/v1/events/00000000-0000-0000-0000-000000000000", 404, "no event"),
        ("/api/v1/relationships/XXX-YYY", 400, "unknown relationship"),
        ("/api/v1/relationships/CHN-PAK/timeline?from=yesterday", 400, "bad from date"),
        ("/api/v1/search?q=%20", 400, "nothing to search"),
        ("/api/v1/relationships?sort=size", 400, "unknown sort"),
    ):
        response = site.client.get(path)
        assert response.status_code == status, path
        assert text in response.json()["error"]
    page = site.client.get("/e/00000000-0000-0000-0000-000000000000")
    assert page.status_code == 404 and "Error: no event" in page.text
    assert site.client.get("/r/china-pakistan", follow_redirects=False).headers["location"] == (
        "/r/CHN-PAK"
    )


# -- writing: only with the token -------------------------------------------------------------


def test_api_writes_need_the_token(site: Site) -> None:
    target = _meeting_ids(site)[-1]
    before = site.store.last_position()
    path = f"/api/v1/events/{target}/retract"
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Basic {TOKEN}"}):
        refused = site.client.post(path, json={"reason": "test"}, headers=headers)
        assert refused.status_code == 403 and "token" in refused.json()["error"]
    assert site.store.last_position() == before
    auth = {"Authorization": f"Bearer {TOKEN}", "X-Analyst": "Ayesha"}
    done = site.client.post(path, json={"reason": "duplicate of the summit"}, headers=auth)
    assert done.status_code == 200 and len(done.json()["written"]) == 1
    assert target not in _meeting_ids(site)
    again = site.client.post(path, json={"reason": "again"}, headers=auth)
    assert again.status_code == 400 and "already retracted" in again.json()["error"]
    detail = site.api(f"/events/{target}")
    assert detail["status"] == "retracted"
    assert detail["corrections"][-1]["analyst"] == "web:Ayesha"
    assert detail["corrections"][-1]["reason"] == "duplicate of the summit"
    assert site.api("/search", q="duplicate summit strategic dialogue") == []


def test_confirm_and_merge_through_the_api(site: Site) -> None:
    auth = {"Authorization": f"Bearer {TOKEN}"}
    first, second = _meeting_ids(site)[:2]
    confirmed = site.client.post(
        f"/api/v1/events/{first}/confirm", json={"reason": "read the sources"}, headers=auth
    )
    assert confirmed.status_code == 200
    merged = site.client.post(
        "/api/v1/merges",
        json={"survivor_id": first, "other_ids": [second], "reason": "same meeting"},
        headers=auth,
    )
    assert merged.status_code == 200, merged.text
    entry = next(e for e in site.api("/relationships/CHN-PAK/timeline") if e["event_id"] == first)
    assert entry["confirmed"] is True
    assert site.api(f"/events/{second}")["merged_into"] == first
    types = [c["type"] for c in site.api(f"/events/{first}")["corrections"]]
    assert "EventConfirmed" in types and "EventsMerged" in types


def test_forms_need_a_session_and_its_csrf_token(site: Site) -> None:
    agreements = queries.timeline(site.store, "CHN", "PAK", kinds=["agreement"])
    target = next(e.event_id for e in agreements if not e.confirmed)
    with httpx.Client(base_url=site.base, timeout=20) as browser:
        anonymous = browser.post(f"/e/{target}/confirm", data={"reason": "x", "csrf": "x"})
        assert anonymous.status_code == 403
        assert browser.post("/login", data={"token": "wrong"}).status_code == 403
        assert browser.post("/login", data={"token": TOKEN, "name": "Lin <b>"}).status_code == 303
        page = browser.get(f"/e/{target}").text
        assert 'id="confirm-form"' in page and "Signed in as <strong>Lin b</strong>" in page
        csrf = page.split('name="csrf" value="', 1)[1].split('"', 1)[0]
        before = site.store.last_position()
        for data, headers in (
            ({"reason": "checked"}, {}),
            ({"reason": "checked", "csrf": "forged"}, {}),
            ({"reason": "checked", "csrf": csrf}, {"Origin": "https://evil.example"}),
        ):
            bad = browser.post(f"/e/{target}/confirm", data=data, headers=headers)
            assert bad.status_code in (400, 403), data
        assert site.store.last_position() == before
        good = browser.post(f"/e/{target}/confirm", data={"reason": "checked", "csrf": csrf})
        assert good.status_code == 303 and good.headers["location"].endswith("done=confirmed")
        assert site.api(f"/events/{target}")["corrections"][-1]["analyst"] == "web:Lin b"


def test_read_only_without_a_token(site: Site) -> None:
    with live_server(site.store, token=None) as base, httpx.Client(base_url=base) as client:
        target = _meeting_ids(site)[0]
        refused = client.post(
            f"/api/v1/events/{target}/retract",
            json={"reason": "x"},
            headers={"Authorization": f"Bearer {TOKEN}"},
        )
        assert refused.status_code == 403 and "read-only" in refused.json()["error"]
        assert client.post("/login", data={"token": TOKEN}).status_code == 403
        page = client.get(f"/e/{target}").text
        assert "read-only" in page and "retract-form" not in page


# -- security -------------------------------------------------------------------------------------


def test_text_is_escaped_links_are_http_only_and_headers_set(site: Site) -> None:
    hostile = make_event(
        "meeting",
        actors=("CHN", "PAK"),
        summary="<script>alert('x')</script> talks",
        provenance=Provenance(
            url="javascript:alert(1)",
            title='<img src=x onerror="alert(2)">',
            source="<b>wire</b>",
            quote="</blockquote><script>alert(3)</script>",
        ),
        extractor=ExtractorInfo(name="test", version="1"),
    )
    written = record_facts(site.store, [hostile])[0].written[0]
    for path in (f"/e/{written.event_id}", "/r/CHN-PAK", "/search?q=talks", "/log"):
        response = site.client.get(path)
        assert response.status_code == 200
        assert "<script>alert" not in response.text and "<img src=x" not in response.text
        assert 'href="javascript:' not in response.text
        csp = response.headers["content-security-policy"]
        assert "default-src 'none'" in csp and "script-src 'sha256-" in csp
        assert response.headers["x-frame-options"] == "DENY"
    assert (
        "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; talks"
        in site.client.get(f"/e/{written.event_id}").text
    )


def test_request_bodies_are_limited(site: Site) -> None:
    big = site.client.post(
        "/api/v1/merges",
        content=b"x" * 200_000,
        headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"},
    )
    assert big.status_code == 413


# -- live ---------------------------------------------------------------------------------


def test_live_stream_announces_new_events(site: Site, tmp_path: Path) -> None:
    after = site.store.last_position()
    article = write_live_article(tmp_path)
    lines: list[str] = []
    with site.client.stream("GET", "/live", params={"after": after}) as response:
        assert response.headers["content-type"].startswith("text/event-stream")
        threading.Timer(
            0.3, lambda: ingest_sources(site.store, [str(article)], url="https://example.org/a")
        ).start()
        for line in response.iter_lines():
            lines.append(line)
            if line.startswith("data:"):
                break
    assert "event: append" in lines
    assert json.loads(lines[-1].removeprefix("data:"))["position"] > after


def test_the_page_reads_the_index_like_the_timeline_and_pages_it(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    def ids(html: str) -> list[str]:
        return re.findall(r'<li class="event" id="e-([0-9a-f-]+)"', html)

    def bars(html: str) -> list[str]:
        return re.findall(r'<rect class="bar"[^>]*>', html)

    every = [e.event_id for e in queries.timeline(site.store, "CHN", "PAK")]
    page = site.client.get("/r/CHN-PAK").text
    assert ids(page) == every
    report = export_relationship(site.store, "CHN", "PAK", "html").decode()
    assert bars(page) == bars(report) and bars(page)
    monkeypatch.setattr(pages, "PAGE_SIZE", 5)
    assert ids(site.client.get("/r/CHN-PAK").text) == every[-5:]
    older = site.client.get("/r/CHN-PAK?page=2").text
    assert ids(older) == every[-10:-5] and 'rel="prev"' in older
    filtered = site.client.get("/r/CHN-PAK?type=agreement&page=2").text
    agreements = [
        e.event_id for e in queries.timeline(site.store, "CHN", "PAK", kinds=["agreement"])
    ]
    assert ids(filtered) == agreements[-10:-5]


def test_serve_with_the_scheduler_polls_and_pages_follow(db_url: str) -> None:
    store = open_store(db_url)
    try:
        with live_server(store, with_scheduler=True) as base, httpx.Client(base_url=base) as client:
            with client.stream("GET", "/live", params={"after": 0}, timeout=30) as response:
                position = next(
                    json.loads(line.removeprefix("data:"))["position"]
                    for line in response.iter_lines()
                    if line.startswith("data:")
                )
            assert position > 0
            pairs = {tuple(r["pair"]) for r in client.get("/api/v1/relationships").json()}
            assert ("CHN", "PAK") in pairs
    finally:
        store.close()


def test_serve_refuses_a_bad_setup_in_one_line(db_url: str, tmp_path: Path) -> None:
    for args, line in (
        (["--with-scheduler", "--feeds", str(tmp_path / "none.yaml")], "Error: "),
        (["--port", "http"], "Usage:"),
    ):
        done = CliRunner().invoke(cli_app, ["serve", *args, "--db", db_url])
        assert done.exit_code == 2, done.output
        assert done.stderr.lstrip().startswith(line) or line in done.stderr, done.stderr
        assert "Traceback" not in done.output


def test_serve_demo_serves_the_demo_store_and_the_sample_feeds(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    monkeypatch.delenv("TRACKER_DB_URL", raising=False)
    served: dict[str, Any] = {}

    def fake_serve(store: SqlEventStore, **options: Any) -> None:
        served.update(options, url=str(store.url), relations=queries.relations(store))

    monkeypatch.setattr("tracker.web.serve", fake_serve)
    assert CliRunner().invoke(cli_app, ["demo"]).exit_code == 0
    done = CliRunner().invoke(cli_app, ["serve", "--demo", "--port", "8123"])
    assert done.exit_code == 0, done.output
    assert served["url"].endswith("demo.db") and str(tmp_path) in served["url"]
    assert ("CHN", "PAK") in {r.pair for r in served["relations"]}
    assert served["port"] == 8123 and served["feeds"].feeds
    assert "Serving sqlite:///" in done.stderr
