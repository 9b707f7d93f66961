from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import String
from sqlmodel import Field, SQLModel

from mux_scheduler.core.models_base import created_at_field
from mux_scheduler.core.types import AwareDateTime


class Role(StrEnum):
    ADMIN = "admin"
    PROGRAMMER = "programmer"
    AGENCY_EDITOR = "agency_editor"
    OPERATOR = "operator"


class User(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=80, unique=True, index=True)
    full_name: str = Field(default="", max_length=200)
    email: str | None = Field(default=None, max_length=200)
    password_hash: str = Field(max_length=255)
    role: str = Field(sa_type=String(20))
    agency_id: int | None = Field(default=None, foreign_key="agency.id", index=True)
    operator_id: int | None = Field(default=None, foreign_key="operator.id", index=True)
    locale: str = Field(default="id", max_length=5)
    is_active: bool = True
    created_at: datetime = created_at_field()


class ApiToken(SQLModel, table=True):
    """Bearer tokens, stored only as a SHA-256 digest: a leaked table grants nothing."""

    __tablename__ = "api_token"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    name: str = Field(max_length=100)
    kind: str = Field(sa_type=String(10))  # session | api
    token_hash: str = Field(max_length=64, unique=True, index=True)
    prefix: str = Field(max_length=12)
    created_at: datetime = created_at_field()
    expires_at: datetime | None = Field(default=None, sa_type=AwareDateTime)
    last_used_at: datetime | None = Field(default=None, sa_type=AwareDateTime)
    revoked: bool = False
