"""Relationship keys: the one helper that names a pair of states and its stream."""

from __future__ import annotations

from events import canonical_pair, is_country_code

PAIR_PREFIX = "pair-"


def pair_stream(a: str, b: str | None = None) -> str:
    """Stream id of a relationship (``pair-CHN-PAK``), or of one state's solo facts."""
    if b is None:
        return f"{PAIR_PREFIX}{a}"
    x, y = canonical_pair(a, b)
    return f"{PAIR_PREFIX}{x}-{y}"


def pair_label(pair: tuple[str, str]) -> str:
    """The key of a pair in view rows (``CHN-PAK``)."""
    return f"{pair[0]}-{pair[1]}"


def pair_of_stream(stream_id: str) -> tuple[str, str] | None:
    """The canonical pair a relationship stream belongs to; None for any other stream."""
    if not stream_id.startswith(PAIR_PREFIX):
        return None
    a, sep, b = stream_id[len(PAIR_PREFIX) :].partition("-")
    if not sep or not is_country_code(a) or not is_country_code(b) or a == b:
        return None
    return canonical_pair(a, b)
