"""The typer app, the options every command shares, output rendering and the error wrapper.

Commands live in sibling modules (one per concern) and register on ``app``. A command parses
options, calls one library function, and renders the result with ``render``.
"""

from __future__ import annotations

import json
import os
import sys
import traceback
from collections.abc import Callable, Iterable, Sequence
from importlib.metadata import version as package_version
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table
from typer.core import TyperGroup

from tracker.config import DB_ENV, own_db_url, resolve_db_url
from tracker.errors import InputError, TrackerError
from tracker.plain import to_plain as _plain
from tracker.store import SqlEventStore, open_store


class _TrackerGroup(TyperGroup):
    """Runs a command and turns a TrackerError into one ``Error: ...`` line with its exit code.

    Anything else is a bug: one line naming it, the traceback only with ``--debug``.
    (Typer vendors its own click: its exceptions come from ``typer``, not ``click``.)
    """

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except (typer.TyperException, typer.Exit, typer.Abort):
            raise
        except TrackerError as e:
            if _debug():
                traceback.print_exc()
            _error_line(f"Error: {e}")
            raise typer.Exit(e.exit_code) from None
        except Exception as e:
            if _debug():
                raise
            _error_line(
                f"Internal error: {type(e).__name__}: {e} (run with --debug for the traceback)"
            )
            raise typer.Exit(1) from None


def _error_line(text: str) -> None:
    err_console.print(text, markup=False, highlight=False, soft_wrap=True)


app = typer.Typer(
    name="tracker",
    cls=_TrackerGroup,
    help="Event-sourced tracker of diplomatic events between states.",
    no_args_is_help=True,
    rich_markup_mode=None,  # plain one-line usage errors instead of boxed panels
    pretty_exceptions_enable=False,
    pretty_exceptions_show_locals=False,
    add_completion=False,
)
console = Console()
err_console = Console(stderr=True)

_state: dict[str, Any] = {"db": None, "debug": False}


def _debug() -> bool:
    return bool(_state["debug"]) or os.environ.get("TRACKER_DEBUG") == "1"


DbOpt = Annotated[
    str | None,
    typer.Option(
        "--db", help="Database URL or SQLite file (env TRACKER_DB_URL).", show_default=False
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON (stable keys) on stdout.")]


def _version(value: bool) -> None:
    if value:
        console.print(f"tracker (diplomatic-tracker) {package_version('diplomatic-tracker')}")
        raise typer.Exit()


@app.callback()
def _main(
    db: DbOpt = None,
    debug: Annotated[bool, typer.Option("--debug", help="Show tracebacks of errors.")] = False,
    version: Annotated[
        bool,
        typer.Option(
            "--version", help="Print the version and exit.", callback=_version, is_eager=True
        ),
    ] = False,
) -> None:
    """Event-sourced tracker of diplomatic events between states."""
    _state["db"] = db
    _state["debug"] = debug


def open_db(
    ctx: typer.Context | None, db: str | None, *, create: bool = False, own: str | None = None
) -> SqlEventStore:
    """Open the store named by ``--db`` (command, then global, then env/default); closed on exit.

    ``create``: a bare path may name a file that does not exist yet (``init``). ``own``: with
    no store named, the command uses its own SQLite file of that name in the data directory
    (``demo.db``) instead of the default store.
    """
    named = db or _state["db"] or os.environ.get(DB_ENV)
    if named is None and own is not None:
        named = own_db_url(own)
    store = open_store(resolve_db_url(named, create=create))
    if ctx is not None:
        ctx.call_on_close(store.close)
    return store


def bounded(option: str, low: float, high: float) -> Callable[[Any], Any]:
    """An option callback refusing a number outside ``low..high`` (one ``Error:`` line, exit 2)."""

    def check(value: Any) -> Any:
        if value is not None and not low <= value <= high:
            raise InputError(f"{option} must be between {low:,g} and {high:,.0f}, got {value}")
        return value

    return check


def emit_json(value: Any) -> None:
    """Print ``value`` (dataclasses, models, lists...) as JSON on stdout, nothing else."""
    sys.stdout.write(json.dumps(_plain(value), ensure_ascii=False, indent=2) + "\n")
    sys.stdout.flush()


def render(
    rows: Sequence[Any],
    columns: Sequence[str],
    *,
    as_json: bool,
    title: str | None = None,
    formatters: dict[str, Callable[[Any], str]] | None = None,
) -> None:
    """Print ``rows`` (dataclasses or dicts) as a rich table, or as a JSON array with ``--json``."""
    plain = [_plain(r) for r in rows]
    if as_json:
        emit_json(plain)
        return
    table = Table(title=title, show_lines=False)
    for col in columns:
        table.add_column(col.replace("_", " "), overflow="fold")
    fmt = formatters or {}
    for row in plain:
        table.add_row(*(_cell(row.get(c), fmt.get(c)) for c in columns))
    console.print(table)


def _cell(value: Any, fmt: Callable[[Any], str] | None) -> str:
    if fmt is not None:
        return fmt(value)
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


def split_csv(values: Iterable[str] | None) -> list[str]:
    """Options given repeatedly and/or comma-separated -> flat list."""
    out: list[str] = []
    for v in values or ():
        out.extend(x.strip() for x in v.split(",") if x.strip())
    return out
