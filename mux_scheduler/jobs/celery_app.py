"""Celery transport for the job queue (``MUX_QUEUE=celery``), built on first use.

Celery only carries job ids: the row in the database stays the truth, so a lost or duplicated
message is harmless (the claim is atomic, and ``mux-scheduler worker`` re-sends queued jobs
when it starts).
"""

from __future__ import annotations

import threading
from typing import Any

from sqlalchemy.engine import Engine

from mux_scheduler.core.settings import Settings, get_settings

TASK_NAME = "jobs.run"
_lock = threading.Lock()
_apps: dict[tuple[str, str], Any] = {}
_engines: dict[str, Engine] = {}


def celery_priority(priority: int) -> int:
    """Redis transport: 0 is served first, 9 last; our urgent jobs have the highest number."""
    return max(0, min(9, 5 - priority))


def get_celery(settings: Settings | None = None) -> Any:
    settings = settings or get_settings()
    key = (settings.redis_url, settings.celery_queue)
    with _lock:
        if key not in _apps:
            _apps[key] = _build(settings)
        return _apps[key]


def _build(settings: Settings) -> Any:
    from celery import Celery

    app = Celery("mux_scheduler", broker=settings.redis_url)
    app.conf.update(
        task_default_queue=settings.celery_queue,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        task_ignore_result=True,
        broker_connection_retry_on_startup=True,
        broker_transport_options={
            "priority_steps": list(range(10)),
            "queue_order_strategy": "priority",
            # An unreachable broker fails a send in seconds instead of hanging a request.
            "socket_connect_timeout": 5,
        },
    )

    @app.task(name=TASK_NAME)  # type: ignore[untyped-decorator]
    def run_job(job_id: int) -> str:
        return _run(settings, job_id)

    return app


def _engine(settings: Settings) -> Engine:
    from mux_scheduler.core.db import make_engine

    with _lock:
        if settings.database_url not in _engines:
            _engines[settings.database_url] = make_engine(settings)
        return _engines[settings.database_url]


def _run(settings: Settings, job_id: int) -> str:
    from sqlmodel import Session

    import mux_scheduler.models  # noqa: F401 - every table known in the worker process
    from mux_scheduler.jobs import queue, runner

    engine = _engine(settings)
    worker = runner.worker_id("celery")
    with Session(engine) as session:
        if not queue.claim(session, job_id, worker):
            return "skipped: not queued"
    return str(runner.run_claimed(engine, settings, job_id, worker))


def send_job(settings: Settings, job_id: int, priority: int) -> None:
    get_celery(settings).send_task(
        TASK_NAME,
        args=[job_id],
        queue=settings.celery_queue,
        priority=celery_priority(priority),
    )
