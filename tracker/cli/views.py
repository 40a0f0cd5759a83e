"""Relationship commands: relations, relation, timeline, projections rebuild, retract, merge."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Annotated

import typer
from rich.columns import Columns
from rich.panel import Panel
from rich.table import Table

from tracker import api
from tracker.cli._app import DbOpt, JsonOpt, app, console, emit_json, open_db, render, split_csv
from tracker.exports.labels import agreements_title, trade_flow
from tracker.projections import queries
from tracker.projections.model import RelationshipView, RelationSummary, Source, TimelineEntry
from tracker.projections.runner import rebuild_projections
from tracker.recording import merge_events, retract_event

projections_app = typer.Typer(help="Maintain the projections (read models).", no_args_is_help=True)
app.add_typer(projections_app, name="projections")

CountryArg = Annotated[str, typer.Argument(help="A state: name, ISO2 or ISO3, any case.")]
AsOfOpt = Annotated[
    str | None,
    typer.Option("--as-of", help="Answer from what was recorded by then (date or date-time)."),
]
ReasonOpt = Annotated[str, typer.Option("--reason", help="One line: why.")]


def _day(e: TimelineEntry) -> str:
    return e.occurred_on.isoformat() if e.occurred_on else "undated"


def _sources(sources: Iterable[Source]) -> str:
    return "\n".join(
        f"{s.outlet}: {s.url or s.title or s.article_id or '?'}" if s.outlet else s.url or "?"
        for s in sources
    )


def _why(source: Source) -> str:
    """Why a corroborating report was taken as the same event (the type goes without saying)."""
    return "; ".join(r for r in source.reasons if not r.startswith("same type"))


def _source_lines(e: TimelineEntry) -> list[str]:
    """Each source of an event: outlet, evidence sentence, and why it was merged."""
    lines = []
    for s in e.sources:
        quote = " ".join((s.quote or "").split())
        quote = f" “{quote[:117]}…”" if len(quote) > 118 else f" “{quote}”" if quote else ""
        why = f" [merged: {_why(s)}]" if s.reasons else ""
        lines.append(f"    {s.outlet or '?'}:{quote}{why}")
    return lines


def _outlets(e: TimelineEntry) -> str:
    return ", ".join(dict.fromkeys(s.outlet or "?" for s in e.sources))


def _duplicate_lines(entries: Iterable[TimelineEntry]) -> list[str]:
    return [
        f"possible duplicate: {e.event_id} ({_day(e)} {e.kind}) may be the same event as "
        f"{', '.join(e.possible_duplicates)}; `merge` them or leave them apart"
        for e in entries
        if e.possible_duplicates
    ]


def _persons(e: TimelineEntry) -> str:
    return ", ".join(f"{p.name} ({p.title})" if p.title else p.name for p in e.persons)


def _entries_table(title: str, entries: Iterable[TimelineEntry], *extra: str) -> Table:
    table = Table(title=title, title_justify="left", expand=True)
    for col in ("date", *extra, "summary", "sources"):
        table.add_column(col, overflow="fold")
    for e in entries:
        cells = [str(e.details.get(c) or "") for c in extra]
        table.add_row(_day(e), *cells, e.summary, f"{e.source_count}: {_sources(e.sources)}")
    return table


def _contact(label: str, e: TimelineEntry | None) -> Panel:
    if e is None:
        return Panel("none recorded", title=label)
    body = (
        f"[bold]{_day(e)}[/] {e.kind.replace('_', ' ')}"
        f"{' in ' + e.location if e.location else ''}\n{_persons(e)}\n{e.summary}\n"
        f"[dim]{e.source_count} source(s):[/]\n"
        + "\n".join([*_source_lines(e), *_duplicate_lines([e])]).replace("[", r"\[")
    )
    return Panel(body, title=label)


def show_view(v: RelationshipView) -> None:
    """Render a relationship view as rich panels and tables."""
    as_of = f" as recorded by {v.as_of.isoformat(timespec='seconds')}" if v.as_of else ""
    counts = ", ".join(f"{k.replace('_', ' ')} {n}" for k, n in v.counts.items()) or "no events"
    trend = f"{v.trend:+.2f}/month" if v.trend is not None else "n/a"
    span = f"events {v.first_date} .. {v.last_date}" if v.first_date else "no dated events"
    head = (
        f"[bold]{v.descriptor or 'no descriptor recorded'}[/]\n{counts}\n"
        f"{span}; cooperation trend {trend}"
    )
    console.print(Panel(head, title=f"{v.names[0]} – {v.names[1]} ({'-'.join(v.pair)}){as_of}"))
    console.print(
        Columns(
            [
                _contact("last leader-level meeting", v.last_meeting),
                _contact("last leader-level contact", v.last_leader_contact),
            ],
            expand=True,
        )
    )
    if v.agreements:
        console.print(_entries_table(agreements_title(v), v.agreements, "area", "title"))
    statements = Table(title="Statements (latest per topic)", title_justify="left", expand=True)
    for col in ("speaker", "topic", "date", "stance", "said", "sources"):
        statements.add_column(col, overflow="fold")
    for speaker, topics in v.statements.items():
        for topic, e in topics.items():
            said = e.details.get("quote") or e.summary
            who = (e.details.get("speaker") or {}).get("name")
            statements.add_row(
                f"{speaker}{' (' + who + ')' if who else ''}",
                topic,
                _day(e),
                str(e.details.get("stance") or ""),
                str(said),
                f"{e.source_count}: {_sources(e.sources)}",
            )
    if v.statements:
        console.print(statements)
    if v.trade:
        trade = Table(title="Trade (latest per period and direction)", title_justify="left")
        for col in ("period", "direction", "amount", "change", "sources"):
            trade.add_column(col, overflow="fold")
        for e in v.trade:
            d = e.details
            change = d.get("change_pct")
            trade.add_row(
                str(d.get("period") or "?"),
                trade_flow(e),
                f"{d.get('amount')} {d.get('unit')} {d.get('currency')}",
                f"{change:+.1f}%{' (derived)' if d.get('change_derived') else ''}"
                if isinstance(change, int | float)
                else "",
                f"{e.source_count}: {_sources(e.sources)}",
            )
        console.print(trade)
    if v.descriptor_history:
        lines = [
            f"{c.since or 'undated'}: {c.descriptor}  [dim]{c.source.url if c.source else ''}[/]"
            for c in v.descriptor_history
        ]
        console.print(Panel("\n".join(lines), title="Descriptor history"))
    if v.monthly_scores:
        months = "  ".join(f"{m.month} {m.score:+.1f}" for m in v.monthly_scores[-12:])
        console.print(Panel(months, title="Cooperation score by month (last 12)"))
    if v.planned:
        console.print(_entries_table("Planned (not yet happened)", v.planned))


@app.command()
def relations(
    ctx: typer.Context,
    sort: Annotated[
        str, typer.Option("--sort", help="events, score, last, pair or sources.")
    ] = "events",
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """List every relationship with its counts, last event and cooperation score.

    Example: tracker relations --sort score
    """
    show_relations(queries.relations(open_db(ctx, db), sort=sort), as_json=as_json)


def show_relations(rows: list[RelationSummary], *, as_json: bool) -> None:
    """Render the relations list as a table, or JSON."""
    render(
        [{**r.__dict__, "pair": "-".join(r.pair), "names": " – ".join(r.names)} for r in rows]
        if not as_json
        else rows,
        ["pair", "names", "events", "last_date", "last_event", "score", "sources"],
        as_json=as_json,
        title="Relationships",
    )


@app.command()
def relation(
    ctx: typer.Context,
    a: CountryArg,
    b: CountryArg,
    as_of: AsOfOpt = None,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Show where a bilateral relationship stands: contacts, agreements, statements, trade.

    Example: tracker relation China Pakistan --as-of 2024-06-30
    """
    moment = api.parse_moment(as_of, "--as-of") if as_of else None
    view = queries.relationship_view(open_db(ctx, db), api.country(a), api.country(b), as_of=moment)
    if as_json:
        emit_json(view)
    else:
        show_view(view)


@app.command()
def timeline(
    ctx: typer.Context,
    a: CountryArg,
    b: CountryArg,
    from_: Annotated[str | None, typer.Option("--from", help="Happened on or after.")] = None,
    to: Annotated[str | None, typer.Option("--to", help="Happened on or before.")] = None,
    type_: Annotated[
        list[str] | None, typer.Option("--type", "-t", help="Only these kinds (meeting,...).")
    ] = None,
    as_of: AsOfOpt = None,
    show_sources: Annotated[
        bool,
        typer.Option(
            "--sources", help="Each source: outlet, evidence sentence, why it was merged."
        ),
    ] = False,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """List a relationship's events in the order they happened, with their sources.

    Example: tracker timeline CN PK --from 2022-01-01 --type meeting,agreement
    """
    entries = queries.timeline(
        open_db(ctx, db),
        api.country(a),
        api.country(b),
        start=api.parse_day(from_, "--from date") if from_ else None,
        end=api.parse_day(to, "--to date") if to else None,
        kinds=split_csv(type_),
        as_of=api.parse_moment(as_of, "--as-of") if as_of else None,
    )
    if as_json:
        emit_json(entries)
        return
    rows = [
        {
            "date": _day(e) + (" (planned)" if e.planned else ""),
            "kind": e.kind,
            "summary": e.summary,
            "persons": _persons(e),
            "sources": f"{e.source_count}: {_outlets(e)}",
            "event_id": e.event_id + (" (possible duplicate)" if e.possible_duplicates else ""),
        }
        for e in entries
    ]
    render(rows, ["date", "kind", "summary", "persons", "sources", "event_id"], as_json=False)
    if show_sources:
        for e in entries:
            console.print(f"{_day(e)} {e.kind} {e.event_id}", markup=False, highlight=False)
            for line in _source_lines(e):
                console.print(line, markup=False, highlight=False, soft_wrap=True)
    for line in _duplicate_lines(entries):
        console.print(line, markup=False, highlight=False, soft_wrap=True)


@projections_app.command("rebuild")
def rebuild(ctx: typer.Context, db: DbOpt = None, as_json: JsonOpt = False) -> None:
    """Drop the projections and replay the whole log from position 0."""
    report = rebuild_projections(open_db(ctx, db))
    if as_json:
        emit_json(report)
        return
    console.print(
        f"Rebuilt: {report.events} events, {report.pairs} relationships, "
        f"up to position {report.position}, in {report.seconds:.2f} s."
    )


def _written(result_ids: Iterable[str], what: str) -> None:
    for eid in result_ids:
        console.print(f"Recorded {what} {eid}.")


@app.command()
def retract(
    ctx: typer.Context,
    event_id: Annotated[str, typer.Argument(help="Id of the event (timeline --json).")],
    reason: ReasonOpt,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Withdraw a wrongly recorded event (an EventRetracted; nothing is deleted).

    Example: tracker retract 2dd0d8c7-... --reason "misread the date"
    """
    result = retract_event(open_db(ctx, db), event_id, reason)
    ids = [str(r.event_id) for r in result.written]
    if as_json:
        emit_json({"written": ids, "duplicates": [str(d) for d in result.duplicates]})
        return
    _written(ids, "retraction")


@app.command()
def merge(
    ctx: typer.Context,
    survivor_id: Annotated[str, typer.Argument(help="The event to keep.")],
    other_ids: Annotated[list[str], typer.Argument(help="Events that are the same one.")],
    reason: ReasonOpt,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Record that several events are one real-world event (an EventsMerged).

    Example: tracker merge SURVIVOR_ID OTHER_ID --reason "same summit"
    """
    result = merge_events(open_db(ctx, db), survivor_id, other_ids, reason)
    ids = [str(r.event_id) for r in result.written]
    if as_json:
        emit_json({"written": ids, "duplicates": [str(d) for d in result.duplicates]})
        return
    _written(ids, "merge")
