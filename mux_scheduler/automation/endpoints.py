"""REST routes: the scheduler's alerts for staff."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel
from sqlmodel import col, select

from mux_scheduler.auth.models import Role
from mux_scheduler.automation import alerts
from mux_scheduler.automation.models import Alert
from mux_scheduler.core.crud import commit_or_conflict, paginate
from mux_scheduler.core.deps import CurrentPrincipal, PageDep, SessionDep

router = APIRouter(tags=["alerts"])
STAFF = (Role.ADMIN, Role.PROGRAMMER)


class AlertPublic(BaseModel):
    id: int
    level: str
    kind: str
    channel_id: int | None
    broadcast_date: date | None
    message: str
    created_at: datetime
    acknowledged: bool
    acknowledged_at: datetime | None


@router.get("/alerts", response_model=list[AlertPublic])
def list_alerts(
    session: SessionDep,
    principal: CurrentPrincipal,
    page: PageDep,
    acknowledged: Annotated[bool | None, Query()] = None,
    channel_id: Annotated[int | None, Query()] = None,
    kind: Annotated[str | None, Query(max_length=40)] = None,
) -> list[Alert]:
    """Newest first; ``?acknowledged=false`` for what still needs attention."""
    principal.require(*STAFF)
    query = select(Alert)
    if acknowledged is not None:
        query = query.where(col(Alert.acknowledged).is_(acknowledged))
    if channel_id is not None:
        query = query.where(Alert.channel_id == channel_id)
    if kind is not None:
        query = query.where(Alert.kind == kind)
    return paginate(session, query.order_by(col(Alert.id).desc()), page)


@router.post("/alerts/{alert_id}/acknowledge", response_model=AlertPublic)
def acknowledge_alert(alert_id: int, session: SessionDep, principal: CurrentPrincipal) -> Alert:
    principal.require(*STAFF)
    row = alerts.acknowledge(session, alert_id=alert_id, user_id=principal.user_id)
    commit_or_conflict(session, "Alert")
    return row
