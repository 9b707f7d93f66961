"""APScheduler with its jobs in the database: downtime over cut-offs gives ONE catch-up run."""

from __future__ import annotations

import threading
import time as wallclock
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from apscheduler.triggers.interval import IntervalTrigger
from sqlmodel import Session, select

from mux_scheduler.automation import publishing
from mux_scheduler.automation import scheduler as automation
from mux_scheduler.channels.models import Operator
from mux_scheduler.core.settings import Settings
from mux_scheduler.delivery.models import Delivery, DeliveryAttempt
from tests.automation.test_cutoff import FIRES_AT, D
from tests.conftest import Database
from tests.delivery.factories import make_day
from tests.world import World


@pytest.fixture
def runtime(database: Database, settings: Settings) -> Iterator[automation.Runtime]:
    rt = automation.Runtime(database.engine, settings, clock=lambda: FIRES_AT + timedelta(hours=3))
    yield rt
    if rt.scheduler is not None and rt.scheduler.running:
        rt.scheduler.remove_all_jobs()
        rt.scheduler.shutdown(wait=True)
    automation.configure(None)


@pytest.fixture
def cutoff_runs(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    runs: list[Any] = []
    real = publishing.publish_and_deliver
    done = threading.Event()

    def counting(*args: Any, **kwargs: Any) -> Any:
        result = real(*args, **kwargs)
        runs.append(result)
        done.set()
        return result

    monkeypatch.setattr(publishing, "publish_and_deliver", counting)
    return runs


def _wait_for(predicate: Any, timeout: float = 15.0) -> None:
    deadline = wallclock.monotonic() + timeout
    while not predicate():
        assert wallclock.monotonic() < deadline, "the scheduler did not run the job in time"
        wallclock.sleep(0.05)


def test_downtime_over_cutoffs_runs_one_catch_up_without_duplicates(
    runtime: automation.Runtime,
    settings: Settings,
    world: World,
    session: Session,
    outbox: Path,
    cutoff_runs: list[Any],
) -> None:
    for slug in ("kanal-humas", "kanal-sehat"):
        make_day(session, channel_id=world.channels[slug], broadcast_date=D, state="draft")
    tvri = session.exec(select(Operator).where(Operator.slug == "tvri-jakarta")).one()
    job_id = f"{automation.CUTOFF_PREFIX}{tvri.id}"

    # The store as a restart finds it after three days down: the cut-off job's next run time
    # is three cut-offs in the past. The restart's sync must keep it (not replace the job).
    automation.configure(runtime)
    scheduler = automation.create_scheduler(runtime)
    scheduler.start(paused=True)
    automation.sync_jobs(scheduler, runtime.engine, settings)
    missed = datetime.now(UTC) - timedelta(days=3)
    scheduler.modify_job(job_id, next_run_time=missed)
    assert automation.sync_jobs(scheduler, runtime.engine, settings) == []
    assert scheduler.get_job(job_id).next_run_time == missed
    scheduler.resume()
    _wait_for(lambda: len(cutoff_runs) >= 1)
    wallclock.sleep(1.0)  # room for any further (wrong) catch-up runs
    assert len(cutoff_runs) == 1
    run = cutoff_runs[0]
    assert {day for _, day in run.days} >= {D} and run.sent == 6
    next_run = scheduler.get_job(job_id).next_run_time
    assert next_run > datetime.now(UTC)  # rescheduled into the future, the misses are gone

    # The regular run after the catch-up finds everything delivered and sends nothing.
    again = publishing.publish_and_deliver(
        runtime.engine, settings, operator_id=tvri.id or 0, now=FIRES_AT + timedelta(hours=4)
    )
    assert again.sent == 0 and again.already_delivered == 6
    assert len(session.exec(select(Delivery)).all()) == 6
    assert len(session.exec(select(DeliveryAttempt)).all()) == 6
    assert len(list(outbox.iterdir())) == 6


def test_restart_keeps_stored_jobs_and_follows_operator_changes(
    runtime: automation.Runtime, settings: Settings, world: World, session: Session
) -> None:
    scheduler = automation.start(runtime)
    ids = {job.id for job in scheduler.get_jobs()}
    assert {automation.NIGHTLY_BUILD, automation.EXPIRY_WARNINGS} <= ids
    assert automation.TRANSCODE_SWEEP in ids and automation.SYNC_OPERATORS in ids
    assert automation.sync_jobs(scheduler, runtime.engine, settings) == []  # nothing to change
    # An interval trigger made a minute later (another start date) is still the same schedule.
    later = datetime.now(UTC) + timedelta(minutes=1)
    sweep = IntervalTrigger(minutes=5, start_date=later, timezone=settings.scheduler_time_zone)
    assert automation._trigger_key(sweep) == automation._trigger_key(
        scheduler.get_job(automation.TRANSCODE_SWEEP).trigger
    )
    tvri = session.exec(select(Operator).where(Operator.slug == "tvri-jakarta")).one()
    tvri.cutoff_time = tvri.cutoff_time.replace(hour=16)
    newcomer = Operator(name="Mux Baru", slug="mux-baru", time_zone="Asia/Jayapura")
    session.add_all([tvri, newcomer])
    session.commit()
    changed = automation.sync_jobs(scheduler, runtime.engine, settings)
    assert sorted(changed) == sorted(
        [f"{automation.CUTOFF_PREFIX}{tvri.id}", f"{automation.CUTOFF_PREFIX}{newcomer.id}"]
    )
    job = scheduler.get_job(f"{automation.CUTOFF_PREFIX}{tvri.id}")
    assert job.next_run_time.astimezone(job.trigger.timezone).hour == 15
    session.delete(newcomer)
    session.commit()
    automation.sync_jobs(scheduler, runtime.engine, settings)
    assert scheduler.get_job(f"{automation.CUTOFF_PREFIX}{newcomer.id}") is None
