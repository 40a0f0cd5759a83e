"""The log's own tables (SQLModel): events and consumer checkpoints. Other packages declare
theirs beside the code that owns them (``tracker.feeds.tables``, ``tracker.projections.tables``);
the DDL that creates them all lives in the Alembic migrations."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from sqlalchemy import BigInteger, Column, Date, DateTime, Integer, LargeBinary, String, Text
from sqlalchemy import UniqueConstraint as Unique
from sqlalchemy.dialects.postgresql import UUID as PgUuid
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator, TypeEngine
from sqlmodel import Field, SQLModel


class HexDigest(TypeDecorator[str]):
    """A SHA-256 digest: 32 bytes in the table, its 64-character hex form in Python (and in
    export-log files), so half the bytes on disk and the same values everywhere else."""

    impl = LargeBinary(32)
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> bytes | None:
        """Hex text to bytes."""
        return None if value is None else bytes.fromhex(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> str | None:
        """Bytes to hex text."""
        return None if value is None else bytes(value).hex()


class EventIdType(TypeDecorator[str]):
    """An event id: PostgreSQL's native ``uuid``, 16 bytes on SQLite; its canonical text form
    in Python (the half-size key makes the unique index, written by every append, smaller)."""

    impl = LargeBinary(16)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        """``uuid`` on PostgreSQL, a BLOB elsewhere."""
        if dialect.name == "postgresql":
            return dialect.type_descriptor(PgUuid(as_uuid=True))
        return dialect.type_descriptor(LargeBinary(16))

    def process_bind_param(self, value: str | UUID | None, dialect: Dialect) -> Any:
        """Text (or a UUID) to the column's form."""
        if value is None:
            return None
        uid = value if isinstance(value, UUID) else UUID(value)
        return uid if dialect.name == "postgresql" else uid.bytes

    def process_result_value(self, value: Any, dialect: Dialect) -> str | None:
        """The column's form to canonical text."""
        if value is None:
            return None
        return str(value if isinstance(value, UUID) else UUID(bytes=bytes(value)))


class EventRow(SQLModel, table=True):
    """The append-only log. UPDATE and DELETE are refused by triggers. No index on ``type``:
    appends paid for it and only ``tail(types=...)`` read it, which scans back from the newest
    row and stops at ``limit`` matches."""

    __tablename__ = "events"
    __table_args__ = (Unique("stream_id", "stream_version", name="uq_events_stream_version"),)

    position: int = Field(sa_column=Column(BigInteger, primary_key=True, autoincrement=False))
    event_id: str = Field(sa_column=Column(EventIdType, nullable=False, unique=True))
    stream_id: str = Field(sa_column=Column(String(200), nullable=False))
    stream_version: int = Field(sa_column=Column(Integer, nullable=False))
    type: str = Field(sa_column=Column(String(100), nullable=False))
    schema_version: int = Field(sa_column=Column(Integer, nullable=False))
    payload: str = Field(sa_column=Column(Text, nullable=False))
    meta: str = Field(sa_column=Column("metadata", Text, nullable=False))
    recorded_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    occurred_on: date | None = Field(default=None, sa_column=Column(Date, nullable=True))
    hash: str = Field(sa_column=Column(HexDigest, nullable=False))
    prev_hash: str = Field(sa_column=Column(HexDigest, nullable=False))


class CheckpointRow(SQLModel, table=True):
    """How far each consumer (projection) has read the log."""

    __tablename__ = "checkpoints"

    name: str = Field(sa_column=Column(String(100), primary_key=True))
    position: int = Field(sa_column=Column(BigInteger, nullable=False))
    updated_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))


EVENTS = EventRow.__table__  # type: ignore[attr-defined]
CHECKPOINTS = CheckpointRow.__table__  # type: ignore[attr-defined]
