"""Shared metadata conventions so migrations name constraints the same on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from mux_scheduler.core.db import utcnow
from mux_scheduler.core.types import AwareDateTime

SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def created_at_field() -> datetime:
    return Field(default_factory=utcnow, sa_type=AwareDateTime, nullable=False)  # type: ignore[no-any-return]
