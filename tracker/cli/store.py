"""Store commands: init, log, verify, record, demo."""

from __future__ import annotations

from typing import Annotated

import typer

from tracker import api
from tracker.cli._app import (
    DbOpt,
    JsonOpt,
    app,
    bounded,
    console,
    emit_json,
    open_db,
    render,
    split_csv,
)
from tracker.cli.feeds import show_poll
from tracker.cli.views import show_relations, show_view
from tracker.demo import run_demo
from tracker.errors import IntegrityError
from tracker.store.sql import safe_url


@app.command()
def init(ctx: typer.Context, db: DbOpt = None, as_json: JsonOpt = False) -> None:
    """Create the store, or migrate it to the newest schema.

    Example: tracker init --db sqlite:///tracker.db
    """
    report = api.init_store(open_db(ctx, db, create=True))
    if as_json:
        emit_json(report)
        return
    state = "migrated" if report.migrated else "up to date"
    console.print(
        f"Store {report.url}: schema {state} ({', '.join(report.revisions)}), "
        f"{report.last_position} events."
    )


@app.command()
def log(
    ctx: typer.Context,
    limit: Annotated[
        int,
        typer.Option(
            "--limit", "-n", help="How many events (1-10,000).", callback=bounded("--limit", 1, 1e4)
        ),
    ] = 20,
    type_: Annotated[
        list[str] | None,
        typer.Option("--type", "-t", help="Only these types: meeting or MeetingHeld, ..."),
    ] = None,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Show the newest events of the log.

    Example: tracker log --type meeting --limit 5
    """
    entries = api.recent_events(open_db(ctx, db), limit, split_csv(type_))
    render(
        entries,
        ["position", "recorded_at", "type", "stream", "occurred_on", "summary"],
        as_json=as_json,
        title="Event log (newest first)",
    )


@app.command()
def verify(ctx: typer.Context, db: DbOpt = None, as_json: JsonOpt = False) -> None:
    """Walk the hash chain of the whole log and report the first broken position.

    Exits 1 when the chain is broken.
    """
    report = api.verify_log(open_db(ctx, db))
    if as_json:
        emit_json({**report.__dict__, "ok": report.ok})
    elif report.ok:
        console.print(
            f"OK: {report.checked} events verified, chain intact up to position "
            f"{report.last_position}."
        )
    if not report.ok:
        raise IntegrityError(
            f"hash chain broken at position {report.broken_at}: {report.problem} "
            f"({report.checked} events before it verified)"
        )


@app.command()
def record(
    ctx: typer.Context,
    kind: Annotated[
        str,
        typer.Argument(
            help="meeting, visit, phone_call, statement, "
            "joint_statement, agreement or trade_figure."
        ),
    ],
    countries: Annotated[
        list[str], typer.Argument(help="The states (names, ISO2 or ISO3); speaker / visitor first.")
    ],
    source: Annotated[str, typer.Option("--source", help="URL of the source.")],
    summary: Annotated[str, typer.Option("--summary", help="One line: what happened.")],
    on: Annotated[str | None, typer.Option("--on", help="Date it happened (YYYY-MM-DD).")] = None,
    planned: Annotated[
        bool, typer.Option("--planned", help="It is announced, not yet held (a future --on).")
    ] = False,
    person: Annotated[
        list[str] | None,
        typer.Option("--person", help="Name, or 'Name|Title|Country'. Repeatable."),
    ] = None,
    set_: Annotated[
        list[str] | None,
        typer.Option(
            "--set",
            help="Type-specific field key=value, read as the field's type: text as is "
            "(period=2022), numbers (amount=27.8), lists comma-separated (topics=CPEC,Taiwan) "
            "or as a JSON list. Repeatable.",
        ),
    ] = None,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Record a diplomatic event by hand, with its source.

    Example: tracker record meeting China Pakistan --on 2022-11-02
    --source https://example.org/x --summary "Xi met Sharif in Beijing"
    """
    results = api.record_by_hand(
        open_db(ctx, db),
        kind=kind,
        countries=countries,
        on=on,
        source_url=source,
        summary=summary,
        persons=person or [],
        fields=set_ or [],
        planned=planned,
    )
    rows = [
        {"position": r.position, "event_id": str(r.event_id), "stream": r.stream_id, "type": r.type}
        for res in results
        for r in res.written
    ]
    dups = sum(len(res.duplicates) for res in results)
    if as_json:
        emit_json({"written": rows, "duplicates": dups})
        return
    for row in rows:
        console.print(f"Recorded {row['type']} at position {row['position']} in {row['stream']}.")
    if dups:
        console.print("Already recorded: nothing written.")


@app.command()
def demo(ctx: typer.Context, db: DbOpt = None, as_json: JsonOpt = False) -> None:
    """Run the offline demo: poll the bundled sample feeds, then show the relationships.

    Without --db (or TRACKER_DB_URL) it uses its own store, demo.db in the data directory,
    never the default one. Example: tracker demo --db sqlite:///demo.db
    """
    store = open_db(ctx, db, own="demo.db")
    report = run_demo(store)
    if as_json:
        emit_json({**vars(report), "store": safe_url(store.url)})
        return
    console.print(f"Demo store: {safe_url(store.url)}", soft_wrap=True)
    show_poll(report.polls, as_json=False)
    show_relations(report.relations, as_json=False)
    show_view(report.showcase)
    state = "OK" if report.verify.ok else f"BROKEN at position {report.verify.broken_at}"
    console.print(
        f"Demo: {report.new_articles} new articles, {report.new_events} new events; "
        f"log at position {report.last_position}; verify: {state}."
    )
