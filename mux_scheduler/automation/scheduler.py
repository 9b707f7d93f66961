"""APScheduler wiring for ``mux-scheduler scheduler``: jobs kept in the database.

Jobs (ids are stable, so a restart finds its jobs in the store instead of adding copies):

``automation.nightly_build``   daily at ``nightly_build_time`` (scheduler zone)
``automation.expiry_warnings`` daily, 30 minutes after the nightly build
``jobs.transcode_sweep``       every 5 minutes
``automation.sync_operators``  every 10 minutes: adds, changes or removes the cut-off jobs
``delivery.cutoff:<id>``       per operator, daily at cut-off minus ``delivery_lead_minutes``
                               in the operator's zone

Misfires: every job has ``coalesce=True``, ``max_instances=1`` and a ``misfire_grace_time``,
so a scheduler that was down over one or more fire times runs each job ONCE when it comes
back (within the grace time), never once per missed time. Existing jobs are never replaced
on start (that would reset their next run time and forget the missed one); a job is only
rescheduled when its trigger actually changed.

The store holds references (``module:function``) and plain arguments, so the job entry
points here look up the engine and settings from the :class:`Runtime` configured at start.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from mux_scheduler.automation import publishing, sweeps
from mux_scheduler.automation.cutoff import run_time
from mux_scheduler.channels.models import Operator
from mux_scheduler.core.db import utcnow
from mux_scheduler.core.settings import Settings

JOBS_TABLE = "apscheduler_jobs"
NIGHTLY_BUILD = "automation.nightly_build"
EXPIRY_WARNINGS = "automation.expiry_warnings"
TRANSCODE_SWEEP = "jobs.transcode_sweep"
SYNC_OPERATORS = "automation.sync_operators"
CUTOFF_PREFIX = "delivery.cutoff:"
_MODULE = __name__


@dataclass
class Runtime:
    engine: Engine
    settings: Settings
    clock: Callable[[], datetime] = utcnow
    scheduler: BackgroundScheduler | None = None


_runtime: Runtime | None = None


def configure(runtime: Runtime | None) -> None:
    global _runtime
    _runtime = runtime


def _current() -> Runtime:
    if _runtime is None:
        raise RuntimeError("the scheduler runtime is not configured (call configure() first)")
    return _runtime


# Entry points stored in the job store by reference.
def run_nightly_build() -> None:
    rt = _current()
    sweeps.nightly_build(rt.engine, rt.settings, now=rt.clock())


def run_expiry_warnings() -> None:
    rt = _current()
    sweeps.expiry_warnings(rt.engine, rt.settings, now=rt.clock())


def run_transcode_sweep() -> None:
    rt = _current()
    sweeps.transcode_sweep(rt.engine, rt.settings, now=rt.clock())


def run_cutoff(operator_id: int) -> None:
    rt = _current()
    publishing.publish_and_deliver(rt.engine, rt.settings, operator_id=operator_id, now=rt.clock())


def run_sync_operators() -> None:
    rt = _current()
    assert rt.scheduler is not None
    sync_jobs(rt.scheduler, rt.engine, rt.settings)


@dataclass(frozen=True)
class JobSpec:
    job_id: str
    func: str
    trigger: Any
    args: tuple[Any, ...] = ()
    name: str = ""


def desired_jobs(engine: Engine, settings: Settings) -> list[JobSpec]:
    zone = ZoneInfo(settings.scheduler_time_zone)
    nightly = settings.nightly_build_time
    expiry_hour, expiry_minute = divmod((nightly.hour * 60 + nightly.minute + 30) % 1440, 60)
    specs = [
        JobSpec(
            NIGHTLY_BUILD,
            f"{_MODULE}:run_nightly_build",
            CronTrigger(hour=nightly.hour, minute=nightly.minute, timezone=zone),
            name="build and validate the next days",
        ),
        JobSpec(
            EXPIRY_WARNINGS,
            f"{_MODULE}:run_expiry_warnings",
            CronTrigger(hour=expiry_hour, minute=expiry_minute, timezone=zone),
            name="content and lease expiry warnings",
        ),
        JobSpec(
            TRANSCODE_SWEEP,
            f"{_MODULE}:run_transcode_sweep",
            IntervalTrigger(minutes=5, timezone=zone),
            name="requeue stale transcode jobs",
        ),
        JobSpec(
            SYNC_OPERATORS,
            f"{_MODULE}:run_sync_operators",
            IntervalTrigger(minutes=10, timezone=zone),
            name="follow operator cut-off changes",
        ),
    ]
    lead = timedelta(minutes=settings.delivery_lead_minutes)
    with Session(engine) as session:
        operators = list(session.exec(select(Operator).order_by(col(Operator.id))))
    for operator in operators:
        hour, minute = run_time(operator, lead)
        specs.append(
            JobSpec(
                f"{CUTOFF_PREFIX}{operator.id}",
                f"{_MODULE}:run_cutoff",
                CronTrigger(hour=hour, minute=minute, timezone=ZoneInfo(operator.time_zone)),
                args=(operator.id,),
                name=f"publish and deliver for {operator.slug}",
            )
        )
    return specs


def _trigger_key(trigger: Any) -> str:
    """What makes two triggers the same schedule (an interval's start date does not)."""
    if isinstance(trigger, IntervalTrigger):
        return f"interval {trigger.interval} {trigger.timezone}"
    return repr(trigger)


def sync_jobs(scheduler: BackgroundScheduler, engine: Engine, settings: Settings) -> list[str]:
    """Make the store match :func:`desired_jobs`; returns the ids added or changed."""
    changed = []
    wanted = desired_jobs(engine, settings)
    for spec in wanted:
        job = scheduler.get_job(spec.job_id)
        if job is None:
            scheduler.add_job(
                spec.func, spec.trigger, args=spec.args, id=spec.job_id, name=spec.name
            )
            changed.append(spec.job_id)
        elif _trigger_key(job.trigger) != _trigger_key(spec.trigger) or job.args != spec.args:
            scheduler.modify_job(spec.job_id, args=spec.args, name=spec.name)
            scheduler.reschedule_job(spec.job_id, trigger=spec.trigger)
            changed.append(spec.job_id)
    wanted_ids = {spec.job_id for spec in wanted}
    for job in scheduler.get_jobs():
        if job.id.startswith(CUTOFF_PREFIX) and job.id not in wanted_ids:
            scheduler.remove_job(job.id)
    return changed


def create_scheduler(
    runtime: Runtime, *, jobs_table: str = JOBS_TABLE, executor_threads: int = 4
) -> BackgroundScheduler:
    settings = runtime.settings
    scheduler = BackgroundScheduler(
        jobstores={"default": SQLAlchemyJobStore(engine=runtime.engine, tablename=jobs_table)},
        executors={"default": {"type": "threadpool", "max_workers": executor_threads}},
        job_defaults={
            "coalesce": True,
            "max_instances": 1,
            "misfire_grace_time": settings.scheduler_misfire_grace_seconds,
        },
        timezone=ZoneInfo(settings.scheduler_time_zone),
    )
    runtime.scheduler = scheduler
    return scheduler


def start(runtime: Runtime, *, jobs_table: str = JOBS_TABLE) -> BackgroundScheduler:
    """Configure, open the store paused, sync the jobs, then let due (missed) jobs run once."""
    configure(runtime)
    scheduler = create_scheduler(runtime, jobs_table=jobs_table)
    scheduler.start(paused=True)
    sync_jobs(scheduler, runtime.engine, runtime.settings)
    scheduler.resume()
    return scheduler


def run_forever(runtime: Runtime, *, stop: threading.Event | None = None) -> None:
    """Start, then wait until SIGTERM/SIGINT (or ``stop``); running jobs finish first."""
    stopping = stop or threading.Event()
    if threading.current_thread() is threading.main_thread():
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stopping.set())
    scheduler = start(runtime)
    try:
        stopping.wait()
    finally:
        scheduler.shutdown(wait=True)
        configure(None)


def run_once(runtime: Runtime, name: str) -> str:
    """One job now, outside the store (for operators' cron, tests and incident recovery)."""
    configure(runtime)
    now = runtime.clock()
    engine, settings = runtime.engine, runtime.settings
    if name == "nightly-build":
        built = sweeps.nightly_build(engine, settings, now=now)
        return f"built {len(built.built)}, skipped {built.skipped}, failed {built.failed}"
    if name == "expiry-warnings":
        return f"{sweeps.expiry_warnings(engine, settings, now=now)} new alert(s)"
    if name == "transcode-sweep":
        return f"requeued {sweeps.transcode_sweep(engine, settings, now=now)}"
    if name.startswith("cutoff:"):
        slug = name.removeprefix("cutoff:")
        with Session(engine) as session:
            operator_id = session.exec(select(Operator.id).where(Operator.slug == slug)).first()
        if operator_id is None:
            raise ValueError(f"no operator with slug {slug!r}")
        done = publishing.publish_and_deliver(engine, settings, operator_id=operator_id, now=now)
        return (
            f"{len(done.days)} day(s): published {len(done.published)}, sent {done.sent}, "
            f"already delivered {done.already_delivered}, failed {done.failed}"
        )
    raise ValueError(
        f"unknown job {name!r}: nightly-build, expiry-warnings, transcode-sweep, cutoff:<slug>"
    )


def describe_jobs(runtime: Runtime) -> list[tuple[str, str, datetime | None]]:
    """(id, name, next run) of the jobs in the store, without running any."""
    scheduler = create_scheduler(runtime)
    scheduler.start(paused=True)
    try:
        return [(job.id, job.name, job.next_run_time) for job in scheduler.get_jobs()]
    finally:
        scheduler.shutdown(wait=False)
