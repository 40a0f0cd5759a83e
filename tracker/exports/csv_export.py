"""CSV export: one row per event, flat columns, safe to open in a spreadsheet.

Quoting is the ``csv`` module's (commas, quotes and newlines inside cells survive); text cells
that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``, tab or
carriage return, OWASP's list) get a leading single quote. Numbers are written as numbers, so a
negative Goldstein weight stays a number.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any

from tracker.exports.labels import DETAIL_KEYS, date_text, detail_text, persons_text
from tracker.exports.report import Report
from tracker.projections.model import TimelineEntry

BOM = "\ufeff"
SOURCE_SEPARATOR = " | "
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

HEAD_COLUMNS = (
    "date",
    "date_precision",
    "planned",
    "type",
    "kind",
    "actors",
    "persons",
    "location",
    "summary",
)
TAIL_COLUMNS = (
    "cameo",
    "plover",
    "goldstein",
    "confidence",
    "source_count",
    "sources",
    "source_titles",
    "event_id",
)


def neutralise(cell: str) -> str:
    """Prefix a text cell a spreadsheet would evaluate as a formula with ``'``."""
    return "'" + cell if cell.startswith(_FORMULA_STARTS) else cell


def columns(entries: Sequence[TimelineEntry]) -> list[str]:
    """Header: fixed columns, one ``details.KEY`` per known detail, then unknown keys sorted."""
    extra = sorted({k for e in entries for k in e.details if k not in DETAIL_KEYS})
    return [
        *HEAD_COLUMNS,
        *(f"details.{k}" for k in (*DETAIL_KEYS, *extra)),
        *TAIL_COLUMNS,
    ]


def _row(entry: TimelineEntry, header: Sequence[str]) -> list[Any]:
    values: dict[str, Any] = {
        "date": date_text(entry.occurred_on, entry.date_precision) if entry.occurred_on else "",
        "date_precision": entry.date_precision or "",
        "planned": "yes" if entry.planned else "no",
        "type": entry.type,
        "kind": entry.kind,
        "actors": "; ".join(entry.actors),
        "persons": persons_text(entry.persons),
        "location": entry.location or "",
        "summary": entry.summary,
        "cameo": entry.cameo,
        "plover": entry.plover,
        "goldstein": entry.goldstein,
        "confidence": entry.confidence,
        "source_count": entry.source_count,
        "sources": SOURCE_SEPARATOR.join(s.url or "" for s in entry.sources),
        "source_titles": SOURCE_SEPARATOR.join(s.title or s.outlet or "" for s in entry.sources),
        "event_id": entry.event_id,
    }
    for key, value in entry.details.items():
        values[f"details.{key}"] = (
            value if isinstance(value, int | float) and not isinstance(value, bool) else
            detail_text(value)
        )  # fmt: skip
    row: list[Any] = []
    for col in header:
        value = values.get(col, "")
        row.append(neutralise(value) if isinstance(value, str) else value)
    return row


def render_csv(report: Report, *, bom: bool = False) -> str:
    """The timeline as CSV text (CRLF rows, RFC 4180); ``bom`` prefixes a UTF-8 BOM for Excel."""
    header = columns(report.entries)
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(header)
    writer.writerows(_row(e, header) for e in report.entries)
    return (BOM if bom else "") + buf.getvalue()
