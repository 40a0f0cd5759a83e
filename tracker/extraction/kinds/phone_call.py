"""Phone and video calls ("spoke by telephone", "dialled", "video call", "virtual summit").

Calls run before meetings: a clause that reports a call reports no meeting ("video meeting").
"""

from __future__ import annotations

from tracker.extraction.triggered import TriggerKind, trigger

KIND = TriggerKind(
    type="phone_call",
    triggers=(
        trigger(
            r"\b(?:(?:tele)?phone (?:calls?|conversations?|talks?)|(?:held|had|holds?|have) an? "
            r"(?:\w+ )?call\b|(?:in|on|during) an? (?:\w+ )?call with|"
            r"video (?:calls?|link|conferences?|"
            r"meetings?|summit|talks)|videoconference|virtual (?:meeting|summit|talks)|phoned|"
            r"telephoned|dial(?:l)?ed|(?:spoke|speaks|speak|talked|talks|held talks)\b"
            r"(?:\s+\S+){0,10}?\s+(?:by|on the|over the|via) (?:tele)?phone|"
            r"spoke by (?:tele)?phone)\b",
            ("phone", "video", "virtual", "dial", "spoke", "speak", "talk", "call"),
        ),
        trigger(r"\b(?:the|their|that) (?:phone |telephone )?call\b", ("call",), anaphoric=True),
    ),
    mention_creates=False,
    encounter=True,
    contact=True,
    ends_clause=True,
)
