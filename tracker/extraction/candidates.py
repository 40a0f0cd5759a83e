"""Candidate events: what the rules found, before they become events of the log."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from events.codes import code_for

EVENT_TYPES = (
    "meeting",
    "visit",
    "phone_call",
    "statement",
    "joint_statement",
    "agreement",
    "trade_figure",
)


@dataclass(frozen=True)
class PersonRef:
    """A person in a candidate: canonical name when known, title and state when known."""

    name: str
    title: str | None = None
    country: str | None = None


@dataclass(frozen=True)
class Evidence:
    """Where a candidate comes from: offsets into ``article.text`` and the sentence quoted."""

    start: int
    end: int
    quote: str


@dataclass(frozen=True)
class Candidate:
    """One event the rules found, with its flags, evidence and type-specific fields.

    ``actors`` are ISO3 codes ordered by role (speaker first, visitor then host, exporter then
    importer; for imports the reporting state first). ``background`` marks past events named
    only as context; ``planned`` announced ones. ``fields`` holds the type-specific values
    (agreement ``area``/``title``; statement ``speaker``/``stance``/``topics``/``quote``; trade
    ``amount``/``currency``/``unit``/``period``/``direction``/``change_pct``; joint statement
    ``topics``/``areas``; descriptor ``descriptor``).
    """

    type: str
    actors: tuple[str, ...]
    evidence: Evidence
    persons: tuple[PersonRef, ...] = ()
    date: str | None = None
    date_precision: str | None = None
    background: bool = False
    planned: bool = False
    confidence: float = 0.5
    fields: dict[str, Any] = field(default_factory=dict)

    @property
    def stance(self) -> str | None:
        """The stance of a statement (None for other types)."""
        value = self.fields.get("stance")
        return str(value) if value else None

    @property
    def cameo(self) -> str:
        """CAMEO code of this kind (statements by stance)."""
        return code_for(self.type, self.stance).cameo

    @property
    def plover(self) -> str:
        """PLOVER category of this kind."""
        return code_for(self.type, self.stance).plover

    def to_json(self) -> dict[str, Any]:
        """The stable JSON form printed by ``extract --json``."""
        return {
            "type": self.type,
            "actors": list(self.actors),
            "persons": [
                {"name": p.name, "title": p.title, "country": p.country} for p in self.persons
            ],
            "date": self.date,
            "date_precision": self.date_precision,
            "background": self.background,
            "planned": self.planned,
            "evidence": {
                "start": self.evidence.start,
                "end": self.evidence.end,
                "quote": self.evidence.quote,
            },
            "confidence": round(self.confidence, 3),
            "cameo": self.cameo,
            "plover": self.plover,
            **{k: list(v) if isinstance(v, tuple) else v for k, v in self.fields.items()},
        }
