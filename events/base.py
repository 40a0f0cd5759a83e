"""Event base class, the (type name, version) registry and upcasters.

Stored rows name an event by a stable ``type_name`` string and a ``schema_version``, never by a
Python import path, so moving a class cannot orphan rows. Old payloads are upcast on read, step
by step (v1 -> v2 -> v3), by pure ``dict -> dict`` functions; stored bytes are never rewritten.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable
from datetime import date, datetime
from functools import cache
from typing import Any, ClassVar, TypeVar
from uuid import UUID

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


# -- trusted decoding ---------------------------------------------------------------------------
# A replay decodes every stored row; validating payloads our own code wrote (and the hash chain
# protects) cost most of its time. ``decode_trusted`` builds the model without validation, like
# ``model_construct`` but recursively (pydantic's does not descend into nested models or parse
# dates), from one converter per field made once per class from its annotations. Hand-written:
# neither pydantic nor msgspec constructs nested pydantic models from JSON types unvalidated.

Convert = Callable[[Any], Any]


def _identity(value: Any) -> Any:
    return value


def _converter(annotation: Any) -> Convert:
    """How to turn the JSON form of a field of type ``annotation`` into its Python value."""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in args if a is not type(None)]
        return _converter(inner[0]) if len(inner) == 1 else _identity
    if origin is tuple:
        item = _converter(args[0]) if args else _identity
        return tuple if item is _identity else lambda value: tuple(map(item, value))
    if isinstance(annotation, type):
        if issubclass(annotation, BaseModel):
            return _constructor(annotation)
        if annotation is datetime:
            return datetime.fromisoformat
        if annotation is date:
            return date.fromisoformat
        if annotation is UUID:
            return UUID
    return _identity


@cache
def _constructor(cls: type[BaseModel]) -> Callable[[dict[str, Any]], Any]:
    """A function building ``cls`` from a trusted JSON-form dict without validation: the
    instance's fields are set directly, as ``model_construct`` does, minus its per-call work
    (defaults, aliases), which a complete stored payload does not need; anything else is
    validated."""
    names = tuple(cls.model_fields)
    converted = [
        (name, convert)
        for name, f in cls.model_fields.items()
        if (convert := _converter(f.annotation)) is not _identity
    ]
    new, set_attr = object.__new__, object.__setattr__

    def build(data: dict[str, Any]) -> Any:
        try:
            values = {name: data[name] for name in names}  # in field order, like validation
        except KeyError:  # not the complete payload ``to_payload`` writes: validate it
            return cls.model_validate(data)
        if len(data) != len(names):
            return cls.model_validate(data)
        for name, convert in converted:
            value = values[name]
            if value is not None:
                values[name] = convert(value)
        obj = new(cls)
        set_attr(obj, "__dict__", values)
        set_attr(obj, "__pydantic_fields_set__", set(names))
        set_attr(obj, "__pydantic_extra__", None)
        set_attr(obj, "__pydantic_private__", None)
        return obj

    return build


def decode_trusted(type_name: str, version: int, payload: Payload) -> DomainEvent:
    """Like ``decode`` for a payload this code wrote (a stored row): no validation at the
    current schema version; an older version is upcast, then validated."""
    cls = event_class(type_name)
    if version != cls.schema_version:
        return decode(type_name, version, payload)
    event: DomainEvent = _constructor(cls)(payload)
    return event
