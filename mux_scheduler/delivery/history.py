"""Delivery history of a channel-day, every version and format, in three queries."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date

from sqlmodel import Session, col, select

from mux_scheduler.delivery.models import Delivery, DeliveryAttempt
from mux_scheduler.delivery.schemas import DeliveryAttemptPublic, DeliveryPublic
from mux_scheduler.delivery.transports import redact
from mux_scheduler.exports.models import Export
from mux_scheduler.exports.schemas import ExportPublic
from mux_scheduler.scheduling.models import Playlist


def export_public(export: Export) -> ExportPublic:
    return ExportPublic.model_validate(export, from_attributes=True)


def delivery_public(
    delivery: Delivery, export: Export, version: int, attempts: Sequence[DeliveryAttempt]
) -> DeliveryPublic:
    assert delivery.id is not None
    return DeliveryPublic(
        id=delivery.id,
        export=export_public(export),
        version=version,
        kind=delivery.kind,
        target=redact(delivery.target),
        status=delivery.status,
        trigger=delivery.trigger,
        attempts=delivery.attempts,
        last_error=delivery.last_error,
        created_at=delivery.created_at,
        delivered_at=delivery.delivered_at,
        attempt_log=[
            DeliveryAttemptPublic.model_validate(a, from_attributes=True) for a in attempts
        ],
    )


def attempts_by_delivery(
    session: Session, delivery_ids: list[int]
) -> dict[int, list[DeliveryAttempt]]:
    grouped: dict[int, list[DeliveryAttempt]] = defaultdict(list)
    if not delivery_ids:
        return grouped
    query = (
        select(DeliveryAttempt)
        .where(col(DeliveryAttempt.delivery_id).in_(delivery_ids))
        .order_by(col(DeliveryAttempt.delivery_id), col(DeliveryAttempt.attempt_no))
    )
    for attempt in session.exec(query):
        grouped[attempt.delivery_id].append(attempt)
    return grouped


def channel_day_history(
    session: Session, *, channel_id: int, broadcast_date: date
) -> list[DeliveryPublic]:
    rows = session.exec(
        select(Delivery, Export, Playlist.version)
        .join(Export, col(Export.id) == col(Delivery.export_id))
        .join(Playlist, col(Playlist.id) == col(Export.playlist_id))
        .where(Playlist.channel_id == channel_id, Playlist.broadcast_date == broadcast_date)
        .order_by(col(Delivery.created_at).desc(), col(Delivery.id).desc())
    ).all()
    attempts = attempts_by_delivery(session, [d.id for d, _, _ in rows if d.id is not None])
    return [
        delivery_public(delivery, export, version, attempts.get(delivery.id or 0, []))
        for delivery, export, version in rows
    ]
