"""Run one claimed job: heartbeat and progress in the background, outcome recorded once."""

from __future__ import annotations

import logging
import os
import socket
import threading
from datetime import timedelta

from sqlalchemy import update
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from mux_scheduler.core.db import session_scope, utcnow
from mux_scheduler.core.errors import AppError
from mux_scheduler.core.settings import Settings
from mux_scheduler.jobs import queue
from mux_scheduler.jobs.models import Job, JobState
from mux_scheduler.jobs.registry import JobContext, JobHandler, get_handler

log = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 1.0


def worker_id(label: str = "") -> str:
    suffix = f":{label}" if label else ""
    return f"{socket.gethostname()}:{os.getpid()}{suffix}"


class Heartbeat(threading.Thread):
    """Writes heartbeat and progress while the job runs; notices a cancel request."""

    def __init__(self, engine: Engine, context: JobContext, interval: float) -> None:
        super().__init__(name=f"heartbeat-{context.job_id}", daemon=True)
        self._engine = engine
        self._context = context
        self._interval = interval
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.wait(self._interval):
            self.beat()

    def beat(self) -> None:
        job_id = self._context.job_id
        with Session(self._engine) as session:
            session.execute(
                update(Job)
                .where(col(Job.id) == job_id, col(Job.state) == JobState.RUNNING)
                .values(heartbeat_at=utcnow(), progress=round(self._context.progress * 100))
            )
            session.commit()
            wanted = session.exec(select(Job.cancel_requested).where(col(Job.id) == job_id)).one()
        if wanted:
            self._context.cancel_event.set()

    def stop(self) -> None:
        self._stop_event.set()
        self.join()


def run_claimed(
    engine: Engine,
    settings: Settings,
    job_id: int,
    worker: str,
    *,
    cancel_event: threading.Event | None = None,
    stopping: threading.Event | None = None,
    heartbeat_seconds: float = HEARTBEAT_SECONDS,
) -> JobState:
    """Run a job this worker has claimed and record its outcome; returns the final state."""
    with Session(engine) as session:
        job = session.get(Job, job_id)
        assert job is not None
        kind, payload = job.kind, dict(job.payload)
    context = JobContext(job_id, payload, engine, settings, cancel_event or threading.Event())
    handler = get_handler(kind)
    heartbeat = Heartbeat(engine, context, heartbeat_seconds)
    heartbeat.start()
    try:
        state, error = _execute(handler, context)
    finally:
        heartbeat.stop()
    if state == JobState.CANCELLED and stopping is not None and stopping.is_set():
        _cleanup(handler, context)
        with Session(engine) as session:
            queue.release(session, job_id, worker)
        return JobState.QUEUED
    if state != JobState.DONE:
        _after_failure(handler, context, error or "cancelled")
    with Session(engine) as session:
        queue.finish(session, job_id, worker, state, error=error)
    return state


def _execute(handler: JobHandler, context: JobContext) -> tuple[JobState, str | None]:
    try:
        handler.run(context)
    except Exception as exc:
        if context.cancel_event.is_set():
            return JobState.CANCELLED, "Cancelled on request."
        if isinstance(exc, AppError):
            log.warning("job %s (%s) failed: %s", context.job_id, handler.kind, exc.detail)
            return JobState.FAILED, exc.detail[:2000]
        log.exception("job %s (%s) failed unexpectedly", context.job_id, handler.kind)
        return JobState.FAILED, f"Unexpected error: {type(exc).__name__}: {exc}"[:2000]
    return JobState.DONE, None


def _after_failure(handler: JobHandler, context: JobContext, message: str) -> None:
    _cleanup(handler, context)
    if handler.on_failure is not None:
        handler.on_failure(context, message)


def _cleanup(handler: JobHandler, context: JobContext) -> None:
    if handler.cleanup is not None:
        handler.cleanup(context.settings, context.payload)


def recover_stale(
    engine: Engine, settings: Settings, stale_after: timedelta = queue.STALE_AFTER
) -> list[int]:
    """Jobs left ``running`` by a dead worker: partial files removed, then retried or failed."""
    with session_scope(engine) as session:
        stale = [
            (job.id, job.kind, dict(job.payload)) for job in queue.stale_jobs(session, stale_after)
        ]
    recovered = []
    for job_id, kind, payload in stale:
        assert job_id is not None
        handler = get_handler(kind)
        context = JobContext(job_id, payload, engine, settings)
        _cleanup(handler, context)
        with session_scope(engine) as session:
            job = session.get(Job, job_id)
            if job is None or job.state != JobState.RUNNING:
                continue
            state = queue.requeue_or_give_up(session, job)
            error = job.error or ""
        if state == JobState.FAILED and handler.on_failure is not None:
            handler.on_failure(context, error)
        recovered.append(job_id)
    return recovered
