"""Meetings: in-person encounters between officials of two states (one per pair)."""

from __future__ import annotations

import re
from itertools import pairwise

from tracker.extraction import rules
from tracker.extraction.analysis import Entity, explicit_people
from tracker.extraction.triggered import Site, TriggerKind, pair_actors_with, trigger

_W = r"(?:[\w'’-]+\s+)"  # one word and its space
# one word that does not start another predicate ("attending the summit and were to have a
# meeting" is two things)
_W_NOT_VERB = r"(?:(?!(?:and|were|was|is|are|will)\b)[\w'’-]+\s+)"
_MEETING_NOUN = r"(?:talks|meeting|dialogue|consultations?|summit|conversation|discussions|round)"
_CALL_ON = re.compile(r"call(?:ed|s)? on|calling on", re.I)
_TO_VERB = re.compile(r"[^.;]{0,80}?\bto \w+")
_HOST_NOUN = re.compile(r"hosts?$", re.I)
_HOST_OF = re.compile(r"^(?:'s)?\s+(?:government|country|nation|city|state|team|side)\b", re.I)
# "At the airport the prime minister was received by ...": a welcome on arrival, not a meeting
_WELCOMED = re.compile(r"receiv|welcom|greet", re.I)
_ON_ARRIVAL = re.compile(
    r"\bairport\b|\bon (?:his|her|their) arrival\b|\bupon arrival\b|\bon arrival\b|"
    r"\bred carpet\b|\bguard of hono",
    re.I,
)


def _actors(site: Site, ents: list[Entity]) -> list[tuple[str, ...]]:
    listed = _listed_counterparts(site, ents)
    if listed:
        return listed
    people = [e.code for e in explicit_people(site.doc, site.sent) if e.code]
    return pair_actors_with(site, ents, people)


def _listed_counterparts(site: Site, ents: list[Entity]) -> list[tuple[str, ...]]:
    """A subject meeting a list of officials of several states after the trigger: one meeting
    with each when they are "bilateral" or "separate" meetings, else one meeting of all (every
    pair), as "met in Berlin with A, B and C" reports."""
    text = site.doc.text
    subject = [e for e in ents if e.start < site.a and e.person is not None and e.explicit]
    after = [e for e in ents if e.start >= site.b and e.person is not None and e.explicit]
    if not subject or len(after) < 2:
        return []
    home = subject[-1].code
    listed = [after[0]]
    for prev, nxt in pairwise(after):
        gap = text[prev.end : nxt.start]
        if not _LIST_GAP.fullmatch(gap):
            break
        listed.append(nxt)
    codes = list(dict.fromkeys(e.code for e in listed if e.code != home))
    if len(codes) < 2:
        return []
    if _SEPARATE.search(text[max(site.c_start, site.a - 30) : site.b + 10]):
        return [(home, c) for c in codes]
    group = [home, *codes][:5]
    return [(a, b) for i, a in enumerate(group) for b in group[i + 1 :]]


# what may stand between two officials of a list: their titles and states, a comma, "and"
_LIST_GAP = re.compile(r"[^.;:()]{0,90}?(?:,\s*(?:and\s+)?|\s+and\s+)[^.;:()]{0,60}")
_SEPARATE = re.compile(r"\b(?:bilateral|separate|separately|individual)\b", re.I)


def _rejects(site: Site) -> bool:
    """Not an encounter of officials: "received the business community", a welcome at the
    airport, "called on both sides to ..."."""
    after = site.after
    if _HOST_NOUN.match(site.match.group()) and _HOST_OF.match(after):
        return True  # "the host government", "the host country": a noun, not a verb
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
            r"\b(?:met|meets|meet|meetings? with|held talks|holds? talks|talks with|"
            r"had (?:\w+ ){0,3}?(?:talks|meetings?|discussions) with|"
            r"(?:sat|sitting|sit) down (?:with|for)|conferred|confer|"
            r"hosted|hosts|host|received|receives|call(?:ed|s)? on|calling on|"
            r"paid (?:a|him|her) courtesy (?:call|visit)|courtesy (?:call|meeting) (?:on|with|to)|"
            rf"(?:held|holds?|holding|co-chaired|chaired)\s+{_W}{{0,9}}?{_MEETING_NOUN}|"
            # attending a summit is no bilateral meeting; attending talks is
            rf"(?:attended|attends?|attending)\s+{_W_NOT_VERB}{{0,9}}?"
            r"(?:talks|meeting|dialogue|consultations?|conversation|discussions|round))\b",
            (
                "met", "meet", "talk", "down", "confer", "host", "receiv", "call", "held", "hold",
                "attend", "chair", "between", "negotiation", "discussion",
            ),
        ),
        # the encounter as a noun or a participle: "agreed ... in a bilateral meeting in Sochi",
        # "started their first bilateral meeting", "a video of Xi meeting Prince Mohammed"
        trigger(
            r"\b(?:(?:in|at|during) (?:a|their|an) (?:[\w-]+ ){0,3}?(?:meeting|talks|summit)|"
            r"(?:began|started|opened|concluded|ended|wrapped up) (?:their |a |the )?"
            r"(?:[\w-]+ ){0,3}?(?:meeting|talks|summit))\b|\bmeeting\s+(?=(?-i:[A-Z][a-z]))",
            ("meeting", "talks", "summit"),
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
