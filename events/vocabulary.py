"""One event-type vocabulary for every command: a kind (``meeting``, ``phone-call``) or a type
name (``MeetingHeld``), in any case, names the same event type."""

from __future__ import annotations

import difflib

from events.base import UnknownEventTypeError, registered_types
from events.diplomatic import DIPLOMATIC_TYPES


def _key(text: str) -> str:
    return text.strip().lower().replace("-", "_").replace(" ", "_")


def _names() -> dict[str, str]:
    """Every accepted spelling key -> type name."""
    out = {_key(name): name for name in registered_types()}
    out.update({_key(kind): cls.type_name for kind, cls in DIPLOMATIC_TYPES.items()})
    out.update({_key(cls.type_name): cls.type_name for cls in DIPLOMATIC_TYPES.values()})
    return out


def _unknown(text: str, choices: list[str]) -> UnknownEventTypeError:
    spellings = {_key(c): c for c in choices}
    close = difflib.get_close_matches(_key(text), list(spellings), n=2, cutoff=0.6)
    hint = f"did you mean {' or '.join(spellings[c] for c in close)}? " if close else ""
    return UnknownEventTypeError(
        f"unknown event type {text!r}; {hint}choose one of {', '.join(choices)}"
    )


def type_name_of(text: str) -> str:
    """The stored type name (``MeetingHeld``) for a kind or type name of any registered event;
    raises UnknownEventTypeError with the closest names."""
    names = _names()
    try:
        return names[_key(text)]
    except KeyError:
        records = sorted(set(registered_types()) - {c.type_name for c in DIPLOMATIC_TYPES.values()})
        raise _unknown(text, [*DIPLOMATIC_TYPES, *records]) from None


def kind_of(text: str) -> str:
    """The kind (``meeting``) of a diplomatic event type given as a kind or type name; raises
    UnknownEventTypeError (also for a record-keeping type such as ``EventRetracted``)."""
    by_type = {cls.type_name: kind for kind, cls in DIPLOMATIC_TYPES.items()}
    kind = by_type.get(_names().get(_key(text), ""))
    if kind is None:
        raise _unknown(text, list(DIPLOMATIC_TYPES))
    return kind
