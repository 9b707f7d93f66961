"""Operators, multiplexes, technical profiles, channels and leases.

Each table has a ``XBase`` with the fields a client may set; the API schemas in ``schemas.py``
derive ``XCreate / XUpdate / XPublic`` from it.
"""

from __future__ import annotations

from datetime import date, datetime, time
from fractions import Fraction
from typing import Any

from sqlalchemy import JSON, String, UniqueConstraint
from sqlmodel import Field, SQLModel

from mux_scheduler.core.models_base import created_at_field


class OperatorBase(SQLModel):
    name: str = Field(max_length=200, unique=True)
    slug: str = Field(max_length=60, unique=True, schema_extra={"pattern": r"^[a-z0-9-]+$"})
    time_zone: str = Field(default="Asia/Jakarta", max_length=40)
    # Playlist for broadcast day D is due at cutoff_time on D - cutoff_days_before.
    cutoff_time: time = time(14, 0)
    cutoff_days_before: int = Field(default=1, ge=0, le=14)
    export_formats: list[str] = Field(default_factory=list, sa_type=JSON)
    delivery_kind: str = Field(
        default="folder", sa_type=String(10), schema_extra={"pattern": r"^(folder|sftp|http)$"}
    )
    delivery_target: str = Field(default="", max_length=500)


class Operator(OperatorBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = created_at_field()


class MultiplexBase(SQLModel):
    operator_id: int = Field(foreign_key="operator.id", index=True)
    name: str = Field(max_length=200)
    service_area: str = Field(max_length=200)
    uhf_channel: int = Field(ge=21, le=69)
    original_network_id: int = Field(default=0x2198, ge=0, le=0xFFFF)
    transport_stream_id: int = Field(default=1, ge=0, le=0xFFFF)


class Multiplex(MultiplexBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = created_at_field()


class TechnicalProfileBase(SQLModel):
    """The operator's technical spec that every rendition must meet."""

    name: str = Field(max_length=120, unique=True)
    video_codec: str = Field(
        default="h264", max_length=20, schema_extra={"pattern": r"^(h264|mpeg2video|hevc)$"}
    )
    width: int = Field(default=1920, ge=16, le=7680)
    height: int = Field(default=1080, ge=16, le=4320)
    rate_num: int = Field(default=25, ge=1)
    rate_den: int = Field(default=1, ge=1)
    scan: str = Field(
        default="interlaced_tff",
        max_length=20,
        schema_extra={"pattern": r"^(progressive|interlaced_tff)$"},
    )
    display_aspect: str = Field(
        default="16:9", max_length=10, schema_extra={"pattern": r"^(16:9|4:3)$"}
    )
    video_bitrate_bps: int = Field(default=5_500_000, ge=100_000, le=80_000_000)
    gop_frames: int = Field(default=12, ge=1, le=300)
    audio_codec: str = Field(
        default="mp2", max_length=10, schema_extra={"pattern": r"^(mp2|aac|ac3)$"}
    )
    audio_sample_rate: int = Field(default=48_000, ge=8_000, le=96_000)
    audio_channels: int = Field(default=2, ge=1, le=8)
    audio_bitrate_bps: int = Field(default=192_000, ge=32_000, le=640_000)
    loudness_target_lufs: float = Field(default=-23.0, ge=-40, le=-5)
    true_peak_max_dbtp: float = Field(default=-1.0, ge=-10, le=0)
    loudness_tolerance_lu: float = Field(default=1.0, gt=0, le=5)
    container: str = Field(default="mpegts", max_length=10, schema_extra={"pattern": r"^(mpegts)$"})
    # The operator's allocation on the mux for this service (the TS mux rate); None derives it.
    mux_rate_bps: int | None = Field(default=None, ge=100_000, le=100_000_000)


class TechnicalProfile(TechnicalProfileBase, table=True):
    __tablename__ = "technical_profile"

    id: int | None = Field(default=None, primary_key=True)
    is_preset: bool = False
    created_at: datetime = created_at_field()

    @property
    def frame_rate(self) -> Fraction:
        return Fraction(self.rate_num, self.rate_den)


class ChannelBase(SQLModel):
    multiplex_id: int = Field(foreign_key="multiplex.id", index=True)
    profile_id: int = Field(foreign_key="technical_profile.id")
    name: str = Field(max_length=200)
    slug: str = Field(max_length=60, unique=True, schema_extra={"pattern": r"^[a-z0-9-]+$"})
    lcn: int = Field(ge=1, le=999)
    service_id: int = Field(ge=1, le=0xFFFF)
    time_zone: str = Field(default="Asia/Jakarta", max_length=40)
    day_start: time = time(5, 0)
    is_24h: bool = True
    constraints: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)


class Channel(ChannelBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = created_at_field()


class ChannelLeaseBase(SQLModel):
    """An agency's lease of airtime on a channel, with its share of the day."""

    channel_id: int = Field(foreign_key="channel.id", index=True)
    agency_id: int = Field(foreign_key="agency.id", index=True)
    valid_from: date
    valid_until: date | None = None
    share_percent: int = Field(default=100, ge=1, le=100)


class ChannelLease(ChannelLeaseBase, table=True):
    __tablename__ = "channel_lease"
    __table_args__ = (UniqueConstraint("channel_id", "agency_id", "valid_from"),)

    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = created_at_field()
