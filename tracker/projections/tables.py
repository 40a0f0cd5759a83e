"""The projections' table (SQLModel): ``view_rows``, the read models the runner writes.
Its DDL lives in the store's Alembic migrations."""

from __future__ import annotations

from sqlalchemy import Column, Index, String, Text
from sqlmodel import Field, SQLModel


class ViewRow(SQLModel, table=True):
    """A row of a projection's read model: JSON body keyed by (view, key), indexed by pair/date."""

    __tablename__ = "view_rows"
    __table_args__ = (Index("ix_view_rows_pair", "view", "pair", "sort_key"),)

    view: str = Field(sa_column=Column(String(100), primary_key=True))
    key: str = Field(sa_column=Column(String(200), primary_key=True))
    pair: str | None = Field(default=None, sa_column=Column(String(20)))
    sort_key: str | None = Field(default=None, sa_column=Column(String(100)))
    body: str = Field(sa_column=Column(Text, nullable=False))


VIEW_ROWS = ViewRow.__table__  # type: ignore[attr-defined]
