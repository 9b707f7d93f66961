from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from mux_scheduler.agencies.models import AgencyBase


class AgencyCreate(AgencyBase):
    pass


class AgencyUpdate(SQLModel):
    name: str | None = Field(default=None, max_length=200)
    short_name: str | None = Field(default=None, max_length=40)
    kind: str | None = Field(default=None, max_length=30)
    contact_email: str | None = Field(default=None, max_length=200)


class AgencyPublic(AgencyBase):
    id: int
    created_at: datetime
