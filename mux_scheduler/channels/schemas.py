"""API schemas (``XCreate / XUpdate / XPublic``) for the channel domain."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from pydantic import field_validator, model_validator
from sqlmodel import Field, SQLModel

from mux_scheduler.channels.models import (
    ChannelBase,
    ChannelLeaseBase,
    MultiplexBase,
    OperatorBase,
    TechnicalProfileBase,
)
from mux_scheduler.core.validators import check_time_zone, reject_nulls


class OperatorCreate(OperatorBase):
    @field_validator("time_zone")
    @classmethod
    def _zone(cls, value: str) -> str:
        return check_time_zone(value)


class OperatorUpdate(SQLModel):
    name: str | None = Field(default=None, max_length=200)
    time_zone: str | None = None
    cutoff_time: time | None = None
    cutoff_days_before: int | None = Field(default=None, ge=0, le=14)
    export_formats: list[str] | None = None
    delivery_kind: str | None = Field(
        default=None, schema_extra={"pattern": r"^(folder|sftp|http)$"}
    )
    delivery_target: str | None = Field(default=None, max_length=500)

    @field_validator("time_zone")
    @classmethod
    def _zone(cls, value: str | None) -> str | None:
        return None if value is None else check_time_zone(value)

    @model_validator(mode="after")
    def _nulls(self) -> OperatorUpdate:
        reject_nulls(self)
        return self


class OperatorPublic(OperatorBase):
    id: int
    created_at: datetime


class MultiplexCreate(MultiplexBase):
    pass


class MultiplexUpdate(SQLModel):
    name: str | None = Field(default=None, max_length=200)
    service_area: str | None = Field(default=None, max_length=200)
    uhf_channel: int | None = Field(default=None, ge=21, le=69)
    original_network_id: int | None = Field(default=None, ge=0, le=0xFFFF)
    transport_stream_id: int | None = Field(default=None, ge=0, le=0xFFFF)

    @model_validator(mode="after")
    def _nulls(self) -> MultiplexUpdate:
        reject_nulls(self)
        return self


class MultiplexPublic(MultiplexBase):
    id: int
    created_at: datetime


class ProfileCreate(TechnicalProfileBase):
    pass


class ProfileUpdate(SQLModel):
    video_bitrate_bps: int | None = Field(default=None, ge=100_000, le=80_000_000)
    gop_frames: int | None = Field(default=None, ge=1, le=300)
    audio_bitrate_bps: int | None = Field(default=None, ge=32_000, le=640_000)
    loudness_target_lufs: float | None = Field(default=None, ge=-40, le=-5)
    true_peak_max_dbtp: float | None = Field(default=None, ge=-10, le=0)
    loudness_tolerance_lu: float | None = Field(default=None, gt=0, le=5)

    @model_validator(mode="after")
    def _nulls(self) -> ProfileUpdate:
        reject_nulls(self)
        return self


class ProfilePublic(TechnicalProfileBase):
    id: int
    is_preset: bool
    frame_rate: str
    created_at: datetime


class ChannelCreate(ChannelBase):
    @field_validator("time_zone")
    @classmethod
    def _zone(cls, value: str) -> str:
        return check_time_zone(value)


class ChannelUpdate(SQLModel):
    name: str | None = Field(default=None, max_length=200)
    profile_id: int | None = None
    lcn: int | None = Field(default=None, ge=1, le=999)
    time_zone: str | None = None
    day_start: time | None = None
    is_24h: bool | None = None
    constraints: dict[str, Any] | None = None

    @field_validator("time_zone")
    @classmethod
    def _zone(cls, value: str | None) -> str | None:
        return None if value is None else check_time_zone(value)

    @model_validator(mode="after")
    def _nulls(self) -> ChannelUpdate:
        reject_nulls(self)
        return self


class ChannelPublic(ChannelBase):
    id: int
    zone_label: str
    created_at: datetime


class LeaseCreate(ChannelLeaseBase):
    @model_validator(mode="after")
    def _dates(self) -> LeaseCreate:
        if self.valid_until is not None and self.valid_until < self.valid_from:
            raise ValueError("valid_until is before valid_from")
        return self


class LeaseUpdate(SQLModel):
    valid_until: date | None = None
    share_percent: int | None = Field(default=None, ge=1, le=100)

    @model_validator(mode="after")
    def _nulls(self) -> LeaseUpdate:
        reject_nulls(self, nullable=frozenset({"valid_until"}))
        return self


class LeasePublic(ChannelLeaseBase):
    id: int
    created_at: datetime
