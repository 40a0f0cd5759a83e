"""CAMEO / PLOVER codes and Goldstein-style weights for each event kind.

CAMEO (Schrodt et al.) codes and their Goldstein (1992) scale values; PLOVER is the newer,
coarser ontology used by POLECAT. One table, one lookup: a kind plus an optional variant
(the stance of a statement) gives its codes.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class EventCode:
    """Codes for one kind of event."""

    cameo: str
    cameo_label: str
    plover: str
    goldstein: float


_TABLE: dict[tuple[str, str | None], EventCode] = {
    ("meeting", None): EventCode("040", "Consult", "CONSULT", 1.0),
    ("visit", None): EventCode("042", "Make a visit", "CONSULT", 1.9),
    ("phone_call", None): EventCode("041", "Discuss by telephone", "CONSULT", 1.0),
    ("statement", "neutral"): EventCode("010", "Make statement", "CONSULT", 0.0),
    ("statement", "supportive"): EventCode("051", "Praise or endorse", "SUPPORT", 3.4),
    ("statement", "critical"): EventCode("111", "Criticize or denounce", "ACCUSE", -2.0),
    ("joint_statement", None): EventCode("050", "Engage in diplomatic cooperation", "SUPPORT", 3.5),
    ("agreement", None): EventCode("057", "Sign formal agreement", "AGREE", 8.0),
    ("trade_figure", None): EventCode("061", "Cooperate economically", "COOPERATE", 6.4),
    # How the sources name the relationship; a label, not an action, so it weighs nothing.
    ("descriptor", None): EventCode("010", "Make statement", "CONSULT", 0.0),
}

KINDS: tuple[str, ...] = tuple(dict.fromkeys(kind for kind, _ in _TABLE))


def code_for(kind: str, variant: str | None = None) -> EventCode:
    """Codes for ``kind`` (and ``variant`` where the kind has several); raises KeyError."""
    return _TABLE.get((kind, variant)) or _TABLE[(kind, None if variant is None else "neutral")]
