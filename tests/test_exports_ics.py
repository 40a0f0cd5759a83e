"""iCalendar export: one all-day VEVENT per dated event, parsed back with icalendar."""

from __future__ import annotations

from datetime import date

from icalendar import Calendar

from tests.exports_sample import empty_report, sample_report
from tracker.exports.ics import render_ics, uid


def _events(data: bytes) -> list[object]:
    return list(Calendar.from_ical(data).walk("VEVENT"))


def test_one_all_day_event_per_dated_event() -> None:
    report = sample_report()
    events = _events(render_ics(report))
    dated = [e for e in report.entries if e.occurred_on]
    assert len(events) == len(dated) == len(report.entries) - 1  # the undated one is left out
    by_uid = {str(ev["UID"]): ev for ev in events}  # type: ignore[index]
    assert set(by_uid) == {uid(e) for e in dated}
    meeting = by_uid[uid(report.entries[3])]
    assert meeting.decoded("DTSTART") == date(2022, 11, 2)  # type: ignore[attr-defined]
    assert meeting.decoded("DTEND") == date(2022, 11, 3)  # type: ignore[attr-defined]
    assert str(meeting["SUMMARY"]).startswith("China–Pakistan: Xi Jinping met")  # type: ignore[index]
    assert str(meeting["URL"]) == report.entries[3].sources[0].url  # type: ignore[index]
    description = str(meeting["DESCRIPTION"])  # type: ignore[index]
    assert "CHN–PAK" in description
    assert all(s.url and s.url in description for s in report.entries[3].sources)


def test_month_precision_spans_the_month_and_planned_is_tentative() -> None:
    report = sample_report()
    planned = next(e for e in report.entries if e.planned)
    ev = {str(v["UID"]): v for v in _events(render_ics(report))}[uid(planned)]  # type: ignore[index]
    assert ev.decoded("DTSTART") == date(2023, 7, 1)  # type: ignore[attr-defined]
    assert ev.decoded("DTEND") == date(2023, 8, 1)  # type: ignore[attr-defined]
    assert str(ev["STATUS"]) == "TENTATIVE"  # type: ignore[index]


def test_uids_are_stable_and_no_unsafe_url_is_used() -> None:
    first, second = render_ics(sample_report()), render_ics(sample_report())
    assert first == second
    for ev in _events(first):
        url = ev.get("URL")  # type: ignore[attr-defined]
        assert url is None or str(url).startswith("https://")


def test_an_empty_timeline_is_a_valid_empty_calendar() -> None:
    cal = Calendar.from_ical(render_ics(empty_report()))
    assert list(cal.walk("VEVENT")) == [] and str(cal["VERSION"]) == "2.0"
