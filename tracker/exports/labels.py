"""Human wording shared by the text formats (CSV, Markdown, HTML, iCalendar).

Everything here returns plain, unescaped text; each format escapes it its own way.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from tracker.projections.model import PersonRef, RelationshipView, Source, TimelineEntry

KIND_LABELS: dict[str, str] = {
    "meeting": "Meeting",
    "visit": "Visit",
    "phone_call": "Phone call",
    "statement": "Statement",
    "joint_statement": "Joint statement",
    "agreement": "Agreement",
    "trade_figure": "Trade figure",
    "descriptor": "Relationship descriptor",
}

# Order of the type-specific fields in flat formats; unknown keys follow, sorted.
DETAIL_KEYS: tuple[str, ...] = (
    "area",
    "title",
    "speaker",
    "stance",
    "topics",
    "areas",
    "quote",
    "amount",
    "currency",
    "unit",
    "period",
    "direction",
    "change_pct",
    "descriptor",
)

_SAFE_SCHEMES = ("http", "https")


def kind_label(kind: str) -> str:
    """``phone_call`` -> ``Phone call`` (unknown kinds: underscores become spaces)."""
    return KIND_LABELS.get(kind, kind.replace("_", " ").capitalize())


def safe_link(url: str | None) -> str | None:
    """The URL if it is an absolute http(s) address, else None: never link ``javascript:``."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in _SAFE_SCHEMES or not parts.netloc:
        return None
    return url.strip()


def source_label(source: Source) -> str:
    """``Title (Outlet)``, falling back to the outlet, the host, then ``source``."""
    host = urlsplit(source.url).netloc if source.url else ""
    name = source.title or source.outlet or host or "source"
    where = source.outlet or host
    if source.title and where and where.lower() not in source.title.lower():
        return f"{name} ({where})"
    return name


def person_label(person: PersonRef | Mapping[str, Any]) -> str:
    """``Xi Jinping (President, CHN)``."""
    if isinstance(person, PersonRef):
        name, title, country = person.name, person.title, person.country
    else:
        name, title, country = person.get("name", ""), person.get("title"), person.get("country")
    extra = ", ".join(x for x in (title, country) if x)
    return f"{name} ({extra})" if extra else str(name)


def detail_text(value: Any) -> str:
    """One detail value as text: lists joined with ``; ``, persons named, None empty."""
    if value is None:
        return ""
    if isinstance(value, PersonRef) or (isinstance(value, Mapping) and "name" in value):
        return person_label(value)
    if isinstance(value, Mapping):
        return "; ".join(f"{k}: {detail_text(v)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return "; ".join(detail_text(v) for v in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def ordered_details(details: Mapping[str, Any]) -> list[tuple[str, Any]]:
    """The details in the display order of ``DETAIL_KEYS``, unknown keys after, sorted."""
    known = [(k, details[k]) for k in DETAIL_KEYS if k in details]
    rest = sorted((k, v) for k, v in details.items() if k not in DETAIL_KEYS)
    return known + rest


def details_line(entry: TimelineEntry) -> str:
    """``area: e-commerce; title: MoU on ...``: the non-empty details on one line."""
    if entry.kind == "trade_figure":
        return trade_text(entry)
    parts = [
        f"{key.replace('_', ' ')}: {detail_text(value)}"
        for key, value in ordered_details(entry.details)
        if value not in (None, "", [], ())
    ]
    return "; ".join(parts)


def trade_flow(entry: TimelineEntry) -> str:
    """``exports CHN to PAK``, ``imports of CHN from PAK`` or ``total trade``."""
    a, b = (*entry.actors, "?")[:2]
    return {"exports": f"exports {a} to {b}", "imports": f"imports of {a} from {b}"}.get(
        entry.details.get("direction", "total"), "total trade"
    )


def trade_text(entry: TimelineEntry) -> str:
    """``total trade 2021: USD 27.82 billion (+59.1%)`` (exports/imports: from actors[0])."""
    d = entry.details
    amount = d.get("amount")
    figure = f"{d.get('currency', '')} {detail_text(amount)} {d.get('unit', '')}".strip()
    head = trade_flow(entry)
    if d.get("period"):
        head += f" {d['period']}"
    change = d.get("change_pct")
    tail = f" ({change:+.1f}%)" if isinstance(change, int | float) else ""
    return f"{head}: {figure}{tail}"


def date_text(day: date | None, precision: str | None) -> str:
    """A date shown to its precision: ``2022-11-02``, ``2022-11``, ``2022``, or ``undated``."""
    if day is None:
        return "undated"
    if precision == "year":
        return f"{day.year:04d}"
    if precision == "month":
        return f"{day.year:04d}-{day.month:02d}"
    return day.isoformat()


def entry_date(entry: TimelineEntry) -> str:
    """When an entry happened, to its precision; an undated trade figure shows the period it
    covers (``2021``), not ``undated``."""
    period = entry.details.get("period")
    if entry.occurred_on is None and entry.kind == "trade_figure" and period:
        return str(period)
    return date_text(entry.occurred_on, entry.date_precision)


def persons_text(persons: Iterable[PersonRef]) -> str:
    """Persons named, joined with ``; ``."""
    return "; ".join(person_label(p) for p in persons)


Describe = Callable[[TimelineEntry], str]


def agreement_text(entry: TimelineEntry) -> str:
    """An agreement by its details (area, title), else its summary."""
    return details_line(entry) or entry.summary


def summary_text(entry: TimelineEntry) -> str:
    """An entry by its summary."""
    return entry.summary


def agreements_title(view: RelationshipView) -> str:
    """The agreements heading; it says so when the view lists only the latest of more."""
    total = view.counts.get("agreement", 0)
    if total <= len(view.agreements):
        return "Agreements"
    return (
        f"Agreements (latest {len(view.agreements)} of {total}; "
        "timeline --type agreement lists all)"
    )


def summary_lists(view: RelationshipView) -> list[tuple[str, tuple[TimelineEntry, ...], Describe]]:
    """The lists of a relationship summary: heading, entries and how to describe each."""
    return [
        (agreements_title(view), view.agreements, agreement_text),
        ("Latest trade figures", view.trade, trade_text),
        ("Planned", view.planned, summary_text),
    ]


def contacts(view: RelationshipView) -> list[tuple[str, TimelineEntry]]:
    """The last meeting and last leader contact, where known."""
    pairs = (("Last meeting", view.last_meeting), ("Last leader contact", view.last_leader_contact))
    return [(label, e) for label, e in pairs if e is not None]


def positions(view: RelationshipView) -> list[tuple[str, str, TimelineEntry]]:
    """(speaker, topic, latest statement) rows, sorted."""
    return [
        (speaker, topic, e)
        for speaker, topics in sorted(view.statements.items())
        for topic, e in sorted(topics.items())
    ]


def stance(entry: TimelineEntry) -> str:
    """The stance of a statement (``neutral`` when not given)."""
    return str(entry.details.get("stance") or "neutral")
