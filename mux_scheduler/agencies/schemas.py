from __future__ import annotations

from datetime import datetime

from pydantic import model_validator
from sqlmodel import Field, SQLModel

from mux_scheduler.agencies.models import AgencyBase
from mux_scheduler.core.validators import reject_nulls


class AgencyCreate(AgencyBase):
    pass


class AgencyUpdate(SQLModel):
    name: str | None = Field(default=None, max_length=200)
    short_name: str | None = Field(default=None, max_length=40)
    kind: str | None = Field(default=None, max_length=30)
    contact_email: str | None = Field(default=None, max_length=200)

    @model_validator(mode="after")
    def _nulls(self) -> AgencyUpdate:
        reject_nulls(self, nullable=frozenset({"contact_email"}))
        return self


class AgencyPublic(AgencyBase):
    id: int
    created_at: datetime
