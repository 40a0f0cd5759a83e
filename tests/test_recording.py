"""The append path: corroboration instead of duplicates, retries, and analysts' corrections."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from datetime import date
from typing import Any
from uuid import UUID

import pytest

from events import EventCorroborated, EventsMerged, Person
from tests.facts import BILAWAL, SHARIF, T0, WANG, XI, fact, source
from tracker.decisions.matching import candidates, decide_match
from tracker.errors import ConcurrencyError, InputError
from tracker.projections.queries import relationship_view, timeline
from tracker.projections.relationship import fold
from tracker.projections.runner import decision_state, update_projections
from tracker.recording import fact_id, merge_events, record_facts, retract_event
from tracker.store import (
    AppendResult,
    EventLog,
    NewEvent,
    SqlEventStore,
    open_store,
    to_new_event,
    to_recorded,
)


@pytest.fixture
def store(any_store: EventLog) -> EventLog:
    """Every backend, the in-memory store included."""
    return any_store


DAY = date(2022, 11, 2)

# The same summit as five outlets report it, built as the extractor would.
SUMMIT_REPORTS = [
    fact("meeting", on=DAY, article="cgtn", persons=(XI, SHARIF), location="Beijing",
         summary="Xi Jinping met Pakistani Prime Minister Shehbaz Sharif at the Great Hall"),
    fact("meeting", on=DAY, article="dawn",
         persons=(Person(name="Shahbaz Sharif", title="PM", country="PAK"),),
         summary="PM Shehbaz holds talks with President Xi in Beijing"),
    fact("meeting", on=date(2022, 11, 3), article="xinhua",
         persons=(Person(name="President Xi", title="President", country="CHN"),),
         summary="Chinese President Xi Jinping holds talks with Pakistani PM"),
    fact("meeting", on=DAY, article="tribune", summary="Leaders of China and Pakistan met"),
    fact("meeting", on=DAY, article="reuters", persons=(Person(name="Xi Jinping"),),
         summary="China's Xi hosts Pakistan's new prime minister"),
]  # fmt: skip


def _meetings(store: EventLog) -> list[Any]:
    return timeline(store, "CHN", "PAK", kinds=["meeting"])


def test_one_summit_from_several_articles_is_one_meeting_with_all_sources(
    store: EventLog,
) -> None:
    for report in SUMMIT_REPORTS:
        record_facts(store, [report], now=T0)
    # A different meeting the same day (the foreign ministers) stays apart.
    record_facts(store, [fact("meeting", on=DAY, article="app", persons=(WANG, BILAWAL))], now=T0)
    meetings = _meetings(store)
    assert len(meetings) == 3
    summit = max(meetings, key=lambda e: e.source_count)
    (xinhua,) = [e for e in meetings if e.occurred_on == date(2022, 11, 3)]
    (ministers,) = [e for e in meetings if e not in (summit, xinhua)]
    assert [s.article_id for s in summit.sources] == [  # in source-key order, not arrival order
        "art-cgtn", "art-dawn", "art-reuters", "art-tribune",
    ]  # fmt: skip
    assert summit.sources[1].reasons == (
        "same type (meeting)",
        "same date 2022-11-02",
        "same persons: Muhammad Shehbaz Sharif",
    )
    # Dated a day later: the next day's meeting of a visit looks the same, so it is kept
    # apart and flagged for an analyst, not merged.
    assert xinhua.occurred_on == date(2022, 11, 3)
    assert (xinhua.possible_duplicates, summit.possible_duplicates) == (
        (summit.event_id,),
        (xinhua.event_id,),
    )
    assert ministers.possible_duplicates == ()
    view = relationship_view(store, "PAK", "CHN")
    assert view.counts == {"meeting": 3}
    types = [r.type for r in store.read_stream("pair-CHN-PAK")]
    assert types.count("MeetingHeld") == 3 and types.count("EventCorroborated") == 3
    assert types.count("DuplicateSuspected") == 1


def test_reingesting_is_a_noop_and_an_article_never_corroborates_itself(
    store: EventLog,
) -> None:
    first = fact("meeting", on=DAY, article="cgtn", persons=(XI, SHARIF), summary="Xi met Sharif")
    again = fact("meeting", on=DAY, article="cgtn", persons=(XI,), summary="the talks, again")
    record_facts(store, [first, again], now=T0)
    before = store.last_position()
    results = record_facts(store, [first, again], now=T0)
    assert store.last_position() == before == 1
    assert sum(len(r.duplicates) for r in results) == 1
    record_facts(store, [SUMMIT_REPORTS[1]], now=T0)
    record_facts(store, [SUMMIT_REPORTS[1]], now=T0)  # the corroboration id is deterministic
    (meeting,) = _meetings(store)
    assert meeting.source_count == 2 and store.last_position() == 2


def test_two_reports_in_one_batch_become_one_event(store: EventLog) -> None:
    record_facts(store, [*SUMMIT_REPORTS[:2], SUMMIT_REPORTS[3]], now=T0)
    (meeting,) = _meetings(store)
    assert meeting.source_count == 3


class _RacingStore(SqlEventStore):
    """A store whose first append loses a race: another poller records the summit first."""

    def __init__(self, inner: SqlEventStore) -> None:
        super().__init__(inner.engine)
        self.inner = inner
        self.raced = False

    def append(  # type: ignore[override]
        self, stream_id: str, events: Sequence[NewEvent], expected_version: int | None = None
    ) -> AppendResult:
        if not self.raced:
            self.raced = True
            record_facts(self.inner, [SUMMIT_REPORTS[0]], now=T0)
        return self.inner.append(stream_id, events, expected_version)


def test_a_concurrent_writer_makes_the_append_retry_and_corroborate(
    sql_store: SqlEventStore,
) -> None:
    store = sql_store
    racing = _RacingStore(store)
    record_facts(racing, [SUMMIT_REPORTS[1]], now=T0)
    (meeting,) = _meetings(store)
    assert [s.article_id for s in meeting.sources] == ["art-cgtn", "art-dawn"]


def test_appending_at_a_stale_version_is_refused(store: EventLog) -> None:
    record_facts(store, [SUMMIT_REPORTS[0]], now=T0)
    corroboration = EventCorroborated(event_id=_meetings(store)[0].event_id, provenance=source(9))
    with pytest.raises(ConcurrencyError):
        store.append("pair-CHN-PAK", [to_new_event(corroboration)], expected_version=0)


def test_retract_and_merge_are_honoured_and_checked(store: EventLog) -> None:
    record_facts(store, [SUMMIT_REPORTS[0]], now=T0)
    other_day = fact("meeting", on=date(2022, 11, 20), article="late", persons=(XI,))
    deal = fact("agreement", on=DAY, article="cgtn", area="energy")
    record_facts(store, [other_day, deal], now=T0)
    summit, late = _meetings(store)
    (agreement,) = timeline(store, "CHN", "PAK", kinds=["agreement"])

    merge_events(store, summit.event_id, [late.event_id], "misdated report of the summit")
    (kept,) = _meetings(store)
    assert kept.event_id == summit.event_id and kept.source_count == 2
    with pytest.raises(InputError, match=f"event {late.event_id} was merged into"):
        retract_event(store, late.event_id, "typo")
    with pytest.raises(InputError, match="only events of one kind"):
        merge_events(store, summit.event_id, [agreement.event_id], "x")

    retract_event(store, agreement.event_id, "the MoU was not signed")
    assert relationship_view(store, "CHN", "PAK").agreements == ()
    with pytest.raises(InputError, match="already retracted"):
        retract_event(store, agreement.event_id, "again")
    with pytest.raises(InputError, match="--reason is required"):
        retract_event(store, summit.event_id, " ")
    with pytest.raises(InputError, match="bad event id 'nope'"):
        retract_event(store, "nope", "x")
    with pytest.raises(InputError, match="cannot be merged into itself"):
        merge_events(store, summit.event_id, [summit.event_id], "x")


def test_two_pollers_at_once_record_the_summit_once(any_url: str) -> None:
    """Two threads with their own store handles race to record one summit from two outlets."""
    stores = [open_store(any_url), open_store(any_url)]
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def poll(store: EventLog, report: Any) -> None:
        try:
            barrier.wait()
            record_facts(store, [report], now=T0)
        except BaseException as e:  # surfaced below
            errors.append(e)

    threads = [
        threading.Thread(target=poll, args=(s, r))
        for s, r in zip(stores, SUMMIT_REPORTS[:2], strict=True)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    (meeting,) = _meetings(stores[0])
    assert meeting.source_count == 2
    for s in stores:
        s.close()


def _year(f: Any) -> Any:
    return f.model_copy(update={"date_precision": "year"})


def test_decisions_from_stored_candidates_equal_a_fold_of_the_whole_stream(
    store: EventLog,
) -> None:
    # Stored rows cover the first facts and a merge; a merge naming the merged-away id (so it
    # acts on that id's survivor), a corroboration and a fact are the tail.
    stored = [
        fact("meeting", on=date(2023, 1, 1), article="ny", persons=(XI,)),
        _year(fact("agreement", on=date(2022, 1, 1), article="y", area="energy")),
        fact("agreement", on=date(2022, 6, 10), article="june", area="health"),
        fact("trade_figure", on=date(2019, 3, 1), article="t", amount=20.0, currency="USD",
             unit="billion", period="2018"),
        fact("statement", article="undated", summary="China backs the economic corridor"),
        fact("meeting", on=date(2021, 5, 5), article="far", persons=(XI,)),
        fact("meeting", on=date(2020, 2, 2), article="a", persons=(XI,)),
        fact("meeting", on=date(2020, 7, 8), article="c", persons=(XI,)),
    ]  # fmt: skip
    record_facts(store, stored, now=T0)
    far, a, c = (str(fact_id(f)) for f in stored[5:])
    merge_events(store, far, [a], "one meeting")
    update_projections(store)
    tail_merge = EventsMerged(survivor_id=UUID(a), merged_ids=(UUID(c),), reason="same")
    store.append("pair-CHN-PAK", [to_new_event(tail_merge)])
    record_facts(store, [fact("meeting", on=date(2023, 1, 2), article="tail", persons=(XI,))])
    probes = [
        fact("meeting", on=date(2022, 12, 31), article="p1", persons=(XI,)),  # across the year
        fact("agreement", on=date(2022, 8, 1), article="p2", area="energy"),  # a year-wide one
        _year(fact("agreement", on=date(2022, 3, 1), article="p3", area="health")),
        fact("trade_figure", on=date(2023, 9, 1), article="p4", amount=20.0, currency="USD",
             unit="billion", period="2018"),  # the date of a trade report is ignored
        fact("statement", article="p5", summary="China backs the economic corridor fully"),
        stored[2],  # already recorded: known by id
        fact("meeting", on=date(2020, 7, 7), article="p7", persons=(XI,)),  # c was merged away
    ]  # fmt: skip
    log = [to_recorded(r) for r in store.read_stream("pair-CHN-PAK")]
    whole, now = fold(log), log[-1].recorded_at  # undated reports match when recorded close
    expected = [decide_match(whole, probe, now) for probe in probes]
    # Each probe finds its event (p1, a day apart, as a possible duplicate); p7 finds none.
    assert [d.match is not None or bool(d.suspects) for d in expected] == [True] * 6 + [False]
    assert expected[0].suspects and expected[0].match is None
    for probe, match in zip(probes, expected, strict=True):
        fid = str(fact_id(probe))
        part = decision_state(store, ("CHN", "PAK"), keys=[fid], wanted=[candidates(probe)])
        assert (part.version, part.knows(fid)) == (whole.version, whole.knows(fid))
        assert decide_match(part, probe, now) == match
