from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from mux_scheduler.core.models_base import created_at_field


class AgencyBase(SQLModel):
    name: str = Field(max_length=200, unique=True)
    short_name: str = Field(max_length=40)
    kind: str = Field(default="ministry", max_length=30)  # ministry | agency | regional_government
    contact_email: str | None = Field(default=None, max_length=200)


class Agency(AgencyBase, table=True):
    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = created_at_field()
