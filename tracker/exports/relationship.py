"""Export one relationship: read its view and timeline through the queries, render a format.

The only module of ``tracker.exports`` that touches the store; the renderers stay pure.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime

from tracker.errors import InputError
from tracker.exports.csv_export import render_csv
from tracker.exports.html import render_html
from tracker.exports.ics import render_ics
from tracker.exports.json_export import render_json
from tracker.exports.markdown import render_markdown
from tracker.exports.report import Filters, Report
from tracker.projections import queries
from tracker.store import EventLog

Renderer = Callable[[Report, bool], bytes]


def _text(render: Callable[[Report], str]) -> Renderer:
    return lambda report, _bom: render(report).encode("utf-8")


FORMATS: dict[str, Renderer] = {
    "json": _text(render_json),
    "csv": lambda report, bom: render_csv(report, bom=bom).encode("utf-8"),
    "md": _text(render_markdown),
    "html": _text(render_html),
    "ics": lambda report, _bom: render_ics(report),
}
EXTENSIONS = {"json": "json", "csv": "csv", "md": "md", "html": "html", "ics": "ics"}


def build_report(
    store: EventLog,
    a: str,
    b: str,
    *,
    start: date | None = None,
    end: date | None = None,
    kinds: Sequence[str] = (),
    as_of: datetime | None = None,
    now: datetime | None = None,
) -> Report:
    """The report of the relationship of ``a`` and ``b`` (ISO3); raises InputError."""
    entries = queries.timeline(store, a, b, start=start, end=end, kinds=kinds, as_of=as_of)
    view = queries.relationship_view(store, a, b, as_of=as_of)
    filters = Filters(start, end, queries.normalise_kinds(kinds), as_of)
    return Report(view=view, entries=tuple(entries), filters=filters, generated_at=now)


def export_relationship(
    store: EventLog,
    a: str,
    b: str,
    fmt: str,
    *,
    start: date | None = None,
    end: date | None = None,
    kinds: Sequence[str] = (),
    as_of: datetime | None = None,
    bom: bool = False,
    now: datetime | None = None,
) -> bytes:
    """The relationship of ``a`` and ``b`` in format ``fmt`` (json, csv, md, html, ics).

    ``bom`` applies to CSV only. Raises InputError (unknown format, codes, types or dates).
    """
    render = FORMATS.get(fmt.lower())
    if render is None:
        raise InputError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    report = build_report(store, a, b, start=start, end=end, kinds=kinds, as_of=as_of, now=now)
    return render(report, bom)
