"""Live updates: one watcher per app follows the log's last position, and every open page
listens to ``/live`` (server-sent events) for "the log moved to position N".

The watcher is one background task calling ``wait_for_events`` in a worker thread: on
PostgreSQL that sleeps on ``LISTEN tracker_events`` (each append notifies at commit, whichever
process appended), on SQLite it checks ``max(position)`` a few times a second. So N open pages
cost one listener, not N, and appends by another process (``manage.py run``) show up too.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator

import anyio.to_thread

from tracker.store import SqlEventStore
from tracker.store.sql import wait_for_events

WAIT_SECONDS = 5.0  # one blocking wait of the watcher thread (abandoned at shutdown)
HEARTBEAT_SECONDS = 10.0  # a comment line keeps proxies from closing an idle stream


class LiveLog:
    """The log's last position as the app knows it, and a way to wait for it to move."""

    def __init__(self, store: SqlEventStore, *, poll_interval: float = 0.25) -> None:
        self.store = store
        self.position = 0
        self.poll_interval = poll_interval
        self._changed = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        """Read the current position and start following the log."""
        self.position = await anyio.to_thread.run_sync(self.store.last_position)
        self._task = asyncio.create_task(self._follow())

    async def stop(self) -> None:
        """Stop following the log."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task

    async def _follow(self) -> None:
        while True:
            try:
                last = await anyio.to_thread.run_sync(
                    lambda: wait_for_events(
                        self.store, self.position, WAIT_SECONDS, poll_interval=self.poll_interval
                    ),
                    abandon_on_cancel=True,
                )
            except Exception:  # a database hiccup: try again shortly, never kill the app
                await asyncio.sleep(WAIT_SECONDS)
                continue
            if last != self.position:
                self.position = last
                changed, self._changed = self._changed, asyncio.Event()
                changed.set()

    async def wait(self, after: int, timeout: float) -> int:
        """The position once it is past ``after``, or the current one after ``timeout``."""
        if self.position > after:
            return self.position
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._changed.wait(), timeout)
        return self.position

    async def stream(self, after: int) -> AsyncIterator[str]:
        """Server-sent events: ``event: append`` with ``{"position": N}`` each time the log moves
        past what the page showed, and a heartbeat comment when nothing happens. Endless: the
        response ends it when the client goes away."""
        yield "retry: 2000\n\n"
        last = after
        while True:
            position = await self.wait(last, HEARTBEAT_SECONDS)
            if position > last:
                last = position
                yield f"event: append\ndata: {json.dumps({'position': position})}\n\n"
            else:
                yield ": idle\n\n"
