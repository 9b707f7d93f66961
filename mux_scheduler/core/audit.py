"""Audit log: who changed what, when. Written in the same transaction as the change."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import JSON
from sqlmodel import Field, Session, SQLModel

from mux_scheduler.core.models_base import created_at_field


class AuditLog(SQLModel, table=True):
    __tablename__ = "audit_log"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = created_at_field()
    actor_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    actor_name: str = Field(max_length=120)
    action: str = Field(max_length=60, index=True)
    entity: str = Field(max_length=60, index=True)
    entity_id: str = Field(max_length=60)
    detail: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)


def record(
    session: Session,
    *,
    actor_id: int | None,
    actor_name: str,
    action: str,
    entity: str,
    entity_id: object,
    detail: dict[str, Any] | None = None,
) -> None:
    session.add(
        AuditLog(
            actor_id=actor_id,
            actor_name=actor_name,
            action=action,
            entity=entity,
            entity_id=str(entity_id),
            detail=detail or {},
        )
    )


class Actor(Protocol):
    """Whoever acts: an authenticated principal (kept structural so core needs no auth import)."""

    @property
    def user_id(self) -> int: ...

    @property
    def username(self) -> str: ...


def record_by(
    session: Session,
    actor: Actor,
    action: str,
    entity: str,
    entity_id: object,
    detail: dict[str, Any] | None = None,
) -> None:
    record(
        session,
        actor_id=actor.user_id,
        actor_name=actor.username,
        action=action,
        entity=entity,
        entity_id=entity_id,
        detail=detail,
    )
