"""Raise an alert once per condition; staff list and acknowledge them."""

from __future__ import annotations

from datetime import date

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from mux_scheduler.automation.models import Alert
from mux_scheduler.core.db import utcnow
from mux_scheduler.core.errors import NotFound

MAX_MESSAGE_CHARS = 2000


def raise_alert(
    session: Session,
    *,
    level: str,
    kind: str,
    message: str,
    dedupe_key: str,
    channel_id: int | None = None,
    broadcast_date: date | None = None,
) -> Alert | None:
    """Add the alert unless one with ``dedupe_key`` exists; returns the new row or None."""
    if session.exec(select(Alert.id).where(Alert.dedupe_key == dedupe_key)).first() is not None:
        return None
    row = Alert(
        level=level,
        kind=kind,
        message=message[:MAX_MESSAGE_CHARS],
        dedupe_key=dedupe_key[:200],
        channel_id=channel_id,
        broadcast_date=broadcast_date,
    )
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        return None
    return row


def acknowledge(session: Session, *, alert_id: int, user_id: int) -> Alert:
    row = session.get(Alert, alert_id)
    if row is None:
        raise NotFound(f"Alert {alert_id} does not exist.")
    if not row.acknowledged:
        row.acknowledged = True
        row.acknowledged_by = user_id
        row.acknowledged_at = utcnow()
        session.add(row)
    return row
