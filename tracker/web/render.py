"""Page rendering: the web templates plus the export's (its summary, chart and timeline entry
partials), the export's stylesheet and helpers, and one small inline script for live updates.

As in the HTML export, the only raw inserts are our own stylesheet and script, allowed by the
Content-Security-Policy by hash; everything else goes through Jinja2's autoescaping, and only
http(s) URLs become links (``safe_link``).
"""

from __future__ import annotations

from functools import cache
from typing import Any

from jinja2 import ChoiceLoader, Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from tracker.articles import article_event_id
from tracker.exports.html import STYLE as REPORT_STYLE
from tracker.exports.html import csp_hash, template_helpers
from tracker.exports.labels import safe_link
from tracker.projections.model import TimelineEntry

STYLE = (
    REPORT_STYLE
    + """
nav.top{display:flex;flex-wrap:wrap;gap:.3rem 1.2rem;align-items:baseline;padding:.5rem 0;
border-bottom:1px solid #ddd;margin-bottom:.6rem}nav.top .brand{font-weight:700}
nav.top form{display:inline}nav.top .who{margin-left:auto;color:#555;font-size:.9rem}
table.list{width:100%}table.list td.num{text-align:right;font-variant-numeric:tabular-nums}
th a{color:inherit}th a.sorted::after{content:" \\25BE"}
svg.spark{width:120px;height:24px;vertical-align:middle}
svg.spark polyline{fill:none;stroke:#d62728;stroke-width:1.5}svg.spark line{stroke:#bbb}
form.filters{display:flex;flex-wrap:wrap;gap:.5rem 1rem;padding:.6rem;background:#fff;
border:1px solid #ddd;border-radius:4px;align-items:end}
form.filters fieldset{border:0;padding:0;margin:0;display:flex;flex-wrap:wrap;gap:.2rem .8rem}
form.filters label{display:flex;flex-direction:column;font-size:.85rem}
form.filters fieldset label{flex-direction:row;gap:.2rem}
.notice{background:#fff8d6;border:1px solid #e6d48a;border-radius:4px;padding:.4rem .7rem}
.error{background:#fde8e8;border:1px solid #e3a0a0;border-radius:4px;padding:.4rem .7rem}
.ok{background:#e8f6e8;border:1px solid #9fd09f;border-radius:4px;padding:.4rem .7rem}
.status-retracted{color:#b22;font-weight:600}.status-merged{color:#8c564b;font-weight:600}
.status-active{color:#2c7a2c;font-weight:600}
.mono{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.85rem;overflow-wrap:anywhere}
blockquote{margin:.3rem 0;padding:.2rem .8rem;border-left:3px solid #ccc;background:#fff}
section.curate form{background:#fff;border:1px solid #ddd;border-radius:4px;padding:.6rem;
margin:.5rem 0;display:flex;flex-wrap:wrap;gap:.4rem;align-items:end}
section.curate input[type=text]{min-width:22rem}
mark{background:#ffe58a}ol.hits{padding-left:1.2rem}ol.hits li{margin:.5rem 0}
.pager{display:flex;gap:1rem;margin:.6rem 0}
"""
)

# Live updates: listen to /live (server-sent events) and, when the log moves, re-fetch this
# page and swap in its [data-live] regions. Pages that are not live (as-of views) have no
# data-position, so nothing happens there.
SCRIPT = """
(function () {
  "use strict";
  var body = document.body;
  var position = body.getAttribute("data-position");
  body.setAttribute("data-ready", "1");
  if (!position || !window.EventSource) { return; }
  var busy = false, again = false;
  function refresh(last) {
    if (busy) { again = true; return; }
    busy = true;
    fetch(window.location.href, {headers: {"X-Tracker-Live": "1"}, credentials: "same-origin"})
      .then(function (r) { return r.text(); })
      .then(function (html) {
        var doc = new DOMParser().parseFromString(html, "text/html");
        document.querySelectorAll("[data-live]").forEach(function (el) {
          var fresh = doc.getElementById(el.id);
          if (fresh) { el.innerHTML = fresh.innerHTML; }
        });
        var note = document.getElementById("live-note");
        if (note) {
          note.textContent = "Updated live: the log is at position " + last + ".";
          note.hidden = false;
        }
        body.setAttribute("data-position", String(last));
        var n = Number(body.getAttribute("data-updates") || "0") + 1;
        body.setAttribute("data-updates", String(n));
      })
      .catch(function () { /* the next event retries */ })
      .then(function () { busy = false; if (again) { again = false; refresh(last); } });
  }
  var source = new EventSource("/live?after=" + encodeURIComponent(position));
  source.addEventListener("open", function () { body.setAttribute("data-live", "1"); });
  source.addEventListener("append", function (ev) {
    refresh(JSON.parse(ev.data).position);
  });
})();
"""

CSP = (
    f"default-src 'none'; style-src '{csp_hash(STYLE)}'; script-src '{csp_hash(SCRIPT)}'; "
    "img-src data:; connect-src 'self'; form-action 'self'; base-uri 'none'; "
    "frame-ancestors 'none'"
)


def _event_href(entry: TimelineEntry) -> str:
    return f"/e/{entry.event_id}"


def marked(parts: tuple[tuple[str, bool], ...]) -> Markup:
    """A search snippet's (text, is_match) parts as escaped HTML with ``<mark>``."""
    return Markup("").join(
        Markup("<mark>{}</mark>").format(text) if hit else escape(text) for text, hit in parts
    )


@cache
def environment() -> Environment:
    """The Jinja2 environment of the pages (web templates first, then the export's)."""
    env = Environment(
        loader=ChoiceLoader(
            [
                PackageLoader("tracker.web", "templates"),
                PackageLoader("tracker.exports", "templates"),
            ]
        ),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(
        template_helpers(),
        style=STYLE,
        script=SCRIPT,
        event_href=_event_href,
        entry_href=_event_href,
        safe_link=safe_link,
        marked=marked,
        article_record=lambda aid: f"/e/{article_event_id(aid)}",
    )
    return env


def render_page(name: str, **context: Any) -> str:
    """Render template ``name`` with ``context``."""
    return environment().get_template(name).render(**context)
