"""Nightly builds, expiry warnings and the job-queue sweep: plain functions of (engine, now)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from mux_scheduler.agencies.models import Agency
from mux_scheduler.assets.models import ApprovalState, Asset
from mux_scheduler.automation.alerts import raise_alert
from mux_scheduler.channels.models import Channel, ChannelLease
from mux_scheduler.core.errors import AppError
from mux_scheduler.core.settings import Settings
from mux_scheduler.core.timecode import broadcast_date_of
from mux_scheduler.jobs import queue
from mux_scheduler.jobs.runner import recover_stale
from mux_scheduler.scheduling import playlists
from mux_scheduler.storage import MediaStore

log = logging.getLogger(__name__)
# A job queued this long without a worker taking it is sent to Celery again (the broker may
# have been down when it was queued, or lost its messages on a restart).
REDISPATCH_AFTER = timedelta(minutes=2)
# A multipart upload's temporary file untouched this long belongs to a request that died with
# its server; a live upload, however slow, writes to it continuously.
ABANDONED_UPLOAD_AFTER = timedelta(hours=1)

CONTENT_EXPIRY_DAYS = 7
LEASE_EXPIRY_DAYS = 30
SIGNED_OFF = ("published", "locked")


@dataclass
class BuildRun:
    built: list[tuple[int, date, int]] = field(default_factory=list)
    skipped: int = 0
    failed: int = 0


def nightly_build(engine: Engine, settings: Settings, *, now: datetime) -> BuildRun:
    """Build (and so validate) the next N days of every channel.

    Days a programmer has published or locked are left alone: a new draft over them would
    only add versions nobody asked for. Each channel-day commits on its own, so one failure
    does not lose the others; failures and days with errors become one alert per channel.
    """
    run = BuildRun()
    with Session(engine, expire_on_commit=False) as session:
        channels = list(session.exec(select(Channel).order_by(col(Channel.id))))
    for channel in channels:
        today = broadcast_date_of(now, zone=channel.time_zone, day_start=channel.day_start)
        days = [today + timedelta(days=n) for n in range(1, settings.build_days_ahead + 1)]
        problems = [p for day in days if (p := _build_day(engine, channel, day, run))]
        if problems:
            with Session(engine) as session:
                raise_alert(
                    session,
                    level="warning",
                    kind="build-problems",
                    channel_id=channel.id,
                    message=f"{channel.name}: nightly build found problems: " + "; ".join(problems),
                    dedupe_key=f"build-problems:{channel.id}:{today.isoformat()}",
                )
                session.commit()
    return run


def _build_day(engine: Engine, channel: Channel, day: date, run: BuildRun) -> str | None:
    """Build one day; returns a problem summary for the alert, or None."""
    assert channel.id is not None
    with Session(engine, expire_on_commit=False) as session:
        current = playlists.latest(session, channel_id=channel.id, broadcast_date=day)
        if current is not None and current.state in SIGNED_OFF:
            run.skipped += 1
            return None
        try:
            built = playlists.build(session, channel=channel, broadcast_date=day, principal=None)
            session.commit()
        except AppError as exc:
            session.rollback()
            run.failed += 1
            return f"{day.isoformat()} not built ({exc.detail})"
    run.built.append((channel.id, day, built.version))
    if built.error_count:
        return f"{day.isoformat()} v{built.version} has {built.error_count} error(s)"
    return None


def expiry_warnings(engine: Engine, settings: Settings, *, now: datetime) -> int:
    """Approved content that stops being valid within 7 days, leases ending within 30."""
    today = now.astimezone(ZoneInfo(settings.scheduler_time_zone)).date()
    raised = 0
    with Session(engine) as session:
        raised += _content_expiry(session, today)
        raised += _lease_expiry(session, today)
        session.commit()
    return raised


def _content_expiry(session: Session, today: date) -> int:
    rows = session.exec(
        select(Asset, Agency.short_name)
        .join(Agency, col(Agency.id) == col(Asset.agency_id))
        .where(
            Asset.approval_state == ApprovalState.APPROVED,
            col(Asset.valid_until) >= today,
            col(Asset.valid_until) <= today + timedelta(days=CONTENT_EXPIRY_DAYS),
        )
    )
    raised = 0
    for asset, agency in rows:
        assert asset.valid_until is not None
        alert = raise_alert(
            session,
            level="warning",
            kind="content-expiry",
            message=f"{agency}: '{asset.title}' (asset {asset.id}) is valid until "
            f"{asset.valid_until.isoformat()}; it will then drop out of new builds.",
            dedupe_key=f"content-expiry:{asset.id}:{asset.valid_until.isoformat()}",
        )
        raised += alert is not None
    return raised


def _lease_expiry(session: Session, today: date) -> int:
    rows = session.exec(
        select(ChannelLease, Channel.name, Agency.short_name)
        .join(Channel, col(Channel.id) == col(ChannelLease.channel_id))
        .join(Agency, col(Agency.id) == col(ChannelLease.agency_id))
        .where(
            col(ChannelLease.valid_until) >= today,
            col(ChannelLease.valid_until) <= today + timedelta(days=LEASE_EXPIRY_DAYS),
        )
    )
    raised = 0
    for lease, channel_name, agency in rows:
        assert lease.valid_until is not None
        alert = raise_alert(
            session,
            level="warning",
            kind="lease-expiry",
            channel_id=lease.channel_id,
            message=f"{agency}'s lease of {channel_name} ends on {lease.valid_until.isoformat()}.",
            dedupe_key=f"lease-expiry:{lease.id}:{lease.valid_until.isoformat()}",
        )
        raised += alert is not None
    return raised


def transcode_sweep(engine: Engine, settings: Settings, *, now: datetime) -> list[int]:
    """Jobs left ``running`` by a dead worker go back to the queue (or fail when used up), and
    upload temporaries of requests cut off by a killed server are removed.

    The local worker pool sweeps its own jobs; this covers Celery workers on other machines,
    which have nobody to do it for them. With Celery, jobs queued for a while are also sent
    again: their message may never have reached a broker that was down.
    """
    recovered = recover_stale(engine, settings)
    if recovered:
        log.warning("requeued stale jobs %s at %s", recovered, now.isoformat())
    abandoned = MediaStore(settings.media_root).remove_abandoned_uploads(
        idle_since=(now - ABANDONED_UPLOAD_AFTER).timestamp()
    )
    if abandoned:
        log.warning("removed %s abandoned upload file(s): %s", len(abandoned), abandoned)
    if settings.queue == "celery":
        with Session(engine) as session:
            sent = queue.redispatch(session, settings, queued_before=now - REDISPATCH_AFTER)
        if sent:
            log.warning("sent %s queued job(s) to Celery again at %s", sent, now.isoformat())
    return recovered
