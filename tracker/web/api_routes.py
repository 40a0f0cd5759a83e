"""The JSON API under ``/api/v1``: the same library calls and the same shapes as the CLI's
``--json`` output (``to_plain`` of the same objects), read-only unless the request carries the
admin token (``Authorization: Bearer``). Errors are ``{"error": "..."}`` with 400/403/404.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from tracker import api
from tracker.errors import InputError
from tracker.exports.json_export import schema as timeline_schema
from tracker.exports.json_export import to_document
from tracker.exports.relationship import build_report
from tracker.feeds.poll import feed_health
from tracker.inspection import event_detail
from tracker.plain import to_plain
from tracker.projections import queries
from tracker.projections.search import search
from tracker.recording import confirm_event, merge_events, retract_event
from tracker.store.interface import AppendResult
from tracker.web.context import WebContext, context_of
from tracker.web.security import Analyst

router = APIRouter(tags=["tracker"])
Ctx = Annotated[WebContext, Depends(context_of)]
Types = Annotated[list[str], Query(alias="type", description="Kinds (meeting, ...); repeatable.")]
From = Annotated[str | None, Query(alias="from", description="Happened on or after (YYYY-MM-DD).")]
To = Annotated[str | None, Query(description="Happened on or before (YYYY-MM-DD).")]
AsOf = Annotated[str | None, Query(description="Answer from what was recorded by then.")]


def _json(value: Any) -> JSONResponse:
    return JSONResponse(to_plain(value))


def _day(text: str | None, what: str) -> Any:
    return api.parse_day(text, what) if text else None


def _moment(text: str | None) -> Any:
    return api.parse_moment(text, "as_of") if text else None


@router.get("/relationships", summary="Every relationship (= relations --json)")
def relationships(ctx: Ctx, sort: str = "events") -> JSONResponse:
    """Counts, last event, score and sources of every pair."""
    return _json(queries.relations(ctx.store, sort=sort))


@router.get("/relationships/{pair}", summary="Where a relationship stands (= relation --json)")
def relationship(ctx: Ctx, pair: str, as_of: AsOf = None) -> JSONResponse:
    """The relationship view of ``pair`` (``CHN-PAK``), now or as recorded by ``as_of``."""
    a, b = api.pair_of(pair)
    return _json(queries.relationship_view(ctx.store, a, b, as_of=_moment(as_of)))


@router.get("/relationships/{pair}/timeline", summary="Its events (= timeline --json)")
def timeline(
    ctx: Ctx,
    pair: str,
    type_: Types = [],  # noqa: B006 (FastAPI copies defaults)
    from_: From = None,
    to: To = None,
    as_of: AsOf = None,
    person: Annotated[str | None, Query(description="Part of a person's name.")] = None,
    outlet: Annotated[str | None, Query(description="A source outlet, exactly.")] = None,
) -> JSONResponse:
    """The relationship's active events in valid-time order, filtered."""
    a, b = api.pair_of(pair)
    entries = queries.timeline(
        ctx.store, a, b, start=_day(from_, "from date"), end=_day(to, "to date"),
        kinds=[k for k in type_ if k], as_of=_moment(as_of),
    )  # fmt: skip
    return _json(queries.filter_entries(entries, person=person, outlet=outlet))


@router.get(
    "/relationships/{pair}/export",
    summary="The JSON export document (= export --format json)",
    responses={200: {"content": {"application/json": {"schema": timeline_schema()}}}},
)
def export(
    ctx: Ctx,
    pair: str,
    type_: Types = [],  # noqa: B006
    from_: From = None,
    to: To = None,
    as_of: AsOf = None,
) -> JSONResponse:
    """Summary and timeline as the export's documented JSON (``timeline.schema.json``)."""
    a, b = api.pair_of(pair)
    report = build_report(
        ctx.store, a, b, start=_day(from_, "from date"), end=_day(to, "to date"),
        kinds=[k for k in type_ if k], as_of=_moment(as_of),
    )  # fmt: skip
    return JSONResponse(to_document(report))


@router.get("/schema/timeline.json", summary="JSON Schema of the export document")
def export_schema() -> JSONResponse:
    """``tracker/exports/timeline.schema.json`` (draft 2020-12)."""
    return JSONResponse(timeline_schema())


@router.get("/events/{event_id}", summary="One event with its story (= event ID --json)")
def event(ctx: Ctx, event_id: str) -> JSONResponse:
    """Envelope, payload, current entry, corrections and articles of one logged event."""
    return _json(event_detail(ctx.store, event_id))


@router.get("/search", summary="Full-text search (= search --json)")
def search_route(
    ctx: Ctx,
    q: str,
    pair: str | None = None,
    type_: Types = [],  # noqa: B006
    from_: From = None,
    to: To = None,
    limit: int = 50,
) -> JSONResponse:
    """Events and articles matching every word of ``q``, best first."""
    return _json(
        search(
            ctx.store, q, pair=api.pair_of(pair) if pair else None, kinds=[k for k in type_ if k],
            start=_day(from_, "from date"), end=_day(to, "to date"), limit=limit,
        )
    )  # fmt: skip


@router.get("/log", summary="The newest events (= log --json)")
def log(ctx: Ctx, limit: int = 20, type_: Types = []) -> JSONResponse:  # noqa: B006
    """The newest ``limit`` rows of the log, newest first."""
    return _json(api.recent_events(ctx.store, limit=limit, types=[t for t in type_ if t]))


@router.get("/verify", summary="Walk the hash chain (= verify --json)")
def verify(ctx: Ctx) -> JSONResponse:
    """The chain's state: rows checked, last position, first broken position."""
    report = ctx.verify()
    return _json({**report.__dict__, "ok": report.ok})


@router.get("/feeds", summary="Each feed's health (= feeds --json)")
def feeds(ctx: Ctx) -> JSONResponse:
    """Health of the feeds of the feeds file ``serve`` was given."""
    if ctx.feeds is None:
        raise InputError("this server was started without a feeds file (serve --feeds PATH)")
    return _json(feed_health(ctx.store, ctx.feeds))


class Reason(BaseModel):
    """Why an analyst corrects an event."""

    reason: str = Field(min_length=1, max_length=500)


class Merge(Reason):
    """Events that are one real-world event, kept as ``survivor_id``."""

    survivor_id: str
    other_ids: list[str] = Field(min_length=1, max_length=100)


def _written(result: AppendResult) -> JSONResponse:
    return JSONResponse(
        {
            "written": [str(r.event_id) for r in result.written],
            "duplicates": [str(d) for d in result.duplicates],
        }
    )


def _writer(request: Request, ctx: Ctx) -> Analyst:
    """The analyst of a write request; refused (403) before its body is looked at."""
    return ctx.guard.bearer(request)


Writer = Annotated[Analyst, Depends(_writer)]


@router.post("/events/{event_id}/retract", summary="Retract (= retract --json); token")
def retract(who: Writer, ctx: Ctx, event_id: str, body: Reason) -> JSONResponse:
    """Append an ``EventRetracted`` with the reason; the analyst is ``X-Analyst``."""
    return _written(retract_event(ctx.store, event_id, body.reason, analyst=who.recorded_as))


@router.post("/events/{event_id}/confirm", summary="Confirm (= confirm --json); token")
def confirm(who: Writer, ctx: Ctx, event_id: str, body: Reason) -> JSONResponse:
    """Append an ``EventConfirmed`` with the reason."""
    return _written(confirm_event(ctx.store, event_id, body.reason, analyst=who.recorded_as))


@router.post("/merges", summary="Merge events (= merge --json); token")
def merge(who: Writer, ctx: Ctx, body: Merge) -> JSONResponse:
    """Append an ``EventsMerged``: ``other_ids`` are the same event as ``survivor_id``."""
    result = merge_events(
        ctx.store, body.survivor_id, body.other_ids, body.reason, analyst=who.recorded_as
    )
    return _written(result)
