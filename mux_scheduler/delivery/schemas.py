"""API shapes for deliveries and their attempts."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from mux_scheduler.exports.schemas import ExportPublic


class DeliveryAttemptPublic(BaseModel):
    attempt_no: int
    started_at: datetime
    finished_at: datetime
    ok: bool
    error: str | None


class DeliveryPublic(BaseModel):
    id: int
    export: ExportPublic
    version: int
    kind: str
    target: str
    status: str
    trigger: str
    attempts: int
    last_error: str | None
    created_at: datetime
    delivered_at: datetime | None
    attempt_log: list[DeliveryAttemptPublic]
