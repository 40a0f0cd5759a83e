"""What the routes share (the store, the guard, the live log, the feeds) and small helpers."""

from __future__ import annotations

from dataclasses import dataclass, field

from fastapi import Request

from tracker.config import FeedsConfig
from tracker.store import SqlEventStore, VerifyReport, verify
from tracker.web.live import LiveLog
from tracker.web.security import Guard

API_PREFIX = "/api/v1"


@dataclass
class WebContext:
    """The app's shared state; one per app."""

    store: SqlEventStore
    guard: Guard
    live: LiveLog
    feeds: FeedsConfig | None = None
    _verified: dict[int, VerifyReport] = field(default_factory=dict)

    def verify(self) -> VerifyReport:
        """``verify``'s answer for the log as it is now, computed once per last position (a
        walk of the whole chain is O(log); pages ask often)."""
        last = self.store.last_position()
        report = self._verified.get(last)
        if report is None:
            report = verify(self.store)
            self._verified.clear()
            self._verified[last] = report
        return report


def context_of(request: Request) -> WebContext:
    """The app's shared context (a FastAPI dependency)."""
    ctx: WebContext = request.app.state.web
    return ctx
