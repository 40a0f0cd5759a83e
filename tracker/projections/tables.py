"""The projections' tables (SQLModel): ``view_rows``, the read models the runner writes, and
``view_history``, the rows they replaced. Their DDL lives in the store's Alembic migrations."""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Index, String, Text
from sqlmodel import Field, SQLModel


class ViewRow(SQLModel, table=True):
    """A row of a projection's read model: JSON body keyed by (view, key), indexed by pair/date;
    ``since``: the log position from which it holds (its transaction time)."""

    __tablename__ = "view_rows"
    __table_args__ = (Index("ix_view_rows_pair", "view", "pair", "sort_key"),)

    view: str = Field(sa_column=Column(String(100), primary_key=True))
    key: str = Field(sa_column=Column(String(200), primary_key=True))
    pair: str | None = Field(default=None, sa_column=Column(String(20)))
    sort_key: str | None = Field(default=None, sa_column=Column(String(100)))
    body: str = Field(sa_column=Column(Text, nullable=False))
    since: int = Field(default=0, sa_column=Column(BigInteger, nullable=False, server_default="0"))


class ViewHistoryRow(SQLModel, table=True):
    """A view row that was replaced or removed: it held from ``since`` until ``until``
    (log positions, ``until`` excluded)."""

    __tablename__ = "view_history"
    __table_args__ = (Index("ix_view_history_pair", "view", "pair", "until"),)

    view: str = Field(sa_column=Column(String(100), primary_key=True))
    key: str = Field(sa_column=Column(String(200), primary_key=True))
    since: int = Field(sa_column=Column(BigInteger, primary_key=True))
    until: int = Field(sa_column=Column(BigInteger, nullable=False))
    pair: str | None = Field(default=None, sa_column=Column(String(20)))
    sort_key: str | None = Field(default=None, sa_column=Column(String(100)))
    body: str = Field(sa_column=Column(Text, nullable=False))


VIEW_ROWS = ViewRow.__table__  # type: ignore[attr-defined]
VIEW_HISTORY = ViewHistoryRow.__table__  # type: ignore[attr-defined]
