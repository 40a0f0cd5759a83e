"""The README documents every command and every event type; every command has help."""

from __future__ import annotations

import re

import typer.main

from events import registered_types
from tests.conftest import ROOT
from tracker.cli import app

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _commands() -> dict[str, object]:
    group = typer.main.get_command(app)
    return dict(group.commands)  # type: ignore[attr-defined]


def test_readme_opens_with_two_setup_commands() -> None:
    block = re.search(r"```bash\n(.*?)```", README, re.S)
    assert block is not None
    lines = [line for line in block.group(1).splitlines() if line.strip()]
    assert len(lines) == 2
    assert "manage.py demo" in lines[0]
    assert "pytest" in lines[1]


def test_every_command_has_help_and_is_in_the_readme() -> None:
    for name, command in _commands().items():
        assert getattr(command, "help", None), f"{name} has no help"
        assert re.search(rf"`{re.escape(name)}[ `]", README), f"{name} missing from README"


def test_every_event_type_is_in_the_vocabulary_table() -> None:
    for type_name in registered_types():
        assert f"| `{type_name}` |" in README, f"{type_name} missing from README"
