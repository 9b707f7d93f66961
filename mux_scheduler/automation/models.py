"""Alerts the scheduler raises for the programmer (a day that cannot be published, expiries)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import String
from sqlmodel import Field, SQLModel

from mux_scheduler.core.models_base import created_at_field
from mux_scheduler.core.types import AwareDateTime


class Alert(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    level: str = Field(sa_type=String(10))  # info | warning | error
    kind: str = Field(max_length=40, index=True)
    channel_id: int | None = Field(
        default=None, foreign_key="channel.id", index=True, ondelete="CASCADE"
    )
    broadcast_date: date | None = None
    message: str = Field(max_length=2000)
    # The same condition seen by a later run (a catch-up, tomorrow's sweep) is not re-raised.
    dedupe_key: str = Field(max_length=200, unique=True)
    created_at: datetime = created_at_field()
    acknowledged: bool = Field(default=False, index=True)
    acknowledged_by: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    acknowledged_at: datetime | None = Field(default=None, sa_type=AwareDateTime)
