"""CSV export: one row per event, parsed back with the csv module; formulas neutralised."""

from __future__ import annotations

import csv
import io

from tests.exports_sample import FORMULA, empty_report, sample_report
from tracker.exports.csv_export import BOM, neutralise, render_csv


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_one_row_per_event_with_flat_columns() -> None:
    report = sample_report()
    rows = _rows(render_csv(report))
    assert len(rows) == len(report.entries)
    assert [r["event_id"] for r in rows] == [e.event_id for e in report.entries]
    meeting = next(r for r in rows if r["kind"] == "meeting" and r["date"])
    assert meeting["date"] == "2022-11-02"
    assert meeting["type"] == "MeetingHeld"
    assert meeting["actors"] == "CHN; PAK"
    assert "Xi Jinping (President, CHN)" in meeting["persons"]
    assert meeting["source_count"] == "3"
    assert meeting["sources"].split(" | ") == [s.url for s in report.entries[3].sources]
    assert meeting["location"] == "Great Hall of the People, Beijing"  # comma survives quoting
    agreements = [r for r in rows if r["kind"] == "agreement"]
    assert len(agreements) == 6 and agreements[0]["details.area"] == "digital economy"
    trade = next(r for r in rows if r["details.direction"] == "exports")
    assert trade["details.amount"] == "24.23" and trade["details.change_pct"] == "57.8"
    assert trade["summary"] == "Chinese exports to Pakistan totaled $24.23 billion,\nup 57.8%"


def test_quotes_newlines_and_unicode_survive() -> None:
    rows = _rows(render_csv(sample_report()))
    quoted = next(r for r in rows if '"testament"' in r["details.quote"])
    assert quoted["details.quote"] == 'The Pakistan-China friendship is unbreakable, a "testament"'
    assert any("–" not in r["summary"] for r in rows)  # plain rows still plain


def test_formula_cells_are_neutralised_but_numbers_are_not() -> None:
    rows = _rows(render_csv(sample_report()))
    statement = next(r for r in rows if r["details.stance"] == "critical")
    assert statement["summary"] == "'" + FORMULA
    assert statement["details.topics"] == "'@SUM(1+1)"
    assert statement["source_titles"] == "'+cmd|' /C calc'!A0"
    assert statement["goldstein"] == "-2.0"  # a number, left alone
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "@", "\t", "\r")), value
            assert not value.startswith("-") or value.lstrip("-").replace(".", "").isdigit()


def test_neutralise() -> None:
    assert [neutralise(x) for x in ("=1+1", "+1", "-1", "@A1", "\tx", "ok", "")] == [
        "'=1+1",
        "'+1",
        "'-1",
        "'@A1",
        "'\tx",
        "ok",
        "",
    ]


def test_bom_is_optional() -> None:
    plain, with_bom = render_csv(sample_report()), render_csv(sample_report(), bom=True)
    assert not plain.startswith(BOM)
    assert with_bom == BOM + plain
    decoded = with_bom.encode("utf-8").decode("utf-8-sig")
    assert _rows(decoded)[0].keys() == _rows(plain)[0].keys()


def test_an_empty_timeline_is_a_header_only() -> None:
    text = render_csv(empty_report())
    assert _rows(text) == [] and text.startswith("date,")
