"""export-log -> import-log: an identical, verified log on any backend; refusals are clear."""

from __future__ import annotations

import dataclasses
import itertools
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tests.exports_facts import NOW, record_summit
from tests.facts import fact
from tracker.cli import app
from tracker.errors import InputError, IntegrityError
from tracker.exports.log import FIELDS, export_log, import_log, row_to_json
from tracker.projections import queries
from tracker.recording import record_facts
from tracker.store import SqlEventStore, open_store, verify
from tracker.store.chain import GENESIS, hash_of

Run = Callable[..., Any]


def _cli(*args: str) -> Any:
    return CliRunner().invoke(app, list(args), catch_exceptions=False)


def _dump(store: SqlEventStore, path: Path) -> int:
    with path.open("w", encoding="utf-8") as out:
        return export_log(store, out)


def _same_log(a: SqlEventStore, b: SqlEventStore) -> None:
    rows_a, rows_b = list(a.read_all()), list(b.read_all())
    assert rows_a and rows_a == rows_b  # positions, ids, recorded_at, payloads, hashes
    assert verify(b).ok and verify(b).checked == len(rows_a)


def test_every_field_is_exported(store: SqlEventStore, tmp_path: Path) -> None:
    record_summit(store)
    path = tmp_path / "events.jsonl"
    assert _dump(store, path) == store.last_position()
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert [tuple(line) for line in lines] == [FIELDS] * len(lines)
    assert [line["position"] for line in lines] == list(range(1, len(lines) + 1))
    assert lines[0]["prev_hash"] == "0" * 64
    assert all(b["prev_hash"] == a["hash"] for a, b in itertools.pairwise(lines))


def test_round_trip_through_the_cli_into_a_fresh_sqlite_store(
    run_cli: Run, store: SqlEventStore, tmp_path: Path
) -> None:
    """SQLite -> SQLite and PostgreSQL -> SQLite."""
    record_summit(store)
    path = tmp_path / "events.jsonl"
    result = run_cli("export-log", "-o", str(path))
    assert result.exit_code == 0 and f"Exported {store.last_position()} events" in result.stdout
    target_url = f"sqlite:///{tmp_path / 'restored.db'}"
    result = _cli("import-log", str(path), "--db", target_url, "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["imported"] == store.last_position() and report["verify"]["ok"]
    restored = open_store(target_url)
    try:
        _same_log(store, restored)
        assert queries.timeline(restored, "CHN", "PAK") == queries.timeline(store, "CHN", "PAK")
    finally:
        restored.close()


@pytest.mark.postgres
def test_round_trip_sqlite_to_postgres(db_url: str, pg_url: str, tmp_path: Path) -> None:
    source, target = open_store(db_url), open_store(pg_url)
    try:
        record_summit(source)
        path = tmp_path / "events.jsonl"
        assert _cli("export-log", "-o", str(path), "--db", db_url).exit_code == 0
        result = _cli("import-log", str(path), "--db", pg_url)
        assert result.exit_code == 0, result.output
        assert "verify: OK" in result.stdout
        _same_log(source, target)
        view = queries.relationship_view(target, "CHN", "PAK")
        assert view == queries.relationship_view(source, "CHN", "PAK")
    finally:
        source.close()
        target.close()


def test_export_log_to_stdout(run_cli: Run, store: SqlEventStore) -> None:
    record_summit(store)
    result = run_cli("export-log")
    assert result.exit_code == 0
    assert len(result.stdout.splitlines()) == store.last_position()


def test_a_store_that_the_log_continues_takes_only_the_new_rows(
    store: SqlEventStore, tmp_path: Path
) -> None:
    record_summit(store)
    first, full = tmp_path / "first.jsonl", tmp_path / "full.jsonl"
    _dump(store, first)
    target = open_store(f"sqlite:///{tmp_path / 'target.db'}")
    try:
        assert import_log(target, first).imported == store.last_position()
        record_facts(store, [fact("visit", on=NOW.date(), article=99, actors=("PAK", "CHN"))])
        _dump(store, full)
        report = import_log(target, full)
        assert (report.imported, report.skipped) == (1, store.last_position() - 1)
        _same_log(store, target)
        again = import_log(target, full)  # idempotent: nothing new
        assert (again.imported, again.skipped) == (0, store.last_position())
        older = import_log(target, first)  # an older backup of the same history
        assert (older.imported, older.skipped) == (0, store.last_position() - 1)
    finally:
        target.close()


def test_a_store_with_another_history_is_refused(store: SqlEventStore, tmp_path: Path) -> None:
    record_summit(store)
    path = tmp_path / "events.jsonl"
    _dump(store, path)
    other = open_store(f"sqlite:///{tmp_path / 'other.db'}")
    try:
        record_facts(other, [fact("meeting", on=NOW.date(), article="elsewhere")])
        with pytest.raises(InputError, match="does not continue this store's log"):
            import_log(other, path)
        assert other.last_position() == 1
        record_facts(other, [fact("visit", on=NOW.date(), article="later", actors=("PAK", "CHN"))])
        short = tmp_path / "short.jsonl"  # a one-row file the other store "already has"
        short.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n")
        with pytest.raises(InputError, match="does not continue this store's log"):
            import_log(other, short)
    finally:
        other.close()


def test_a_tampered_log_is_refused_and_nothing_is_imported(
    store: SqlEventStore, tmp_path: Path
) -> None:
    record_summit(store)
    path = tmp_path / "events.jsonl"
    _dump(store, path)
    lines = path.read_text(encoding="utf-8").splitlines()
    index = next(i for i, line in enumerate(lines) if "Beijing" in json.loads(line)["payload"])
    row = json.loads(lines[index])
    row["payload"] = row["payload"].replace("Beijing", "Lahore")
    lines[index] = json.dumps(row)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    target = open_store(f"sqlite:///{tmp_path / 'target.db'}")
    try:
        broken = rf"broken at position {row['position']}: content does not match"
        with pytest.raises(IntegrityError, match=broken):
            import_log(target, path)
        assert target.last_position() == 0
    finally:
        target.close()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("not json\n", r"events\.jsonl:1: not JSON"),
        ("[1, 2]\n", r"events\.jsonl:1: expected a JSON object per line, got list"),
        ('{"position": 1}\n', r"events\.jsonl:1: missing field\(s\) event_id, stream_id"),
    ],
)
def test_bad_lines_name_file_and_line(
    db_url: str, tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "events.jsonl"
    path.write_text(content, encoding="utf-8")
    target = open_store(db_url)
    try:
        with pytest.raises(InputError, match=message):
            import_log(target, path)
        assert target.last_position() == 0
    finally:
        target.close()


def test_a_rehashed_log_with_an_invalid_payload_is_refused(
    store: SqlEventStore, tmp_path: Path
) -> None:
    """Replays trust stored payloads, so import validates them: an intact chain is not enough."""
    record_summit(store)
    rows, prev = [], GENESIS
    for row in store.read_all():
        if row.type == "MeetingHeld" and not any(r.type == "MeetingHeld" for r in rows):
            payload = json.loads(row.payload) | {"confidence": "very high"}
            row = dataclasses.replace(row, payload=json.dumps(payload, sort_keys=True))
        row = dataclasses.replace(row, prev_hash=prev)
        row = dataclasses.replace(row, hash=hash_of(row, prev))
        rows.append(row)
        prev = row.hash
    path = tmp_path / "events.jsonl"
    path.write_text("".join(json.dumps(row_to_json(r)) + "\n" for r in rows), encoding="utf-8")
    target = open_store(f"sqlite:///{tmp_path / 'target.db'}")
    try:
        with pytest.raises(InputError, match=r"is not a valid MeetingHeld: .*nothing imported"):
            import_log(target, path)
        assert target.last_position() == 0
    finally:
        target.close()
