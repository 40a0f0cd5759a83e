"""The relationship projection as a pure fold: events in, state and views out, no database."""

from __future__ import annotations

from datetime import date, timedelta

from events import EventCorroborated, EventRetracted, EventsMerged, Person, StatementMade
from events.records import ArticleRecorded
from tests.facts import SHARIF, WANG, XI, Log, fact, source
from tracker.exports.labels import agreements_title
from tracker.projections.model import PersonRef
from tracker.projections.relationship import (
    LIST_LIMIT,
    fold,
    initial,
    is_leader,
    monthly_scores,
    timeline_of,
    trend,
    view_of,
)

PAIR = ("CHN", "PAK")


def test_unknown_events_leave_the_state_unchanged_and_states_are_immutable() -> None:
    log = Log()
    meeting = log.record(fact("meeting", on=date(2022, 11, 2), persons=(XI, SHARIF)))
    state = fold([meeting])
    after = fold([log.record(ArticleRecorded(article_id="x", content_hash="h"), stream="x")], state)
    assert after.entries == state.entries and after.position == 2
    assert len(initial().entries) == 0 and len(state.entries) == 1  # the fold never mutates


def test_view_counts_contacts_agreements_statements_trade_and_descriptor() -> None:
    log = Log()
    records = [
        log.record(fact("phone_call", on=date(2022, 3, 1), persons=(XI, SHARIF))),
        log.record(fact("meeting", on=date(2022, 11, 2), persons=(XI, SHARIF), location="Beijing")),
        log.record(fact("meeting", on=date(2022, 12, 5), persons=(WANG,))),
        log.record(fact("agreement", on=date(2022, 11, 2), area="e-commerce", title="MoU")),
        log.record(fact("agreement", on=date(2022, 11, 2), area="agriculture")),
        log.record(
            fact("statement", on=date(2022, 10, 1), topics=("CPEC",), summary="old CPEC line")
        ),
        log.record(fact("statement", on=date(2022, 11, 2), topics=("CPEC",), stance="supportive")),
        log.record(
            fact("statement", on=date(2022, 11, 2), actors=("PAK", "CHN"), topics=("Taiwan",))
        ),
        log.record(fact("trade_figure", on=date(2021, 2, 1), amount=17.5, period="2020")),
        log.record(fact("trade_figure", on=date(2022, 1, 9), amount=27.8, period="2021")),
        log.record(fact("descriptor", on=date(2021, 5, 1), descriptor="strategic partnership")),
        log.record(fact("descriptor", on=date(2022, 11, 2), descriptor="all-weather partnership")),
        log.record(fact("visit", on=date(2023, 6, 1), persons=(SHARIF,), planned=True)),
    ]
    view = view_of(fold(records), PAIR)
    assert view.counts == {
        "agreement": 2, "descriptor": 2, "meeting": 2, "phone_call": 1, "statement": 3,
        "trade_figure": 2,
    }  # fmt: skip
    assert (view.first_date, view.last_date) == (date(2021, 2, 1), date(2022, 12, 5))
    # The Wang Yi meeting is later but not at leader level.
    assert view.last_meeting is not None and view.last_meeting.location == "Beijing"
    assert view.last_leader_contact == view.last_meeting
    assert [a.details["area"] for a in view.agreements] == ["e-commerce", "agriculture"]
    assert view.statements["CHN"]["CPEC"].details["stance"] == "supportive"
    assert set(view.statements) == {"CHN", "PAK"} and "Taiwan" in view.statements["PAK"]
    latest = {e.details["period"]: e for e in view.trade}
    assert latest["2021"].details["change_pct"] == round((27.8 / 17.5 - 1) * 100, 2)
    assert latest["2021"].details["change_derived"] is True
    assert view.descriptor == "all-weather partnership"
    assert [c.descriptor for c in view.descriptor_history] == [
        "strategic partnership",
        "all-weather partnership",
    ]
    assert [e.kind for e in view.planned] == ["visit"]
    assert view.position == len(records)


def test_corroboration_adds_a_source_once_and_no_weight() -> None:
    log = Log()
    meeting = log.record(fact("meeting", on=date(2022, 11, 2), persons=(XI, SHARIF)))
    corroborations = [
        log.record(EventCorroborated(event_id=meeting.event_id, provenance=source(n)), stream=s)
        for n, s in ((2, meeting.stream_id), (3, meeting.stream_id), (2, meeting.stream_id))
    ]
    state = fold([meeting, *corroborations])
    (entry,) = timeline_of(state)
    assert [s.article_id for s in entry.sources] == ["art-1", "art-2", "art-3"]
    assert entry.source_count == 3
    assert monthly_scores(timeline_of(state)) == monthly_scores(timeline_of(fold([meeting])))


def test_merge_keeps_the_survivor_with_all_sources_and_retraction_removes() -> None:
    log = Log()
    a = log.record(fact("meeting", on=date(2022, 11, 2), article=1))
    b = log.record(fact("meeting", on=date(2022, 11, 3), article=2))
    c = log.record(fact("agreement", on=date(2022, 11, 2), area="energy", article=3))
    merged = log.record(
        EventsMerged(survivor_id=a.event_id, merged_ids=(b.event_id,), reason="same"),
        stream=a.stream_id,
    )
    late = log.record(
        EventCorroborated(event_id=b.event_id, provenance=source(4)), stream=a.stream_id
    )
    gone = log.record(EventRetracted(event_id=c.event_id, reason="wrong"), stream=a.stream_id)
    state = fold([a, b, c, merged, late, gone])
    (entry,) = timeline_of(state)
    assert entry.event_id == str(a.event_id)
    assert [s.article_id for s in entry.sources] == ["art-1", "art-2", "art-4"]
    view = view_of(state, PAIR)
    assert view.counts == {"meeting": 1} and view.agreements == ()
    assert view.monthly_scores[0].events == 1


def test_retracting_a_merged_away_id_withdraws_its_survivor() -> None:
    log = Log()
    a = log.record(fact("meeting", on=date(2022, 11, 2), article=1))
    b = log.record(fact("meeting", on=date(2022, 11, 2), article=2))
    merged = log.record(
        EventsMerged(survivor_id=a.event_id, merged_ids=(b.event_id,)), stream=a.stream_id
    )
    gone = log.record(
        EventRetracted(event_id=b.event_id, reason="story withdrawn"), stream=a.stream_id
    )
    assert timeline_of(fold([a, b, merged, gone])) == []


def test_timeline_is_in_valid_time_order_with_undated_last() -> None:
    log = Log()
    records = [
        log.record(fact("meeting", on=None, article=1)),
        log.record(fact("meeting", on=date(2023, 1, 5), article=2)),
        log.record(fact("meeting", on=date(2021, 7, 1), article=3)),
    ]
    days = [e.occurred_on for e in timeline_of(fold(records))]
    assert days == [date(2021, 7, 1), date(2023, 1, 5), None]


def test_monthly_scores_and_trend() -> None:
    log = Log()
    records = [
        log.record(fact("meeting", on=date(2022, 1, 10), article=1)),  # +1.0
        log.record(fact("agreement", on=date(2022, 2, 10), area="x", article=2)),  # +8.0
        log.record(fact("statement", on=date(2022, 3, 1), stance="critical", article=3)),  # -2
        log.record(fact("statement", on=date(2022, 3, 2), stance="critical", article=4)),
    ]
    scores = monthly_scores(timeline_of(fold(records)))
    assert [(s.month, s.score, s.events) for s in scores] == [
        ("2022-01", 1.0, 1),
        ("2022-02", 8.0, 1),
        ("2022-03", -4.0, 2),
    ]
    assert trend(scores) == -2.5  # least squares over months 1, 2, 3
    assert trend(scores[:1]) is None


def test_leaders_are_decided_from_titles() -> None:
    leaders = ["President", "Prime Minister", "Chinese Premier", "King", "Federal Chancellor"]
    others = [
        "Vice President", "Deputy Prime Minister", "Foreign Minister", "Former President",
        "President of the National Assembly", "Chancellor of the Exchequer", None,
    ]  # fmt: skip
    assert all(is_leader(PersonRef("X", t)) for t in leaders)
    assert not any(is_leader(PersonRef("X", t)) for t in others)


def test_statement_speaker_is_kept_in_the_details() -> None:
    log = Log()
    speaker = Person(name="Mao Ning", title="Spokesperson", country="CHN")
    statement = StatementMade.model_validate(
        fact("statement", on=date(2022, 11, 2), topics=("CPEC",), speaker=speaker).model_dump()
    )
    view = view_of(fold([log.record(statement)]), PAIR)
    assert view.statements["CHN"]["CPEC"].details["speaker"]["name"] == "Mao Ning"


def test_the_view_lists_the_latest_agreements_and_counts_them_all() -> None:
    log = Log()
    n = LIST_LIMIT + 7
    state = fold(
        log.record(fact("agreement", on=date(2020, 1, 1) + timedelta(days=i), article=i))
        for i in range(n)
    )
    view = view_of(state, ("CHN", "PAK"))
    listed = [e.occurred_on for e in view.agreements]
    assert listed == [date(2020, 1, 1) + timedelta(days=i) for i in range(7, n)]
    assert view.counts["agreement"] == n
    assert agreements_title(view) == (
        f"Agreements (latest {LIST_LIMIT} of {n}; timeline --type agreement lists all)"
    )


def test_a_summit_reported_as_visit_and_meeting_shows_the_meeting() -> None:
    log = Log()
    day = date(2022, 11, 2)
    records = [
        log.record(fact("meeting", on=day, persons=(XI, SHARIF), location="Beijing")),
        log.record(fact("visit", on=day, actors=("PAK", "CHN"), persons=(SHARIF,))),
        log.record(fact("phone_call", on=date(2022, 12, 1), persons=(XI, SHARIF))),
    ]
    view = view_of(fold(records), PAIR)
    assert view.last_meeting is not None and view.last_meeting.kind == "meeting"
    assert view.last_leader_contact is not None and view.last_leader_contact.kind == "phone_call"
    later_visit = log.record(fact("visit", on=date(2023, 1, 5), actors=("PAK", "CHN"),
                                  persons=(SHARIF,)))  # fmt: skip
    view = view_of(fold([*records, later_visit]), PAIR)
    assert view.last_meeting is not None and view.last_meeting.kind == "visit"
