"""The log's own tables (SQLModel): events and consumer checkpoints. Other packages declare
theirs beside the code that owns them (``tracker.feeds.tables``, ``tracker.projections.tables``);
the DDL that creates them all lives in the Alembic migrations."""

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


EVENTS = EventRow.__table__  # type: ignore[attr-defined]
CHECKPOINTS = CheckpointRow.__table__  # type: ignore[attr-defined]
