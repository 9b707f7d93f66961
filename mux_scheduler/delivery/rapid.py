"""Deliver a rapid-response amendment to the channel's operator at once.

BXF goes out as an update message (``BxfData action="update"``) carrying only the events the
new version changed; formats with no update notion go out as full files. The update file has
its own name (``..._update.bxf.xml``) and bytes, so it is an export of its own and the
"never send the same file twice" rule of :mod:`mux_scheduler.delivery.service` cannot mistake
it for the full day file (or the other way round).

A failure here never undoes the insert: the amended version is committed before anything is
rendered or sent, each format's outcome is reported, and a failed one raises an alert.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session

from mux_scheduler.automation.alerts import raise_alert
from mux_scheduler.channels.models import Channel, Operator
from mux_scheduler.core.errors import AppError
from mux_scheduler.core.settings import Settings
from mux_scheduler.delivery.dispatch import deliver_export
from mux_scheduler.delivery.models import DeliveryStatus
from mux_scheduler.delivery.service import Sleep
from mux_scheduler.exports import custom_formats
from mux_scheduler.exports import service as exports_service
from mux_scheduler.exports.context import ExportPlaylist
from mux_scheduler.exports.registry import ExportFormat
from mux_scheduler.scheduling.models import Playlist

TRIGGER = "rapid"
MAX_ATTEMPTS = 2
"""Sending happens inside the insert request: one retry, then the alert asks a person."""


@dataclass(frozen=True)
class RapidDelivery:
    """The ``insert_delivery_hook`` of the app: ``hook(session, playlist, changed_uids)``."""

    settings: Settings
    sleep: Sleep = field(default=time.sleep, repr=False)

    def __call__(
        self, session: Session, playlist: Playlist, changed_uids: set[str]
    ) -> list[dict[str, Any]]:
        return deliver_amended(
            session, self.settings, playlist=playlist, changed_uids=changed_uids, sleep=self.sleep
        )


def deliver_amended(
    session: Session,
    settings: Settings,
    *,
    playlist: Playlist,
    changed_uids: set[str],
    sleep: Sleep = time.sleep,
) -> list[dict[str, Any]]:
    """Export and send every format the operator takes; one ``{format, file, status}`` each."""
    session.commit()  # the amended version is durable before anything is rendered or sent
    engine = session.get_bind()
    assert isinstance(engine, Engine)
    channel = session.get(Channel, playlist.channel_id)
    assert channel is not None
    owner = exports_service.owner_of(session, channel)
    changed = frozenset(uuid.UUID(hex=uid) for uid in changed_uids)
    settings = settings.model_copy(
        update={"delivery_max_attempts": min(settings.delivery_max_attempts, MAX_ATTEMPTS)}
    )
    results = []
    context: ExportPlaylist | None = None
    for key in owner.operator.export_formats:
        try:
            fmt = _resolve(session, owner.operator, key)
            partial = fmt.supports_update and bool(changed)
            context = context or exports_service.build_context(
                session, owner=owner, playlist=playlist
            )
            result = _export(
                session, settings, owner, playlist, fmt, changed if partial else None, context
            )
            outcome = deliver_export(
                session,
                engine,
                settings,
                export=result.row,
                operator=owner.operator,
                trigger=TRIGGER,
                sleep=sleep,
            )
        except (AppError, OSError) as exc:
            session.rollback()
            results.append(_failed(session, channel, playlist, key, None, _message(exc)))
            continue
        status = str(outcome.delivery.status)
        if status != DeliveryStatus.DELIVERED:
            error = outcome.delivery.last_error or status
            results.append(_failed(session, channel, playlist, key, result.row.file_name, error))
            continue
        results.append(
            {
                "format": key,
                "file": result.row.file_name,
                "update": partial,
                "status": status,
            }
        )
    return results


def _resolve(session: Session, operator: Operator, key: str) -> ExportFormat:
    assert operator.id is not None
    return custom_formats.resolve_format(session, key=key, operator_id=operator.id, principal=None)


def _export(
    session: Session,
    settings: Settings,
    owner: exports_service.Owner,
    playlist: Playlist,
    fmt: ExportFormat,
    changed: frozenset[uuid.UUID] | None,
    context: ExportPlaylist,
) -> exports_service.ExportResult:
    """``changed`` set: the update message of those events; ``None``: the full file."""
    if changed is not None:
        return exports_service.export_update(
            session,
            playlists_root=settings.playlists_root,
            owner=owner,
            playlist=playlist,
            export_format=fmt,
            changed_event_ids=changed,
            context=context,
        )
    return exports_service.export_playlist(
        session,
        playlists_root=settings.playlists_root,
        owner=owner,
        playlist=playlist,
        export_format=fmt,
        context=context,
    )


def _message(exc: Exception) -> str:
    return exc.detail if isinstance(exc, AppError) else (str(exc) or type(exc).__name__)


def _failed(
    session: Session,
    channel: Channel,
    playlist: Playlist,
    key: str,
    file_name: str | None,
    error: str,
) -> dict[str, Any]:
    raise_alert(
        session,
        level="error",
        kind="rapid-delivery-failed",
        channel_id=channel.id,
        broadcast_date=playlist.broadcast_date,
        message=(
            f"{channel.name} {playlist.broadcast_date.isoformat()} v{playlist.version}: "
            f"rapid-response {key} not delivered: {error}"
        ),
        dedupe_key=f"rapid-delivery-failed:{playlist.id}:{key}",
    )
    session.commit()
    return {"format": key, "file": file_name, "status": "failed", "error": error}
