"""Table models (SQLModel). The DDL that creates them lives in the Alembic migrations."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Column, Date, DateTime, Index, Integer, String, Text
from sqlalchemy import UniqueConstraint as Unique
from sqlmodel import Field, SQLModel


class EventRow(SQLModel, table=True):
    """The append-only log. UPDATE and DELETE are refused by triggers."""

    __tablename__ = "events"
    __table_args__ = (
        Unique("stream_id", "stream_version", name="uq_events_stream_version"),
        Index("ix_events_type", "type"),
    )

    position: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    event_id: str = Field(sa_column=Column(String(36), nullable=False, unique=True))
    stream_id: str = Field(sa_column=Column(String(200), nullable=False))
    stream_version: int = Field(sa_column=Column(Integer, nullable=False))
    type: str = Field(sa_column=Column(String(100), nullable=False))
    schema_version: int = Field(sa_column=Column(Integer, nullable=False))
    payload: str = Field(sa_column=Column(Text, nullable=False))
    meta: str = Field(sa_column=Column("metadata", Text, nullable=False))
    recorded_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    occurred_on: date | None = Field(default=None, sa_column=Column(Date, nullable=True))
    hash: str = Field(sa_column=Column(String(64), nullable=False))
    prev_hash: str = Field(sa_column=Column(String(64), nullable=False))


class CheckpointRow(SQLModel, table=True):
    """How far each consumer (projection) has read the log."""

    __tablename__ = "checkpoints"

    name: str = Field(sa_column=Column(String(100), primary_key=True))
    position: int = Field(sa_column=Column(BigInteger, nullable=False))
    updated_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))


class FeedStateRow(SQLModel, table=True):
    """Operational state of one feed: validators, health, schedule and the polling lease."""

    __tablename__ = "feed_state"

    name: str = Field(sa_column=Column(String(200), primary_key=True))
    url: str = Field(sa_column=Column(Text, nullable=False))
    etag: str | None = Field(default=None, sa_column=Column(Text))
    last_modified: str | None = Field(default=None, sa_column=Column(Text))
    last_attempt: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))
    last_success: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))
    last_status: int | None = Field(default=None, sa_column=Column(Integer))
    last_error: str | None = Field(default=None, sa_column=Column(Text))
    failures: int = Field(default=0, sa_column=Column(Integer, nullable=False, default=0))
    next_due: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))
    disabled_reason: str | None = Field(default=None, sa_column=Column(Text))
    lease_owner: str | None = Field(default=None, sa_column=Column(String(200)))
    lease_expires: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))
    health: str = Field(default="{}", sa_column=Column(Text, nullable=False, default="{}"))


class ViewRow(SQLModel, table=True):
    """A row of a projection's read model: JSON body keyed by (view, key), indexed by pair/date."""

    __tablename__ = "view_rows"
    __table_args__ = (Index("ix_view_rows_pair", "view", "pair", "sort_key"),)

    view: str = Field(sa_column=Column(String(100), primary_key=True))
    key: str = Field(sa_column=Column(String(200), primary_key=True))
    pair: str | None = Field(default=None, sa_column=Column(String(20)))
    sort_key: str | None = Field(default=None, sa_column=Column(String(100)))
    body: str = Field(sa_column=Column(Text, nullable=False))


EVENTS = EventRow.__table__  # type: ignore[attr-defined]
CHECKPOINTS = CheckpointRow.__table__  # type: ignore[attr-defined]
FEED_STATE = FeedStateRow.__table__  # type: ignore[attr-defined]
VIEW_ROWS = ViewRow.__table__  # type: ignore[attr-defined]
