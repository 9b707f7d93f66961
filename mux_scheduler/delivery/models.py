"""Deliveries of export files to operators, and every attempt made."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import String, UniqueConstraint
from sqlmodel import Field, SQLModel

from mux_scheduler.core.models_base import created_at_field
from mux_scheduler.core.types import AwareDateTime


class DeliveryStatus(StrEnum):
    PENDING = "pending"
    DELIVERED = "delivered"
    FAILED = "failed"


class Delivery(SQLModel, table=True):
    """One export file to one target. The unique key makes a repeated run a no-op."""

    __table_args__ = (UniqueConstraint("export_id", "target"),)

    id: int | None = Field(default=None, primary_key=True)
    export_id: int = Field(foreign_key="export.id", index=True, ondelete="CASCADE")
    kind: str = Field(sa_type=String(10))  # folder | sftp | http
    target: str = Field(max_length=500)
    status: str = Field(default=DeliveryStatus.PENDING, sa_type=String(10))
    trigger: str = Field(default="manual", sa_type=String(10))  # manual | cutoff
    attempts: int = 0
    last_error: str | None = Field(default=None, max_length=2000)
    requested_by: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    created_at: datetime = created_at_field()
    delivered_at: datetime | None = Field(default=None, sa_type=AwareDateTime)
    # Set while a process is sending, so a manual delivery and the scheduler never both send.
    claimed_at: datetime | None = Field(default=None, sa_type=AwareDateTime)


class DeliveryAttempt(SQLModel, table=True):
    __tablename__ = "delivery_attempt"

    id: int | None = Field(default=None, primary_key=True)
    delivery_id: int = Field(foreign_key="delivery.id", index=True, ondelete="CASCADE")
    export_id: int = Field(foreign_key="export.id", index=True, ondelete="CASCADE")
    target: str = Field(max_length=500)
    attempt_no: int = Field(ge=1)
    started_at: datetime = Field(sa_type=AwareDateTime)
    finished_at: datetime = Field(sa_type=AwareDateTime)
    ok: bool
    error: str | None = Field(default=None, max_length=2000)
