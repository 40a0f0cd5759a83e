"""JSON export: the document validates against the published schema and round-trips."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import jsonschema
import pytest

from tests.exports_sample import HOSTILE_TITLE, empty_report, sample_report
from tracker.exports.json_export import FORMAT, FORMAT_VERSION, render_json, schema


def _validator() -> jsonschema.Draft202012Validator:
    s = schema()
    jsonschema.Draft202012Validator.check_schema(s)
    return jsonschema.Draft202012Validator(s, format_checker=jsonschema.FormatChecker())


def test_the_export_validates_against_the_schema() -> None:
    doc = json.loads(render_json(sample_report()))
    errors = list(_validator().iter_errors(doc))
    assert errors == []


def test_the_document_carries_every_event_and_its_sources() -> None:
    report = sample_report()
    doc = json.loads(render_json(report))
    assert doc["format"] == FORMAT and doc["format_version"] == FORMAT_VERSION
    assert [e["event_id"] for e in doc["events"]] == [e.event_id for e in report.entries]
    meeting = next(e for e in doc["events"] if e["kind"] == "meeting" and e["occurred_on"])
    assert meeting["occurred_on"] == "2022-11-02"
    assert meeting["source_count"] == 3 == len(meeting["sources"])
    assert {s["outlet"] for s in meeting["sources"]} == {"CGTN", "Xinhua", "Dawn"}
    rel = doc["relationship"]
    assert rel["pair"] == ["CHN", "PAK"] and len(rel["agreements"]) == 6
    assert rel["descriptor"] == "all-weather strategic cooperative partnership"
    assert rel["trade"][0]["details"]["amount"] == 27.82
    # text is data in JSON: kept verbatim (escaping is the consumer's job in its own context)
    titles = {e["details"].get("title") for e in rel["agreements"]}
    assert HOSTILE_TITLE in titles


def test_filters_are_recorded_and_validate() -> None:
    report = sample_report(
        start=date(2022, 11, 1),
        end=date(2022, 11, 30),
        kinds=("agreement",),
        as_of=datetime(2022, 11, 5, tzinfo=UTC),
    )
    doc = json.loads(render_json(report))
    assert doc["filters"] == {
        "from": "2022-11-01",
        "to": "2022-11-30",
        "types": ["agreement"],
        "as_of": "2022-11-05T00:00:00+00:00",
    }
    _validator().validate(doc)


def test_the_schema_rejects_a_document_missing_a_field() -> None:
    doc = json.loads(render_json(sample_report()))
    del doc["events"][0]["sources"]
    with pytest.raises(jsonschema.ValidationError, match="sources"):
        _validator().validate(doc)


def test_an_empty_relationship_still_validates() -> None:
    doc = json.loads(render_json(empty_report()))
    _validator().validate(doc)
    assert doc["events"] == [] and doc["relationship"]["last_meeting"] is None


def test_rendering_is_deterministic() -> None:
    assert render_json(sample_report()) == render_json(sample_report())
