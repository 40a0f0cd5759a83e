"""Corroborations add what they know: the fold gives one entry whichever report came first."""

from __future__ import annotations

import uuid
from datetime import date

from events import DuplicateSuspected, EventCorroborated, EventRetracted, EventsMerged, Person
from tests.facts import SHARIF, XI, Log, fact, source
from tracker.projections.relationship import fold, merge_entries, report_entry
from tracker.store import NewEvent, SqlEventStore, to_recorded

DAY = date(2022, 11, 2)
SHORT = Person(name="Shehbaz", title="PM", country="PAK")


def _corroboration(target: uuid.UUID, article: str, **fields: object) -> EventCorroborated:
    return EventCorroborated(
        event_id=target, provenance=source(article), reasons=("same type",), **fields
    )


def test_a_corroboration_adds_persons_topics_and_a_better_date() -> None:
    log = Log()
    first = log.record(
        fact("joint_statement", on=None, persons=(XI,), topics=("CPEC",), areas=("trade",))
    )
    more = log.record(
        _corroboration(
            first.event_id, "b", persons=(SHORT,), occurred_on=DAY, date_precision="day",
            details={"topics": ["Taiwan", "CPEC"], "areas": ["energy"]}, summary="b's words",
        ),
        stream=first.stream_id,
    )  # fmt: skip
    (entry,) = fold([first, more]).entries.values()
    assert (entry.occurred_on, entry.date_precision) == (DAY, "day")
    assert [p.name for p in entry.persons] == ["Xi Jinping", "Shehbaz"]
    assert entry.details["topics"] == ["CPEC", "Taiwan"]
    assert entry.details["areas"] == ["energy", "trade"]
    assert [s.reasons for s in entry.sources] == [(), ("same type",)]
    assert entry.event_id == str(first.event_id) and entry.position == first.position


def test_one_person_under_two_names_is_kept_once_by_the_fuller_name() -> None:
    log = Log()
    first = log.record(fact("meeting", on=DAY, persons=(XI, SHORT)))
    more = log.record(
        _corroboration(first.event_id, "b", persons=(SHARIF,), occurred_on=DAY),
        stream=first.stream_id,
    )
    (entry,) = fold([first, more]).entries.values()
    assert [(p.name, p.title) for p in entry.persons] == [
        ("Xi Jinping", "President"),
        ("Muhammad Shehbaz Sharif", "Prime Minister"),
    ]


def test_merging_reports_does_not_depend_on_their_order() -> None:
    log = Log()
    a = fold([log.record(fact("meeting", on=DAY, article="a", persons=(XI,), location="Beijing"))])
    b = fold([log.record(fact("meeting", on=None, article="b", persons=(SHARIF,)))])
    c = fold([log.record(fact("meeting", on=DAY, article="c", persons=(SHORT, XI)))])
    (ea,), (eb,), (ec,) = (s.entries.values() for s in (a, b, c))
    one = merge_entries(merge_entries(ea, eb), ec)
    two = merge_entries(merge_entries(ec, ea), eb)
    strip = {"event_id": "", "position": 0}
    assert {**one.__dict__, **strip} == {**two.__dict__, **strip}
    assert one.location == "Beijing" and len(one.persons) == 2 and one.source_count == 3


def test_a_v1_corroboration_row_is_read_as_v2(store: SqlEventStore) -> None:
    target = uuid.uuid4()
    v1 = NewEvent(
        event_id=uuid.uuid4(),
        type="EventCorroborated",
        schema_version=1,
        payload={"event_id": str(target), "provenance": {"url": "https://example.org/a"}},
    )
    store.append("pair-CHN-PAK", [v1])
    row = store.read_stream("pair-CHN-PAK")[0]
    event = to_recorded(row).event
    assert row.schema_version == 1 and isinstance(event, EventCorroborated)
    assert (event.persons, event.details, event.reasons, event.occurred_on) == ((), {}, (), None)
    assert EventCorroborated.schema_version == 2


def test_a_bare_corroboration_only_adds_its_source() -> None:
    log = Log()
    first = log.record(fact("meeting", on=DAY, persons=(XI, SHARIF)))
    bare = EventCorroborated(event_id=first.event_id, provenance=source("z"))
    (entry,) = fold([first]).entries.values()
    merged = merge_entries(entry, report_entry(bare, entry))
    assert merged.summary == entry.summary and merged.persons == entry.persons
    assert merged.occurred_on == DAY and merged.source_count == 2


def test_a_suspected_duplicate_is_flagged_on_both_until_merged_or_retracted() -> None:
    log = Log()
    a = log.record(fact("meeting", on=DAY, article="a", persons=(XI, SHARIF)))
    b = log.record(fact("meeting", on=DAY, article="b", persons=(SHORT,)))
    flag = log.record(
        DuplicateSuspected(event_id=b.event_id, of_ids=(a.event_id,), reason="thin"),
        stream=a.stream_id,
    )
    state = fold([a, b, flag])
    assert state.entries[str(b.event_id)].possible_duplicates == (str(a.event_id),)
    assert state.entries[str(a.event_id)].possible_duplicates == (str(b.event_id),)
    merged = fold(
        [
            log.record(
                EventsMerged(survivor_id=a.event_id, merged_ids=(b.event_id,)), stream=a.stream_id
            )
        ],
        state,
    )
    (survivor,) = merged.entries.values()
    assert survivor.possible_duplicates == () and survivor.source_count == 2
    retracted = fold(
        [log.record(EventRetracted(event_id=b.event_id, reason="dup"), stream=a.stream_id)], state
    )
    assert retracted.entries[str(a.event_id)].possible_duplicates == ()
