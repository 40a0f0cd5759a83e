"""Issue 16, case 14: the demo's China–Pakistan view, line by line, against the sample articles
in ``samples/`` (what they say, not what the extractor happens to produce), plus the view-level
rules behind it: a plan that took place is no longer planned, trade figures show their period,
agreement areas are canonical, descriptors never print ``None``, the chart leaves gaps."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from events.areas import canonical_area, canonical_descriptor
from tracker.demo import run_demo
from tracker.exports.chart import build_chart
from tracker.exports.labels import entry_date, trade_flow
from tracker.projections import queries
from tracker.projections.model import MonthlyScore, PersonRef, RelationshipView, TimelineEntry
from tracker.projections.relationship import _agreements, _took_place
from tracker.store import SqlEventStore, open_store


@pytest.fixture(scope="module")
def demo_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SqlEventStore]:
    """A real SQLite store after the demo."""
    store = open_store(f"sqlite:///{tmp_path_factory.mktemp('demo') / 'demo.db'}")
    try:
        run_demo(store)
        yield store
    finally:
        store.close()


@pytest.fixture(scope="module")
def demo_view(demo_store: SqlEventStore) -> RelationshipView:
    """The China–Pakistan view after the demo."""
    return queries.relationship_view(demo_store, "CHN", "PAK")


def _persons(e: TimelineEntry) -> str:
    return "; ".join(f"{p.name} ({p.title}, {p.country})" for p in e.persons)


def test_the_showcase_view_line_by_line(demo_view: RelationshipView) -> None:
    v = demo_view
    lines = [
        f"descriptor: {v.descriptor}",
        f"period: {v.first_date} .. {v.last_date}",
        f"last meeting: {v.last_meeting and v.last_meeting.occurred_on} "
        f"{v.last_meeting and _persons(v.last_meeting)}",
        *sorted(f"agreement: {entry_date(a)} {a.details['area']}" for a in v.agreements),
        *(
            f"trade: {entry_date(t)} {trade_flow(t)} {t.details['amount']} "
            f"{t.details['unit']} {t.details['currency']} {t.details['change_pct']:+.1f}%"
            for t in v.trade
        ),
        *(f"descriptor history: {d.descriptor}" for d in v.descriptor_history),
        *(f"planned: {entry_date(p)} {p.summary}" for p in v.planned),
        *(f"month: {m.month}" for m in v.monthly_scores),
    ]
    assert lines == [
        "descriptor: all-weather strategic cooperative partnership",
        "period: 2022-11-01 .. 2022-11-02",
        "last meeting: 2022-11-02 Xi Jinping (President, CHN); "
        "Muhammad Shehbaz Sharif (Prime Minister, PAK)",
        # APP 2022-11-02 and CGTN: one agreement per area, whichever phrasing a source used
        "agreement: 2022-11-02 CPEC",
        "agreement: 2022-11-02 agricultural exports",
        "agreement: 2022-11-02 digital economy",
        "agreement: 2022-11-02 e-commerce",
        "agreement: 2022-11-02 financial cooperation",
        "agreement: 2022-11-02 infrastructure",
        "agreement: 2022-11-02 protection of cultural property",
        # CGTN: "Last year, trade between China and Pakistan reached $27.82 billion..."
        "trade: 2021 exports CHN to PAK 24.23 billion USD +57.8%",
        "trade: 2021 imports of CHN from PAK 3.59 billion USD +68.9%",
        "trade: 2021 total trade 27.82 billion USD +59.1%",
        # Xinhua's "partners" and CGTN's "partnership" are one descriptor, never "None"
        "descriptor history: all-weather strategic cooperative partnership",
        # the meetings APP announced on 2022-11-01 took place on 2022-11-02: nothing planned
        "month: 2022-11",
    ]
    assert v.last_meeting is not None and v.last_meeting.source_count >= 3  # CGTN, Xinhua, wire
    # Statements: the positions each side took (CGTN, Xinhua, wire)
    assert {"cpec", "belt and road", "global development initiative",
            "global security initiative"} <= set(v.statements["CHN"])  # fmt: skip
    assert {"one-china", "taiwan", "xinjiang", "hong kong", "cpec"} <= set(v.statements["PAK"])


def test_the_showcase_view_one_visit_and_the_descriptor_dated(
    demo_store: SqlEventStore, demo_view: RelationshipView
) -> None:
    v = demo_view
    visits = [
        f"{e.occurred_on} {'->'.join(e.actors)} {_persons(e)}"
        for e in queries.timeline(demo_store, "CHN", "PAK", kinds=["visit"])
    ]
    # APP 2022-11-01: "Prime Minister Muhammad Shehbaz Sharif arrived in Beijing on Tuesday
    # night on a two-day official visit": one visit, Pakistan to China, from 2022-11-01.
    assert visits == ["2022-11-01 PAK->CHN Muhammad Shehbaz Sharif (Prime Minister, PAK)"]
    # Xinhua 2022-11-02: Xi said the two are all-weather strategic cooperative partners.
    assert [(str(d.since), d.descriptor) for d in v.descriptor_history] == [
        ("2022-11-02", "all-weather strategic cooperative partnership")
    ]


# -- the rules, on hand-made entries ------------------------------------------------------------


def _entry(kind: str, day: date | None, *names: str, **details: object) -> TimelineEntry:
    return TimelineEntry(
        event_id=f"{kind}-{day}-{'-'.join(names)}-{details}",
        type=kind,
        kind=kind,
        pair=("CHN", "PAK"),
        actors=("CHN", "PAK"),
        occurred_on=day,
        date_precision="day" if day else None,
        planned=False,
        summary=f"{kind} {names}",
        persons=tuple(PersonRef(n) for n in names),
        location=None,
        details=dict(details),
        cameo="",
        plover="",
        goldstein=1.0,
        confidence=1.0,
        sources=(),
        recorded_at=datetime(2022, 11, 3, tzinfo=UTC),
        position=1,
    )


def test_a_plan_that_took_place_is_no_longer_planned() -> None:
    plan = replace(_entry("meeting", None, "Xi", "Sharif", "Li"), planned=True)
    held = [_entry("meeting", date(2022, 11, 2), "Xi", "Sharif")]
    assert _took_place(plan, held)
    assert not _took_place(plan, [_entry("meeting", date(2022, 11, 2), "Xi", "Modi")])
    assert not _took_place(plan, [_entry("visit", date(2022, 11, 2), "Xi", "Sharif")])
    dated = replace(_entry("meeting", date(2023, 5, 1), "Xi", "Sharif"), planned=True)
    assert not _took_place(dated, held)  # held half a year before the date planned
    assert _took_place(dated, [_entry("meeting", date(2023, 5, 2), "Xi", "Sharif")])


def test_near_duplicate_areas_are_one_agreement() -> None:
    day = date(2022, 11, 2)
    merged = _agreements(
        [
            _entry("agreement", day, area="cooperation under the China-Pakistan Economic Corridor"),
            _entry("agreement", day, area="CPEC"),
            _entry("agreement", day, area="export of agricultural products"),
            _entry("agreement", day, area="agricultural exports"),
            _entry("agreement", date(2023, 1, 1), area="CPEC"),  # a later agreement stays
        ]
    )
    assert sorted((e.occurred_on, e.details["area"]) for e in merged) == [
        (day, "CPEC"),
        (day, "agricultural exports"),
        (date(2023, 1, 1), "CPEC"),
    ]
    assert canonical_area("cooperation under the CPEC") == "CPEC"
    assert canonical_area("exports of textiles") == "exports of textiles"
    assert canonical_descriptor("strategic partners") == "strategic partnership"


def test_an_undated_trade_figure_shows_its_period() -> None:
    figure = _entry("trade_figure", None, period="2021", direction="total")
    assert entry_date(figure) == "2021"
    assert entry_date(_entry("meeting", None)) == "undated"


def test_the_chart_leaves_empty_months_as_gaps() -> None:
    entries = [_entry("meeting", date(2022, m, 1)) for m in (1, 2, 6)]
    scores = [MonthlyScore("2022-01", 1.0, 1), MonthlyScore("2022-02", 2.0, 1),
              MonthlyScore("2022-06", 3.0, 1)]  # fmt: skip
    chart = build_chart(entries, scores)
    assert len(chart.points) == 3
    (line,) = chart.polylines  # January-February joined; June alone, not joined across
    assert len(line.split()) == 2
