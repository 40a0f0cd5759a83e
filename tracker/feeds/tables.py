"""The poller's table (SQLModel): ``feed_state``, operational data beside the log, not events.
Its DDL lives in the store's Alembic migrations."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, DateTime, Integer, String, Text
from sqlmodel import Field, SQLModel


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


FEED_STATE = FeedStateRow.__table__  # type: ignore[attr-defined]
