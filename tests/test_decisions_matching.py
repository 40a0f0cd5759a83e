"""Matching a new fact against the active events of its relationship (pure)."""

from __future__ import annotations

from datetime import date

from events import DiplomaticEvent, Person
from tests.facts import BILAWAL, SHARIF, T0, WANG, XI, Log, fact
from tracker.decisions.matching import find_match, matches, same_person, similarity
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


def test_meetings_match_within_a_day_with_overlapping_persons() -> None:
    first = _entry(fact("meeting", on=DAY, persons=(XI, SHARIF)))
    alias = Person(name="Shahbaz Sharif", title="PM", country="PAK")
    assert matches(first, fact("meeting", on=date(2022, 11, 3), persons=(alias,)), T0)
    assert matches(first, fact("meeting", on=DAY), T0)  # nobody named
    assert not matches(first, fact("meeting", on=DAY, persons=(WANG, BILAWAL)), T0)
    assert not matches(first, fact("meeting", on=date(2022, 11, 5), persons=(XI,)), T0)
    assert not matches(first, fact("meeting", on=DAY, persons=(XI,), planned=True), T0)
    assert not matches(first, fact("phone_call", on=DAY, persons=(XI,)), T0)
    assert not matches(first, fact("meeting", on=None, persons=(XI,)), T0)


def test_visits_keep_their_direction() -> None:
    visit = _entry(fact("visit", on=DAY, actors=("PAK", "CHN"), persons=(SHARIF,)))
    assert matches(visit, fact("visit", on=DAY, actors=("PAK", "CHN")), T0)
    assert not matches(visit, fact("visit", on=DAY, actors=("CHN", "PAK")), T0)


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


def test_find_match_picks_the_earliest_active_event() -> None:
    log = Log()
    a = log.record(fact("meeting", on=DAY, article=1, persons=(XI,)))
    b = log.record(fact("meeting", on=DAY, article=2, persons=(WANG,)))
    state = fold([a, b])
    found = find_match(state, fact("meeting", on=DAY, article=3), T0)
    assert found is not None and found.event_id == str(a.event_id)
    assert find_match(state, fact("agreement", on=DAY, area="x"), T0) is None
