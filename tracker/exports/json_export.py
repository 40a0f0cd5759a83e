"""JSON export: a stable, documented document (``timeline.schema.json``) of one relationship.

The document is ``{"format", "format_version", "generated_at", "filters", "relationship",
"events"}``; every key is always present (``null`` when unknown), so consumers never guess.
Bump ``FORMAT_VERSION`` and the schema together on any incompatible change.
"""

from __future__ import annotations

import json
from dataclasses import fields, is_dataclass
from datetime import date, datetime
from functools import cache
from importlib import resources
from typing import Any

from tracker.exports.report import Report
from tracker.projections.model import TimelineEntry

FORMAT = "diplomatic-tracker/timeline"
FORMAT_VERSION = 2  # 2: sources carry `reasons`, events `possible_duplicates`
SCHEMA_FILE = "timeline.schema.json"


def plain(value: Any) -> Any:
    """Read-model values as JSON values: dataclasses -> objects, dates -> ISO strings."""
    if isinstance(value, TimelineEntry):
        out = {f.name: plain(getattr(value, f.name)) for f in fields(value)}
        out["source_count"] = value.source_count
        return out
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [plain(v) for v in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def to_document(report: Report) -> dict[str, Any]:
    """The export as a JSON-ready dict, in the shape ``timeline.schema.json`` describes."""
    f = report.filters
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "generated_at": plain(report.generated_at),
        "filters": {
            "from": plain(f.start),
            "to": plain(f.end),
            "types": list(f.kinds),
            "as_of": plain(f.as_of),
        },
        "relationship": plain(report.view),
        "events": [plain(e) for e in report.entries],
    }


def render_json(report: Report) -> str:
    """The report as an indented JSON document (UTF-8 text, keys in a stable order)."""
    return json.dumps(to_document(report), ensure_ascii=False, indent=2) + "\n"


@cache
def _schema_text() -> str:
    return resources.files(__package__).joinpath(SCHEMA_FILE).read_text(encoding="utf-8")


def schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the document ``render_json`` writes."""
    loaded: dict[str, Any] = json.loads(_schema_text())
    return loaded
