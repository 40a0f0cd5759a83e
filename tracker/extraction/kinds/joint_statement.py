"""Joint statements, communiqués and declarations issued, signed or adopted by two states."""

from __future__ import annotations

import re
from dataclasses import replace

from tracker.extraction.candidates import Candidate
from tracker.extraction.kinds.agreement import areas
from tracker.extraction.lexicon import topics
from tracker.extraction.triggered import Site, TriggeredState, TriggerKind, signatories, trigger

_AREAS = re.compile(r"\bcooperation in (?:the )?(?:areas?|fields?) of\s+([^.;]+)", re.I)


def _fields(site: Site, base: Candidate, state: TriggeredState) -> list[Candidate]:
    """The statement's topics and the cooperation areas it lists."""
    text = site.sent.text
    m = _AREAS.search(text)
    listed = areas("covering " + m.group(1)) if m else []
    return [replace(base, fields={"topics": topics(text), "areas": tuple(listed)})]


KIND = TriggerKind(
    type="joint_statement",
    triggers=(
        trigger(
            r"\bjoint (?:statement|communiqu[ée]|declaration|press (?:statement|communiqu[ée]))\b"
            # a declaration both sides sign: "signed the Athens Declaration on Friendly Relations"
            r"|\b(?:sign(?:ed|s|ing)?|adopt(?:ed|s|ing)?)\s+(?:a|the)\s+[“\"]?(?:[\w’'-]+\s+){0,3}?"
            r"(?:declaration|Declaration)\b",
            ("joint", "declaration"),
        ),
    ),
    persons=signatories,
    variants=_fields,
)
