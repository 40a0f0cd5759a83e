"""Commands of the analysts' tools: serve (the web app), event, search, confirm."""

from __future__ import annotations

import os
from importlib.resources import as_file, files
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
    err_console,
    open_db,
    render,
    split_csv,
)
from tracker.cli.feeds import FeedsOpt
from tracker.config import DB_ENV, FeedsConfig, default_db_path, load_feeds, resolve_feeds_path
from tracker.inspection import event_detail
from tracker.projections.search import search as search_index
from tracker.recording import confirm_event
from tracker.store.sql import safe_url

EventArg = Annotated[str, typer.Argument(help="Id of the event (timeline --json, log --json).")]


def _only_the_demo_store() -> bool:
    """True when no store is named (no ``$TRACKER_DB_URL``), the default store does not exist
    and the demo's does."""
    return (
        not os.environ.get(DB_ENV)
        and not default_db_path().exists()
        and default_db_path().with_name("demo.db").exists()
    )


@app.command()
def serve(
    ctx: typer.Context,
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[
        int,
        typer.Option("--port", help="Port to listen on.", callback=bounded("--port", 1, 65535)),
    ] = 8000,
    with_scheduler: Annotated[
        bool, typer.Option("--with-scheduler", help="Also poll the feeds in this process.")
    ] = False,
    feeds: FeedsOpt = None,
    demo: Annotated[
        bool,
        typer.Option("--demo", help="Serve the demo's own store (after `demo`) and sample feeds."),
    ] = False,
    db: DbOpt = None,
) -> None:
    """Serve the web app and JSON API (/api/v1); curation needs TRACKER_ADMIN_TOKEN.

    Example: TRACKER_ADMIN_TOKEN=s3cret tracker serve --feeds samples/feeds.yaml --port 8000
    """
    from tracker.web import serve as serve_app  # imported here: the web stack loads on demand

    if not demo and db is None and _only_the_demo_store():
        # `demo && serve` on a fresh machine: nothing of the user's yet, the demo's store is there
        err_console.print("No store of your own yet: serving the demo's (see `demo`).")
        demo = True
    store = open_db(ctx, db, own="demo.db" if demo else None)
    config: FeedsConfig | None
    if demo and feeds is None:
        with as_file(files("tracker") / "samples") as samples:
            config = load_feeds(samples / "feeds.yaml")
    else:
        path = resolve_feeds_path(feeds)
        config = load_feeds(path) if feeds or with_scheduler or path.exists() else None
    err_console.print(f"Serving {safe_url(store.url)} at http://{host}:{port}/", soft_wrap=True)
    serve_app(store, host=host, port=port, feeds=config, with_scheduler=with_scheduler)


@app.command()
def event(
    ctx: typer.Context, event_id: EventArg, db: DbOpt = None, as_json: JsonOpt = False
) -> None:
    """Show one logged event: payload, sources and evidence, corrections, hash, articles.

    Example: tracker event 2dd0d8c7-... --json
    """
    d = event_detail(open_db(ctx, db), event_id)
    if as_json:
        emit_json(d)
        return
    e = d.entry
    console.print(
        f"[bold]{d.type}[/] {d.event_id}: {d.status}{' (confirmed)' if d.confirmed else ''}"
    )
    console.print(f"position {d.position}, {d.stream} v{d.stream_version}, hash {d.hash}")
    if e is not None:
        console.print(f"{e.occurred_on or 'undated'} ({e.date_precision or '?'}): {e.summary}")
        for s in e.sources:
            console.print(f"  source: {s.outlet or '?'}: {s.title or ''} {s.url or ''}")
            if s.quote:
                console.print(f"    “{s.quote}”", markup=False)
    for c in d.corrections:
        console.print(f"  {c.position}: {c.type} {c.reason or ''} {c.analyst or ''}", markup=False)


@app.command()
def search(
    ctx: typer.Context,
    words: Annotated[str, typer.Argument(help="Words to find (all must occur).")],
    pair: Annotated[str | None, typer.Option("--pair", help="Only this relationship: A-B.")] = None,
    type_: Annotated[
        list[str] | None, typer.Option("--type", "-t", help="Kinds, or article (repeatable).")
    ] = None,
    from_: Annotated[str | None, typer.Option("--from", help="On or after (YYYY-MM-DD).")] = None,
    to: Annotated[str | None, typer.Option("--to", help="On or before (YYYY-MM-DD).")] = None,
    limit: Annotated[
        int,
        typer.Option(
            "--limit", help="At most this many results.", callback=bounded("--limit", 1, 1e4)
        ),
    ] = 50,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Full-text search over events (summary, persons, evidence, type, pair) and articles.

    Example: tracker search CPEC --pair CHN-PAK --type agreement
    """

    hits = search_index(
        open_db(ctx, db), words, pair=api.pair_of(pair) if pair else None,
        kinds=split_csv(type_), start=api.parse_day(from_, "--from date") if from_ else None,
        end=api.parse_day(to, "--to date") if to else None, limit=limit,
    )  # fmt: skip
    if as_json:
        emit_json(hits)
        return
    rows = [
        {"kind": h.type, "date": h.date, "pair": h.pair or "", "title": h.title,
         "match": "".join(f"[{t}]" if hit else t for t, hit in h.snippet), "id": h.key}
        for h in hits
    ]  # fmt: skip
    render(rows, ["kind", "date", "pair", "title", "match", "id"], as_json=False, title="search")


@app.command()
def confirm(
    ctx: typer.Context,
    event_id: EventArg,
    reason: Annotated[str, typer.Option("--reason", help="One line: what you checked.")],
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Record that an analyst checked an event against its sources (an EventConfirmed).

    Example: tracker confirm 2dd0d8c7-... --reason "checked against the Xinhua report"
    """
    result = confirm_event(open_db(ctx, db), event_id, reason)
    ids = [str(r.event_id) for r in result.written]
    if as_json:
        emit_json({"written": ids, "duplicates": [str(d) for d in result.duplicates]})
        return
    for eid in ids:
        console.print(f"Recorded confirmation {eid}.")
