from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel


class AsRunLogPublic(BaseModel):
    id: int
    channel_id: int
    first_date: date
    last_date: date
    format: str
    file_name: str
    sha256: str
    event_count: int
    uploaded_by: int | None
    created_at: datetime


class ToleranceOut(BaseModel):
    start_frames: int
    duration_frames: int
    match_window_frames: int


class ReconciledItem(BaseModel):
    position: int
    event_uid: str
    house_id: str
    title: str
    item_type: str
    source: str
    agency_id: int | None
    planned_start_at: datetime
    planned_start_frames: int
    planned_duration_frames: int
    planned_duration: str
    status: str
    matched_by: str | None = None
    as_run_event_id: int | None = None
    aired_at: datetime | None = None
    aired_duration_frames: int | None = None
    aired_duration: str | None = None
    offset_frames: int | None = None
    shortfall_frames: int | None = None


class ExtraEvent(BaseModel):
    as_run_event_id: int
    aired_at: datetime
    start_frames: int
    duration_frames: int
    duration: str
    house_id: str
    event_uid: str | None
    title: str


class ReconciliationPublic(BaseModel):
    channel_id: int
    broadcast_date: date
    playlist_id: int
    playlist_version: int
    playlist_state: str
    frame_rate: str
    status: str
    tolerance: ToleranceOut | None
    counts: dict[str, int]
    items: list[ReconciledItem]
    extras: list[ExtraEvent]
