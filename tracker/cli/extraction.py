"""Extraction commands: extract (print events of an article), eval (score on gold), ingest."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from tracker import api, intake
from tracker.cli._app import DbOpt, JsonOpt, app, console, emit_json, open_db, render
from tracker.evaluation.extraction import evaluate
from tracker.extraction.candidates import Candidate

PublishedOpt = Annotated[
    str | None,
    typer.Option("--published", help="Publication date YYYY-MM-DD (resolves 'on Wednesday')."),
]
UrlOpt = Annotated[str | None, typer.Option("--url", help="The article's address (provenance).")]


def _day(text: str | None) -> date | None:
    return api.parse_day(text, "--published date") if text else None


def _detail(c: Candidate) -> str:
    f = c.fields
    if c.type == "agreement":
        return str(f.get("area") or "")
    if c.type == "statement":
        return f"{f.get('stance')}: {', '.join((f.get('topics') or ())[:4])}"
    if c.type == "trade_figure":
        pct = f" ({f['change_pct']:+g}%)" if f.get("change_pct") is not None else ""
        period = f.get("period") or ""
        return f"{f['direction']} {f['currency']} {f['amount']:g} {f['unit']} {period}{pct}"
    if c.type == "descriptor":
        return str(f.get("descriptor"))
    if c.type == "joint_statement":
        return ", ".join(f.get("areas") or ())
    return ""


def _row(c: Candidate) -> dict[str, Any]:
    flags = "background" if c.background else "planned" if c.planned else ""
    return {
        "type": c.type,
        "actors": "–".join(c.actors),
        "date": c.date or "",
        "status": flags,
        "persons": ", ".join(p.name for p in c.persons),
        "detail": _detail(c),
        "evidence": c.evidence.quote[:60] + ("…" if len(c.evidence.quote) > 60 else ""),
    }


@app.command()
def extract(
    path: Annotated[str, typer.Argument(help="A .txt (title line + body) or .html article file.")],
    published: PublishedOpt = None,
    url: UrlOpt = None,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Print the events found in one article; nothing is stored.

    Example: tracker extract samples/articles/cgtn-2022-11-03-xi-meets-shehbaz.txt
    --published 2022-11-03
    """
    candidates = intake.extract_source(path, published=_day(published), url=url)
    if as_json:
        emit_json([c.to_json() for c in candidates])
        return
    render(
        [_row(c) for c in candidates],
        ["type", "actors", "date", "status", "persons", "detail", "evidence"],
        as_json=False,
        title=f"{len(candidates)} events in {path}",
    )


@app.command(name="eval")
def eval_(
    directory: Annotated[Path, typer.Argument(help="Gold directory: NAME.txt + NAME.json.")],
    show_errors: Annotated[
        bool, typer.Option("--errors", help="Also list each miss and spurious event.")
    ] = False,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Score the extractor on an annotated gold directory (per-type P/R/F1, micro-F1, accuracies).

    Example: tracker eval tests/fixtures/gold
    """
    report = evaluate(directory)
    if as_json:
        emit_json(
            {
                "types": [t.row() for t in report.types],
                "micro": report.micro.row(),
                "summary": report.summary(),
                "by_outlet": [t.row() for t in report.by_outlet],
                "by_pair": [t.row() for t in report.by_pair],
                "skipped": report.skipped,
                "errors": report.errors if show_errors else [],
            }
        )
        return
    columns = ["type", "tp", "fp", "fn", "precision", "recall", "f1"]
    render(
        [t.row() for t in [*report.types, report.micro]],
        columns,
        as_json=False,
        title=f"Extraction quality on {report.articles} articles",
    )
    for title, rows in (("outlet", report.by_outlet), ("pair", report.by_pair)):
        render(
            [{**t.row(), title: t.type} for t in rows],
            [title, *columns[1:]],
            as_json=False,
            title=f"By {title}",
        )
    s = report.summary()
    console.print(
        f"micro-F1 {s['micro_f1']:.3f} · actor accuracy {s['actor_accuracy']:.3f} · "
        f"date accuracy {s['date_accuracy']:.3f} · person recall {s['person_recall']:.3f} "
        f"({s['matched_pairs']} matched pairs) · agreement-area recall "
        f"{s['area_recall']:.3f} · background/planned recorded as current "
        f"{s['background_or_planned_as_current']}",
        markup=False,
    )
    if report.skipped:
        console.print(
            f"skipped {len(report.skipped)} articles whose text is missing or changed "
            f"(rebuild {directory}/cache: see its README)",
            markup=False,
        )
    if show_errors:
        for e in report.errors:
            _print_error(e)


def _print_error(e: dict[str, Any]) -> None:
    """One error of ``eval --errors``: what was wrong, the event(s), the evidence sentence."""
    gold, out = e.get("gold"), e.get("output")
    event = gold or out or {}
    also = f" (output {'-'.join(out.get('actors', []))} {out.get('date')})" if gold and out else ""
    console.print(
        f"{e['article']}: {e['error']}: {event.get('type')} "
        f"{'-'.join(event.get('actors', []))} {event.get('date')}" + also,
        markup=False,
    )
    if e["error"] in ("area", "persons") and gold and out:
        key = "area" if e["error"] == "area" else "persons"
        console.print(f"    gold {key}: {gold.get(key)} · output: {out.get(key)}", markup=False)
    quote = event.get("evidence") or ""
    if isinstance(quote, dict):  # the extractor's evidence: offsets and the sentence
        quote = quote.get("quote") or ""
    quote = " ".join(str(quote).split())
    if quote:
        console.print(f"    > {quote}", markup=False, soft_wrap=True)


@app.command()
def ingest(
    ctx: typer.Context,
    sources: Annotated[list[str], typer.Argument(help="Article files (.txt/.html) or URLs.")],
    published: PublishedOpt = None,
    url: UrlOpt = None,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Record articles given by hand and their events, through the polling pipeline.

    Idempotent: an article already recorded is skipped whole.
    Example: tracker ingest samples/articles/cgtn-2022-11-03-xi-meets-shehbaz.txt
    """
    rows = intake.ingest_sources(open_db(ctx, db), sources, published=_day(published), url=url)
    render(
        rows,
        ["source", "article_id", "new_article", "facts_written", "duplicates", "title"],
        as_json=as_json,
        title="Ingested",
    )
