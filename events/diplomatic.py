"""Diplomatic facts: meetings, visits, calls, statements, joint statements, agreements, trade.

Every payload carries who (``actors`` as ISO 3166-1 alpha-3, ordered where the role matters:
speaker first for statements, visitor then host for visits), the ``persons`` involved, when it
happened (``occurred_on``, valid time, possibly unknown or approximate), a ``summary``, where the
claim comes from (``provenance``), which extractor made it and how sure it is.
"""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from events.base import DomainEvent, Payload, register, upcaster
from events.codes import code_for
from events.countries import is_country_code

DatePrecision = Literal["day", "month", "year"]
Stance = Literal["supportive", "neutral", "critical"]
TradeDirection = Literal["total", "exports", "imports"]


class Frozen(BaseModel):
    """Immutable value object inside a payload."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class Person(Frozen):
    """A named person acting for a state."""

    name: str = Field(min_length=1)
    title: str | None = None
    country: str | None = None

    @field_validator("country")
    @classmethod
    def _country(cls, v: str | None) -> str | None:
        return None if v is None else _check_code(v)


class Provenance(Frozen):
    """Where a claim comes from: the article, and the evidence span inside its text."""

    article_id: str | None = None
    url: str | None = None
    title: str | None = None
    source: str | None = None
    start: int | None = Field(default=None, ge=0)
    end: int | None = Field(default=None, ge=0)
    quote: str | None = None


class ExtractorInfo(Frozen):
    """Which extractor (or person) produced an event."""

    name: str
    version: str


def _check_code(v: str) -> str:
    code = v.strip().upper()
    if not is_country_code(code):
        raise ValueError(f"{v!r} is not an ISO 3166-1 alpha-3 country code")
    return code


class DiplomaticEvent(DomainEvent):
    """Fields shared by every diplomatic fact."""

    kind: ClassVar[str] = ""

    actors: tuple[str, ...] = Field(min_length=1, max_length=2)
    persons: tuple[Person, ...] = ()
    occurred_on: date | None = None
    date_precision: DatePrecision | None = None
    planned: bool = False
    summary: str = ""
    location: str | None = None
    provenance: Provenance
    extractor: ExtractorInfo
    confidence: float = Field(default=1.0, ge=0.0, le=1.0)

    @field_validator("actors")
    @classmethod
    def _actors(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        codes = tuple(_check_code(c) for c in v)
        if len(set(codes)) != len(codes):
            raise ValueError("actors must be distinct states")
        return codes

    @property
    def pair(self) -> tuple[str, ...]:
        """The actors in canonical (sorted) order: the relationship this event belongs to."""
        return tuple(sorted(self.actors))

    @property
    def cameo(self) -> str:
        """CAMEO code of this event."""
        return code_for(self.kind, self._variant()).cameo

    @property
    def plover(self) -> str:
        """PLOVER category of this event."""
        return code_for(self.kind, self._variant()).plover

    @property
    def goldstein(self) -> float:
        """Goldstein-style cooperation weight (-10 conflict .. +10 cooperation)."""
        return code_for(self.kind, self._variant()).goldstein

    def _variant(self) -> str | None:
        return None


@register
class MeetingHeld(DiplomaticEvent):
    """Officials of two states met in person."""

    type_name: ClassVar[str] = "MeetingHeld"
    kind: ClassVar[str] = "meeting"


@register
class VisitMade(DiplomaticEvent):
    """An official of ``actors[0]`` (visitor) visited ``actors[1]`` (host)."""

    type_name: ClassVar[str] = "VisitMade"
    kind: ClassVar[str] = "visit"


@register
class PhoneCallHeld(DiplomaticEvent):
    """Officials of two states spoke by phone or video link."""

    type_name: ClassVar[str] = "PhoneCallHeld"
    kind: ClassVar[str] = "phone_call"


@register
class StatementMade(DiplomaticEvent):
    """``actors[0]`` (speaker's state) said something about ``actors[1]`` or the relationship.

    v2 replaced the single ``topic`` string with ``topics`` and added ``stance``.
    """

    type_name: ClassVar[str] = "StatementMade"
    schema_version: ClassVar[int] = 2
    kind: ClassVar[str] = "statement"

    speaker: Person | None = None
    stance: Stance = "neutral"
    topics: tuple[str, ...] = ()
    quote: str | None = None

    def _variant(self) -> str | None:
        return self.stance


@upcaster("StatementMade", from_version=1)
def _statement_v1_to_v2(payload: Payload) -> Payload:
    topic = payload.pop("topic", None)
    payload["topics"] = [topic] if topic else []
    payload.setdefault("stance", "neutral")
    return payload


@register
class JointStatementIssued(DiplomaticEvent):
    """Both states issued one statement together."""

    type_name: ClassVar[str] = "JointStatementIssued"
    kind: ClassVar[str] = "joint_statement"

    topics: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()


@register
class AgreementSigned(DiplomaticEvent):
    """An agreement (or MoU) was signed; one event per cooperation area."""

    type_name: ClassVar[str] = "AgreementSigned"
    kind: ClassVar[str] = "agreement"

    area: str | None = None
    title: str | None = None


@register
class TradeFigureReported(DiplomaticEvent):
    """A trade figure for a period: the total, or exports from ``actors[0]`` to ``actors[1]``."""

    type_name: ClassVar[str] = "TradeFigureReported"
    kind: ClassVar[str] = "trade_figure"

    amount: float = Field(ge=0)
    currency: str = "USD"
    unit: str = "billion"
    period: str | None = None
    direction: TradeDirection = "total"
    change_pct: float | None = None

    @property
    def value(self) -> float:
        """The amount in currency units (``unit`` applied)."""
        return self.amount * _UNITS.get(self.unit, 1.0)


@register
class RelationshipDescribed(DiplomaticEvent):
    """The sources name the relationship, e.g. "all-weather strategic cooperative partnership"."""

    type_name: ClassVar[str] = "RelationshipDescribed"
    kind: ClassVar[str] = "descriptor"

    descriptor: str = Field(min_length=3)


_UNITS = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "": 1.0}

DIPLOMATIC_TYPES: dict[str, type[DiplomaticEvent]] = {
    cls.kind: cls
    for cls in (
        MeetingHeld,
        VisitMade,
        PhoneCallHeld,
        StatementMade,
        JointStatementIssued,
        AgreementSigned,
        TradeFigureReported,
        RelationshipDescribed,
    )
}


def diplomatic_class(kind: str) -> type[DiplomaticEvent]:
    """The event class for an extraction kind such as ``"meeting"``; raises KeyError."""
    return DIPLOMATIC_TYPES[kind]


def make_event(kind: str, **fields: Any) -> DiplomaticEvent:
    """Build a diplomatic event of ``kind`` from fields (validated)."""
    return diplomatic_class(kind).model_validate(fields)
