from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import SQLModel


class JobPublic(SQLModel):
    id: int
    kind: str
    state: str
    priority: int
    progress: int
    attempts: int
    max_attempts: int
    error: str | None
    cancel_requested: bool
    agency_id: int | None
    asset_id: int | None
    payload: dict[str, Any]
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
