"""Commands ``poll``, ``run`` and ``feeds``: feed polling and health."""

from __future__ import annotations

import logging
import threading
from datetime import datetime
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from tracker.cli._app import (
    DbOpt,
    JsonOpt,
    app,
    bounded,
    emit_json,
    err_console,
    open_db,
    render,
)
from tracker.config import FeedsConfig, load_feeds, resolve_feeds_path
from tracker.errors import FeedError
from tracker.feeds.poll import PollResult, feed_health, poll_feeds
from tracker.scheduler import install_signal_handlers, run_scheduler

FeedsOpt = Annotated[
    str | None,
    typer.Option(
        "--feeds",
        help="The feeds file (env TRACKER_FEEDS; default ./feeds.yaml).",
        show_default=False,
    ),
]


def _config(path: str | None) -> FeedsConfig:
    return load_feeds(resolve_feeds_path(path))


def _when(value: Any) -> str:
    if not value:
        return ""
    return datetime.fromisoformat(str(value)).strftime("%Y-%m-%d %H:%M")


def _short(value: Any) -> str:
    text = str(value or "")
    return text if len(text) <= 70 else text[:67] + "..."


@app.command()
def poll(
    ctx: typer.Context,
    feed: Annotated[
        list[str] | None, typer.Option("--feed", help="Poll only this feed (repeatable).")
    ] = None,
    feeds: FeedsOpt = None,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Poll every enabled feed once, now (respecting other pollers' leases).

    Example: ``tracker poll --feeds samples/feeds.yaml --feed dawn-sample``
    """
    config = _config(feeds)
    store = open_db(ctx, db)
    names = feed or None
    total = len(names) if names else len(config.feeds)
    with Progress(
        TextColumn("polling"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.description}"),
        console=err_console,
        transient=True,
    ) as bar:
        task = bar.add_task("", total=total)

        def advance(result: PollResult) -> None:
            bar.update(task, advance=1, description=f"{result.feed}: {result.status}")

        results = poll_feeds(store, config, only=names, progress=advance)
    show_poll(results, as_json=as_json)
    failed = [r for r in results if r.status == "error"]
    if failed and not any(r.status in ("ok", "not_modified") for r in results):
        raise FeedError(
            f"every feed polled failed ({len(failed)} of {len(results)}); "
            "'tracker feeds' shows each one's error"
        )


def show_poll(results: list[PollResult], *, as_json: bool) -> None:
    """Render poll results: one row per feed, or JSON."""
    render(
        results,
        ["feed", "status", "http_status", "new_articles", "new_events", "next_due", "error"],
        as_json=as_json,
        title="poll",
        formatters={"next_due": _when, "error": _short},
    )


@app.command()
def run(
    ctx: typer.Context,
    feeds: FeedsOpt = None,
    max_cycles: Annotated[
        int | None,
        typer.Option(
            "--max-cycles",
            help="Stop after N cycles (a cycle polls every enabled feed; the first runs now).",
            callback=bounded("--max-cycles", 1, 1e6),
        ),
    ] = None,
    duration: Annotated[
        float | None,
        typer.Option(
            "--duration", help="Stop after SECONDS.", callback=bounded("--duration", 0.1, 3.2e7)
        ),
    ] = None,
    db: DbOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Run the scheduler: poll each feed on its interval until SIGINT/SIGTERM.

    Example: ``tracker run --feeds feeds.yaml`` (one log line per feed poll on stderr)
    """
    config = _config(feeds)
    store = open_db(ctx, db)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    for noisy in ("apscheduler", "httpx", "httpcore"):  # one line per feed poll, not per request
        logging.getLogger(noisy).setLevel(logging.WARNING)
    stop = threading.Event()
    install_signal_handlers(stop)
    report = run_scheduler(store, config, max_cycles=max_cycles, duration=duration, stop=stop)
    summary = {k: v for k, v in vars(report).items() if k != "results"}
    if as_json:
        emit_json(summary)
        return
    render([summary], list(summary), as_json=False, title="run")


@app.command("feeds")
def feeds_cmd(
    ctx: typer.Context, feeds: FeedsOpt = None, db: DbOpt = None, as_json: JsonOpt = False
) -> None:
    """List each feed's health: last attempt and success, HTTP status, failures, next due.

    Example: ``tracker feeds --feeds samples/feeds.yaml --json``
    """
    config = _config(feeds)
    rows = feed_health(open_db(ctx, db), config)
    render(
        rows,
        [
            "feed",
            "last_attempt",
            "last_success",
            "http_status",
            "etag",
            "failures",
            "next_due",
            "disabled_reason",
        ],
        as_json=as_json,
        title="feeds",
        formatters={
            "last_attempt": _when,
            "last_success": _when,
            "next_due": _when,
            "etag": lambda v: "yes" if v else "no",
            "disabled_reason": _short,
        },
    )
