"""The cut-off job under a controlled clock: what is due when, publish, deliver, alert."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from mux_scheduler.automation.cutoff import cutoff_at, due_dates, run_time
from mux_scheduler.automation.models import Alert
from mux_scheduler.automation.publishing import publish_and_deliver
from mux_scheduler.automation.scheduler import CUTOFF_PREFIX, desired_jobs
from mux_scheduler.channels.models import Channel, Operator
from mux_scheduler.core.settings import Settings
from mux_scheduler.delivery.models import Delivery, DeliveryAttempt
from mux_scheduler.scheduling.models import Playlist
from tests.conftest import Database
from tests.delivery.factories import make_day
from tests.world import World, auth

WIB = ZoneInfo("Asia/Jakarta")
D = date(2026, 12, 3)
FIRES_AT = datetime(2026, 12, 2, 13, 0, tzinfo=WIB)  # 14:00 WIB on D-1, minus a 60-minute lead


def _operator(session: Session) -> Operator:
    return session.exec(select(Operator).where(Operator.slug == "tvri-jakarta")).one()


def test_cutoff_arithmetic_in_each_zone() -> None:
    makassar = Operator(
        name="m", slug="m", time_zone="Asia/Makassar", cutoff_time=time(14), cutoff_days_before=1
    )
    assert cutoff_at(makassar, D) == datetime(2026, 12, 2, 6, 0, tzinfo=UTC)
    channel = Channel(
        multiplex_id=1,
        profile_id=1,
        name="c",
        slug="c",
        lcn=1,
        service_id=1,
        time_zone="Asia/Jayapura",
        day_start=time(5),
    )
    lead = timedelta(hours=1)
    just_before = datetime(2026, 12, 2, 4, 59, tzinfo=UTC)  # 12:59 WITA
    assert due_dates(makassar, channel, now=just_before, lead=lead) == [date(2026, 12, 2)]
    at_run = datetime(2026, 12, 2, 5, 0, tzinfo=UTC)
    assert due_dates(makassar, channel, now=at_run, lead=lead) == [date(2026, 12, 2), D]
    assert run_time(makassar, lead) == (13, 0)


def test_cutoff_trigger_fires_before_the_cutoff_in_the_operator_zone(
    database: Database, settings: Settings, world: World
) -> None:
    specs = {spec.job_id: spec for spec in desired_jobs(database.engine, settings)}
    tvri = next(s for s in specs.values() if s.name.endswith("tvri-jakarta"))
    morning = datetime(2026, 12, 2, 9, 30, tzinfo=WIB)
    assert tvri.trigger.get_next_fire_time(None, morning) == FIRES_AT
    makassar = specs[f"{CUTOFF_PREFIX}{world.other_operator_id}"]
    fire = makassar.trigger.get_next_fire_time(None, morning)
    assert fire.astimezone(ZoneInfo("Asia/Makassar")).time() == time(13, 0)


def test_job_publishes_and_delivers_day_d_at_its_cutoff(
    database: Database, settings: Settings, world: World, session: Session, outbox: Path
) -> None:
    channels = [world.channels["kanal-humas"], world.channels["kanal-sehat"]]
    for channel_id in channels:
        make_day(session, channel_id=channel_id, broadcast_date=D - timedelta(days=1))
        make_day(session, channel_id=channel_id, broadcast_date=D, state="draft")
    operator = _operator(session)
    assert operator.id is not None
    early = publish_and_deliver(
        database.engine, settings, operator_id=operator.id, now=FIRES_AT - timedelta(minutes=1)
    )
    assert {day for _, day in early.days} == {D - timedelta(days=1)}
    assert early.sent == 6 and not early.published
    on_time = publish_and_deliver(database.engine, settings, operator_id=operator.id, now=FIRES_AT)
    assert sorted(on_time.published) == [(c, D, 1) for c in channels]
    assert on_time.sent == 6 and on_time.already_delivered == 6
    states = session.exec(select(Playlist.state).where(Playlist.broadcast_date == D)).all()
    assert states == ["published", "published"]
    names = sorted(p.name for p in outbox.iterdir())
    assert len(names) == 12 and all(not n.startswith(".") for n in names)
    assert sum(D.isoformat() in n for n in names) == 6
    assert session.exec(select(Alert)).all() == []


def test_a_day_that_cannot_be_published_alerts_the_programmer(
    client: TestClient,
    database: Database,
    settings: Settings,
    world: World,
    session: Session,
    outbox: Path,
) -> None:
    humas = world.channels["kanal-humas"]
    make_day(session, channel_id=humas, broadcast_date=D, state="draft", blockers=2)
    operator = _operator(session)
    assert operator.id is not None
    for _ in range(2):  # the catch-up and the regular run raise each alert once
        run = publish_and_deliver(database.engine, settings, operator_id=operator.id, now=FIRES_AT)
        assert run.sent == 0 and not run.published
    programmer = auth(client, world, "programmer")
    listed = client.get(
        "/api/v1/alerts", params={"channel_id": humas, "acknowledged": "false"}, headers=programmer
    )
    assert listed.status_code == 200
    kinds = sorted(a["kind"] for a in listed.json() if a["broadcast_date"] == D.isoformat())
    assert kinds == ["not-delivered", "publish-blocked"]
    blocked = next(a for a in listed.json() if a["kind"] == "publish-blocked")
    assert "2 problem(s)" in blocked["message"] and blocked["level"] == "error"
    assert (
        client.get("/api/v1/alerts", headers=auth(client, world, "operator.tvri")).status_code
        == 403
    )
    ack = client.post(f"/api/v1/alerts/{blocked['id']}/acknowledge", headers=programmer)
    assert ack.status_code == 200 and ack.json()["acknowledged"] is True
    assert session.exec(select(Delivery)).all() == []
    assert session.exec(select(DeliveryAttempt)).all() == []
