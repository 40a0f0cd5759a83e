"""Topics and stance of a remark, from the lexicons in ``rules``."""

from __future__ import annotations

from tracker.extraction import rules
from tracker.extraction.patterns import contains_any


def stance(text: str) -> str:
    """ "critical", "supportive" or "neutral": which cue words dominate."""
    critical = len(rules.CRITICAL.findall(text))
    supportive = len(rules.SUPPORTIVE.findall(text))
    if critical > supportive:
        return "critical"
    return "supportive" if supportive else "neutral"


def topics(text: str) -> tuple[str, ...]:
    """The topics ``text`` touches, in the lexicon's order."""
    lower = text.lower()
    return tuple(
        name
        for (name, pattern), hints in zip(rules.TOPICS, rules.TOPIC_HINTS, strict=True)
        if (hints is None or contains_any(lower, hints)) and pattern.search(text)
    )
