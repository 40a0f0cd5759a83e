"""The ASGI app: ``create_app`` wires the store, the guard, the live log and (optionally) the
scheduler to the page routes (``pages.py``), the JSON API (``api_routes.py``) and ``/live``.

Every route is a plain ``def`` (FastAPI runs it in its thread pool) calling the same library
functions as the CLI; errors a user can cause (``TrackerError``) become a readable page or a
``{"error": ...}`` JSON body, never a traceback.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import threading
from collections.abc import AsyncIterator

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response, StreamingResponse

from tracker.config import FeedsConfig
from tracker.errors import InputError, StoreUnavailableError, TrackerError
from tracker.inspection import EventNotFoundError
from tracker.scheduler import run_scheduler
from tracker.store import SqlEventStore
from tracker.web import api_routes, pages
from tracker.web.context import API_PREFIX, WebContext, context_of
from tracker.web.live import LiveLog
from tracker.web.render import CSP, render_page
from tracker.web.security import (
    AuthError,
    BodyLimitMiddleware,
    Guard,
    SecurityHeadersMiddleware,
)

log = logging.getLogger(__name__)


def _schedule(store: SqlEventStore, feeds: FeedsConfig, stop: threading.Event) -> None:
    """The scheduler of ``--with-scheduler``; a failure is logged (the pages keep serving)."""
    try:
        run_scheduler(store, feeds, stop=stop)
    except TrackerError as e:
        log.error("scheduler stopped: %s", e)


def _status(error: Exception) -> int:
    if isinstance(error, EventNotFoundError):
        return 404
    if isinstance(error, AuthError):
        return 403
    if isinstance(error, StoreUnavailableError):
        return 503
    if isinstance(error, InputError):
        return 400
    return 500


def _error_response(request: Request, error: Exception) -> Response:
    status = _status(error)
    if request.url.path.startswith(API_PREFIX):
        return JSONResponse({"error": str(error)}, status_code=status)
    ctx = context_of(request)
    html = render_page(
        "error.html",
        title="Error",
        message=str(error),
        status=status,
        analyst=ctx.guard.session(request),
        writable=ctx.guard.writable,
        csrf=ctx.guard.csrf_token(request),
        live_position=None,
    )
    return HTMLResponse(html, status_code=status)


def create_app(
    store: SqlEventStore,
    *,
    admin_token: str | None = None,
    feeds: FeedsConfig | None = None,
    with_scheduler: bool = False,
    poll_interval: float = 0.25,
) -> FastAPI:
    """The web app over an open ``store``. ``admin_token`` enables writing (None: read-only);
    ``feeds`` is shown on /feeds and, with ``with_scheduler``, polled in this process.
    Raises InputError when the scheduler is asked for without feeds."""
    if with_scheduler and feeds is None:
        raise InputError("--with-scheduler needs a feeds file: give --feeds PATH")
    ctx = WebContext(store, Guard(admin_token), LiveLog(store, poll_interval=poll_interval), feeds)

    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        await ctx.live.start()
        # What is alive now (modules, models, schemas) lives as long as the process: keep it out
        # of the collector's full passes, which otherwise stall a page for 100+ ms now and then.
        gc.freeze()
        stop = threading.Event()
        worker = None
        if with_scheduler and feeds is not None:
            worker = threading.Thread(
                target=_schedule, args=(store, feeds, stop), name="tracker-scheduler", daemon=True
            )
            worker.start()
        try:
            yield
        finally:
            stop.set()
            await ctx.live.stop()
            if worker is not None:
                worker.join(timeout=30)

    app = FastAPI(
        title="Diplomatic-event tracker",
        version="1",
        summary="Read, search and curate bilateral relationships recorded from the news.",
        docs_url=None,  # the interactive docs load scripts from a CDN: not offered
        redoc_url=None,
        openapi_url=f"{API_PREFIX}/openapi.json",
        lifespan=lifespan,
    )
    app.state.web = ctx
    app.add_middleware(SecurityHeadersMiddleware, csp=CSP)
    app.add_middleware(BodyLimitMiddleware)

    @app.exception_handler(TrackerError)
    async def _tracker_error(request: Request, error: TrackerError) -> Response:
        return _error_response(request, error)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, error: RequestValidationError) -> Response:
        first = error.errors()[0] if error.errors() else {}
        where = ".".join(str(x) for x in first.get("loc", ()) if x not in ("body", "query"))
        return _error_response(request, InputError(f"{where or 'request'}: {first.get('msg')}"))

    @app.exception_handler(AuthError)
    async def _auth_error(request: Request, error: AuthError) -> Response:
        return _error_response(request, error)

    @app.get("/live", include_in_schema=False)
    async def live(after: int = 0) -> StreamingResponse:
        """Server-sent events: the log's new last position each time it moves."""
        return StreamingResponse(
            ctx.live.stream(after),
            media_type="text/event-stream",
            headers={"cache-control": "no-store", "x-accel-buffering": "no"},
        )

    app.include_router(pages.router)
    app.include_router(api_routes.router, prefix=API_PREFIX)
    return app
