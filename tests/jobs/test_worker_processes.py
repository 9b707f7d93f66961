"""Jobs in real worker processes (SQLite): a killed worker's transcode recovers, a running
transcode is cancelled cleanly, and the Celery path works against the real Redis."""

from __future__ import annotations

import os
import signal
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

from mux_scheduler.assets.models import Asset, Rendition
from mux_scheduler.assets.schemas import AssetCreate
from mux_scheduler.assets.service import ingest_path
from mux_scheduler.auth.access import Principal
from mux_scheduler.auth.models import User
from mux_scheduler.core.settings import Settings
from mux_scheduler.jobs.models import Job
from mux_scheduler.jobs.pool import LocalWorkerPool
from mux_scheduler.media import testmedia
from tests.assets.helpers import ffprobe, files_under, rate, sha256_of
from tests.conftest import Database
from tests.world import World, auth

REDIS_URL = os.environ.get("MUX_TEST_REDIS_URL", "redis://127.0.0.1:6379/9")


@pytest.fixture
def database(sqlite_db: Database) -> Database:
    return sqlite_db


@pytest.fixture(scope="module")
def long_clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Long enough (1080p, 10 s) that a transcode is still running when we interrupt it."""
    return testmedia.make_1080p30_mp4(tmp_path_factory.mktemp("long") / "long.mp4", seconds=10)


def _ingest(
    session: Session, settings: Settings, source: Path, username: str = "editor.dki"
) -> int:
    user = session.exec(select(User).where(User.username == username)).one()
    asset = ingest_path(
        session,
        settings=settings,
        principal=Principal.of(user),
        meta=AssetCreate(title="Konferensi Pers", kind="programme"),  # type: ignore[arg-type]
        source=source,
    )
    session.commit()
    assert asset.id is not None
    return asset.id


def _env(settings: Settings, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "MUX_DATABASE_URL": settings.database_url,
        "MUX_DATA_DIR": str(settings.data_dir),
        "MUX_MEDIA_ROOT": str(settings.media_root),
        "MUX_PLAYLISTS_ROOT": str(settings.playlists_root),
        "MUX_TRANSCODE_PRESET": settings.transcode_preset,
        "MUX_ENVIRONMENT": "test",
        **extra,
    }


@pytest.fixture
def start_worker(tmp_path: Path) -> Iterator[Callable[..., subprocess.Popen[bytes]]]:
    started: list[subprocess.Popen[bytes]] = []

    def start(env: dict[str, str], *args: str) -> subprocess.Popen[bytes]:
        log = (tmp_path / f"worker-{len(started)}.log").open("wb")
        process = subprocess.Popen(
            [sys.executable, "-m", "mux_scheduler", "worker", "--concurrency", "1", *args],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.terminate()
            process.wait(20)


def _wait(session: Session, check: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.2)
        session.expire_all()


def _transcode(session: Session) -> Job | None:
    return session.exec(select(Job).where(Job.kind == "assets.transcode")).first()


def _assert_rendition_on_air(settings: Settings, rendition: Rendition) -> None:
    assert rendition.status == "ready" and rendition.path is not None
    path = settings.media_root / rendition.path
    assert sha256_of(path) == rendition.sha256
    video = next(s for s in ffprobe(path)["streams"] if s["codec_type"] == "video")
    assert (video["width"], video["height"], video["field_order"]) == (1920, 1080, "tt")
    assert rate(video["r_frame_rate"]) == 25
    assert abs((rendition.duration_frames or 0) - 250) <= 2


def _partials(settings: Settings) -> list[Path]:
    return [p for p in files_under(settings.media_root) if p.name.startswith(".")]


def test_a_worker_killed_mid_transcode_recovers_on_restart(
    session: Session,
    settings: Settings,
    world: World,
    database: Database,
    long_clip: Path,
    start_worker: Callable[..., subprocess.Popen[bytes]],
) -> None:
    asset_id = _ingest(session, settings, long_clip)
    worker = start_worker(_env(settings))

    def transcoding() -> bool:
        job = _transcode(session)
        return job is not None and job.state == "running" and job.progress > 0

    _wait(session, transcoding, 240, "the transcode to start")
    os.kill(worker.pid, signal.SIGKILL)
    worker.wait()
    job = _transcode(session)
    assert job is not None and job.state == "running"  # nobody told the database

    time.sleep(1.5)
    pool = LocalWorkerPool(database.engine, settings, stale_after=timedelta(seconds=1))
    pool.start()
    try:
        _wait(session, lambda: getattr(_transcode(session), "state", "") == "done", 240, "retry")
    finally:
        pool.stop()
    job = _transcode(session)
    assert job is not None and job.attempts == 2 and job.error is None
    rendition = session.exec(select(Rendition).where(Rendition.asset_id == asset_id)).one()
    _assert_rendition_on_air(settings, rendition)
    assert session.get(Asset, asset_id).status == "ready"  # type: ignore[union-attr]
    assert _partials(settings) == [] and files_under(settings.media_root / "tmp") == []


def test_cancelling_a_running_transcode_kills_ffmpeg_and_keeps_nothing(
    client: TestClient, session: Session, settings: Settings, world: World, long_clip: Path
) -> None:
    asset_id = _ingest(session, settings, long_clip)
    programmer = auth(client, world, "programmer")

    def transcoding() -> bool:
        job = _transcode(session)
        return job is not None and job.state == "running" and job.progress > 0

    _wait(session, transcoding, 240, "the transcode to start")
    job = _transcode(session)
    assert job is not None
    assert client.post(f"/api/v1/jobs/{job.id}/cancel", headers=programmer).status_code == 200
    _wait(session, lambda: getattr(_transcode(session), "state", "") == "cancelled", 30, "cancel")
    rendition = session.exec(select(Rendition).where(Rendition.asset_id == asset_id)).one()
    assert rendition.status == "failed" and rendition.path is None
    assert not (settings.media_root / "renditions").exists() or not any(
        (settings.media_root / "renditions").rglob("*.ts*")
    )
    assert _partials(settings) == []
    asset = client.get(f"/api/v1/assets/{asset_id}", headers=programmer).json()
    assert asset["status"] == "failed" and "Cancelled" in asset["reject_reason"]


def test_celery_worker_runs_the_jobs(
    session: Session,
    settings: Settings,
    world: World,
    clip: Callable[[str], Path],
    start_worker: Callable[..., subprocess.Popen[bytes]],
) -> None:
    broker = redis.Redis.from_url(REDIS_URL)
    try:
        broker.ping()
    except redis.ConnectionError as exc:
        raise RuntimeError(f"Redis is required at {REDIS_URL} (`make services`)") from exc
    queue_name = f"mux-test-{uuid.uuid4().hex[:8]}"
    celery_settings = settings.model_copy(
        update={"queue": "celery", "redis_url": REDIS_URL, "celery_queue": queue_name}
    )
    asset_id = _ingest(session, celery_settings, clip("hd_720p50.mp4"))
    # Kombu keeps one Redis list per priority step: "<queue>", "<queue>\x06\x165", ...
    keys = broker.keys(f"{queue_name}*")
    assert sum(broker.llen(key) for key in keys) == 1  # sent once the job row was committed
    start_worker(
        _env(
            celery_settings,
            MUX_QUEUE="celery",
            MUX_REDIS_URL=REDIS_URL,
            MUX_CELERY_QUEUE=queue_name,
        ),
        "--pool",
        "solo",
    )

    def finished() -> bool:
        jobs = session.exec(select(Job)).all()
        return len(jobs) == 2 and all(j.state in ("done", "failed") for j in jobs)

    try:
        _wait(session, finished, 240, "the Celery worker")
    finally:
        for key in broker.keys(f"*{queue_name}*"):
            broker.delete(key)
    assert {(j.kind, j.state) for j in session.exec(select(Job))} == {
        ("assets.analyse", "done"),
        ("assets.transcode", "done"),
    }
    assert all("celery" in (j.locked_by or "") for j in session.exec(select(Job)))
    assert session.get(Asset, asset_id).status == "ready"  # type: ignore[union-attr]
