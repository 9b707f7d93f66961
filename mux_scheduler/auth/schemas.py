from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field, model_validator

from mux_scheduler.auth.models import Role
from mux_scheduler.core.validators import reject_nulls


class TokenResponse(BaseModel):
    access_token: str
    token_type: str = "bearer"  # noqa: S105 - the OAuth2 token type, not a secret
    expires_at: datetime | None = None


class UserPublic(BaseModel):
    id: int
    username: str
    full_name: str
    email: str | None
    role: Role
    agency_id: int | None
    operator_id: int | None
    locale: str
    is_active: bool
    created_at: datetime


class UserCreate(BaseModel):
    username: str = Field(min_length=3, max_length=80, pattern=r"^[A-Za-z0-9._-]+$")
    password: str = Field(min_length=10, max_length=200)
    role: Role
    full_name: str = Field(default="", max_length=200)
    email: str | None = Field(default=None, max_length=200)
    agency_id: int | None = None
    operator_id: int | None = None
    locale: str = Field(default="id", pattern=r"^(id|en)$")


class UserUpdate(BaseModel):
    full_name: str | None = Field(default=None, max_length=200)
    email: str | None = Field(default=None, max_length=200)
    password: str | None = Field(default=None, min_length=10, max_length=200)
    locale: str | None = Field(default=None, pattern=r"^(id|en)$")
    is_active: bool | None = None

    @model_validator(mode="after")
    def _nulls(self) -> UserUpdate:
        reject_nulls(self, nullable=frozenset({"email"}))
        return self


class ApiTokenCreate(BaseModel):
    name: str = Field(min_length=1, max_length=100)
    expires_in_days: int | None = Field(default=None, ge=1, le=3650)


class ApiTokenPublic(BaseModel):
    id: int
    name: str
    prefix: str
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None


class ApiTokenCreated(ApiTokenPublic):
    token: str
