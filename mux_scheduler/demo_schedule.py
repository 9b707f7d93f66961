"""Demo schedule: the demo clips conformed, approved, and two channel-days built and published.

``make demo`` runs this after seeding, so a new user opens a dashboard with real, published
playlists whose every item has a verified rendition, instead of an empty grid.
"""

from __future__ import annotations

import time as clock
from datetime import date, timedelta

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, func, select

from mux_scheduler.assets import review
from mux_scheduler.assets.models import Asset
from mux_scheduler.auth.access import Principal
from mux_scheduler.auth.models import User
from mux_scheduler.channels.models import Channel
from mux_scheduler.core.db import session_scope, utcnow
from mux_scheduler.core.errors import AppError
from mux_scheduler.core.settings import Settings
from mux_scheduler.core.timecode import broadcast_date_of
from mux_scheduler.jobs.models import FINISHED_STATES, Job
from mux_scheduler.jobs.pool import LocalWorkerPool
from mux_scheduler.scheduling import playlists, rules_service
from mux_scheduler.scheduling.models import Campaign, ScheduleRule
from mux_scheduler.scheduling.schemas import CampaignCreate, RuleCreate

SHOWS = [
    ("Siaran Pers Pemerintah", "KOMDIGI"),
    ("Dialog Publik", "PEMPROV DKI"),
    ("Info Sehat Keluarga", "KEMENKES"),
    ("Berita Daerah", "PEMPROV DKI"),
    ("Jendela Digital", "KOMDIGI"),
    ("Bincang Gizi", "KEMENKES"),
]
LIVE_MINUTES = 58  # each hour: a 58-minute studio programme, then a 2-minute break


def conform_demo_media(engine: Engine, settings: Settings, *, timeout_s: float = 600) -> int:
    """Run the queued analysis and transcode jobs now, so the demo starts with ready media."""
    pool = LocalWorkerPool(engine, settings)
    pool.start()
    deadline = clock.monotonic() + timeout_s
    try:
        while clock.monotonic() < deadline:
            with Session(engine) as session:
                waiting = session.exec(
                    select(func.count()).where(
                        col(Job.state).not_in([s.value for s in FINISHED_STATES])
                    )
                ).one()
            if waiting == 0:
                break
            clock.sleep(0.5)
    finally:
        pool.stop()
    with Session(engine) as session:
        return session.exec(select(func.count()).where(col(Asset.status) == "ready")).one()


DEMO_CHANNELS = ("kanal-humas", "kanal-sehat")


def seed_demo_rules(engine: Engine, settings: Settings) -> None:
    """Approve the demo clips and give both channels a weekly pattern and a campaign (which
    queues the conforms a cross-agency campaign needs)."""
    with session_scope(engine) as session:
        programmer = Principal.of(_user(session, "programmer"))
        _approve_demo_assets(session, programmer)
    with session_scope(engine) as session:
        channels = _channels(session)
        for channel in channels:
            _seed_rules(session, channel, programmer, settings)
        _seed_campaign(session, channels, programmer, settings)


def publish_demo_days(engine: Engine) -> list[str]:
    """Build today and tomorrow on each demo channel and publish what has no blocking error."""
    with Session(engine) as session:
        programmer = Principal.of(_user(session, "programmer"))
        channel_ids = [c.id or 0 for c in _channels(session)]
    return [
        _build_and_publish(engine, channel_id, offset, programmer)
        for channel_id in channel_ids
        for offset in (0, 1)
    ]


def _channels(session: Session) -> list[Channel]:
    query = select(Channel).where(col(Channel.slug).in_(DEMO_CHANNELS)).order_by(col(Channel.lcn))
    return list(session.exec(query))


def _user(session: Session, username: str) -> User:
    return session.exec(select(User).where(User.username == username)).one()


def _approve_demo_assets(session: Session, programmer: Principal) -> None:
    for asset in session.exec(select(Asset).where(col(Asset.status) == "ready")):
        if "demo" not in asset.tags or asset.approval_state == "approved" or asset.id is None:
            continue
        if asset.approval_state == "draft":
            editor = session.exec(select(User).where(User.agency_id == asset.agency_id)).first()
            if editor is None:
                continue
            review.submit(session, principal=Principal.of(editor), asset_id=asset.id)
        review.approve(
            session, principal=programmer, asset_id=asset.id, comment="Demo: layak tayang"
        )


def _seed_rules(
    session: Session, channel: Channel, programmer: Principal, settings: Settings
) -> None:
    if session.exec(select(ScheduleRule).where(ScheduleRule.channel_id == channel.id)).first():
        return
    rules_service.seed_default_rules(session, channel)
    rate_frames_per_minute = 25 * 60
    for hour in range(24):
        title, _owner = SHOWS[hour % len(SHOWS)]
        wall = f"{(5 + hour) % 24:02d}:00"
        mode = "follow" if wall == "06:00" else "fixed"  # the anthem opens the 06:00 hour
        spec = {
            "kind": "fixed_event",
            "at": wall,
            "start_mode": mode,
            "live": {
                "title": f"{title} (langsung)",
                "duration_frames": LIVE_MINUTES * rate_frames_per_minute,
                "house_id": f"LIVE-{hour:02d}",
            },
        }
        rules_service.create_rule(
            session,
            channel=channel,
            data=RuleCreate(name=f"{wall} {title}", spec=spec),
            principal=programmer,
            settings=settings,
        )
    # Breaks close with idents and fillers (exempt from separation); ILM spots come from the
    # campaign, which spaces them through the day.
    breaks = {"kind": "filler_pool", "pool": {"kinds": ["station_id", "filler"], "tags": ["demo"]}}
    rules_service.create_rule(
        session,
        channel=channel,
        data=RuleCreate(name="Jeda: ILM, ident, filler", spec=breaks),
        principal=programmer,
        settings=settings,
    )
    channel.constraints = {"max_agency_share_percent": None, "avoid_agency_back_to_back": False}
    session.add(channel)


def _seed_campaign(
    session: Session, channels: list[Channel], programmer: Principal, settings: Settings
) -> None:
    if session.exec(select(Campaign).where(Campaign.name == "Gerakan Cuci Tangan")).first():
        return
    spot = session.exec(select(Asset).where(Asset.title == "ILM Cuci Tangan Pakai Sabun")).first()
    if spot is None or spot.id is None:
        return
    today = utcnow().date()
    rules_service.create_campaign(
        session,
        data=CampaignCreate(
            name="Gerakan Cuci Tangan",
            description="Kampanye kesehatan lintas instansi",
            asset_ids=[spot.id],
            valid_from=today - timedelta(days=1),
            valid_until=today + timedelta(days=30),
            target_per_day=6,
            windows=[{"start": "06:00", "end": "22:00"}],
            channel_ids=[c.id for c in channels if c.id is not None],
        ),
        principal=programmer,
        settings=settings,
    )


def _build_and_publish(engine: Engine, channel_id: int, offset: int, programmer: Principal) -> str:
    with session_scope(engine) as session:
        channel = session.get(Channel, channel_id)
        assert channel is not None
        day: date = broadcast_date_of(utcnow(), zone=channel.time_zone, day_start=channel.day_start)
        day += timedelta(days=offset)
        existing = playlists.latest(session, channel_id=channel_id, broadcast_date=day)
        if existing is not None and existing.state in ("published", "locked"):
            return f"{channel.name} {day}: v{existing.version} {existing.state}"
        built = playlists.build(session, channel=channel, broadcast_date=day, principal=programmer)
        try:
            playlists.publish(session, channel=channel, broadcast_date=day, principal=programmer)
        except AppError as exc:
            return f"{channel.name} {day}: v{built.version} draft ({exc.detail})"
        return f"{channel.name} {day}: v{built.version} published, {built.warning_count} warning(s)"
