"""The cut-off job: publish each due day of an operator's channels, export, deliver.

Plain function of (engine, settings, now), so tests drive it with a controlled clock and the
APScheduler wiring only supplies the time. Every step is idempotent: an already published
day is not republished, an already delivered file is not sent again. Running it twice (a
catch-up after downtime, then the regular run) therefore sends each file once.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from mux_scheduler.automation.alerts import raise_alert
from mux_scheduler.automation.cutoff import due_dates
from mux_scheduler.channels.models import Channel, Multiplex, Operator
from mux_scheduler.core import audit
from mux_scheduler.core.errors import AppError, NotFound, ValidationFailed
from mux_scheduler.core.settings import Settings
from mux_scheduler.delivery.dispatch import deliver_export
from mux_scheduler.delivery.models import DeliveryStatus
from mux_scheduler.delivery.service import Sleep
from mux_scheduler.exports import custom_formats
from mux_scheduler.exports import service as exports_service
from mux_scheduler.exports.registry import ExportFormat
from mux_scheduler.scheduling import playlists
from mux_scheduler.scheduling.models import Playlist

log = logging.getLogger(__name__)
ACTOR = "scheduler"


@dataclass
class CutoffRun:
    published: list[tuple[int, date, int]] = field(default_factory=list)
    sent: int = 0
    already_delivered: int = 0
    failed: int = 0
    days: list[tuple[int, date]] = field(default_factory=list)


def operator_channels(session: Session, operator_id: int) -> list[Channel]:
    query = (
        select(Channel)
        .join(Multiplex, col(Multiplex.id) == col(Channel.multiplex_id))
        .where(Multiplex.operator_id == operator_id)
        .order_by(col(Channel.id))
    )
    return list(session.exec(query))


def publish_and_deliver(
    engine: Engine,
    settings: Settings,
    *,
    operator_id: int,
    now: datetime,
    sleep: Sleep = time.sleep,
) -> CutoffRun:
    run = CutoffRun()
    with Session(engine, expire_on_commit=False) as session:
        operator = session.get(Operator, operator_id)
        if operator is None:
            return run
        channels = operator_channels(session, operator_id)
    lead = timedelta(minutes=settings.delivery_lead_minutes)
    for channel in channels:
        for day in due_dates(operator, channel, now=now, lead=lead):
            run.days.append((channel.id or 0, day))
            with Session(engine, expire_on_commit=False) as session:
                _channel_day(session, engine, settings, operator, channel, day, run, sleep)
    log.info(
        "cut-off run for %s: %d day(s), %d published, %d sent, %d failed",
        operator.slug,
        len(run.days),
        len(run.published),
        run.sent,
        run.failed,
    )
    return run


def _channel_day(
    session: Session,
    engine: Engine,
    settings: Settings,
    operator: Operator,
    channel: Channel,
    day: date,
    run: CutoffRun,
    sleep: Sleep,
) -> None:
    assert channel.id is not None and operator.id is not None
    _publish_latest(session, channel, day, run)
    try:
        playlist = exports_service.exportable_playlist(
            session, channel_id=channel.id, broadcast_date=day, principal=None
        )
    except NotFound:
        _alert(session, "error", "not-delivered", channel, day, "no published version to deliver")
        return
    owner = exports_service.owner_of(session, channel)
    for result in _export_all(session, settings, operator, owner, playlist):
        outcome = deliver_export(
            session,
            engine,
            settings,
            export=result.row,
            operator=operator,
            trigger="cutoff",
            sleep=sleep,
        )
        if not outcome.sent:
            run.already_delivered += 1
        elif outcome.delivery.status == DeliveryStatus.DELIVERED:
            run.sent += 1
        else:
            run.failed += 1
            _alert(
                session,
                "error",
                "delivery-failed",
                channel,
                day,
                f"{outcome.export.file_name} to {operator.delivery_kind}: "
                f"{outcome.delivery.last_error}",
                key=f"delivery-failed:{outcome.delivery.id}:{outcome.delivery.attempts}",
            )


def _export_all(
    session: Session,
    settings: Settings,
    operator: Operator,
    owner: exports_service.Owner,
    playlist: Playlist,
) -> list[exports_service.ExportResult]:
    """Every format the operator takes, in one batch; a format that fails (an unknown key,
    a custom template that stopped rendering) is alerted and the others still go out."""
    assert operator.id is not None
    channel, day = owner.channel, playlist.broadcast_date
    formats: list[ExportFormat] = []
    for key in operator.export_formats:
        try:
            formats.append(
                custom_formats.resolve_format(
                    session, key=key, operator_id=operator.id, principal=None
                )
            )
        except NotFound as exc:
            _export_failed(session, channel, day, key, exc)
    try:
        context = exports_service.build_context(session, owner=owner, playlist=playlist)
        return exports_service.export_formats(
            session,
            playlists_root=settings.playlists_root,
            owner=owner,
            playlist=playlist,
            formats=formats,
            context=context,
        )
    except AppError:
        session.rollback()
    results = []
    for fmt in formats:
        try:
            results += exports_service.export_formats(
                session,
                playlists_root=settings.playlists_root,
                owner=owner,
                playlist=playlist,
                formats=[fmt],
            )
        except AppError as exc:
            session.rollback()
            _export_failed(session, channel, day, fmt.key, exc)
    return results


def _export_failed(session: Session, channel: Channel, day: date, key: str, exc: AppError) -> None:
    _alert(
        session,
        "error",
        "export-failed",
        channel,
        day,
        f"{key}: {exc.detail}",
        key=f"export-failed:{channel.id}:{day.isoformat()}:{key}",
    )


def _publish_latest(session: Session, channel: Channel, day: date, run: CutoffRun) -> None:
    assert channel.id is not None
    latest = playlists.latest(session, channel_id=channel.id, broadcast_date=day)
    if latest is None:
        _alert(session, "error", "not-built", channel, day, "the day has not been built")
        return
    if latest.state != "draft":
        return
    try:
        published = playlists.publish(session, channel=channel, broadcast_date=day, principal=None)
    except ValidationFailed as exc:
        session.rollback()
        problems = "; ".join(str(e.get("msg", "")) for e in exc.errors[:3])
        _alert(
            session,
            "error",
            "publish-blocked",
            channel,
            day,
            f"version {latest.version} cannot be published: {exc.detail} {problems}".strip(),
            key=f"publish-blocked:{channel.id}:{day.isoformat()}:{latest.version}",
        )
        return
    audit.record(
        session,
        actor_id=None,
        actor_name=ACTOR,
        action="publish",
        entity="Playlist",
        entity_id=published.id,
        detail={"channel_id": channel.id, "date": day.isoformat(), "version": published.version},
    )
    session.commit()
    run.published.append((channel.id, day, published.version))


def _alert(
    session: Session,
    level: str,
    kind: str,
    channel: Channel,
    day: date,
    message: str,
    *,
    key: str | None = None,
) -> None:
    raise_alert(
        session,
        level=level,
        kind=kind,
        channel_id=channel.id,
        broadcast_date=day,
        message=f"{channel.name} {day.isoformat()}: {message}",
        dedupe_key=key or f"{kind}:{channel.id}:{day.isoformat()}",
    )
    session.commit()
