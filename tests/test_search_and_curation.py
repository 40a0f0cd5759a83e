"""The search projection (FTS5 / tsvector) and the analysts' confirmation, on each backend:
library, fold and CLI."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from events import EventConfirmed, EventsMerged
from tests.facts import SHARIF, T0, XI, Log, fact
from tracker.inspection import event_detail
from tracker.projections import codec
from tracker.projections import search as search_projection
from tracker.projections.relationship import fold, timeline_of
from tracker.projections.search import fts5_query, rebuild_search, search
from tracker.recording import confirm_event, merge_events, record_facts, retract_event
from tracker.store import SqlEventStore

DAY = date(2022, 11, 2)
Run = Callable[..., Any]


def _seed(store: SqlEventStore) -> dict[str, str]:
    facts = {
        "summit": fact("meeting", on=DAY, persons=(XI, SHARIF), article="cgtn",
                       summary="Xi Jinping met Shehbaz Sharif in Beijing",
                       quote="Xi said CPEC is a flagship of the Belt and Road"),
        "ecom": fact("agreement", on=DAY, area="e-commerce", article="cgtn",
                     summary="MoU on e-commerce signed"),
        "india": fact("meeting", on=date(2023, 5, 1), actors=("IND", "PAK"), article="other",
                      summary="India and Pakistan envoys met on the Indus treaty"),
        "echo": fact("meeting", on=date(2022, 12, 20), article="dawn", summary="Sharif sees Xi",
                     quote="officials talked about the corridor"),
    }  # fmt: skip
    ids = {}
    for name, f in facts.items():
        written = record_facts(store, [f], now=T0)[0].written
        ids[name] = str(written[0].event_id)
    return ids


def test_search_finds_summary_persons_evidence_type_and_pair(store: SqlEventStore) -> None:
    ids = _seed(store)
    assert [h.key for h in search(store, "flagship Belt")] == [ids["summit"]]  # evidence
    assert ids["summit"] in {h.key for h in search(store, "Shehbaz Sharif")}  # persons
    assert {h.key for h in search(store, "Indus", pair=("IND", "PAK"))} == {ids["india"]}
    assert search(store, "Indus", pair=("CHN", "PAK")) == []
    assert {h.key for h in search(store, "Pakistan", kinds=["agreement"])} == {ids["ecom"]}
    assert {h.key for h in search(store, "Pakistan", start=date(2023, 1, 1))} == {ids["india"]}
    hit = search(store, "flagship")[0]
    assert hit.kind == "event" and hit.pair == "CHN-PAK" and hit.date == DAY
    assert any(is_match and "flagship" in text.lower() for text, is_match in hit.snippet)


def test_the_index_follows_retractions_and_merges_and_rebuilds(store: SqlEventStore) -> None:
    ids = _seed(store)
    assert ids["echo"] in {h.key for h in search(store, "corridor")}
    merge_events(store, ids["summit"], [ids["echo"]], "same summit")
    # The merged-away event leaves; its source's words now find the survivor.
    assert [h.key for h in search(store, "corridor")] == [ids["summit"]]
    retract_event(store, ids["ecom"], "not signed")
    assert search(store, "e-commerce") == []
    before = [(h.key, h.title) for h in search(store, "Pakistan", limit=10)]
    assert rebuild_search(store) == store.last_position()
    assert [(h.key, h.title) for h in search(store, "Pakistan", limit=10)] == before


def test_user_words_are_never_fts5_syntax() -> None:
    assert fts5_query('CPEC "OR" NEAR(x) -y*') == '"CPEC" "OR" "NEAR" "x" "y"*'


def test_confirmation_is_folded_into_the_entry_and_survives_merges() -> None:
    log = Log()
    summit, echo = fact("meeting", on=DAY, article=1), fact("meeting", on=DAY, article=2)
    a, b = log.record(summit), log.record(echo)
    stream = a.stream_id
    state = fold(
        [a, b, log.record(EventConfirmed(event_id=b.event_id, reason="checked"), stream=stream)]
    )
    assert {str(e.event_id): e.confirmed for e in timeline_of(state)} == {
        str(a.event_id): False,
        str(b.event_id): True,
    }
    merged = fold(
        [log.record(EventsMerged(survivor_id=a.event_id, merged_ids=(b.event_id,)), stream=stream)],
        state,
    )
    assert [e.confirmed for e in timeline_of(merged)] == [True]
    old_row = json.loads(codec.encode(timeline_of(state)[0]))
    del old_row["confirmed"]  # a row written before EventConfirmed existed
    assert codec.entry_from(old_row).confirmed is False


def test_confirm_records_who_and_why_once(store: SqlEventStore) -> None:
    ids = _seed(store)
    first = confirm_event(store, ids["summit"], "read both sources", analyst="ana")
    again = confirm_event(store, ids["summit"], "read both sources", analyst="ana")
    assert len(first.written) == 1 and not again.written and again.duplicates
    detail = event_detail(store, ids["summit"])
    assert detail.confirmed and detail.status == "active"
    (c,) = detail.corrections
    assert (c.type, c.reason, c.analyst) == ("EventConfirmed", "read both sources", "ana")


def test_cli_confirm_event_and_search(run_cli: Run, store: SqlEventStore) -> None:
    ids = _seed(store)
    done = run_cli("confirm", ids["summit"], "--reason", "checked", "--json")
    assert done.exit_code == 0, done.output
    assert len(json.loads(done.stdout)["written"]) == 1
    shown = run_cli("event", ids["summit"])
    assert (
        shown.exit_code == 0 and "(confirmed)" in shown.stdout and "EventConfirmed" in shown.stdout
    )
    found = json.loads(run_cli("search", "flagship", "--json").stdout)
    assert [h["key"] for h in found] == [ids["summit"]]
    table = run_cli("search", "flagship")
    assert table.exit_code == 0 and "meeting" in table.stdout and "CHN-PAK" in table.stdout
    for args, line in (
        (("confirm", ids["summit"], "--reason", " "), "Error: --reason is required"),
        (("confirm", "nope", "--reason", "x"), "Error: bad event id 'nope'"),
        (("event", "00000000-0000-0000-0000-000000000000"), "Error: no event"),
        (("search", "!!!"), "Error: nothing to search for"),
        (("search", "x", "--pair", "XX-YY"), "Error: unknown relationship 'XX-YY'"),
    ):
        result = run_cli(*args)
        assert result.exit_code == 2, args
        assert result.stderr.startswith(line), result.stderr
    retract_event(store, ids["ecom"], "wrong")
    refused = run_cli("confirm", ids["ecom"], "--reason", "x")
    assert refused.exit_code == 2 and "already retracted" in refused.stderr


def test_a_word_in_very_many_documents_ranks_only_the_newest(
    store: SqlEventStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = _seed(store)
    assert len(search(store, "Pakistan")) == 4
    monkeypatch.setattr(search_projection, "RANKED", 2)
    assert {h.key for h in search(store, "Pakistan")} == {ids["india"], ids["echo"]}
    assert {h.key for h in search(store, "Pakistan", kinds=["agreement"])} == {ids["ecom"]}
