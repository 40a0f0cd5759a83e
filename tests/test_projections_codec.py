"""View rows encode and decode read models losslessly."""

from __future__ import annotations

import json
from dataclasses import fields
from datetime import date

from events import DiplomaticEvent
from tests.facts import SHARIF, XI, Log, fact
from tracker.projections import codec
from tracker.projections.model import TimelineEntry
from tracker.projections.relationship import fold, summary_of, timeline_of, view_of


def test_views_entries_and_summaries_survive_a_round_trip() -> None:
    log = Log()
    state = fold(
        [
            log.record(fact("meeting", on=date(2022, 11, 2), persons=(XI, SHARIF), location="B")),
            log.record(fact("agreement", on=date(2022, 11, 2), area="energy")),
            log.record(fact("statement", on=date(2022, 11, 3), topics=("CPEC",), quote="q")),
            log.record(fact("trade_figure", on=date(2022, 1, 9), amount=27.8, period="2021")),
            log.record(fact("descriptor", on=date(2022, 11, 2), descriptor="iron brothers")),
            log.record(fact("visit", on=date(2024, 1, 1), planned=True)),
            log.record(fact("meeting", on=None, article=2)),
        ]
    )
    view = view_of(state, ("CHN", "PAK"))
    assert codec.view_from(json.loads(codec.encode(view))) == view
    summary = summary_of(state, view)
    assert codec.summary_from(json.loads(codec.encode(summary))) == summary
    for entry in timeline_of(state):
        body = json.loads(codec.encode(entry))
        assert set(body) == {f.name for f in fields(TimelineEntry)}
        decoded = codec.entry_from(body)  # built without __init__: the same object, field by field
        assert decoded == entry and vars(decoded) == vars(entry)
        assert [vars(p) for p in decoded.persons] == [vars(p) for p in entry.persons]
        assert [vars(s) for s in decoded.sources] == [vars(s) for s in entry.sources]


def test_entries_built_from_facts_equal_validated_construction() -> None:
    log = Log()
    for kind, extra in (
        ("meeting", {"persons": (XI, SHARIF)}),
        ("statement", {"topics": ("CPEC", "trade"), "quote": "q", "speaker": XI}),
        ("joint_statement", {"topics": ("x",), "areas": ("energy",)}),
        ("agreement", {"area": "energy", "title": "MoU"}),
        ("trade_figure", {"amount": 27.8, "period": "2021", "change_pct": -3.5}),
        ("descriptor", {"descriptor": "iron brothers"}),
    ):
        event = fact(kind, on=date(2022, 11, 2), **extra)
        [entry] = timeline_of(fold([log.record(event)]))
        own = set(type(event).model_fields) - set(DiplomaticEvent.model_fields)
        assert entry.details == event.model_dump(mode="json", include=own)
        assert entry == TimelineEntry(**vars(entry)) and vars(entry) == vars(
            TimelineEntry(**vars(entry))
        )
