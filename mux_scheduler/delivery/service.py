"""Deliver export files to operators: retried with exponential backoff, every attempt recorded.

A delivery is one export (a playlist version's file in one format, so one sha256) to one
target. Once it has succeeded it is never sent again, so a catch-up run after downtime, a
second click or a scheduler restart cannot duplicate a file at the operator.

Sending happens outside any open transaction: each attempt is written in its own short unit
of work, so a slow SFTP server never holds a database lock and a crash loses at most the
attempt in flight.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import or_, update
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from mux_scheduler.channels.models import Operator
from mux_scheduler.core.db import session_scope, utcnow
from mux_scheduler.core.errors import Conflict
from mux_scheduler.core.settings import Settings
from mux_scheduler.delivery.models import Delivery, DeliveryAttempt, DeliveryStatus
from mux_scheduler.delivery.transports import Payload, TransportError, transport_for
from mux_scheduler.exports.models import Export

log = logging.getLogger(__name__)

CLAIM_STALE_AFTER = timedelta(minutes=30)
MAX_ERROR_CHARS = 2000
Sleep = Callable[[float], None]
Clock = Callable[[], datetime]


def backoff_seconds(settings: Settings, attempt_no: int) -> float:
    """Delay after failed attempt ``attempt_no`` (1-based): base, 2 x base, 4 x base... capped."""
    delay = settings.delivery_backoff_seconds * 2 ** (attempt_no - 1)
    return float(min(delay, settings.delivery_backoff_max_seconds))


def prepare(
    session: Session,
    *,
    export: Export,
    operator: Operator,
    trigger: str,
    requested_by: int | None = None,
    force: bool = False,
) -> Delivery:
    """The delivery row for this export and the operator's target (created once, flushed).

    ``force`` (staff, by hand) sends a delivered file again, e.g. after the operator lost it.
    """
    assert export.id is not None
    target = operator.delivery_target
    row = _find(session, export.id, target)
    if row is None:
        row = Delivery(
            export_id=export.id,
            kind=operator.delivery_kind,
            target=target,
            trigger=trigger,
            requested_by=requested_by,
        )
        try:
            with session.begin_nested():
                session.add(row)
        except IntegrityError:
            row = _find(session, export.id, target)
            assert row is not None
    if force and row.status == DeliveryStatus.DELIVERED:
        row.status = DeliveryStatus.PENDING
        row.requested_by = requested_by
        session.add(row)
        session.flush()
    return row


def _find(session: Session, export_id: int, target: str) -> Delivery | None:
    query = select(Delivery).where(Delivery.export_id == export_id, Delivery.target == target)
    return session.exec(query).first()


def run(
    engine: Engine,
    settings: Settings,
    delivery_id: int,
    *,
    sleep: Sleep = time.sleep,
    clock: Clock = utcnow,
) -> Delivery:
    """Send until delivered or out of attempts; returns the final row (never raises for a
    failed transfer: the outcome is the row's ``status``)."""
    if not _claim(engine, delivery_id, clock()):
        with session_scope(engine) as session:
            row = session.get(Delivery, delivery_id)
            assert row is not None
            if row.status == DeliveryStatus.DELIVERED:
                return row
        raise Conflict(f"Delivery {delivery_id} is being sent by another process right now.")
    try:
        return _attempts(engine, settings, delivery_id, sleep=sleep, clock=clock)
    finally:
        with session_scope(engine) as session:
            session.execute(
                update(Delivery).where(col(Delivery.id) == delivery_id).values(claimed_at=None)
            )


def _claim(engine: Engine, delivery_id: int, now: datetime) -> bool:
    with session_scope(engine) as session:
        result = session.execute(
            update(Delivery)
            .where(
                col(Delivery.id) == delivery_id,
                col(Delivery.status) != DeliveryStatus.DELIVERED,
                or_(
                    col(Delivery.claimed_at).is_(None),
                    col(Delivery.claimed_at) < now - CLAIM_STALE_AFTER,
                ),
            )
            .values(claimed_at=now)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]


def _attempts(
    engine: Engine, settings: Settings, delivery_id: int, *, sleep: Sleep, clock: Clock
) -> Delivery:
    with session_scope(engine) as session:
        row = session.get(Delivery, delivery_id)
        export = session.get(Export, row.export_id) if row else None
        assert row is not None and export is not None
        first_attempt = row.attempts + 1
    last = first_attempt + settings.delivery_max_attempts - 1
    for number in range(first_attempt, last + 1):
        started_at = clock()
        error, permanent = _send_once(settings, row, export)
        row = _record(engine, delivery_id, number, started_at, clock(), error)
        if error is None:
            return row
        if permanent:
            break
        if number < last:
            sleep(backoff_seconds(settings, number - first_attempt + 1))
    with session_scope(engine) as session:
        failed = session.get(Delivery, delivery_id)
        assert failed is not None
        failed.status = DeliveryStatus.FAILED
        session.add(failed)
    log.warning("delivery %s to %s failed: %s", delivery_id, row.kind, row.last_error)
    return failed


def _send_once(settings: Settings, row: Delivery, export: Export) -> tuple[str | None, bool]:
    """(error or None, whether retrying is pointless)."""
    try:
        content = Path(export.path).read_bytes()
        if hashlib.sha256(content).hexdigest() != export.sha256:
            raise TransportError(
                f"{export.file_name} changed on disk since it was exported; export it again"
            )
        payload = Payload(export.file_name, content, export.media_type, export.sha256)
        transport_for(row.kind, row.target, settings).send(payload)
    except TransportError as exc:
        return str(exc)[:MAX_ERROR_CHARS], exc.permanent
    except OSError as exc:
        return (str(exc) or type(exc).__name__)[:MAX_ERROR_CHARS], False
    return None, False


def _record(
    engine: Engine,
    delivery_id: int,
    number: int,
    started_at: datetime,
    finished_at: datetime,
    error: str | None,
) -> Delivery:
    with session_scope(engine) as session:
        row = session.get(Delivery, delivery_id)
        assert row is not None
        session.add(
            DeliveryAttempt(
                delivery_id=delivery_id,
                export_id=row.export_id,
                target=row.target,
                attempt_no=number,
                started_at=started_at,
                finished_at=finished_at,
                ok=error is None,
                error=error,
            )
        )
        row.attempts = number
        row.last_error = error
        if error is None:
            row.status = DeliveryStatus.DELIVERED
            row.delivered_at = finished_at
        session.add(row)
    return row
