"""Uploaded as-run logs and the events they report, kept as received (``raw``) for audits."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, Index, String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from mux_scheduler.core.models_base import created_at_field
from mux_scheduler.core.types import AwareDateTime


class AsRunLog(SQLModel, table=True):
    """One uploaded file. The same file (by sha256) is accepted once per channel."""

    __tablename__ = "as_run_log"
    __table_args__ = (UniqueConstraint("channel_id", "sha256"),)

    id: int | None = Field(default=None, primary_key=True)
    channel_id: int = Field(foreign_key="channel.id", index=True, ondelete="CASCADE")
    first_date: date
    last_date: date
    uploaded_by: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    file_name: str = Field(default="", max_length=255)
    sha256: str = Field(max_length=64)
    format: str = Field(sa_type=String(10))  # bxf | csv
    event_count: int = 0
    created_at: datetime = created_at_field()


class AsRunEvent(SQLModel, table=True):
    """``broadcast_date`` is the channel's broadcast day on air at ``aired_at``."""

    __tablename__ = "as_run_event"
    __table_args__ = (Index("ix_as_run_event_channel_day", "channel_id", "broadcast_date"),)

    id: int | None = Field(default=None, primary_key=True)
    log_id: int = Field(foreign_key="as_run_log.id", index=True, ondelete="CASCADE")
    channel_id: int = Field(foreign_key="channel.id", ondelete="CASCADE")
    broadcast_date: date
    aired_at: datetime = Field(sa_type=AwareDateTime)
    duration_frames: int
    house_id: str = Field(default="", max_length=100)
    event_uid: str | None = Field(default=None, max_length=32)
    title: str = Field(default="", max_length=300)
    raw: str = Field(default="", sa_column=Column(Text, nullable=False))
