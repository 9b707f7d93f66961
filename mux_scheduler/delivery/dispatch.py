"""Export a playlist version in one format and deliver it to the channel's operator.

Shared by the ``.../deliver`` endpoint and the cut-off job. The export and the delivery row
are committed before anything is sent, so the history shows a pending delivery even if the
process dies while sending.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from sqlalchemy.engine import Engine
from sqlmodel import Session

from mux_scheduler.channels.models import Operator
from mux_scheduler.core.settings import Settings
from mux_scheduler.delivery import service
from mux_scheduler.delivery.models import Delivery, DeliveryStatus
from mux_scheduler.exports import service as exports_service
from mux_scheduler.exports.context import ExportPlaylist
from mux_scheduler.exports.models import Export
from mux_scheduler.exports.registry import ExportFormat
from mux_scheduler.scheduling.models import Playlist


@dataclass(frozen=True)
class Outcome:
    delivery: Delivery
    export: Export
    sent: bool
    """False when this exact file had already reached this target (nothing was sent)."""


def export_and_deliver(
    session: Session,
    engine: Engine,
    settings: Settings,
    *,
    owner: exports_service.Owner,
    playlist: Playlist,
    export_format: ExportFormat,
    trigger: str,
    requested_by: int | None = None,
    force: bool = False,
    sleep: service.Sleep = time.sleep,
    context: ExportPlaylist | None = None,
) -> Outcome:
    result = exports_service.export_playlist(
        session,
        playlists_root=settings.playlists_root,
        owner=owner,
        playlist=playlist,
        export_format=export_format,
        context=context,
    )
    return deliver_export(
        session,
        engine,
        settings,
        export=result.row,
        operator=owner.operator,
        trigger=trigger,
        requested_by=requested_by,
        force=force,
        sleep=sleep,
    )


def deliver_export(
    session: Session,
    engine: Engine,
    settings: Settings,
    *,
    export: Export,
    operator: Operator,
    trigger: str,
    requested_by: int | None = None,
    force: bool = False,
    sleep: service.Sleep = time.sleep,
) -> Outcome:
    """Commit the export and its delivery row, then send (unless already delivered)."""
    delivery = service.prepare(
        session,
        export=export,
        operator=operator,
        trigger=trigger,
        requested_by=requested_by,
        force=force,
    )
    session.commit()
    if delivery.status == DeliveryStatus.DELIVERED:
        return Outcome(delivery, export, sent=False)
    assert delivery.id is not None
    delivered = service.run(engine, settings, delivery.id, sleep=sleep)
    return Outcome(delivered, export, sent=True)
