"""The job queue in the database: enqueue, claim atomically, finish, recover after a crash."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import event, update
from sqlmodel import Session, col, select

from mux_scheduler.core.db import utcnow
from mux_scheduler.core.settings import Settings
from mux_scheduler.jobs.models import Job, JobState

log = logging.getLogger(__name__)

URGENT_PRIORITY = 10
STALE_AFTER = timedelta(seconds=60)
_PENDING_KEY = "mux_jobs_to_dispatch"


def enqueue(
    session: Session,
    kind: str,
    payload: dict[str, Any],
    *,
    settings: Settings,
    priority: int = 0,
    agency_id: int | None = None,
    asset_id: int | None = None,
    max_attempts: int = 3,
) -> Job:
    """Add a job row (flushed, not committed). With Celery it is sent once the row commits,
    so a worker never receives the id of a row it cannot see yet."""
    job = Job(
        kind=kind,
        payload=payload,
        priority=priority,
        agency_id=agency_id,
        asset_id=asset_id,
        max_attempts=max_attempts,
    )
    session.add(job)
    session.flush()
    if settings.queue == "celery":
        _dispatch_after_commit(session, job, settings)
    return job


def _dispatch_after_commit(session: Session, job: Job, settings: Settings) -> None:
    pending: list[tuple[int, int]] | None = session.info.get(_PENDING_KEY)
    if pending is None:
        pending = session.info[_PENDING_KEY] = []

        def send(committed: Session) -> None:
            jobs = committed.info.pop(_PENDING_KEY, [])
            _send_all(settings, jobs)

        def forget(rolled_back: Session) -> None:
            rolled_back.info.pop(_PENDING_KEY, None)

        event.listen(session, "after_commit", send, once=True)
        event.listen(session, "after_soft_rollback", forget, once=True)
    assert job.id is not None
    pending.append((job.id, job.priority))


def _send_all(settings: Settings, jobs: list[tuple[int, int]]) -> int:
    """Hand committed jobs to Celery. The row is the truth: when the broker is unreachable the
    job stays queued in the database and :func:`redispatch` sends it once the broker is back,
    so the caller (an upload, a campaign) succeeds instead of failing after its commit."""
    from mux_scheduler.jobs.celery_app import send_job

    sent = 0
    for job_id, priority in jobs:
        try:
            send_job(settings, job_id, priority)
        except Exception as exc:  # kombu/redis raise many kinds; all mean "not sent"
            log.warning("job %s stays queued: the Celery broker is unreachable (%s)", job_id, exc)
            return sent
        sent += 1
    return sent


def redispatch(session: Session, settings: Settings, *, queued_before: datetime) -> int:
    """Send Celery every job still queued since before ``queued_before``: those whose message
    was never sent (broker down) or was lost with the broker, and jobs requeued after their
    worker died. A duplicate message is harmless (the claim is atomic). Returns jobs sent."""
    rows = session.exec(
        select(Job.id, Job.priority)
        .where(col(Job.state) == JobState.QUEUED, col(Job.created_at) < queued_before)
        .order_by(col(Job.priority).desc(), col(Job.id))
    )
    return _send_all(settings, [(job_id, priority) for job_id, priority in rows if job_id])


def _claim(session: Session, job_id: int, worker_id: str) -> bool:
    now = utcnow()
    result = session.execute(
        update(Job)
        .where(col(Job.id) == job_id, col(Job.state) == JobState.QUEUED)
        .values(
            state=JobState.RUNNING,
            locked_by=worker_id,
            attempts=col(Job.attempts) + 1,
            started_at=now,
            heartbeat_at=now,
            progress=0,
            error=None,
        )
    )
    session.commit()
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


def claim_next(session: Session, worker_id: str) -> int | None:
    """Take the most urgent, then oldest, queued job; ``None`` when there is none.

    The conditional UPDATE makes the claim atomic on both databases; on PostgreSQL
    ``SKIP LOCKED`` also keeps concurrent workers from queueing behind each other.
    """
    postgres = session.get_bind().dialect.name == "postgresql"
    query = (
        select(Job.id)
        .where(col(Job.state) == JobState.QUEUED)
        .order_by(col(Job.priority).desc(), col(Job.created_at), col(Job.id))
        .limit(1 if postgres else 5)
    )
    if postgres:
        query = query.with_for_update(skip_locked=True)
    for job_id in list(session.exec(query)):
        if job_id is not None and _claim(session, job_id, worker_id):
            return job_id
    session.rollback()
    return None


def claim(session: Session, job_id: int, worker_id: str) -> bool:
    return _claim(session, job_id, worker_id)


def finish(
    session: Session,
    job_id: int,
    worker_id: str,
    state: JobState,
    *,
    error: str | None = None,
) -> bool:
    """Record the outcome, unless another worker took the job over meanwhile."""
    values: dict[str, Any] = {"state": state, "finished_at": utcnow(), "error": error}
    if state == JobState.DONE:
        values["progress"] = 100
    result = session.execute(
        update(Job).where(col(Job.id) == job_id, col(Job.locked_by) == worker_id).values(**values)
    )
    session.commit()
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


def release(session: Session, job_id: int, worker_id: str) -> None:
    """Put a job back in the queue without counting the attempt (the worker is shutting down)."""
    session.execute(
        update(Job)
        .where(col(Job.id) == job_id, col(Job.locked_by) == worker_id)
        .values(
            state=JobState.QUEUED,
            locked_by=None,
            attempts=col(Job.attempts) - 1,
            progress=0,
        )
    )
    session.commit()


def stale_jobs(session: Session, stale_after: timedelta = STALE_AFTER) -> list[Job]:
    limit = utcnow() - stale_after
    query = select(Job).where(
        col(Job.state) == JobState.RUNNING,
        (col(Job.heartbeat_at) < limit) | col(Job.heartbeat_at).is_(None),
    )
    return list(session.exec(query))


def requeue_or_give_up(session: Session, job: Job) -> JobState:
    """A job whose worker died goes back to the queue, or fails once it has used its attempts."""
    previous = job.locked_by or "unknown worker"
    if job.attempts >= job.max_attempts:
        job.state = JobState.FAILED
        job.finished_at = utcnow()
        job.error = (
            f"The worker running this job stopped {job.attempts} times (last: {previous}); "
            "giving up."
        )
    else:
        job.state = JobState.QUEUED
        job.error = f"Worker {previous} stopped during attempt {job.attempts}; retrying."
    job.locked_by = None
    job.progress = 0
    session.add(job)
    session.flush()
    log.warning("job %s (%s) recovered from %s: now %s", job.id, job.kind, previous, job.state)
    return JobState(job.state)


def queued_ids(session: Session) -> list[tuple[int, int]]:
    rows = session.exec(
        select(Job.id, Job.priority).where(col(Job.state) == JobState.QUEUED).order_by(col(Job.id))
    )
    return [(job_id, priority) for job_id, priority in rows if job_id is not None]
