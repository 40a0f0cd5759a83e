"""Event base class, the (type name, version) registry and upcasters.

Stored rows name an event by a stable ``type_name`` string and a ``schema_version``, never by a
Python import path, so moving a class cannot orphan rows. Old payloads are upcast on read, step
by step (v1 -> v2 -> v3), by pure ``dict -> dict`` functions; stored bytes are never rewritten.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar, TypeVar

from pydantic import BaseModel, ConfigDict

Payload = dict[str, Any]
Upcaster = Callable[[Payload], Payload]


class UnknownEventTypeError(LookupError):
    """A stored type name (or version) has no registered class or upcaster."""


class DomainEvent(BaseModel):
    """An immutable fact. Subclasses set ``type_name`` and ``schema_version``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    type_name: ClassVar[str] = ""
    schema_version: ClassVar[int] = 1

    def to_payload(self) -> Payload:
        """The JSON-ready payload (dates as ISO strings)."""
        return self.model_dump(mode="json")


E = TypeVar("E", bound=type[DomainEvent])

_CLASSES: dict[str, type[DomainEvent]] = {}
_UPCASTERS: dict[tuple[str, int], Upcaster] = {}


def register(cls: E) -> E:
    """Class decorator: make ``cls`` resolvable by its ``type_name``."""
    if not cls.type_name:
        raise ValueError(f"{cls.__name__} has no type_name")
    existing = _CLASSES.get(cls.type_name)
    if existing is not None and existing is not cls:
        raise ValueError(f"type name {cls.type_name!r} already registered by {existing.__name__}")
    _CLASSES[cls.type_name] = cls
    return cls


def upcaster(type_name: str, from_version: int) -> Callable[[Upcaster], Upcaster]:
    """Decorator: register a step that turns a ``from_version`` payload into the next version."""

    def deco(fn: Upcaster) -> Upcaster:
        key = (type_name, from_version)
        if key in _UPCASTERS:
            raise ValueError(f"upcaster for {type_name} v{from_version} already registered")
        _UPCASTERS[key] = fn
        return fn

    return deco


def event_class(type_name: str) -> type[DomainEvent]:
    """The current class for ``type_name``; raises UnknownEventTypeError."""
    try:
        return _CLASSES[type_name]
    except KeyError:
        raise UnknownEventTypeError(f"unknown event type {type_name!r}") from None


def registered_types() -> dict[str, type[DomainEvent]]:
    """All registered event classes by type name."""
    return dict(_CLASSES)


def upcast(type_name: str, version: int, payload: Payload) -> Payload:
    """Apply upcasters until ``payload`` is at the current schema version of ``type_name``."""
    cls = event_class(type_name)
    if version > cls.schema_version:
        raise UnknownEventTypeError(
            f"{type_name} v{version} is newer than this code (v{cls.schema_version}); upgrade"
        )
    while version < cls.schema_version:
        step = _UPCASTERS.get((type_name, version))
        if step is None:
            raise UnknownEventTypeError(f"no upcaster for {type_name} v{version}")
        payload = step(dict(payload))
        version += 1
    return payload


def decode(type_name: str, version: int, payload: Payload) -> DomainEvent:
    """Rebuild a domain event from a stored payload, upcasting old versions first."""
    return event_class(type_name).model_validate(upcast(type_name, version, payload))
