"""Matching a new fact against the active events of its relationship (pure)."""

from __future__ import annotations

from datetime import date

from events import DiplomaticEvent, Person
from tests.facts import BILAWAL, SHARIF, T0, WANG, XI, Log, fact
from tracker.decisions.matching import (
    Decision,
    Strength,
    decide_match,
    find_match,
    judge,
    matches,
    similarity,
)
from tracker.persons import same_person
from tracker.projections.model import PersonRef, TimelineEntry
from tracker.projections.relationship import fold, timeline_of

DAY = date(2022, 11, 2)


def _entry(f: DiplomaticEvent) -> TimelineEntry:
    (entry,) = timeline_of(fold([Log().record(f)]))
    return entry


def test_names_match_across_spellings_but_not_across_people() -> None:
    assert same_person(PersonRef("Muhammad Shehbaz Sharif"), PersonRef("Shahbaz Sharif"))
    assert same_person(PersonRef("President Xi Jinping"), PersonRef("Xi Jinping"))
    assert not same_person(PersonRef("Xi Jinping"), PersonRef("Wang Yi"))
    assert not same_person(PersonRef("Sharif", country="PAK"), PersonRef("Sharif", country="IND"))


def test_meetings_match_on_the_day_with_overlapping_persons() -> None:
    first = _entry(fact("meeting", on=DAY, persons=(XI, SHARIF)))
    alias = Person(name="Shahbaz Sharif", title="PM", country="PAK")
    assert matches(first, fact("meeting", on=DAY, persons=(alias,)), T0)
    day_after = judge(first, fact("meeting", on=date(2022, 11, 3), persons=(alias,)), T0)
    assert day_after is not None and day_after.strength == Strength.SUSPECT  # flagged, not merged
    assert matches(first, fact("meeting", on=DAY), T0)  # nobody named
    assert not matches(first, fact("meeting", on=DAY, persons=(WANG, BILAWAL)), T0)
    assert not matches(first, fact("meeting", on=date(2022, 11, 5), persons=(XI,)), T0)
    assert not matches(first, fact("meeting", on=DAY, persons=(XI,), planned=True), T0)
    assert not matches(first, fact("phone_call", on=DAY, persons=(XI,)), T0)
    assert not matches(first, fact("meeting", on=None, persons=(XI,)), T0)


def test_visits_keep_their_direction_unless_the_persons_agree() -> None:
    visit = _entry(fact("visit", on=DAY, actors=("PAK", "CHN"), persons=(SHARIF,)))
    assert matches(visit, fact("visit", on=DAY, actors=("PAK", "CHN")), T0)
    assert not matches(visit, fact("visit", on=DAY, actors=("CHN", "PAK")), T0)
    # The same visitor named, the direction misread by one report: thin, but the same visit.
    swapped = judge(visit, fact("visit", on=DAY, actors=("CHN", "PAK"), persons=(SHARIF,)), T0)
    assert swapped is not None and swapped.strength == Strength.ALONE
    assert swapped.reasons[-1] == (
        "same persons: Muhammad Shehbaz Sharif; visitor and host read the other way round"
    )


def test_statements_need_the_same_speaker_and_similar_words() -> None:
    said = (
        "China firmly supports Pakistan in safeguarding its sovereignty and territorial integrity"
    )
    first = _entry(fact("statement", on=DAY, summary=said, topics=("sovereignty",)))
    reworded = "Beijing firmly supported Pakistan safeguarding sovereignty, territorial integrity"
    assert similarity(said, reworded) >= 0.6
    assert matches(first, fact("statement", on=DAY, summary=reworded), T0)
    other = "China hopes the CPEC projects in Gwadar will speed up"
    assert not matches(first, fact("statement", on=DAY, summary=other), T0)
    by_pakistan = fact("statement", on=DAY, actors=("PAK", "CHN"), summary=said)
    assert not matches(first, by_pakistan, T0)


def test_agreements_match_by_area_and_trade_by_period_direction_amount() -> None:
    mou = _entry(fact("agreement", on=DAY, area="E-commerce"))
    assert matches(mou, fact("agreement", on=DAY, area="e-commerce", article=2), T0)
    assert not matches(mou, fact("agreement", on=DAY, area="agriculture"), T0)
    trade = _entry(fact("trade_figure", on=date(2022, 1, 9), amount=27.82, period="2021"))
    later = fact("trade_figure", on=date(2022, 6, 1), amount=27.82, period="2021", article=2)
    assert matches(trade, later, T0)
    assert not matches(trade, fact("trade_figure", amount=27.82, period="2020"), T0)
    assert not matches(trade, fact("trade_figure", amount=30.0, period="2021"), T0)


def test_find_match_picks_the_earliest_firm_event_and_flags_what_is_too_thin() -> None:
    log = Log()
    a = log.record(fact("meeting", on=DAY, article=1, persons=(XI,)))
    b = log.record(fact("meeting", on=DAY, article=2, persons=(WANG,)))
    c = log.record(fact("meeting", on=DAY, article=3, persons=(XI, SHARIF)))
    state = fold([a, b, c])
    found = find_match(state, fact("meeting", on=DAY, article=4, persons=(XI,)), T0)
    assert found is not None and found.event_id == str(a.event_id)
    assert find_match(state, fact("agreement", on=DAY, area="x"), T0) is None
    # Nobody named: three meetings that day it may report, too little to tell which.
    thin = decide_match(state, fact("meeting", on=DAY, article=5), T0)
    assert thin.match is None and {e.event_id for e in thin.suspects} == {
        str(a.event_id),
        str(b.event_id),
        str(c.event_id),
    }
    assert thin.why == "3 events it may report, too little to tell which"


PREMIER_LI = Person(name="Li Keqiang", title="Premier", country="CHN")


def test_who_decides_between_meetings_of_one_visitor_on_one_day() -> None:
    log = Log()
    summit = log.record(fact("meeting", on=DAY, article=1, persons=(XI, SHARIF)))
    state = fold([summit])
    # The visitor's second meeting that day, with another counterpart: another event.
    other = fact("meeting", on=DAY, article=2, persons=(PREMIER_LI, SHARIF))
    assert decide_match(state, other, T0) == Decision()
    # The same meeting, its visitor named by title, a spokesperson quoted.
    premier = Person(name="the premier", country="PAK")
    spokesperson = Person(name="Mumtaz Zahra Baloch", title="Spokesperson", country="PAK")
    again = fact("meeting", on=DAY, article=3, persons=(premier, spokesperson, XI))
    decision = decide_match(state, again, T0)
    assert decision.match is not None and decision.match.event_id == str(summit.event_id)
    assert decision.reasons == (
        "same type (meeting)",
        "same date 2022-11-02",
        "same persons: Xi Jinping, Muhammad Shehbaz Sharif",
    )
    # Only the spokesperson named: nothing to compare, the only meeting that day.
    quoted = decide_match(state, fact("meeting", on=DAY, article=4, persons=(spokesperson,)), T0)
    assert quoted.match is not None and quoted.reasons[-1] == "the only such event"


def test_a_call_is_never_a_meeting_and_other_kinds_say_why() -> None:
    log = Log()
    call = log.record(fact("phone_call", on=DAY, article=1, persons=(WANG, BILAWAL)))
    state = fold([call])
    assert (
        decide_match(state, fact("meeting", on=DAY, article=2, persons=(WANG,)), T0).match is None
    )
    mou = _entry(fact("agreement", on=DAY, area="energy"))
    judged = judge(mou, fact("agreement", on=date(2022, 11, 3), area="energy", article=2), T0)
    assert judged is not None and judged.strength == Strength.ALONE
    assert judged.reasons == (
        "same type (agreement)",
        "dates a day apart (2022-11-02 and 2022-11-03)",
        "same area energy",
    )
