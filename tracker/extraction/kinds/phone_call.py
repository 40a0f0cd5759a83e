"""Phone and video calls ("spoke by telephone", "dialled", "video call", "virtual summit").

Calls run before meetings: a clause that reports a call reports no meeting ("video meeting").
"""

from __future__ import annotations

import re

from tracker.extraction import rules
from tracker.extraction.triggered import Site, TriggerKind, trigger

_IN_PERSON = re.compile(
    r"\b(?:met|meeting|talks in|sidelines|margins|summit|visit|in person|press|reporters|"
    r"journalists|media|audience|crowd|rally|students|parliament)\b",
    re.I,
)


def _rejects(site: Site) -> bool:
    """ "Spoke to reporters", "spoke with Xi on the sidelines of the summit": no call."""
    if not site.match.group().lower().startswith("spoke") or "phone" in site.match.group():
        return False
    return bool(rules.NON_OFFICIAL.match(site.after) or _IN_PERSON.search(site.sent.text))


KIND = TriggerKind(
    type="phone_call",
    triggers=(
        trigger(
            r"\b(?:(?:tele)?phon(?:e|ic) (?:calls?|conversations?|talks?)|"
            r"(?:held|had|holds?|have) an? (?:[\w-]+ ){0,3}?call\b|"
            r"(?:in|on|during|over) an? (?:[\w-]+ ){0,4}?call\b|"
            r"video (?:calls?|link|conferences?|"
            r"meetings?|summit|talks)|videoconference|virtual (?:meeting|summit|talks)|phoned|"
            r"telephoned|dial(?:l)?ed|(?:met|meet|meets|meeting|talks?|spoke|conferred) virtually|"
            r"(?:spoke|speaks|speak|talked|talks|held talks)\b"
            r"(?:\s+\S+){0,10}?\s+(?:by|on the|over the|via) (?:tele)?phone|"
            r"spoke by (?:tele)?phone)\b",
            ("phone", "telephon", "video", "virtual", "dial", "spoke", "speak", "talk", "call"),
        ),
        # readouts of calls: "Secretary Blinken spoke today with Foreign Minister Kuleba",
        # "the Prime Minister spoke to President Macron this afternoon" (in person, "met")
        trigger(
            r"\bspoke\s+(?:(?:today|yesterday|earlier today|this (?:morning|afternoon|evening)|"
            r"on \w+day)\s+)?(?:with|to)\b",
            ("spoke",),
        ),
        trigger(r"\b(?:the|their|that) (?:phone |telephone )?call\b", ("call",), anaphoric=True),
    ),
    rejects=_rejects,
    mention_creates=False,
    encounter=True,
    contact=True,
    ends_clause=True,
)
