"""iCalendar export (RFC 5545, via the ``icalendar`` package): one all-day VEVENT per dated
event, with the summary, the pair and the source URLs.

UIDs are derived from the event id, and DTSTAMP is the time the log recorded the event, so
exporting again gives the same calendar and a calendar application updates instead of
duplicating. An event known only to the month (or year) spans that month (or year).
"""

from __future__ import annotations

from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from icalendar import Calendar, Event

from tracker.exports.labels import (
    date_text,
    details_line,
    kind_label,
    persons_text,
    safe_link,
    source_label,
)
from tracker.exports.report import Report
from tracker.projections.model import TimelineEntry

PRODID = "-//diplomatic-tracker//timeline export//EN"
UID_DOMAIN = "diplomatic-tracker"


def uid(entry: TimelineEntry) -> str:
    """Stable UID of an event's calendar entry."""
    return f"{entry.event_id}@{UID_DOMAIN}"


def _span(entry: TimelineEntry, start: date) -> tuple[date, date]:
    """First day and the exclusive end day of an event at its date precision."""
    if entry.date_precision == "year":
        first = start.replace(month=1, day=1)
        return first, first + relativedelta(years=1)
    if entry.date_precision == "month":
        first = start.replace(day=1)
        return first, first + relativedelta(months=1)
    return start, start + timedelta(days=1)


def _description(report: Report, entry: TimelineEntry) -> str:
    lines = [
        f"{kind_label(entry.kind)} · {report.title} ({'–'.join(entry.pair)})",
        entry.summary,
    ]
    if entry.date_precision in ("month", "year"):
        known = date_text(entry.occurred_on, entry.date_precision)
        lines.append(f"Date known to the {entry.date_precision}: {known}")
    if entry.persons:
        lines.append(f"Persons: {persons_text(entry.persons)}")
    if details := details_line(entry):
        lines.append(details)
    lines.append(f"Sources ({entry.source_count}):")
    lines += [f"- {source_label(s)}: {s.url or 'no URL'}" for s in entry.sources]
    return "\n".join(lines)


def render_ics(report: Report) -> bytes:
    """The dated events of the report as an iCalendar file (undated events are left out)."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", f"{report.title} diplomatic timeline")
    for entry in report.entries:
        if entry.occurred_on is None:
            continue
        start, end = _span(entry, entry.occurred_on)
        ev = Event()
        ev.add("uid", uid(entry))
        ev.add("dtstamp", entry.recorded_at)
        ev.add("dtstart", start)
        ev.add("dtend", end)
        ev.add("summary", f"{report.title}: {entry.summary}")
        ev.add("description", _description(report, entry))
        ev.add("categories", [kind_label(entry.kind), "–".join(entry.pair)])
        ev.add("status", "TENTATIVE" if entry.planned else "CONFIRMED")
        ev.add("transp", "TRANSPARENT")
        if entry.location:
            ev.add("location", entry.location)
        link = next((u for s in entry.sources if (u := safe_link(s.url))), None)
        if link:
            ev.add("url", link)
        cal.add_component(ev)
    data: bytes = cal.to_ical()
    return data
