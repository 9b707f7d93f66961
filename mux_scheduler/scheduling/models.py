"""Schedule rules, campaigns, manual edits and versioned playlists."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, String, UniqueConstraint
from sqlmodel import Field, SQLModel

from mux_scheduler.core.models_base import created_at_field
from mux_scheduler.core.types import AwareDateTime


class ScheduleRule(SQLModel, table=True):
    """One rule of a channel; ``spec`` holds the kind-specific part validated by the API."""

    __tablename__ = "schedule_rule"

    id: int | None = Field(default=None, primary_key=True)
    channel_id: int = Field(foreign_key="channel.id", index=True, ondelete="CASCADE")
    kind: str = Field(sa_type=String(20))
    name: str = Field(max_length=200)
    priority: int = 0
    valid_from: date | None = None
    valid_until: date | None = None
    rrule: str | None = Field(default=None, max_length=500)
    dates: list[str] = Field(default_factory=list, sa_type=JSON)
    enabled: bool = True
    spec: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    created_at: datetime = created_at_field()
    updated_at: datetime = created_at_field()


class Campaign(SQLModel, table=True):
    """Agenda setting across agencies: spots aired N times a day inside time windows."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    description: str = Field(default="", max_length=2000)
    asset_ids: list[int] = Field(default_factory=list, sa_type=JSON)
    valid_from: date
    valid_until: date
    target_per_day: int = Field(ge=1, le=500)
    windows: list[dict[str, str]] = Field(default_factory=list, sa_type=JSON)
    priority: int = 0
    created_at: datetime = created_at_field()


class CampaignChannel(SQLModel, table=True):
    __tablename__ = "campaign_channel"

    campaign_id: int = Field(foreign_key="campaign.id", primary_key=True, ondelete="CASCADE")
    channel_id: int = Field(foreign_key="channel.id", primary_key=True, ondelete="CASCADE")


class PlaylistEdit(SQLModel, table=True):
    """A programmer's manual change to a day, re-applied by every rebuild until withdrawn."""

    __tablename__ = "playlist_edit"

    id: int | None = Field(default=None, primary_key=True)
    channel_id: int = Field(foreign_key="channel.id", index=True, ondelete="CASCADE")
    broadcast_date: date = Field(index=True)
    op: str = Field(sa_type=String(10))  # lock | exclude
    start_frames: int | None = None
    duration_frames: int | None = None
    som_frames: int = 0
    asset_id: int | None = None
    title: str = Field(default="", max_length=300)
    item_type: str = Field(default="programme", max_length=20)
    active: bool = True
    created_by: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    created_at: datetime = created_at_field()


class Playlist(SQLModel, table=True):
    """One version of a channel's broadcast day. A rebuild adds a version; none is rewritten."""

    __table_args__ = (UniqueConstraint("channel_id", "broadcast_date", "version"),)

    id: int | None = Field(default=None, primary_key=True)
    channel_id: int = Field(foreign_key="channel.id", index=True, ondelete="CASCADE")
    broadcast_date: date = Field(index=True)
    version: int = Field(ge=1)
    state: str = Field(default="draft", sa_type=String(12))  # draft|published|locked|superseded
    rate_num: int
    rate_den: int
    day_frames: int
    start_at: datetime = Field(sa_type=AwareDateTime)
    report: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    next_state: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    error_count: int = 0
    warning_count: int = 0
    built_by: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    built_at: datetime = created_at_field()
    published_by: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    published_at: datetime | None = Field(default=None, sa_type=AwareDateTime)
    locked_at: datetime | None = Field(default=None, sa_type=AwareDateTime)


class PlaylistItem(SQLModel, table=True):
    __tablename__ = "playlist_item"

    id: int | None = Field(default=None, primary_key=True)
    playlist_id: int = Field(foreign_key="playlist.id", index=True, ondelete="CASCADE")
    position: int
    event_uid: str = Field(default_factory=lambda: uuid.uuid4().hex, max_length=32)
    start_frames: int
    duration_frames: int
    som_frames: int
    eom_frames: int
    item_type: str = Field(max_length=20)
    asset_id: int | None = Field(default=None, index=True)
    house_id: str = Field(max_length=100)
    title: str = Field(max_length=300)
    source: str = Field(max_length=100)
    agency_id: int | None = Field(default=None, index=True)
    classification: str = Field(default="SU", max_length=3)
    locked: bool = False
    flags: list[str] = Field(default_factory=list, sa_type=JSON)


class RapidInsert(SQLModel, table=True):
    """A same-day priority insert: who asked, why, where, and what moved on each channel."""

    __tablename__ = "rapid_insert"

    id: int | None = Field(default=None, primary_key=True)
    asset_id: int = Field(index=True)
    reason: str = Field(max_length=1000)
    placement: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    channel_ids: list[int] = Field(default_factory=list, sa_type=JSON)
    results: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSON)
    requested_by: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    created_at: datetime = created_at_field()
