"""Background jobs: the database row is the truth; workers only claim and update it."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Index, String
from sqlmodel import Field, SQLModel

from mux_scheduler.core.models_base import created_at_field
from mux_scheduler.core.types import AwareDateTime


class JobState(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"


FINISHED_STATES = (JobState.DONE, JobState.FAILED, JobState.CANCELLED)


class Job(SQLModel, table=True):
    __table_args__ = (Index("ix_job_claim_order", "state", "priority", "created_at"),)

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=60, index=True)  # "domain.action", e.g. "assets.transcode"
    payload: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    state: str = Field(default=JobState.QUEUED, sa_type=String(12))
    priority: int = 0  # higher runs first (urgent uploads)
    progress: int = Field(default=0, ge=0, le=100)
    attempts: int = 0
    max_attempts: int = Field(default=3, ge=1)
    error: str | None = Field(default=None, max_length=2000)
    cancel_requested: bool = False
    locked_by: str | None = Field(default=None, max_length=120)
    heartbeat_at: datetime | None = Field(default=None, sa_type=AwareDateTime)
    # Who the job is for, so an agency's editors see its jobs and nobody else's.
    agency_id: int | None = Field(default=None, foreign_key="agency.id", index=True)
    asset_id: int | None = Field(
        default=None, foreign_key="asset.id", index=True, ondelete="SET NULL"
    )
    created_at: datetime = created_at_field()
    started_at: datetime | None = Field(default=None, sa_type=AwareDateTime)
    finished_at: datetime | None = Field(default=None, sa_type=AwareDateTime)
