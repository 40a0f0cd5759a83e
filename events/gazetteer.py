"""Gazetteer data: demonyms, capitals and names of states, and leaders with terms of office.

The data lives in ``events/data/*.json`` (built once by ``scripts/build_country_data.py``);
this module only loads it, cached. Pure: standard library only.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from typing import Any, Literal

Role = Literal["hos", "hog", "fm", "dpm", "defence", "army"]


@dataclass(frozen=True)
class StateNames:
    """How texts name one state: names, demonyms, capitals or institutions used as metonyms."""

    code: str
    names: tuple[str, ...]
    demonyms: tuple[str, ...]
    capitals: tuple[str, ...]


@dataclass(frozen=True)
class Term:
    """One term of office: head of state (hos), of government (hog), foreign minister (fm), deputy
    head of government (dpm), defence minister (defence) or army chief (army)."""

    name: str
    aliases: tuple[str, ...]
    country: str
    role: Role
    title: str
    start: date
    end: date | None

    def holds_on(self, day: date) -> bool:
        """True when the term covers ``day``."""
        return self.start <= day and (self.end is None or day < self.end)


def _load(name: str) -> Any:
    return json.loads(resources.files("events.data").joinpath(name).read_text(encoding="utf-8"))


@cache
def state_names() -> tuple[StateNames, ...]:
    """Every state of the gazetteer (UN members, observers, Kosovo)."""
    raw: dict[str, dict[str, list[str]]] = _load("countries.json")
    return tuple(
        StateNames(
            code=code,
            names=tuple(entry["names"]),
            demonyms=tuple(entry["demonyms"]),
            capitals=tuple(entry["capitals"]),
        )
        for code, entry in sorted(raw.items())
    )


@cache
def terms() -> tuple[Term, ...]:
    """Every term of office in the leaders table."""
    return tuple(
        Term(
            name=row["name"],
            aliases=tuple(row["aliases"]),
            country=row["country"],
            role=row["role"],
            title=row["title"],
            start=date.fromisoformat(row["start"]),
            end=date.fromisoformat(row["end"]) if row["end"] else None,
        )
        for row in _load("leaders.json")
    )


def office_holder(country: str, role: Role, day: date) -> Term | None:
    """Who held ``role`` for ``country`` on ``day`` (None when the table does not know)."""
    for term in terms():
        if term.country == country and term.role == role and term.holds_on(day):
            return term
    return None
