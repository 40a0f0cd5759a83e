"""The checkpointed runner and the queries on both backends: incremental == rebuild, as-of."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from events import (
    DomainEvent,
    DuplicateSuspected,
    EventCorroborated,
    EventRetracted,
    EventsMerged,
)
from tests.facts import SHARIF, T0, XI, fact, source
from tracker.errors import InputError
from tracker.projections import codec, runner
from tracker.projections.pairs import pair_stream
from tracker.projections.queries import relations, relationship_view, timeline
from tracker.projections.recorder import ViewRecord, view_recorder
from tracker.projections.relationship import fold, timeline_of, view_of
from tracker.projections.runner import (
    forget_cached_states,
    rebuild_projections,
    update_projections,
)
from tracker.recording import fact_id, record_facts, stream_for
from tracker.store import EventLog, to_new_event, to_recorded


@pytest.fixture
def store(any_store: EventLog) -> EventLog:
    """Every backend, the in-memory store included."""
    return any_store


PAIRS = [("CHN", "PAK"), ("IND", "PAK"), ("CHN", "USA")]
KINDS = ["meeting", "agreement", "statement", "trade_figure", "descriptor"]


def _snapshot(store: EventLog) -> dict[str, Any]:
    """Everything the queries answer, from the materialised views."""
    return {
        "relations": relations(store, sort="pair"),
        **{f"view {a}-{b}": relationship_view(store, a, b) for a, b in PAIRS},
        **{f"timeline {a}-{b}": timeline(store, a, b) for a, b in PAIRS},
    }


def _built(kind: str, pair: tuple[str, str], day: int, article: str, salt: str) -> DomainEvent:
    extra: dict[str, Any] = {
        "agreement": {"area": f"area {day % 3}"},
        "statement": {"topics": (f"topic {day % 2}",), "stance": "supportive"},
        "trade_figure": {"amount": float(day), "period": str(2000 + day % 4)},
        "descriptor": {"descriptor": f"partnership {day % 2}"},
    }.get(kind, {})
    on = date(2022, 1, 1) + timedelta(days=day * 11) if day % 5 else None
    return fact(kind, on=on, actors=pair, article=f"{salt}-{article}", **extra)


operation = st.one_of(
    st.tuples(
        st.just("fact"), st.sampled_from(range(len(PAIRS))), st.sampled_from(KINDS),
        st.integers(0, 40), st.integers(0, 5),
    ),
    st.tuples(st.just("corroborate"), st.integers(0, 30), st.integers(0, 5)),
    st.tuples(st.just("merge"), st.integers(0, 30), st.integers(0, 30)),
    st.tuples(st.just("retract"), st.integers(0, 30)),
    st.tuples(st.just("suspect"), st.integers(0, 30), st.integers(0, 30)),
)  # fmt: skip


# The store fixture is per test, so examples share one database: each example salts its
# articles so its facts are new, and the property (views after incremental updates == views
# after a rebuild) holds over the whole accumulated log. No shrinking: with a shared database a
# replayed example does not see the same log, so shrinking would only be slow and misleading.
@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
)
@given(
    ops=st.lists(operation, min_size=1, max_size=30),
    cuts=st.lists(st.integers(1, 6), min_size=1, max_size=10),
    runner_batch=st.integers(1, 7),
)
def test_incremental_updates_and_a_rebuild_give_identical_views(
    store: EventLog,
    ops: list[tuple[Any, ...]],
    cuts: list[int],
    runner_batch: int,
) -> None:
    salt = uuid.uuid4().hex[:8]
    facts: list[tuple[uuid.UUID, str]] = []
    appends: list[tuple[str, DomainEvent, uuid.UUID]] = []
    for op in ops:
        if op[0] == "fact":
            _, p, kind, day, article = op
            event = _built(kind, PAIRS[p], day, str(article), salt)
            eid = fact_id(event)  # type: ignore[arg-type]
            facts.append((eid, stream_for(event)))  # type: ignore[arg-type]
            appends.append((stream_for(event), event, eid))  # type: ignore[arg-type]
        elif facts and op[0] == "corroborate":
            target, stream = facts[op[1] % len(facts)]
            c = EventCorroborated(event_id=target, provenance=source(f"{salt}-c{op[2]}"))
            appends.append((stream, c, uuid.uuid4()))
        elif facts and op[0] in ("merge", "suspect"):  # two facts of one pair
            (first, stream), (other, other_stream) = (
                facts[op[1] % len(facts)],
                facts[op[2] % len(facts)],
            )
            if stream == other_stream:
                link: DomainEvent = (
                    EventsMerged(survivor_id=first, merged_ids=(other,), reason="same")
                    if op[0] == "merge"
                    else DuplicateSuspected(event_id=first, of_ids=(other,), reason="thin")
                )
                appends.append((stream, link, uuid.uuid4()))
        elif facts and op[0] == "retract":
            target, stream = facts[op[1] % len(facts)]
            appends.append((stream, EventRetracted(event_id=target, reason="x"), uuid.uuid4()))
    i = 0
    # Every append an hour after the last one (continuing the accumulated log's clock).
    last = store.tail(1)
    clock = last[0].recorded_at if last else T0
    moments = []
    # Incremental updates without the state cache: every batch reads its pairs' states back
    # from their rows. The rebuild then uses the cache, so both paths are compared.
    runner.CACHED_PAIRS, cached = 0, runner.CACHED_PAIRS
    try:
        for cut in cuts * (len(appends) // sum(cuts) + 1):
            for stream, event, eid in appends[i : i + cut]:
                clock += timedelta(hours=1)
                store.append(stream, [to_new_event(event, event_id=eid)], recorded_at=clock)
                moments.append(clock)
            i += cut
            update_projections(store, batch_size=runner_batch)
            if i >= len(appends):
                break
    finally:
        runner.CACHED_PAIRS = cached
    incremental = _snapshot(store)
    past = _as_of_answers(store, moments[:: max(len(moments) // 4, 1)])
    forget_cached_states()
    rebuild_projections(store, batch_size=runner_batch + 3)
    assert _snapshot(store) == incremental
    # As of any moment: the rows' transaction times answer what folding the stream recorded
    # by then gives, after incremental runs and after a rebuild alike.
    assert _as_of_answers(store, list(past)) == past
    # The as-of path folds the stream itself: the same answer as the materialised view.
    later = T0.replace(year=2100)
    for a, b in PAIRS:
        assert (
            replace(relationship_view(store, a, b, as_of=later), as_of=None)
            == (incremental[f"view {a}-{b}"])
        )


def _as_of_answers(store: EventLog, moments: list[datetime]) -> dict[datetime, Any]:
    """Each moment's as-of view and timeline per pair, checked against folding the stream as
    recorded by then."""
    answers: dict[datetime, Any] = {}
    for moment in moments:
        per_pair = []
        for a, b in PAIRS:
            view = relationship_view(store, a, b, as_of=moment)
            entries = timeline(store, a, b, as_of=moment)
            rows = store.read_stream(pair_stream(a, b), until=moment)
            folded = fold(to_recorded(r) for r in rows)
            assert view == view_of(folded, (a, b), as_of=moment)
            assert entries == timeline_of(folded)
            per_pair.append((view, entries))
        answers[moment] = per_pair
    return answers


def test_rebuilding_twice_gives_the_same_rows(store: EventLog) -> None:
    record_facts(store, [fact("meeting", on=date(2022, 11, 2), persons=(XI, SHARIF))], now=T0)
    record_facts(store, [fact("agreement", on=date(2022, 11, 2), area="energy")], now=T0)
    record_facts(store, [fact("meeting", on=date(2023, 1, 2), actors=("IND", "PAK"))], now=T0)
    first = (rebuild_projections(store), _snapshot(store))
    second = (rebuild_projections(store), _snapshot(store))
    assert first[1] == second[1]
    assert first[0].events == second[0].events == 3 and first[0].pairs == 2


def test_views_refreshed_during_a_run_or_left_stale_by_a_crash_end_up_the_same(
    store: EventLog, monkeypatch: pytest.MonkeyPatch
) -> None:
    for i, day in enumerate((date(2022, 11, 2), date(2023, 1, 2), date(2023, 5, 5))):
        record_facts(store, [fact("meeting", on=day, article=i, persons=(XI,))], now=T0)
    rebuild_projections(store)
    expected = _snapshot(store)
    monkeypatch.setattr(runner, "VIEW_SECONDS", 0.0)  # refresh after every batch
    rebuild_projections(store, batch_size=1)
    assert _snapshot(store) == expected
    # A run that dies before its last transaction leaves views stale; the next run, with
    # nothing new to fold, still refreshes them.
    monkeypatch.setattr(runner, "_refresh_views", lambda views, conn: None)
    rebuild_projections(store)
    monkeypatch.undo()
    assert runner.read_rows(store, runner.VIEW, key="CHN-PAK") == []
    assert _snapshot(store) == expected


def test_as_of_answers_from_what_was_recorded_by_then(store: EventLog) -> None:
    meeting = fact("meeting", on=date(2022, 11, 2), persons=(XI, SHARIF), article="a")
    deal = fact("agreement", on=date(2022, 11, 2), area="energy", article="a")
    stream = pair_stream("CHN", "PAK")
    store.append(stream, [to_new_event(meeting, event_id=fact_id(meeting))], recorded_at=T0)
    store.append(
        stream,
        [to_new_event(deal, event_id=fact_id(deal))],
        recorded_at=T0 + timedelta(days=30),
    )
    late = EventCorroborated(event_id=fact_id(meeting), provenance=source("b"))
    store.append(stream, [to_new_event(late)], recorded_at=T0 + timedelta(days=60))
    gone = EventRetracted(event_id=fact_id(deal), reason="not signed")
    store.append(stream, [to_new_event(gone)], recorded_at=T0 + timedelta(days=90))

    def seen(days: int) -> tuple[dict[str, int], int]:
        view = relationship_view(store, "CHN", "PAK", as_of=T0 + timedelta(days=days))
        return view.counts, view.last_meeting.source_count if view.last_meeting else 0

    assert seen(-1) == ({}, 0)
    assert seen(0) == ({"meeting": 1}, 1)
    assert seen(45) == ({"agreement": 1, "meeting": 1}, 1)
    assert seen(75) == ({"agreement": 1, "meeting": 1}, 2)
    assert seen(100) == ({"meeting": 1}, 2)
    assert relationship_view(store, "CHN", "PAK").counts == {"meeting": 1}
    before = timeline(store, "CHN", "PAK", as_of=T0 + timedelta(days=45), kinds=["agreement"])
    assert [e.details["area"] for e in before] == ["energy"]
    # Once everything was recorded, the stored view is the as-of answer (one row, no parts).
    when, pair = T0 + timedelta(days=100), ("CHN", "PAK")
    folded = view_of(fold(to_recorded(r) for r in store.read_stream(stream)), pair, as_of=when)
    with view_recorder(store).recording() as conn:  # parts gone: only the stored view can answer
        conn.drop([runner.PART_VIEW])
    assert runner.recorded_view(store, pair, when) == folded
    assert relationship_view(store, "CHN", "PAK", as_of=when) == folded


def test_timeline_filters_by_valid_time_and_kind(store: EventLog) -> None:
    days = [date(2021, 5, 1), date(2022, 11, 2), date(2023, 3, 3), None]
    record_facts(store, [fact("meeting", on=d, article=str(i)) for i, d in enumerate(days)], now=T0)
    record_facts(store, [fact("visit", on=date(2024, 1, 1), planned=True, article="p")], now=T0)
    every = timeline(store, "PAK", "CHN")
    assert [e.occurred_on for e in every] == [*days[:3], date(2024, 1, 1), None]
    assert every[3].planned
    window = timeline(store, "CHN", "PAK", start=date(2022, 1, 1), end=date(2023, 3, 3))
    assert [e.occurred_on for e in window] == days[1:3]
    assert [e.occurred_on for e in timeline(store, "CHN", "PAK", start=date(2023, 1, 1))] == [
        date(2023, 3, 3),
        date(2024, 1, 1),
    ]
    assert [e.kind for e in timeline(store, "CHN", "PAK", kinds=["VisitMade"])] == ["visit"]
    with pytest.raises(InputError, match="unknown event type 'summit'"):
        timeline(store, "CHN", "PAK", kinds=["summit"])
    with pytest.raises(InputError, match="is after --to"):
        timeline(store, "CHN", "PAK", start=date(2023, 1, 1), end=date(2022, 1, 1))


def test_relations_sorts_and_planned_events_do_not_count(store: EventLog) -> None:
    record_facts(store, [fact("agreement", on=date(2022, 1, 1), area="x", article="1")], now=T0)
    record_facts(
        store,
        [
            fact("meeting", on=date(2023, 1, d), actors=("IND", "PAK"), article=f"m{d}")
            for d in (1, 9)
        ],
        now=T0,
    )
    record_facts(store, [fact("visit", on=date(2025, 1, 1), actors=("CHN", "USA"), planned=True)])
    by_events = [r.pair for r in relations(store)]
    assert by_events[0] == ("IND", "PAK")
    assert relations(store, sort="score")[0].pair == ("CHN", "PAK")
    planned_only = next(r for r in relations(store) if r.pair == ("CHN", "USA"))
    assert planned_only.events == 0 and planned_only.last_date is None
    with pytest.raises(InputError, match="unknown sort 'size'"):
        relations(store, sort="size")


def test_a_new_projection_version_replays_the_log_and_drops_stale_rows(
    store: EventLog, monkeypatch: pytest.MonkeyPatch
) -> None:
    record_facts(store, [fact("meeting", on=date(2022, 11, 2), persons=(XI, SHARIF))], now=T0)
    before = timeline(store, "CHN", "PAK")
    stale = replace(before[0], event_id=str(uuid.uuid4()), summary="left by an old version")
    with view_recorder(store).recording() as w:
        w.insert(
            [ViewRecord(runner.ENTRY_VIEW, stale.event_id, "CHN-PAK", "2022", codec.encode(stale))]
        )
    assert len(timeline(store, "CHN", "PAK")) == 2
    monkeypatch.setattr(runner, "CHECKPOINT", "projection:relationship:v-next")
    forget_cached_states()
    assert timeline(store, "CHN", "PAK") == before


def test_batches_read_only_named_entries_and_the_state_cache_is_bounded(
    store: EventLog, monkeypatch: pytest.MonkeyPatch
) -> None:
    days = (date(2022, 1, 1), date(2022, 2, 2), date(2022, 3, 3))
    record_facts(store, [fact("meeting", on=d, article=str(d)) for d in days], now=T0)
    record_facts(store, [fact("meeting", on=days[0], actors=("IND", "PAK"))], now=T0)
    rebuild_projections(store)
    expected = _snapshot(store)
    monkeypatch.setattr(runner, "CACHED_ENTRIES", 1)  # at most one pair's state is kept
    forget_cached_states()
    rebuild_projections(store, batch_size=1)
    assert len(runner._STATES) == 1
    assert _snapshot(store) == expected


def test_as_of_inside_one_batch_folds_the_months_it_changed(store: EventLog) -> None:
    """Events of one month folded in one batch leave a gap row for that month between the
    first and the last; as of any moment inside, the view is still exactly the fold's."""
    stream = pair_stream("CHN", "PAK")
    moments = []
    ids = []
    for i in range(6):
        at = T0 + timedelta(hours=i)
        kind = ("meeting", "agreement", "statement")[i % 3]
        event = fact(kind, on=date(2022, 5, 1 + i), persons=(XI, SHARIF), article=f"gap-{i}")
        ids.append(fact_id(event))
        store.append(stream, [to_new_event(event, event_id=ids[-1])], recorded_at=at)
        moments.append(at)
    later = T0 + timedelta(hours=7)
    store.append(
        stream, [to_new_event(EventRetracted(event_id=ids[1], reason="wrong"))], recorded_at=later
    )
    store.append(
        stream,
        [to_new_event(EventCorroborated(event_id=ids[0], provenance=source("gap-c")))],
        recorded_at=later + timedelta(hours=1),
    )
    moments += [later, later + timedelta(hours=1), later + timedelta(hours=2)]
    update_projections(store, batch_size=100)  # one batch: the month's part has a gap
    with view_recorder(store).reading() as conn:
        rows = conn.select_as_of(runner.PART_VIEW, pair="CHN-PAK", position=2)
    assert [r.body for r in rows] == ["null"]
    answers = _as_of_answers(store, moments)
    rebuild_projections(store, batch_size=2)  # other batches, other gaps: the same answers
    assert _as_of_answers(store, moments) == answers
    assert answers[moments[3]][0][0].counts == {"agreement": 1, "meeting": 2, "statement": 1}


def test_a_stream_recorded_out_of_order_is_answered_by_folding(store: EventLog) -> None:
    """Events appended with an earlier transaction time than the one before (an import of old
    articles): "recorded by T" is then no prefix of the stream, and as-of folds it."""
    stream = pair_stream("CHN", "PAK")
    for i, hours in enumerate((10, 2, 6)):
        event = fact("meeting", on=date(2022, 5, 1 + i), article=f"late-{i}")
        at = T0 + timedelta(hours=hours)
        store.append(stream, [to_new_event(event, event_id=fact_id(event))], recorded_at=at)
    update_projections(store)
    assert runner.recorded_view(store, ("CHN", "PAK"), T0 + timedelta(hours=7)) is None
    answers = _as_of_answers(store, [T0 + timedelta(hours=h) for h in (1, 3, 7, 11)])
    assert [len(per_pair[0][1]) for per_pair in answers.values()] == [0, 1, 2, 3]
