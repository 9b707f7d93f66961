"""Redis (the Celery broker) dies while ``MUX_QUEUE=celery``: an upload still succeeds, its job
waits in the database, and once Redis is back the scheduler's sweep sends it to the running
Celery worker, which does it. The broker is the test's own ``redis-server``."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

import pytest
import redis
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from mux_scheduler.app import create_app
from mux_scheduler.automation.sweeps import transcode_sweep
from mux_scheduler.core.db import utcnow
from mux_scheduler.core.settings import Settings
from mux_scheduler.jobs.models import Job
from mux_scheduler.media import testmedia
from tests.conftest import Database, make_settings
from tests.faults.servers import PrivateRedis, private_redis
from tests.world import auth, build_world

__all__ = ["private_redis"]
ANALYSE = "assets.analyse"


@pytest.fixture
def database(sqlite_db: Database) -> Database:
    return sqlite_db


@pytest.fixture
def celery_settings(database: Database, tmp_path: Path, private_redis: PrivateRedis) -> Settings:
    return make_settings(database, tmp_path).model_copy(
        update={
            "queue": "celery",
            "redis_url": private_redis.url,
            "celery_queue": f"mux-faults-{uuid.uuid4().hex[:8]}",
            "transcode_preset": "ultrafast",
        }
    )


@pytest.fixture
def celery_worker(celery_settings: Settings, tmp_path: Path) -> Iterator[subprocess.Popen[bytes]]:
    env = {
        **os.environ,
        "MUX_ENVIRONMENT": "test",
        "MUX_DATABASE_URL": celery_settings.database_url,
        "MUX_DATA_DIR": str(celery_settings.data_dir),
        "MUX_MEDIA_ROOT": str(celery_settings.media_root),
        "MUX_PLAYLISTS_ROOT": str(celery_settings.playlists_root),
        "MUX_TRANSCODE_PRESET": "ultrafast",
        "MUX_QUEUE": "celery",
        "MUX_REDIS_URL": celery_settings.redis_url,
        "MUX_CELERY_QUEUE": celery_settings.celery_queue,
    }
    with (tmp_path / "worker.log").open("wb") as log:
        worker = subprocess.Popen(
            [sys.executable, "-m", "mux_scheduler", "worker", "--pool", "solo"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    # The worker must be connected before the broker dies: the fault is a restart under it.
    _wait(lambda: b"ready." in (tmp_path / "worker.log").read_bytes(), 60, "the worker to start")
    yield worker
    worker.terminate()
    try:
        worker.wait(20)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait(10)


def _wait(check: Callable[[], bool], timeout: float, what: str, log: Path | None = None) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() >= deadline:
            tail = log.read_text(errors="replace")[-3000:] if log else ""
            pytest.fail(f"timed out waiting for {what}\n{tail}")
        time.sleep(0.3)


def _messages(broker: redis.Redis, queue_name: str) -> int:
    # Kombu keeps one Redis list per priority step: "<queue>", "<queue>\x06\x165", ...
    return sum(int(broker.llen(key)) for key in broker.keys(f"{queue_name}*"))


def _analyse_job(session: Session) -> Job | None:
    session.expire_all()
    return session.exec(select(Job).where(Job.kind == ANALYSE)).first()


def test_upload_while_redis_is_down_is_queued_and_runs_when_redis_returns(
    celery_settings: Settings,
    session: Session,
    private_redis: PrivateRedis,
    celery_worker: subprocess.Popen[bytes],
    tmp_path: Path,
) -> None:
    world = build_world(session)
    clip = testmedia.make_small_ts(tmp_path / "spot.ts", seconds=2)
    broker = redis.Redis.from_url(private_redis.url)
    with TestClient(create_app(celery_settings)) as client:
        editor = auth(client, world, "editor.dki")
        private_redis.kill()
        started = time.monotonic()
        with clip.open("rb") as handle:
            response = client.post(
                "/api/v1/assets",
                headers=editor,
                files={"file": ("spot.ts", handle, "video/mp2t")},
                data={"title": "Konferensi Pers", "kind": "programme"},
            )
        assert response.status_code == 201, response.text  # the file is safe, the job is queued
        assert time.monotonic() - started < 30  # a dead broker does not hang the request
        job = _analyse_job(session)
        assert job is not None and job.state == "queued"
        asset = client.get(f"/api/v1/assets/{response.json()['id']}", headers=editor).json()
        assert asset["status"] == "uploaded"

    private_redis.start()  # same port; it comes back empty
    assert _messages(broker, celery_settings.celery_queue) == 0
    engine_settings = celery_settings
    from mux_scheduler.core.db import make_engine

    engine = make_engine(engine_settings)
    try:
        # The scheduler's sweep, as it runs every few minutes: jobs queued for a while are sent.
        transcode_sweep(engine, engine_settings, now=utcnow())
        assert _messages(broker, celery_settings.celery_queue) == 0  # just queued: not yet
        transcode_sweep(engine, engine_settings, now=utcnow() + timedelta(minutes=5))
    finally:
        engine.dispose()

    def analysed() -> bool:
        job = _analyse_job(session)
        return job is not None and job.state in ("done", "failed")

    _wait(
        analysed,
        120,
        "the Celery worker to run the job after Redis returned",
        log=tmp_path / "worker.log",
    )
    job = _analyse_job(session)
    assert job is not None
    assert job.state == "done", job.error
    assert "celery" in (job.locked_by or "")
    assert celery_worker.poll() is None  # the worker rode out the broker restart
