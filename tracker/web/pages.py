"""The HTML pages: relationships, one relationship, one event, search, feeds, log, login;
and the curation forms (retract, merge, confirm) on the event page.

Each page reads the same library queries as the CLI and renders a template; filters live in
the URL (GET forms). A page that follows the log (not an as-of view) carries the position it
shows, so its script can listen to ``/live`` and refresh its ``data-live`` regions.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from events import DIPLOMATIC_TYPES
from tracker import api
from tracker.exports.chart import (
    Chart,
    MonthCounts,
    build_chart,
    chart_of_counts,
    sparkline,
)
from tracker.exports.labels import contacts, positions, summary_lists
from tracker.exports.report import timeline_groups
from tracker.feeds.poll import feed_health
from tracker.feeds.recorder import feed_states
from tracker.inspection import event_detail
from tracker.projections import queries
from tracker.projections.model import RelationshipView, TimelineEntry
from tracker.projections.search import ARTICLE, search
from tracker.recording import confirm_event, merge_events, retract_event
from tracker.web.context import WebContext, context_of
from tracker.web.render import render_page
from tracker.web.security import SESSION_COOKIE, SESSION_SECONDS, Analyst, check_origin, clean_name

router = APIRouter(include_in_schema=False)
Ctx = Annotated[WebContext, Depends(context_of)]
PAGE_SIZE = 100
LOG_LIMITS = (20, 50, 100, 500)


def _page(request: Request, ctx: WebContext, name: str, *, live: bool = True,
          status: int = 200, **context: Any) -> HTMLResponse:  # fmt: skip
    """Render a page with the navigation's context (who is logged in, CSRF token)."""
    html = render_page(
        name,
        analyst=ctx.guard.session(request),
        writable=ctx.guard.writable,
        csrf=ctx.guard.csrf_token(request),
        live_position=ctx.store.last_position() if live else None,
        **context,
    )
    return HTMLResponse(html, status_code=status, headers={"cache-control": "no-store"})


def _day(text: str | None, what: str) -> date | None:
    return api.parse_day(text, what) if text else None


def _sort_links(sort: str) -> list[tuple[str, str, bool]]:
    labels = {"pair": "Pair", "events": "Events", "last": "Last event", "score": "Score",
              "sources": "Sources"}  # fmt: skip
    return [(key, label, key == sort) for key, label in labels.items()]


@router.get("/", response_class=HTMLResponse)
@router.get("/relationships", response_class=HTMLResponse)
def relationships_page(request: Request, ctx: Ctx, sort: str = "events") -> Response:
    """Every relationship, sortable, with a sparkline of its monthly score."""
    rows = queries.relations(ctx.store, sort=sort)
    history = queries.score_history(ctx.store)
    return _page(
        request, ctx, "relationships.html",
        title="Relationships",
        rows=[(r, sparkline(history.get(r.pair, ()))) for r in rows],
        sorts=_sort_links(sort),
    )  # fmt: skip


@router.get("/r/{pair}", response_class=HTMLResponse)
def relationship_page(
    request: Request,
    ctx: Ctx,
    pair: str,
    type_: Annotated[list[str], Query(alias="type")] = [],  # noqa: B006 (FastAPI copies it)
    from_: Annotated[str | None, Query(alias="from")] = None,
    to: str | None = None,
    person: str | None = None,
    outlet: str | None = None,
    as_of: str | None = None,
    page: int = 1,
) -> Response:
    """A relationship: summary, chart, filtered timeline (latest first pages), as-of view."""
    a, b = api.pair_of(pair)
    canonical = f"{a}-{b}"
    if pair != canonical:
        query = f"?{request.url.query}" if request.url.query else ""
        return RedirectResponse(f"/r/{canonical}{query}", status_code=307)
    moment = api.parse_moment(as_of, "as-of date") if as_of else None
    start, end = _day(from_, "from date"), _day(to, "to date")
    kinds = [k for k in type_ if k]
    view = queries.relationship_view(ctx.store, a, b, as_of=moment)
    if moment is None and not (start or end or kinds or person or outlet):
        page, pages, matched, shown, chart = _latest_page(ctx, (a, b), view, page)
    else:  # a filtered or past view: every matching entry, decoded
        entries = queries.filter_entries(
            queries.timeline(ctx.store, a, b, start=start, end=end, kinds=kinds, as_of=moment),
            person=person,
            outlet=outlet,
        )
        matched, chart = len(entries), build_chart(entries, view.monthly_scores)
        page, pages, window = _window(matched, page)
        shown = entries[window]
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "page"]
    return _page(
        request,
        ctx,
        "relationship.html",
        live=moment is None,
        title="–".join(view.names),
        view=view,
        label=canonical,
        total=sum(view.counts.values()),
        counts=sorted(view.counts.items()),
        contacts=contacts(view),
        lists=summary_lists(view),
        positions=positions(view),
        chart=chart,
        entries=shown,
        matched=matched,
        years=timeline_groups(tuple(shown)),
        page=page,
        pages=pages,
        page_link=lambda n: "?" + urlencode([*params, ("page", str(n))]),
        kinds=list(DIPLOMATIC_TYPES),
        chosen=set(queries.normalise_kinds(kinds)),
        persons=sorted({p.name for e in shown for p in e.persons}),
        outlets=sorted({s.outlet for e in shown for s in e.sources if s.outlet}),
        filters={
            "from": from_ or "",
            "to": to or "",
            "person": person or "",
            "outlet": outlet or "",
            "as_of": as_of or "",
        },
    )


def _window(total: int, page: int) -> tuple[int, int, slice]:
    """Page ``page`` (1: the latest) of ``total`` entries in valid-time order: the page
    actually shown (clamped), the number of pages and the slice of the entries."""
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(page, 1), pages)
    stop = total - (page - 1) * PAGE_SIZE
    return page, pages, slice(max(stop - PAGE_SIZE, 0), stop)


def _latest_page(
    ctx: WebContext, pair: tuple[str, str], view: RelationshipView, page: int
) -> tuple[int, int, int, list[TimelineEntry], Chart]:
    """An unfiltered live timeline, read by its index: the chart from the sort keys (month and
    type; the view's planned events taken out), and only the requested page's entries decoded,
    so a relationship of ten thousand events costs about what a short one does."""
    keys = queries.entry_keys(ctx.store, *pair)
    counts: MonthCounts = {}
    for key in keys:
        if key[0] != "~":
            kind = _KIND_OF_TYPE.get(key.rsplit(":", 1)[-1], "")
            counts.setdefault(int(key[:4]) * 12 + int(key[5:7]) - 1, Counter())[kind] += 1
    for e in view.planned:  # planned events are not charted
        if e.occurred_on is not None:
            counts[e.occurred_on.year * 12 + e.occurred_on.month - 1][e.kind] -= 1
    page, pages, window = _window(len(keys), page)
    chosen = keys[window]
    shown = queries.entries_between(ctx.store, *pair, chosen[0], chosen[-1]) if chosen else []
    return page, pages, len(keys), shown, chart_of_counts(counts, view.monthly_scores)


_KIND_OF_TYPE = {cls.type_name: kind for kind, cls in DIPLOMATIC_TYPES.items()}


@router.get("/e/{event_id}", response_class=HTMLResponse)
def event_page(request: Request, ctx: Ctx, event_id: str, done: str | None = None) -> Response:
    """One event: type, date, persons, sources with evidence, corrections, hash, articles."""
    detail = event_detail(ctx.store, event_id)
    return _page(request, ctx, "event.html", title=f"Event {detail.event_id}", d=detail, done=done)


def _curated(event_id: str, what: str) -> RedirectResponse:
    return RedirectResponse(f"/e/{event_id}?done={what}", status_code=303)


Reason = Annotated[str, Form(max_length=500)]
Csrf = Annotated[str, Form()]


@router.post("/e/{event_id}/retract")
def retract_form(request: Request, ctx: Ctx, event_id: str, reason: Reason, csrf: Csrf) -> Response:
    """Retract the event (an ``EventRetracted`` with the reason and the analyst)."""
    who: Analyst = ctx.guard.form_writer(request, csrf)
    retract_event(ctx.store, event_id, reason, analyst=who.recorded_as)
    return _curated(event_id, "retracted")


@router.post("/e/{event_id}/confirm")
def confirm_form(request: Request, ctx: Ctx, event_id: str, reason: Reason, csrf: Csrf) -> Response:
    """Confirm the event (an ``EventConfirmed``: an analyst checked it)."""
    who = ctx.guard.form_writer(request, csrf)
    confirm_event(ctx.store, event_id, reason, analyst=who.recorded_as)
    return _curated(event_id, "confirmed")


@router.post("/e/{event_id}/merge")
def merge_form(
    request: Request,
    ctx: Ctx,
    event_id: str,
    others: Annotated[str, Form(max_length=2000)],
    reason: Reason,
    csrf: Csrf,
) -> Response:
    """Merge other events into this one (an ``EventsMerged``)."""
    who = ctx.guard.form_writer(request, csrf)
    ids = [x for x in others.replace(",", " ").split() if x]
    merge_events(ctx.store, event_id, ids, reason, analyst=who.recorded_as)
    return _curated(event_id, "merged")


@router.get("/search", response_class=HTMLResponse)
def search_page(
    request: Request,
    ctx: Ctx,
    q: str = "",
    pair: str = "",
    type_: Annotated[str, Query(alias="type")] = "",
    from_: Annotated[str | None, Query(alias="from")] = None,
    to: str | None = None,
) -> Response:
    """Full-text search over events and articles, filtered by pair, type and date."""
    hits = (
        search(
            ctx.store,
            q,
            pair=api.pair_of(pair) if pair else None,
            kinds=[type_] if type_ else [],
            start=_day(from_, "from date"),
            end=_day(to, "to date"),
        )
        if q.strip()
        else []
    )
    return _page(
        request, ctx, "search.html", live=False,
        title=f"Search: {q}" if q else "Search",
        q=q, hits=hits, searched=bool(q.strip()),
        pairs=[r.pair for r in queries.relations(ctx.store, sort="pair")],
        kinds=[*DIPLOMATIC_TYPES, ARTICLE],
        filters={"pair": pair, "type": type_, "from": from_ or "", "to": to or ""},
    )  # fmt: skip


@router.get("/feeds", response_class=HTMLResponse)
def feeds_page(request: Request, ctx: Ctx) -> Response:
    """Each feed's health (what ``feeds`` prints) and the last poll."""
    if ctx.feeds is not None:
        rows = feed_health(ctx.store, ctx.feeds)
        stored = []
    else:
        rows = []
        stored = sorted(feed_states(ctx.store).load_states().values(), key=lambda s: s.name)
    attempts = [r.last_attempt for r in rows if r.last_attempt] + [
        s.last_attempt for s in stored if s.last_attempt
    ]
    return _page(
        request, ctx, "feeds.html",
        title="Feeds", rows=rows, stored=stored, last_poll=max(attempts, default=None),
        feeds_path=str(ctx.feeds.path) if ctx.feeds else None,
    )  # fmt: skip


@router.get("/log", response_class=HTMLResponse)
def log_page(
    request: Request, ctx: Ctx, limit: int = 50, type_: Annotated[str, Query(alias="type")] = ""
) -> Response:
    """The newest events of the log, and ``verify``'s answer."""
    rows = api.recent_events(ctx.store, limit=min(limit, 1000), types=[type_] if type_ else [])
    return _page(
        request, ctx, "log.html",
        title="Log", rows=rows, report=ctx.verify(), limit=limit, limits=LOG_LIMITS,
        type=type_, types=sorted(_LOG_TYPES),
    )  # fmt: skip


_LOG_TYPES = {cls.type_name for cls in DIPLOMATIC_TYPES.values()} | {
    "ArticleRecorded", "EventCorroborated", "EventsMerged", "EventRetracted", "EventConfirmed",
}  # fmt: skip


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, ctx: Ctx, failed: bool = False) -> Response:
    """The form that exchanges the admin token for a session."""
    return _page(request, ctx, "login.html", live=False, title="Log in", failed=failed)


@router.post("/login")
def login(
    request: Request,
    ctx: Ctx,
    token: Annotated[str, Form(max_length=500)],
    name: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Start a session when the token is right; the analyst's name goes into corrections."""
    check_origin(request)
    if not ctx.guard.token_ok(token):
        return _page(request, ctx, "login.html", live=False, title="Log in", failed=True,
                     status=403)  # fmt: skip
    response = RedirectResponse("/", status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        ctx.guard.session_cookie(Analyst(clean_name(name))),
        max_age=SESSION_SECONDS,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
    )
    return response


@router.post("/logout")
def logout(request: Request, ctx: Ctx, csrf: Csrf) -> Response:
    """End the session."""
    ctx.guard.form_writer(request, csrf)
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response
