"""The raw log as JSON Lines: a backup that loses nothing, and its verified import.

Each line is one stored row with every column: ``position``, ``event_id``, ``stream_id``,
``stream_version``, ``type``, ``schema_version``, ``payload`` and ``metadata`` (the exact
canonical JSON text that was hashed, kept as strings so nothing is re-encoded), ``recorded_at``
(ISO 8601, UTC), ``occurred_on``, ``hash`` and ``prev_hash``.

Import inserts the rows as they are (same positions, ids, times and hashes) after checking the
hash chain from the genesis row through the store's existing rows into the file's rows. An empty
store takes any intact log; a non-empty store takes only a log that continues it (the file may
repeat the rows the store already has; those are skipped).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from itertools import chain
from pathlib import Path
from typing import IO, Any
from uuid import UUID

from events import decode
from tracker.errors import InputError, IntegrityError
from tracker.store import (
    EventStore,
    ImportableLog,
    StoredEvent,
    VerifyReport,
    verify,
    verify_rows,
)
from tracker.store.mapping import row_columns
from tracker.store.sql import utc

FIELDS = (
    "position",
    "event_id",
    "stream_id",
    "stream_version",
    "type",
    "schema_version",
    "payload",
    "metadata",
    "recorded_at",
    "occurred_on",
    "hash",
    "prev_hash",
)
_BATCH = 500


def row_to_json(row: StoredEvent) -> dict[str, Any]:
    """One stored row as a JSON object with every field."""
    fields = row_columns(row)
    fields["recorded_at"] = utc(row.recorded_at).isoformat()
    fields["occurred_on"] = row.occurred_on.isoformat() if row.occurred_on else None
    return fields


def row_from_json(data: Any, where: str) -> StoredEvent:
    """Parse one exported row; raises InputError naming ``where`` (``file:line``)."""
    if not isinstance(data, dict):
        raise InputError(f"{where}: expected a JSON object per line, got {type(data).__name__}")
    missing = [f for f in FIELDS if f not in data]
    if missing:
        raise InputError(
            f"{where}: missing field(s) {', '.join(missing)}; is this an export-log file?"
        )
    try:
        row = StoredEvent(
            position=_int(data["position"]),
            event_id=UUID(str(data["event_id"])),
            stream_id=_str(data["stream_id"]),
            stream_version=_int(data["stream_version"]),
            type=_str(data["type"]),
            schema_version=_int(data["schema_version"]),
            payload=_str(data["payload"]),
            metadata=_str(data["metadata"]),
            recorded_at=utc(datetime.fromisoformat(_str(data["recorded_at"]))),
            occurred_on=date.fromisoformat(data["occurred_on"]) if data["occurred_on"] else None,
            hash=_str(data["hash"]),
            prev_hash=_str(data["prev_hash"]),
        )
    except (TypeError, ValueError) as e:
        raise InputError(f"{where}: bad field value: {e}") from None
    return row


def _int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"expected an integer, got {value!r}")
    return value


def _str(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected a string, got {value!r}")
    return value


def export_log(store: EventStore, out: IO[str]) -> int:
    """Write the whole log to ``out`` as JSON Lines, oldest first; returns the row count."""
    count = 0
    for row in store.read_all(0, 5000):
        out.write(json.dumps(row_to_json(row), ensure_ascii=False, sort_keys=False) + "\n")
        count += 1
    return count


def read_log(path: Path) -> Iterator[StoredEvent]:
    """Lazily parse an export-log file; raises InputError (missing file, bad line)."""
    try:
        handle = path.open(encoding="utf-8")
    except OSError as e:
        raise InputError(
            f"cannot read {path}: {e.strerror}; give the file export-log wrote"
        ) from None
    with handle:
        try:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                where = f"{path}:{number}"
                try:
                    data = json.loads(line)
                except json.JSONDecodeError as e:
                    raise InputError(f"{where}: not JSON ({e.msg})") from None
                yield row_from_json(data, where)
        except UnicodeDecodeError:
            raise InputError(
                f"{path}: not text (binary or not UTF-8); give the file export-log wrote"
            ) from None


@dataclass(frozen=True)
class ImportReport:
    """What ``import_log`` did, and the verification of the whole store afterwards."""

    read: int
    imported: int
    skipped: int
    last_position: int
    verify: VerifyReport


def _check_payload(row: StoredEvent, path: Path) -> None:
    """Validate an imported row's payload: replays decode stored rows without validation
    (``decode_trusted``), so only payloads that validate may enter. Raises InputError."""
    try:
        decode(row.type, row.schema_version, json.loads(row.payload))
    except (ValueError, LookupError) as e:  # pydantic's ValidationError is a ValueError
        first = str(e).strip().splitlines()[0]
        raise InputError(
            f"{path}: the row at position {row.position} is not a valid {row.type}: {first}; "
            "nothing imported"
        ) from None


def import_log(store: ImportableLog, path: Path) -> ImportReport:
    """Load an export-log file into ``store``, rows inserted as-is; all or nothing.

    Raises InputError (unreadable file, bad line, a log that does not continue a non-empty
    store) and IntegrityError (the chain through the file is broken).
    """
    with store.importing() as log:
        have, have_hash = log.head()
        read = skipped = 0
        overlap: StoredEvent | None = None  # the file's last row the store already has
        first_new: StoredEvent | None = None
        for row in read_log(path):
            read += 1
            if row.position <= have:
                skipped += 1
                overlap = row if overlap is None or row.position > overlap.position else overlap
            elif first_new is None:
                first_new = row
        same_past = overlap is None or overlap.hash == log.hash_at(overlap.position)
        links = first_new is None or (
            first_new.position == have + 1 and first_new.prev_hash == have_hash
        )
        if have and not (same_past and links):
            raise InputError(
                f"{path} does not continue this store's log (the store holds {have} "
                f"event(s), ending in hash {have_hash[:12]}…): import into an empty store, "
                "e.g. a new --db"
            )
        new_rows = (r for r in read_log(path) if r.position > have)
        report = verify_rows(chain(store.read_all(0, 5000), new_rows) if have else new_rows)
        if not report.ok:
            raise IntegrityError(
                f"{path}: hash chain broken at position {report.broken_at}: {report.problem}; "
                "nothing imported"
            )
        imported = 0
        batch: list[StoredEvent] = []
        for row in read_log(path):
            if row.position <= have:
                continue
            _check_payload(row, path)
            batch.append(row)
            if len(batch) >= _BATCH:
                log.insert(batch)
                imported += len(batch)
                batch = []
        log.insert(batch)
        imported += len(batch)
    return ImportReport(read, imported, skipped, store.last_position(), verify(store))
