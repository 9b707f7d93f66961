"""Nightly builds, expiry warnings and the stale-job sweep, each under a controlled clock."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlmodel import Session, col, select

from mux_scheduler.assets.models import Asset, AssetKind
from mux_scheduler.automation.models import Alert
from mux_scheduler.automation.sweeps import expiry_warnings, nightly_build, transcode_sweep
from mux_scheduler.channels.models import ChannelLease
from mux_scheduler.core.settings import Settings
from mux_scheduler.jobs.models import Job, JobState
from mux_scheduler.scheduling.models import Playlist
from tests.conftest import Database
from tests.delivery.factories import make_day
from tests.world import World

NOW = datetime(2026, 12, 1, 18, 0, tzinfo=UTC)  # 01:00 WIB on 2 December...
ON_AIR = date(2026, 12, 1)  # ...when the broadcast day of 1 December (from 05:00) is on air
TODAY = date(2026, 12, 2)


def test_nightly_build_builds_the_next_days_and_leaves_signed_off_ones(
    database: Database, settings: Settings, world: World, session: Session
) -> None:
    settings = settings.model_copy(update={"build_days_ahead": 2})
    humas = world.channels["kanal-humas"]
    make_day(session, channel_id=humas, broadcast_date=ON_AIR + timedelta(days=1))
    run = nightly_build(database.engine, settings, now=NOW)
    assert run.skipped == 1 and run.failed == 0
    built = {(channel_id, day) for channel_id, day, _ in run.built}
    assert (humas, ON_AIR + timedelta(days=2)) in built
    assert (humas, ON_AIR + timedelta(days=1)) not in built
    assert len(built) == 2 * len(world.channels) - 1
    days = session.exec(
        select(col(Playlist.broadcast_date)).where(col(Playlist.state) == "draft").distinct()
    ).all()
    assert sorted(days) == [ON_AIR + timedelta(days=1), ON_AIR + timedelta(days=2)]
    again = nightly_build(database.engine, settings, now=NOW)
    assert {v for _, _, v in again.built} == {2}  # drafts are rebuilt (revalidated) nightly


def test_expiry_warnings_are_raised_once(
    database: Database, settings: Settings, world: World, session: Session
) -> None:
    lease = session.get(ChannelLease, world.leases[("kanal-humas", "KOMDIGI")])
    assert lease is not None
    lease.valid_until = TODAY + timedelta(days=20)
    far_lease = session.get(ChannelLease, world.leases[("kanal-sehat", "KEMENKES")])
    assert far_lease is not None
    far_lease.valid_until = TODAY + timedelta(days=90)
    for days, approved in ((3, True), (30, True), (2, False)):
        session.add(
            Asset(
                agency_id=world.agencies["KEMENKES"],
                title=f"ILM {days}",
                kind=AssetKind.ILM,
                approval_state="approved" if approved else "submitted",
                valid_until=TODAY + timedelta(days=days),
                sha256=f"{days:064x}",
                size_bytes=1,
            )
        )
    session.add_all([lease, far_lease])
    session.commit()
    assert expiry_warnings(database.engine, settings, now=NOW) == 2
    assert expiry_warnings(database.engine, settings, now=NOW + timedelta(days=1)) == 0
    alerts = session.exec(select(Alert).order_by(col(Alert.kind))).all()
    assert [a.kind for a in alerts] == ["content-expiry", "lease-expiry"]
    assert "ILM 3" in alerts[0].message and "KOMDIGI" in alerts[1].message
    assert alerts[1].channel_id == world.channels["kanal-humas"]


def test_transcode_sweep_requeues_jobs_of_dead_workers(
    database: Database, settings: Settings, session: Session
) -> None:
    stale = Job(
        kind="assets.analyse",
        state=JobState.RUNNING,
        attempts=1,
        locked_by="worker-gone",
        heartbeat_at=datetime.now(UTC) - timedelta(hours=1),  # the jobs module keeps real time
    )
    session.add(stale)
    session.commit()
    assert transcode_sweep(database.engine, settings, now=NOW) == [stale.id]
    session.refresh(stale)
    assert stale.state == JobState.QUEUED and stale.locked_by is None
