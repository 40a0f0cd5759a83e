"""HTML export: self-contained, escaped, parsed back with html.parser and run in chromium."""

from __future__ import annotations

import base64
import hashlib
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tests.conftest import CHROMIUM_ARGS
from tests.exports_sample import HOSTILE_TITLE, PWN_SCRIPT, empty_report, sample_report
from tracker.exports import html as html_export
from tracker.exports.html import render_html

CHROMIUM = shutil.which("chromium") or (
    "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None
)
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="chromium not installed")


class _Page(HTMLParser):
    """Collects what the checks need: elements with attributes, script bodies, text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self.text: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))
        self._in_script = tag == "script"
        if self._in_script:
            self.scripts.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts[-1] += data
        else:
            self.text.append(data)

    def find(self, tag: str, **attrs: str) -> list[dict[str, str | None]]:
        return [
            a
            for t, a in self.elements
            if t == tag
            and all(a.get(k.rstrip("_").replace("_", "-")) == v for k, v in attrs.items())
        ]


def _parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    page.close()
    return page


def test_the_page_is_self_contained() -> None:
    html = render_html(sample_report())
    page = _parse(html)
    assert not page.find("link") and not page.find("iframe") and not page.find("img")
    assert all("src" not in attrs for _, attrs in page.elements)  # nothing is fetched
    hrefs = [a["href"] or "" for a in page.find("a")]
    assert hrefs and all(h.startswith(("https://", "http://", "#")) for h in hrefs)
    assert len(page.scripts) == 1 and "http" not in page.scripts[0]


def test_article_text_is_escaped_and_unsafe_links_are_dropped() -> None:
    html = render_html(sample_report())
    page = _parse(html)
    assert len(page.find("script")) == 1  # only ours: no injected <script> element
    assert not [a for _, a in page.elements if any(k.startswith("on") for k in a)]
    assert not [a for a in page.find("a") if (a["href"] or "").startswith("javascript:")]
    text = "".join(page.text)
    assert HOSTILE_TITLE in text and PWN_SCRIPT in text  # shown as text, verbatim
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_the_csp_allows_exactly_the_inline_script() -> None:
    html = render_html(sample_report())
    page = _parse(html)
    (meta,) = page.find("meta", http_equiv="Content-Security-Policy")
    digest = base64.b64encode(hashlib.sha256(page.scripts[0].encode()).digest()).decode()
    policy = meta["content"] or ""
    assert f"script-src 'sha256-{digest}'" in policy and "default-src 'none'" in policy


def test_chart_filter_and_timeline_are_present() -> None:
    report = sample_report()
    page = _parse(render_html(report))
    assert page.find("svg", id="chart")
    bars = page.find("rect", class_="bar")
    dated = {
        (e.occurred_on.strftime("%Y-%m"), e.kind)
        for e in report.entries
        if e.occurred_on and not e.planned
    }
    assert len(bars) == len(dated)  # one stacked segment per (month, kind)
    assert len(page.find("circle")) == len(report.view.monthly_scores)
    kinds = {a["data-filter-kind"] for a in page.find("input") if "data-filter-kind" in a}
    assert kinds == {e.kind for e in report.entries}
    events = [a for _, a in page.elements if a.get("class") == "event"]
    assert {a["id"] for a in events} == {f"e-{e.event_id}" for e in report.entries}
    hrefs = {a["href"] for a in page.find("a")}
    safe = {s.url for e in report.entries for s in e.sources if (s.url or "").startswith("https")}
    assert safe <= hrefs  # every event links to each of its (safe) sources


def test_an_empty_relationship_renders_without_chart() -> None:
    page = _parse(render_html(empty_report()))
    assert not page.find("svg") and len(page.scripts) == 1
    text = "".join(page.text)
    assert "No dated events to chart." in text and "No events match." in text


def run_chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    return subprocess.run(
        [
            CHROMIUM,
            *CHROMIUM_ARGS,
            f"--user-data-dir={tmp_path / 'profile'}",
            "--enable-logging=stderr",
            "--v=0",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=90,
        check=True,
    )


def console_lines(stderr: str) -> list[str]:
    """Lines the page wrote to the console (console.*, uncaught errors, CSP violations)."""
    return [line for line in stderr.splitlines() if ":CONSOLE" in line]


def body_attrs(dom: str) -> dict[str, str | None]:
    (body,) = _parse(dom).find("body")
    return body


@needs_chromium
def test_the_console_check_sees_a_blocked_injected_script(tmp_path: Path) -> None:
    """Control: a script the page did not vouch for is refused by the CSP, and that shows."""
    bad = tmp_path / "bad.html"
    html = render_html(sample_report()).replace("apply();", "apply(); apply();")
    bad.write_text(html, encoding="utf-8")  # the script no longer matches its CSP hash
    out = run_chromium(tmp_path, "--dump-dom", bad.as_uri())
    assert any("Content Security Policy" in line for line in console_lines(out.stderr))
    assert body_attrs(out.stdout)["data-ready"] == "0"


@needs_chromium
def test_the_console_check_sees_a_script_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Control: an exception in the page's own (hashed, allowed) script is reported."""
    monkeypatch.setattr(html_export, "_SCRIPT", html_export._SCRIPT + "\nnoSuchFunction();\n")
    bad = tmp_path / "bad.html"
    bad.write_text(render_html(sample_report()), encoding="utf-8")
    out = run_chromium(tmp_path, "--dump-dom", bad.as_uri())
    assert any("noSuchFunction is not defined" in line for line in console_lines(out.stderr))
    assert body_attrs(out.stdout)["data-ready"] == "1"  # it ran, then failed


@needs_chromium
def test_the_report_renders_in_chromium(tmp_path: Path) -> None:
    report = sample_report()
    path = tmp_path / "report.html"
    path.write_text(render_html(report), encoding="utf-8")
    out = run_chromium(tmp_path, "--dump-dom", path.as_uri())
    assert console_lines(out.stderr) == []
    body = body_attrs(out.stdout)
    assert body["data-ready"] == "1"  # our script ran to the end
    assert body.get("data-pwned") is None  # no injected script or handler ran
    assert body["data-visible"] == str(len(report.entries))
    dom = _parse(out.stdout)
    assert dom.find("svg", id="chart") and dom.find("rect", class_="bar")
    assert len(dom.find("script")) == 1
    assert HOSTILE_TITLE in "".join(dom.text)


@needs_chromium
def test_the_type_filter_works_in_chromium(tmp_path: Path) -> None:
    report = sample_report()
    path = tmp_path / "report.html"
    path.write_text(render_html(report), encoding="utf-8")
    out = run_chromium(tmp_path, "--dump-dom", path.as_uri() + "#types=agreement,visit")
    assert console_lines(out.stderr) == []
    body = body_attrs(out.stdout)
    wanted = [e for e in report.entries if e.kind in ("agreement", "visit")]
    assert body["data-visible"] == str(len(wanted))
    dom = _parse(out.stdout)
    shown = [a for _, a in dom.elements if a.get("class") == "event" and "hidden" not in a]
    assert {a["data-kind"] for a in shown} == {"agreement", "visit"}
    assert len(shown) == len(wanted)
    dimmed = {a["data-kind"] for a in dom.find("rect", class_="bar off")}
    assert dimmed == {e.kind for e in report.entries if e.occurred_on} - {"agreement", "visit"}


@needs_chromium
def test_a_screenshot_of_the_report(tmp_path: Path) -> None:
    path = tmp_path / "report.html"
    path.write_text(render_html(sample_report()), encoding="utf-8")
    shot = tmp_path / "report.png"
    out = run_chromium(tmp_path, "--window-size=1200,2400", f"--screenshot={shot}", path.as_uri())
    assert console_lines(out.stderr) == []
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 50_000
