"""The synthetic generator: realistic, deterministic by seed, stored through the normal store."""

from __future__ import annotations

from collections import Counter
from typing import Any

from events import DiplomaticEvent, EventCorroborated, EventRetracted, EventsMerged
from tracker.projections.queries import relations
from tracker.projections.runner import rebuild_projections
from tracker.recording import stream_for
from tracker.store import SqlEventStore, to_recorded, verify
from tracker.synth import PAIR_COUNT, generate, pairs, write_synthetic


def _fingerprint(n: int, seed: int) -> list[tuple[Any, ...]]:
    return [(s.stream_id, s.new.event_id, s.new.payload, s.recorded_at) for s in generate(n, seed)]


def test_same_seed_same_events_other_seed_other_events() -> None:
    assert _fingerprint(300, 7) == _fingerprint(300, 7)
    assert _fingerprint(300, 7) != _fingerprint(300, 8)


def test_events_are_a_realistic_mix_over_fifty_pairs_and_six_years() -> None:
    items = list(generate(3000, 1))
    kinds = Counter(type(s.event).__name__ for s in items)
    assert len(kinds) == 11  # eight kinds of fact and three kinds of correction
    assert kinds["MeetingHeld"] > kinds["AgreementSigned"] > kinds["EventRetracted"]
    streams = {s.stream_id for s in items}
    assert len(streams) == len(pairs(1)) == PAIR_COUNT
    facts = [s.event for s in items if isinstance(s.event, DiplomaticEvent)]
    years = {f.occurred_on.year for f in facts if f.occurred_on}
    assert years == set(range(2019, 2025))
    assert all(f.persons and f.provenance.url and f.provenance.source for f in facts)
    recorded = [s.recorded_at for s in items]
    assert recorded == sorted(recorded)
    assert all(
        f.occurred_on and (s.recorded_at.date() - f.occurred_on).days in range(4)
        for s in items
        if isinstance(f := s.event, DiplomaticEvent)
    )


def test_corrections_point_at_earlier_facts_of_the_same_pair() -> None:
    seen: dict[str, set[Any]] = {}
    for s in generate(3000, 2):
        known = seen.setdefault(s.stream_id, set())
        event = s.event
        if isinstance(event, DiplomaticEvent):
            assert stream_for(event) == s.stream_id
            known.add(s.new.event_id)
        elif isinstance(event, EventCorroborated | EventRetracted):
            assert event.event_id in known
        elif isinstance(event, EventsMerged):
            assert {event.survivor_id, *event.merged_ids} <= known


def test_written_log_verifies_decodes_and_projects(store: SqlEventStore) -> None:
    report = write_synthetic(store, 600, seed=3, years=1)
    assert report.events == store.last_position() == 600
    assert report.streams == PAIR_COUNT
    assert report.appends < 600  # one append per stream per recorded day
    assert verify(store).ok
    originals = {s.new.event_id: s.event for s in generate(600, 3, years=1)}
    rows = list(store.read_all())
    assert all(to_recorded(r).event == originals[r.event_id] for r in rows)
    assert [r.recorded_at for r in rows] == sorted(r.recorded_at for r in rows)
    rebuild_projections(store)
    summaries = relations(store)
    assert len(summaries) == PAIR_COUNT
    assert sum(s.events for s in summaries) < 600  # retractions and merges removed some


def test_synth_command_then_same_seed_again_writes_nothing_new(run_cli: Any) -> None:
    first = run_cli("synth", "--events", "200", "--seed", "5", "--json")
    again = run_cli("synth", "--events", "200", "--seed", "5", "--json")
    assert first.exit_code == again.exit_code == 0
    assert '"events": 200' in first.stdout
    assert '"last_position": 200' in again.stdout  # deterministic ids: all duplicates
