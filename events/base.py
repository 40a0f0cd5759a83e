"""Event base class, the (type name, version) registry and upcasters.

Stored rows name an event by a stable ``type_name`` string and a ``schema_version``, never by a
Python import path, so moving a class cannot orphan rows. Old payloads are upcast on read, step
by step (v1 -> v2 -> v3), by pure ``dict -> dict`` functions; stored bytes are never rewritten.
"""

from __future__ import annotations

import operator
import types
import typing
from collections.abc import Callable, Sequence
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


def _picker(names: tuple[str, ...]) -> Callable[[dict[str, Any]], tuple[Any, ...]]:
    """The values of ``names`` from a dict, as a tuple, in one C call (``itemgetter``)."""
    if len(names) == 1:
        only = names[0]
        return lambda data: (data[only],)
    if not names:
        return lambda _data: ()
    return operator.itemgetter(*names)


@cache
def _constructor(cls: type[BaseModel]) -> Callable[[dict[str, Any]], Any]:
    """A function building ``cls`` from a trusted JSON-form dict without validation: the
    instance's fields are set directly, as ``model_construct`` does, minus its per-call work
    (defaults, aliases), which a complete stored payload does not need; anything else is
    validated."""
    names = tuple(cls.model_fields)
    count, pick = len(names), _picker(names)
    converted = [
        (index, convert)
        for index, f in enumerate(cls.model_fields.values())
        if (convert := _converter(f.annotation)) is not _identity
    ]
    new, set_attr = object.__new__, object.__setattr__

    def build(data: dict[str, Any]) -> Any:
        if len(data) != count:  # not the complete payload ``to_payload`` writes: validate it
            return cls.model_validate(data)
        try:
            picked: Sequence[Any] = pick(data)
        except KeyError:
            return cls.model_validate(data)
        if converted:
            values = list(picked)
            for index, convert in converted:
                value = values[index]
                if value is not None:
                    values[index] = convert(value)
            picked = values
        obj = new(cls)
        set_attr(obj, "__dict__", dict(zip(names, picked, strict=True)))  # field order
        set_attr(obj, "__pydantic_fields_set__", set(names))
        set_attr(obj, "__pydantic_extra__", None)
        set_attr(obj, "__pydantic_private__", None)
        return obj

    return _shared(cls, pick, build) if _shareable(cls) else build


_SHARED_MAX = 4096


def _shareable(cls: type[BaseModel]) -> bool:
    """True for a frozen value object of text fields only (a person, an extractor): equal
    payloads may share one instance, and its fields' tuple is a safe dict key."""
    text = {str, type(None)}
    return (
        not issubclass(cls, DomainEvent)
        and bool(cls.model_config.get("frozen"))
        and all(
            set(typing.get_args(f.annotation) or (f.annotation,)) <= text
            for f in cls.model_fields.values()
        )
    )


def _shared(
    cls: type[BaseModel],
    pick: Callable[[dict[str, Any]], tuple[Any, ...]],
    build: Callable[[dict[str, Any]], Any],
) -> Callable[[dict[str, Any]], Any]:
    """``build`` returning one instance per distinct value: a replay meets the same persons
    and extractors in thousands of events, and a lookup costs a fraction of a build."""
    seen: dict[tuple[Any, ...], Any] = {}

    def build_shared(data: dict[str, Any]) -> Any:
        try:
            return seen[pick(data)]
        except (KeyError, TypeError):  # new, incomplete, or not text after all
            pass
        obj = build(data)
        if isinstance(obj, cls) and obj.__dict__ == data:  # built as stored: keep it
            if len(seen) >= _SHARED_MAX:
                seen.clear()
            seen[pick(data)] = obj
        return obj

    return build_shared


def decode_trusted(type_name: str, version: int, payload: Payload) -> DomainEvent:
    """Like ``decode`` for a payload this code wrote (a stored row): no validation at the
    current schema version; an older version is upcast, then validated."""
    cls = event_class(type_name)
    if version != cls.schema_version:
        return decode(type_name, version, payload)
    event: DomainEvent = _constructor(cls)(payload)
    return event
