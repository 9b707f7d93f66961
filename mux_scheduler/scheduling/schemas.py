"""API schemas for rules, campaigns, playlists and manual edits.

Rule specs are a discriminated union on ``kind``; durations are integer frames at the
channel's rate, wall times are local to the channel's zone.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Annotated, Any, Literal

from dateutil.rrule import rrulestr
from pydantic import BaseModel, Field, field_validator, model_validator

from mux_scheduler.core.validators import reject_nulls

AssetKindName = Literal["programme", "ilm", "filler", "station_id", "bumper", "promo", "live"]


class PoolSpec(BaseModel):
    kinds: list[AssetKindName] = []
    tags: list[str] = []
    campaign_id: int | None = None
    agency_ids: list[int] = []
    asset_ids: list[int] = []


class BreakSpec(BaseModel):
    break_frames: int = Field(gt=0, le=25 * 3600)
    every_minutes: int | None = Field(default=None, ge=1, le=240)
    pool: PoolSpec = PoolSpec(kinds=["ilm"])
    order: Literal["sequential", "shuffle", "lru"] = "lru"


class LiveSpec(BaseModel):
    title: str = Field(min_length=1, max_length=300)
    duration_frames: int = Field(gt=0)
    house_id: str = Field(default="LIVE", max_length=100)
    agency_id: int | None = None
    classification: Literal["P", "A", "R", "D", "SU"] = "SU"


class FixedEventSpec(BaseModel):
    kind: Literal["fixed_event"] = "fixed_event"
    at: time
    asset_id: int | None = None
    live: LiveSpec | None = None
    start_mode: Literal["fixed", "follow"] = "fixed"

    @model_validator(mode="after")
    def _content(self) -> FixedEventSpec:
        if (self.asset_id is None) == (self.live is None):
            raise ValueError("a fixed event needs exactly one of asset_id or live")
        return self


class BlockSpec(BaseModel):
    kind: Literal["block"] = "block"
    start: time
    end: time
    pool: PoolSpec
    order: Literal["sequential", "shuffle", "lru"] = "sequential"
    breaks: BreakSpec | None = None

    @model_validator(mode="after")
    def _window(self) -> BlockSpec:
        if self.start == self.end:
            raise ValueError("a block needs a window: start and end are equal")
        return self


class FillerPoolSpec(BaseModel):
    kind: Literal["filler_pool"] = "filler_pool"
    pool: PoolSpec = PoolSpec(kinds=["filler", "station_id", "bumper"])


class MandatorySpec(BaseModel):
    """An item every day at a wall time. ``tag`` picks the approved asset carrying it at build
    time (``indonesia-raya`` for the anthem), so a new recording replaces the old one."""

    kind: Literal["mandatory"] = "mandatory"
    asset_id: int | None = None
    tag: str | None = Field(default=None, min_length=1, max_length=60)
    at: time = time(6, 0)

    @model_validator(mode="after")
    def _content(self) -> MandatorySpec:
        if (self.asset_id is None) == (self.tag is None):
            raise ValueError("a mandatory item needs exactly one of asset_id or tag")
        return self


class OverrideRuleSpec(BaseModel):
    """A rule inside a date override (same kinds as a channel's weekly rules)."""

    name: str = Field(default="", max_length=200)
    priority: int = 0
    spec: Annotated[FixedEventSpec | BlockSpec | FillerPoolSpec, Field(discriminator="kind")]


class DateOverrideSpec(BaseModel):
    kind: Literal["date_override"] = "date_override"
    rules: list[OverrideRuleSpec] = []


RuleSpec = Annotated[
    FixedEventSpec | BlockSpec | FillerPoolSpec | MandatorySpec | DateOverrideSpec,
    Field(discriminator="kind"),
]


def _check_rrule(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        rrulestr(value, dtstart=datetime(2000, 1, 3))  # noqa: DTZ001 - syntax check only
    except (ValueError, TypeError) as exc:
        raise ValueError(f"not an RFC 5545 RRULE: {exc}") from exc
    return value


class RuleCreate(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    priority: int = Field(default=0, ge=-1000, le=1000)
    valid_from: date | None = None
    valid_until: date | None = None
    rrule: str | None = Field(default=None, max_length=500)
    dates: list[date] = []
    enabled: bool = True
    spec: RuleSpec

    @field_validator("rrule")
    @classmethod
    def _rrule(cls, value: str | None) -> str | None:
        return _check_rrule(value)

    @model_validator(mode="after")
    def _dates(self) -> RuleCreate:
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            raise ValueError("valid_until is before valid_from")
        return self


class RuleUpdate(BaseModel):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    priority: int | None = Field(default=None, ge=-1000, le=1000)
    valid_from: date | None = None
    valid_until: date | None = None
    rrule: str | None = Field(default=None, max_length=500)
    dates: list[date] | None = None
    enabled: bool | None = None
    spec: RuleSpec | None = None

    @model_validator(mode="after")
    def _nulls(self) -> RuleUpdate:
        reject_nulls(self, nullable=frozenset({"valid_from", "valid_until", "rrule"}))
        return self

    @field_validator("rrule")
    @classmethod
    def _rrule(cls, value: str | None) -> str | None:
        return _check_rrule(value)


class RulePublic(BaseModel):
    id: int
    channel_id: int
    kind: str
    name: str
    priority: int
    valid_from: date | None
    valid_until: date | None
    rrule: str | None
    dates: list[date]
    enabled: bool
    spec: dict[str, Any]


class WindowSpec(BaseModel):
    start: time
    end: time


class CampaignCreate(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    description: str = Field(default="", max_length=2000)
    asset_ids: list[int] = Field(min_length=1)
    valid_from: date
    valid_until: date
    target_per_day: int = Field(ge=1, le=500)
    windows: list[WindowSpec] = []
    priority: int = Field(default=0, ge=-1000, le=1000)
    channel_ids: list[int] = Field(min_length=1)

    @model_validator(mode="after")
    def _dates(self) -> CampaignCreate:
        if self.valid_until < self.valid_from:
            raise ValueError("valid_until is before valid_from")
        return self


class CampaignUpdate(BaseModel):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    description: str | None = Field(default=None, max_length=2000)
    asset_ids: list[int] | None = Field(default=None, min_length=1)
    valid_from: date | None = None
    valid_until: date | None = None
    target_per_day: int | None = Field(default=None, ge=1, le=500)
    windows: list[WindowSpec] | None = None
    priority: int | None = Field(default=None, ge=-1000, le=1000)
    channel_ids: list[int] | None = Field(default=None, min_length=1)

    @model_validator(mode="after")
    def _nulls(self) -> CampaignUpdate:
        reject_nulls(self)
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            raise ValueError("valid_until is before valid_from")
        return self


class CampaignPublic(BaseModel):
    id: int
    name: str
    description: str
    asset_ids: list[int]
    valid_from: date
    valid_until: date
    target_per_day: int
    windows: list[WindowSpec]
    priority: int
    channel_ids: list[int]


class ItemPublic(BaseModel):
    id: int
    position: int
    event_uid: str
    start_frames: int
    duration_frames: int
    som_frames: int
    eom_frames: int
    start_timecode: str
    duration_timecode: str
    start_at: datetime
    start_local: str
    item_type: str
    asset_id: int | None
    house_id: str
    title: str
    source: str
    agency_id: int | None
    classification: str
    locked: bool
    flags: list[str]


class PlaylistPublic(BaseModel):
    id: int
    channel_id: int
    broadcast_date: date
    version: int
    state: str
    frame_rate: str
    day_frames: int
    start_at: datetime
    zone_label: str
    error_count: int
    warning_count: int
    built_at: datetime
    published_at: datetime | None
    locked_at: datetime | None
    items: list[ItemPublic]


class PlaylistSummary(BaseModel):
    id: int
    channel_id: int
    broadcast_date: date
    version: int
    state: str
    error_count: int
    warning_count: int
    item_count: int


class ItemEdit(BaseModel):
    """A manual edit of one item; kept as a locked item through later rebuilds.

    ``move``: to ``start_frames``. ``replace``: with ``asset_id`` at the same start.
    ``insert``: ``asset_id`` at the item's start (the day is rebuilt around it).
    ``remove``: the item's asset does not air on this day (withdrawn edits air again).
    """

    action: Literal["move", "replace", "insert", "remove"]
    start_frames: int | None = Field(default=None, ge=0)
    asset_id: int | None = None

    @model_validator(mode="after")
    def _needs(self) -> ItemEdit:
        if self.action == "move" and self.start_frames is None:
            raise ValueError("move needs start_frames")
        if self.action in ("replace", "insert") and self.asset_id is None:
            raise ValueError(f"{self.action} needs asset_id")
        return self


class Placement(BaseModel):
    """``next_break``: the first break after now + the safety margin. ``at``: an exact time
    (a programme running then is interrupted and resumes after the insert). ``repeat``: from
    ``at`` (or the next break) every ``every_minutes`` until ``until``."""

    mode: Literal["next_break", "at", "repeat"]
    at: datetime | None = None
    every_minutes: int | None = Field(default=None, ge=5, le=720)
    until: datetime | None = None

    @model_validator(mode="after")
    def _complete(self) -> Placement:
        for name in ("at", "until"):
            value = getattr(self, name)
            if value is not None and value.tzinfo is None:
                raise ValueError(f"{name} needs a time zone offset, e.g. 2026-11-26T14:30:00+07:00")
        if self.mode == "at" and self.at is None:
            raise ValueError("mode 'at' needs 'at'")
        if self.mode == "repeat" and (self.every_minutes is None or self.until is None):
            raise ValueError("mode 'repeat' needs 'every_minutes' and 'until'")
        return self


class InsertCreate(BaseModel):
    asset_id: int
    channel_ids: list[int] = []
    multiplex_id: int | None = None
    placement: Placement
    reason: str = Field(min_length=5, max_length=1000)

    @model_validator(mode="after")
    def _targets(self) -> InsertCreate:
        if not self.channel_ids and self.multiplex_id is None:
            raise ValueError("name the channels (channel_ids) or a whole multiplex (multiplex_id)")
        return self


class InsertChange(BaseModel):
    action: str
    title: str
    house_id: str
    before_start: str | None
    after_start: str | None
    frames: int
    before_local: str | None = None
    """Wall-clock time on the channel (``HH:MM:SS``); ``before_start`` is the day timecode."""
    after_local: str | None = None


class InsertChannelResult(BaseModel):
    channel_id: int
    ok: bool
    broadcast_date: date | None = None
    version: int | None = None
    placed_at: list[str] = []
    changes: list[InsertChange] = []
    error: str | None = None
    error_code: str | None = None
    """Why the insert failed, for wording ``error`` in another language (``error`` stays)."""
    error_params: dict[str, int] = {}
    deliveries: list[dict[str, Any]] = []


class InsertPublic(BaseModel):
    id: int
    asset_id: int
    reason: str
    placement: dict[str, Any]
    channel_ids: list[int]
    results: list[InsertChannelResult]
    created_at: datetime
