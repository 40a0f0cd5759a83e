"""Export commands: export (json, csv, md, html, ics), export-log and import-log."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from tracker import api
from tracker.cli._app import (
    DbOpt,
    JsonOpt,
    app,
    console,
    emit_json,
    err_console,
    open_db,
    split_csv,
)
from tracker.cli.views import AsOfOpt, CountryArg
from tracker.errors import InputError, IntegrityError
from tracker.exports.log import export_log, import_log
from tracker.exports.relationship import FORMATS, export_relationship

OutOpt = Annotated[
    Path | None, typer.Option("--output", "-o", help="Write to this file (default: stdout).")
]


def _write(path: Path | None, data: bytes) -> None:
    if path is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    try:
        path.write_bytes(data)
    except OSError as e:
        raise InputError(f"cannot write {path}: {e.strerror}; check the -o path") from None


@app.command()
def export(
    ctx: typer.Context,
    a: CountryArg,
    b: CountryArg,
    fmt: Annotated[
        str, typer.Option("--format", "-f", help=f"One of {', '.join(FORMATS)}.")
    ] = "json",
    output: OutOpt = None,
    start: Annotated[
        str | None, typer.Option("--from", help="Events on or after (YYYY-MM-DD).")
    ] = None,
    end: Annotated[
        str | None, typer.Option("--to", help="Events on or before (YYYY-MM-DD).")
    ] = None,
    type_: Annotated[
        list[str] | None, typer.Option("--type", "-t", help="Only these types (repeatable).")
    ] = None,
    as_of: AsOfOpt = None,
    bom: Annotated[
        bool, typer.Option("--bom", help="CSV: start with a UTF-8 BOM (Excel).")
    ] = False,
    db: DbOpt = None,
) -> None:
    """Export a relationship's summary and timeline as JSON, CSV, Markdown, HTML or iCalendar.

    Example: tracker export China Pakistan --format html -o china-pakistan.html
    """
    data = export_relationship(
        open_db(ctx, db),
        api.country(a),
        api.country(b),
        fmt,
        start=api.parse_day(start, "--from date") if start else None,
        end=api.parse_day(end, "--to date") if end else None,
        kinds=split_csv(type_),
        as_of=api.parse_moment(as_of, "--as-of time") if as_of else None,
        bom=bom,
        now=datetime.now(UTC),
    )
    _write(output, data)
    if output is not None:
        err_console.print(f"Wrote {len(data)} bytes of {fmt} to {output}.", markup=False)


@app.command("export-log")
def export_log_command(
    ctx: typer.Context, output: OutOpt = None, db: DbOpt = None, as_json: JsonOpt = False
) -> None:
    """Write the raw event log (every field, hash chain included) as JSON Lines.

    Example: tracker export-log -o events.jsonl
    """
    store = open_db(ctx, db)
    if output is None:
        count = export_log(store, sys.stdout)
        sys.stdout.flush()
        err_console.print(f"Exported {count} events.", markup=False)
        return
    try:
        with output.open("w", encoding="utf-8") as out:
            count = export_log(store, out)
    except OSError as e:
        raise InputError(f"cannot write {output}: {e.strerror}; check the -o path") from None
    if as_json:
        emit_json({"exported": count, "file": str(output)})
    else:
        console.print(f"Exported {count} events to {output}.")


@app.command("import-log")
def import_log_command(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="A file written by export-log.")],
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Load an exported log into this store (rows as-is) and verify the hash chain.

    The store must be empty, or the file must continue its log. Exits 1 if the chain is broken.
    Example: tracker import-log events.jsonl --db sqlite:///restored.db
    """
    report = import_log(open_db(ctx, db), path)
    if as_json:
        emit_json({**report.__dict__, "verify": {**report.verify.__dict__, "ok": report.verify.ok}})
    else:
        console.print(
            f"Imported {report.imported} of {report.read} events ({report.skipped} already "
            f"present); log at position {report.last_position}; verify: "
            f"{'OK' if report.verify.ok else 'BROKEN'} ({report.verify.checked} checked)."
        )
    if not report.verify.ok:
        raise IntegrityError(
            f"hash chain broken at position {report.verify.broken_at}: {report.verify.problem}"
        )
