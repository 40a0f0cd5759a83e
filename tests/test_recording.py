"""The append path: corroboration instead of duplicates, retries, and analysts' corrections."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from datetime import date
from typing import Any

import pytest

from events import EventCorroborated, Person
from tests.facts import BILAWAL, SHARIF, T0, WANG, XI, fact, source
from tracker.errors import ConcurrencyError, InputError
from tracker.projections.queries import relationship_view, timeline
from tracker.recording import merge_events, record_facts, retract_event
from tracker.store import AppendResult, NewEvent, SqlEventStore, open_store, to_new_event

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


def _meetings(store: SqlEventStore) -> list[Any]:
    return timeline(store, "CHN", "PAK", kinds=["meeting"])


def test_one_summit_from_several_articles_is_one_meeting_with_all_sources(
    store: SqlEventStore,
) -> None:
    for report in SUMMIT_REPORTS:
        record_facts(store, [report], now=T0)
    # A different meeting the same day (the foreign ministers) stays apart.
    record_facts(store, [fact("meeting", on=DAY, article="app", persons=(WANG, BILAWAL))], now=T0)
    meetings = _meetings(store)
    assert len(meetings) == 2
    summit = meetings[0] if meetings[0].location else meetings[1]
    assert [s.article_id for s in summit.sources] == [
        "art-cgtn", "art-dawn", "art-xinhua", "art-tribune", "art-reuters",
    ]  # fmt: skip
    view = relationship_view(store, "PAK", "CHN")
    assert view.counts == {"meeting": 2}
    assert view.monthly_scores[0].score == 2.0  # each real-world meeting weighs once
    types = [r.type for r in store.read_stream("pair-CHN-PAK")]
    assert types.count("MeetingHeld") == 2 and types.count("EventCorroborated") == 4


def test_reingesting_is_a_noop_and_an_article_never_corroborates_itself(
    store: SqlEventStore,
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


def test_two_reports_in_one_batch_become_one_event(store: SqlEventStore) -> None:
    record_facts(store, SUMMIT_REPORTS[:3], now=T0)
    (meeting,) = _meetings(store)
    assert meeting.source_count == 3


class _RacingStore:
    """A store whose first append loses a race: another poller records the summit first."""

    def __init__(self, inner: SqlEventStore) -> None:
        self.inner = inner
        self.raced = False

    def read_stream(self, stream_id: str, **kw: Any) -> Any:
        return self.inner.read_stream(stream_id, **kw)

    def append(
        self, stream_id: str, events: Sequence[NewEvent], expected_version: int | None = None
    ) -> AppendResult:
        if not self.raced:
            self.raced = True
            record_facts(self.inner, [SUMMIT_REPORTS[0]], now=T0)
        return self.inner.append(stream_id, events, expected_version)


def test_a_concurrent_writer_makes_the_append_retry_and_corroborate(store: SqlEventStore) -> None:
    racing = _RacingStore(store)
    record_facts(racing, [SUMMIT_REPORTS[1]], now=T0)  # type: ignore[arg-type]
    (meeting,) = _meetings(store)
    assert [s.article_id for s in meeting.sources] == ["art-cgtn", "art-dawn"]


def test_appending_at_a_stale_version_is_refused(store: SqlEventStore) -> None:
    record_facts(store, [SUMMIT_REPORTS[0]], now=T0)
    corroboration = EventCorroborated(event_id=_meetings(store)[0].event_id, provenance=source(9))
    with pytest.raises(ConcurrencyError):
        store.append("pair-CHN-PAK", [to_new_event(corroboration)], expected_version=0)


def test_retract_and_merge_are_honoured_and_checked(store: SqlEventStore) -> None:
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

    def poll(store: SqlEventStore, report: Any) -> None:
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
