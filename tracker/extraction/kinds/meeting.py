"""Meetings: in-person encounters between officials of two states (one per pair)."""

from __future__ import annotations

import re

from tracker.extraction import rules
from tracker.extraction.analysis import Entity, explicit_people
from tracker.extraction.triggered import Site, TriggerKind, pair_actors_with, trigger

_W = r"(?:[\w'’-]+\s+)"  # one word and its space
_MEETING_NOUN = r"(?:talks|meeting|dialogue|consultations?|summit|conversation|discussions|round)"
_CALL_ON = re.compile(r"call(?:ed|s)? on|calling on", re.I)
_TO_VERB = re.compile(r"[^.;]{0,80}?\bto \w+")
# "At the airport the prime minister was received by ...": a welcome on arrival, not a meeting
_WELCOMED = re.compile(r"receiv|welcom|greet", re.I)
_ON_ARRIVAL = re.compile(
    r"\bairport\b|\bon (?:his|her|their) arrival\b|\bupon arrival\b|\bon arrival\b|"
    r"\bred carpet\b|\bguard of hono",
    re.I,
)


def _actors(site: Site, ents: list[Entity]) -> list[tuple[str, ...]]:
    people = [e.code for e in explicit_people(site.doc, site.sent) if e.code]
    return pair_actors_with(site, ents, people)


def _rejects(site: Site) -> bool:
    """Not an encounter of officials: "received the business community", a welcome at the
    airport, "called on both sides to ..."."""
    after = site.after
    welcome = _WELCOMED.match(site.match.group()) and _ON_ARRIVAL.search(site.clause)
    return bool(
        rules.NON_OFFICIAL.match(after)
        or rules.AIRPORT_WELCOME.match(after)
        or welcome
        or (_CALL_ON.match(site.match.group()) and _TO_VERB.match(after))
    )


KIND = TriggerKind(
    type="meeting",
    triggers=(
        trigger(
            r"\b(?:met|meets|meet|meeting with|held talks|holds? talks|talks with|"
            r"(?:sat|sitting|sit) down (?:with|for)|conferred|confer|"
            r"hosted|hosts|host|received|receives|call(?:ed|s)? on|calling on|"
            rf"(?:held|holds?|holding|co-chaired|chaired)\s+{_W}{{0,9}}?{_MEETING_NOUN}|"
            # attending a summit is no bilateral meeting; attending talks is
            rf"(?:attended|attends?|attending)\s+{_W}{{0,9}}?"
            r"(?:talks|meeting|dialogue|consultations?|conversation|discussions|round))\b",
            (
                "met", "meet", "talk", "down", "confer", "host", "receiv", "call", "held", "hold",
                "attend", "chair", "between", "negotiation",
            ),
        ),
        trigger(
            rf"\b{_MEETING_NOUN}\b[^.;]{{0,160}}?\b(?:was|were|is being) held\b",
            (
                "talks", "meeting", "dialogue", "consultation", "summit", "conversation",
                "discussions", "round",
            ),
        ),
        # "The third round of talks, held in Cairo on Monday, ..."
        trigger(
            rf"\b{_MEETING_NOUN}(?: of (?:talks|negotiations))?,?\s+held (?:in|at|on)\b",
            ("held",),
        ),
        trigger(
            r"\b(?:talks|meeting|negotiations)\s+(?:\S+\s+){0,3}?between\b", ("between",)
        ),
        trigger(
            r"\b(?:the|their|this|that|[A-Z]\w+day's|(?:during|after|following|before|at) the|"
            r"following|after)\s+(?:\w+[- ]){0,3}?(?:talks|meeting|summit|conversation)\b",
            ("talks", "meeting", "summit", "conversation"),
            anaphoric=True,
        ),
    ),
    actors=_actors,
    rejects=_rejects,
    mention_creates=False,
    encounter=True,
    contact=True,
)  # fmt: skip
