"""HTML export: one self-contained report page (inline CSS, inline SVG chart, a few lines of
inline JavaScript for the type filter; no network access, works offline).

All article-derived text goes through Jinja2's autoescaping; only the stylesheet and the script
below (our own constants) are inserted raw. A Content-Security-Policy allows exactly those two
by hash, so even a missed escape could not run an injected script. Links are made only for
absolute http(s) URLs (never ``javascript:``).
"""

from __future__ import annotations

import base64
import hashlib
from collections import Counter
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from tracker.exports.chart import PALETTE, build_chart
from tracker.exports.labels import (
    contacts,
    date_text,
    details_line,
    entry_date,
    kind_label,
    persons_text,
    positions,
    safe_link,
    source_label,
    stance,
    summary_lists,
)
from tracker.exports.report import Report, moment_text, scope_text, timeline_groups
from tracker.projections.model import Source, TimelineEntry

_STYLE = (
    """
:root{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1b1b;
background:#fafafa;line-height:1.45}
body{max-width:1040px;margin:0 auto;padding:1rem 1.25rem 3rem}
h1{margin:.2rem 0}h2{border-bottom:2px solid #ddd;padding-bottom:.2rem;margin-top:2rem}
.descriptor{font-size:1.15rem;font-style:italic;margin:.2rem 0}.scope{color:#555;font-size:.9rem}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.3rem 1rem}dt{font-weight:600}dd{margin:0}
dd ul{margin:0;padding-left:1.1rem}
table{border-collapse:collapse;margin:.6rem 0}th,td{border:1px solid #ddd;padding:.2rem .6rem;
text-align:left}th{background:#f0f0f0}
.swatch{display:inline-block;width:.8rem;height:.8rem;border-radius:2px;margin-right:.35rem;
vertical-align:-1px;background:#555}
.score-swatch{background:#d62728;height:.2rem;vertical-align:3px}
svg#chart{width:100%;height:auto;background:#fff;border:1px solid #ddd;border-radius:4px}
svg .axis line{stroke:#888}svg text{font-size:11px;fill:#444}svg .score-tick{fill:#d62728}
svg .zero{stroke:#d62728;stroke-dasharray:3 3;stroke-opacity:.5}
svg .score{fill:none;stroke:#d62728;stroke-width:2}svg .points circle{fill:#d62728}
svg rect.bar:hover{opacity:.75}svg rect.bar.off{opacity:.12}
.legend{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.4rem 1.2rem;font-size:.9rem}
#filters{display:flex;flex-wrap:wrap;gap:.4rem 1rem;padding:.6rem;background:#fff;
border:1px solid #ddd;border-radius:4px;position:sticky;top:0}
#filters .shown{margin-left:auto;color:#555}
ol.events{list-style:none;padding:0;margin:0}
li.event{background:#fff;border:1px solid #e2e2e2;border-left:4px solid #999;border-radius:4px;
padding:.5rem .8rem;margin:.45rem 0}
li.event .head{display:flex;gap:.6rem;align-items:baseline;flex-wrap:wrap}
li.event time{font-variant-numeric:tabular-nums;font-weight:600}
.badge{color:#fff;border-radius:3px;padding:0 .4rem;font-size:.8rem;background:#555}
.planned{border:1px dashed #888;border-radius:3px;padding:0 .3rem;font-size:.8rem}
.confirmed{border:1px solid #2c7a2c;color:#2c7a2c;border-radius:3px;padding:0 .3rem;font-size:.8rem}
.actors{color:#555;font-size:.85rem}.summary{margin:.3rem 0}
.meta{color:#444;font-size:.85rem;margin:.2rem 0;display:flex;flex-wrap:wrap;gap:.2rem 1rem}
.sources{font-size:.85rem;margin:.2rem 0;overflow-wrap:anywhere}
.stance-supportive{color:#2c7a2c}.stance-critical{color:#b22}
[hidden]{display:none!important}
"""
    + "".join(
        f".k-{k}{{background:{c}}}li.event[data-kind={k}]{{border-left-color:{c}}}"
        for k, c in PALETTE.items()
    )
    + "\n"
)

# The type filter: hides timeline entries and dims the chart's bars of unchecked types. Also
# reads an optional ``#types=meeting,agreement`` fragment, so a link can open the report
# pre-filtered. Sets data-ready/data-visible on <body> once initialised.
_SCRIPT = """
(function () {
  "use strict";
  var boxes = Array.prototype.slice.call(document.querySelectorAll("input[data-filter-kind]"));
  var events = Array.prototype.slice.call(document.querySelectorAll("li.event"));
  var groups = Array.prototype.slice.call(document.querySelectorAll("section.group"));
  var bars = Array.prototype.slice.call(document.querySelectorAll("rect.bar"));
  var counter = document.getElementById("visible-count");
  function apply() {
    var on = {};
    boxes.forEach(function (b) { on[b.getAttribute("data-filter-kind")] = b.checked; });
    var shown = 0;
    events.forEach(function (li) {
      var show = on[li.getAttribute("data-kind")] !== false;
      li.hidden = !show;
      if (show) { shown += 1; }
    });
    bars.forEach(function (r) {
      r.classList.toggle("off", on[r.getAttribute("data-kind")] === false);
    });
    groups.forEach(function (g) {
      g.hidden = g.querySelector("li.event:not([hidden])") === null;
    });
    if (counter) { counter.textContent = String(shown); }
    document.body.setAttribute("data-visible", String(shown));
  }
  var match = /(?:^#|&)types=([^&]*)/.exec(window.location.hash);
  if (match) {
    var wanted = decodeURIComponent(match[1]).split(",");
    boxes.forEach(function (b) {
      b.checked = wanted.indexOf(b.getAttribute("data-filter-kind")) !== -1;
    });
  }
  boxes.forEach(function (b) { b.addEventListener("change", apply); });
  apply();
  document.body.setAttribute("data-ready", "1");
})();
"""


def csp_hash(text: str) -> str:
    """The Content-Security-Policy source (``sha256-...``) allowing exactly ``text``."""
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()


_csp_hash = csp_hash
STYLE = _STYLE  # the web app's pages start from the report's stylesheet


@cache
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("tracker.exports", "templates"),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _link(source: Source) -> Markup:
    label = source_label(source)
    href = safe_link(source.url)
    if href is None:
        shown = f"{label} ({source.url})" if source.url else label
        return Markup('<span class="unlinked">{}</span>').format(shown)
    return Markup('<a href="{}" rel="noopener noreferrer" target="_blank">{}</a>').format(
        href, label
    )


def _sources(entry: TimelineEntry, plain: bool = False) -> Markup:
    links = Markup("; ").join(_link(s) for s in entry.sources) or Markup("none")
    return links if plain else Markup("({})").format(links)


def template_helpers() -> dict[str, Any]:
    """The functions the templates call (the report's and the web app's pages)."""
    return {
        "date_text": date_text,
        "entry_date": entry_date,
        "kind_label": kind_label,
        "details_line": details_line,
        "persons_text": persons_text,
        "stance": stance,
        "sources": _sources,
        "link": _link,
    }


def _anchor(entry: TimelineEntry) -> str:
    return f"#e-{entry.event_id}"


def render_html(report: Report) -> str:
    """The report as one self-contained HTML page."""
    v = report.view
    template = _environment().get_template("report.html")
    return template.render(
        title=report.title,
        view=v,
        as_of=moment_text(report.filters.as_of or v.as_of),
        generated=moment_text(report.generated_at),
        scope=scope_text(report.filters),
        total=sum(v.counts.values()),
        counts=sorted(Counter(e.kind for e in report.entries).items()),
        contacts=contacts(v),
        lists=summary_lists(v),
        positions=positions(v),
        chart=build_chart(report.entries, v.monthly_scores),
        entries=report.entries,
        years=timeline_groups(report.entries),
        style=_STYLE,
        style_hash=_csp_hash(_STYLE),
        script=_SCRIPT,
        script_hash=_csp_hash(_SCRIPT),
        event_href=None,
        entry_href=_anchor,
        **template_helpers(),
    )
