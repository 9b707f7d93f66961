"""The proof-of-airing report as JSON; CSV and PDF are renderings of the same object."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel


class Duration(BaseModel):
    timecode: str
    seconds: float


class AiringRow(BaseModel):
    """One planned item and what the as-run says about it."""

    channel: str
    broadcast_date: date
    position: int
    planned_start_at: datetime
    house_id: str
    title: str
    agency: str
    item_type: str
    classification: str
    source: str
    campaign_ids: list[int]
    planned_duration: str
    status: str
    aired_at: datetime | None = None
    aired_duration: str | None = None
    offset_frames: int | None = None
    shortfall_frames: int | None = None
    window_compliant: bool | None = None


class AgencySummary(BaseModel):
    agency_id: int | None
    agency: str
    planned_count: int
    planned: Duration
    aired_count: int
    late_count: int
    short_count: int
    missed_count: int
    unconfirmed_count: int
    aired: Duration
    unconfirmed: Duration
    ilm_aired: Duration
    ilm_share_percent: float | None


class CampaignDay(BaseModel):
    channel: str
    broadcast_date: date
    target_per_day: int
    planned: int
    aired: int
    status: str
    target_met: bool | None


class CampaignSummary(BaseModel):
    campaign_id: int
    name: str
    target_per_day: int
    days: list[CampaignDay]
    days_met: int
    days_missed: int
    days_unconfirmed: int


class DayStatus(BaseModel):
    channel: str
    broadcast_date: date
    status: str
    playlist_version: int | None


class WindowCompliance(BaseModel):
    checked: int
    compliant: int
    violations: list[AiringRow]


class AiringsReport(BaseModel):
    date_from: date
    date_to: date
    agency_id: int | None
    campaign_id: int | None
    generated_at: datetime
    frame_rate: str
    agencies: list[AgencySummary]
    campaigns: list[CampaignSummary]
    days: list[DayStatus]
    classification: WindowCompliance
    inserts: list[AiringRow]
    items: list[AiringRow]
