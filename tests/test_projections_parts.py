"""The view from month parts equals the view computed over every event at once (the oracle
below is the former single-pass ``view_of``), whatever the mix of dates, ties and kinds."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from events import country_name
from tracker.projections import codec
from tracker.projections import relationship as r
from tracker.projections.model import (
    PersonRef,
    RelationshipView,
    RelationSummary,
    Source,
    TimelineEntry,
)

PAIR = ("CHN", "PAK")
LEADER = PersonRef("Xi Jinping", "President", "CHN")
MINISTER = PersonRef("Wang Yi", "Foreign Minister", "CHN")


def reference(ordered: list[TimelineEntry]) -> tuple[RelationshipView, RelationSummary]:
    """The view and summary computed in one pass over every entry (valid-time order)."""
    happened = [e for e in ordered if not e.planned]
    agreements = r._agreements(happened)
    counts = dict(Counter(e.kind for e in happened))
    if agreements:
        counts["agreement"] = len(agreements)
    dated = [e.occurred_on for e in happened if e.occurred_on is not None]
    descriptors = r._descriptors(happened)
    scores = r.monthly_scores(happened)
    view = RelationshipView(
        pair=PAIR,
        names=(country_name(PAIR[0]), country_name(PAIR[1])),
        counts=dict(sorted(counts.items())),
        first_date=min(dated, default=None),
        last_date=max(dated, default=None),
        last_meeting=r._with_leader(happened, ("meeting", "visit")),
        last_leader_contact=r._with_leader(happened, ("meeting", "visit", "phone_call")),
        agreements=tuple(agreements[-r.LIST_LIMIT :]),
        statements=r._statements(happened),
        trade=r._trade(r._latest_trade(happened)),
        descriptor=descriptors[-1].descriptor if descriptors else None,
        descriptor_history=descriptors[-r.LIST_LIMIT :],
        monthly_scores=scores,
        trend=r.trend(scores),
        planned=tuple(e for e in ordered if e.planned and not r._took_place(e, happened)),
        position=7,
    )
    last = r._last(happened, lambda e: e.kind not in ("descriptor", "trade_figure"))
    last = last or r._last(happened, bool)
    summary = RelationSummary(
        pair=PAIR,
        names=view.names,
        events=sum(view.counts.values()),
        counts=view.counts,
        last_date=view.last_date,
        last_event=last.summary if last else None,
        score=round(sum(s.score for s in scores[-r.TREND_MONTHS :]), 6),
        sources=len(r.source_keys(ordered)),
    )
    return view, summary


def entry(i: int, kind: str, day: int | None, planned: bool, variant: int) -> TimelineEntry:
    details: dict[str, Any] = {
        "agreement": {"area": ("energy", "Energy", "trade")[variant % 3]},
        "statement": {"topics": [("cpec", "trade")[variant % 2]], "stance": "supportive"},
        "trade_figure": {
            "amount": float(1 + variant),
            "currency": "USD",
            "unit": "billion",
            "period": str(2021 + variant % 2),
            "direction": ("total", "export")[variant % 2],
        },
        "descriptor": {"descriptor": ("iron brothers", "Iron Brothers", "partners")[variant % 3]},
    }.get(kind, {})
    on = date(2022, 1, 28) + timedelta(days=day) if day is not None else None
    return TimelineEntry(
        event_id=f"e{i:04d}",
        type=kind,
        kind=kind,
        pair=PAIR,
        actors=PAIR if variant % 4 else ("PAK", "CHN"),
        occurred_on=on,
        date_precision=("day", "month", "year")[variant % 3] if planned else "day",
        planned=planned,
        summary=f"s{variant % 3}",
        persons=(LEADER,) if variant % 2 else (MINISTER,),
        location=None,
        details=details,
        cameo="040",
        plover="CONSULT",
        goldstein=float(variant % 5) - 1.5,
        confidence=1.0,
        sources=(Source(url=f"https://x.example/{variant % 6}"),),
        recorded_at=datetime(2022, 1, 1, tzinfo=UTC),
        position=i,
    )


KINDS = ["meeting", "visit", "phone_call", "agreement", "statement", "trade_figure", "descriptor"]
specs = st.lists(
    st.tuples(
        st.sampled_from(KINDS),
        st.one_of(st.none(), st.integers(0, 70)),  # about three months, ties on days
        st.integers(0, 11),  # variant: area, topic, period, text, person, source, score
        st.integers(0, 9),  # 0: planned
    ),
    max_size=60,
)


@settings(max_examples=150, deadline=None)
@given(specs=specs)
def test_parts_give_the_single_pass_view(specs: list[tuple[Any, ...]]) -> None:
    entries = [
        entry(i, kind, day, planned=(tenth == 0), variant=v)
        for i, (kind, day, v, tenth) in enumerate(specs)
    ]
    ordered = sorted(entries, key=r.valid_order)
    parts = r.parts_of(ordered)
    happened = [e for e in ordered if not e.planned]
    view = r.view_from_parts(parts, PAIR, held=lambda plan: happened, position=7)
    expected_view, expected_summary = reference(ordered)
    assert view == expected_view
    assert r.summary_from_parts(parts, view, len(r.source_keys(ordered))) == expected_summary
    # parts survive their rows: what the runner stores is what it combines
    stored = [codec.part_from(codec.decode(codec.encode(p))) for p in parts]
    assert r.view_from_parts(stored, PAIR, held=lambda plan: happened, position=7) == view


def test_a_month_of_many_descriptor_changes_keeps_the_latest_exactly() -> None:
    texts = [0, 2] * 40 + [2, 1, 1, 0]  # more changes in a month than a part keeps
    entries = [entry(i, "descriptor", i % 20, False, v) for i, v in enumerate(texts)]
    entries += [entry(900 + i, "descriptor", 40 + i, False, 0) for i in range(3)]  # next month
    ordered = sorted(entries, key=r.valid_order)
    view = r.view_from_parts(r.parts_of(ordered), PAIR, held=lambda plan: ordered, position=7)
    assert view == reference(ordered)[0]
