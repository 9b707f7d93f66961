"""The rapid-response lane: an urgent upload's jobs overtake queued normal work, on the local
pool (real worker thread, real ffmpeg) and on Celery (real Redis); approvers see it first."""

from __future__ import annotations

import base64
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from mux_scheduler.app import create_app
from mux_scheduler.assets.models import ApprovalState, Asset, AssetStatus
from mux_scheduler.core.settings import Settings
from mux_scheduler.jobs import queue
from mux_scheduler.jobs.celery_app import celery_priority, get_celery
from mux_scheduler.jobs.models import Job
from mux_scheduler.jobs.pool import LocalWorkerPool
from mux_scheduler.media import testmedia
from tests.assets.conftest import AssetFactory
from tests.assets.helpers import upload
from tests.conftest import Database
from tests.world import World, auth

REDIS_URL = "redis://127.0.0.1:6379/9"
NORMAL_UPLOADS = 5


@pytest.fixture
def database(sqlite_db: Database) -> Database:
    return sqlite_db


@pytest.fixture
def quiet_client(settings: Settings, database: Database) -> Iterator[TestClient]:
    """The app without its lifespan, so no worker runs until the test starts one."""
    settings.ensure_dirs()
    app = create_app(settings.model_copy(update={"local_workers": 1}))
    app.state.engine = database.engine
    yield TestClient(app)


def _clips(folder: Path) -> list[Path]:
    """Small SD clips of different lengths (so different bytes); the urgent one is 3 s."""
    normal = [
        testmedia.make_sd_4x3(folder / f"normal-{n}.mp4", seconds=1.0 + 0.2 * n)
        for n in range(NORMAL_UPLOADS)
    ]
    return [*normal, testmedia.make_1080p30_mp4(folder / "urgent.mp4", seconds=3.0)]


def _wait_ready(database: Database, asset_id: int, timeout: float = 180.0) -> list[Asset]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with Session(database.engine) as session:
            assets = list(session.exec(select(Asset).order_by(col(Asset.id))))
        urgent = next(a for a in assets if a.id == asset_id)
        assert urgent.status != AssetStatus.FAILED, urgent.reject_reason
        if urgent.status == AssetStatus.READY:
            return assets
        time.sleep(0.1)
    raise AssertionError(f"the urgent asset was not ready after {timeout} s")


def test_an_urgent_upload_overtakes_queued_normal_jobs(
    quiet_client: TestClient,
    world: World,
    settings: Settings,
    database: Database,
    tmp_path: Path,
) -> None:
    dki = auth(quiet_client, world, "editor.dki")  # leases Kanal Humas only: one HD rendition
    *normal, urgent_clip = _clips(tmp_path / "clips")
    for path in normal:
        assert upload(quiet_client, dki, path, title=path.stem).status_code == 201
    pool = LocalWorkerPool(database.engine, settings, size=1, poll_seconds=0.05)
    pool.start()
    try:
        time.sleep(0.3)  # the worker is now busy with the oldest normal job
        created = upload(quiet_client, dki, urgent_clip, title="Peringatan dini", urgent="true")
        assert created.status_code == 201, created.text
        urgent_id = created.json()["id"]
        assets = _wait_ready(database, urgent_id)
    finally:
        pool.stop()
    others_ready = [a.title for a in assets if a.id != urgent_id and a.status == "ready"]
    assert others_ready == [], "a normal asset finished before the urgent one"
    with Session(database.engine) as session:
        jobs = list(session.exec(select(Job).where(col(Job.started_at).is_not(None))))
    urgent_jobs = [j for j in jobs if j.asset_id == urgent_id]
    assert {(j.kind, j.priority, j.state) for j in urgent_jobs} == {
        ("assets.analyse", queue.URGENT_PRIORITY, "done"),
        ("assets.transcode", queue.URGENT_PRIORITY, "done"),
    }
    urgent_created = min(j.created_at for j in urgent_jobs)
    started_after = sorted(
        (j for j in jobs if j.started_at and j.started_at > urgent_created),
        key=lambda j: j.started_at or j.created_at,
    )
    assert [j.asset_id for j in started_after[:2]] == [urgent_id, urgent_id]
    urgent_done = max(j.finished_at or j.created_at for j in urgent_jobs)
    overtaking = [
        j
        for j in jobs
        if j.asset_id != urgent_id and urgent_created < (j.started_at or urgent_done) < urgent_done
    ]
    assert overtaking == [], "a normal job started while the urgent ones were waiting"


def test_a_tus_upload_marked_urgent_queues_urgent_analysis(
    quiet_client: TestClient, world: World, session: Session, tmp_path: Path
) -> None:
    dki = auth(quiet_client, world, "editor.dki")
    content = testmedia.make_sd_4x3(tmp_path / "tus.mp4", seconds=1.0).read_bytes()
    metadata = ",".join(
        f"{key} {base64.b64encode(value.encode()).decode()}"
        for key, value in {
            "title": "Klarifikasi hoaks",
            "kind": "ilm",
            "filename": "tus.mp4",
            "urgent": "true",
        }.items()
    )
    tus = {**dki, "Tus-Resumable": "1.0.0"}
    created = quiet_client.post(
        "/api/v1/uploads",
        headers={**tus, "Upload-Length": str(len(content)), "Upload-Metadata": metadata},
    )
    assert created.status_code == 201, created.text
    patched = quiet_client.patch(
        created.headers["Location"],
        content=content,
        headers={
            **tus,
            "Upload-Offset": "0",
            "Content-Type": "application/offset+octet-stream",
        },
    )
    assert patched.status_code == 204, patched.text
    asset = session.exec(select(Asset).where(Asset.title == "Klarifikasi hoaks")).one()
    job = session.exec(select(Job).where(Job.asset_id == asset.id)).one()
    assert asset.urgent and (job.kind, job.priority) == ("assets.analyse", queue.URGENT_PRIORITY)


def test_celery_priority_puts_urgent_jobs_first() -> None:
    # Kombu's Redis transport serves priority 0 first and 9 last.
    assert celery_priority(queue.URGENT_PRIORITY) == 0
    assert celery_priority(0) == 5
    assert celery_priority(queue.URGENT_PRIORITY) < celery_priority(0)


def test_celery_delivers_an_urgent_job_before_older_normal_ones(
    session: Session, settings: Settings
) -> None:
    broker = redis.Redis.from_url(REDIS_URL)
    try:
        broker.ping()
    except redis.ConnectionError as exc:
        raise RuntimeError(f"Redis is required at {REDIS_URL} (`make services`)") from exc
    queue_name = f"mux-test-{uuid.uuid4().hex[:8]}"
    celery = settings.model_copy(
        update={"queue": "celery", "redis_url": REDIS_URL, "celery_queue": queue_name}
    )
    ids = []
    for priority in (0, 0, queue.URGENT_PRIORITY):
        ids.append(queue.enqueue(session, "tests.noop", {}, settings=celery, priority=priority).id)
        session.commit()  # each job is sent once its row commits
    received = []
    try:
        with get_celery(celery).connection_for_read() as connection:
            channel = connection.default_channel
            while (message := channel.basic_get(queue_name, no_ack=True)) is not None:
                received.append(message.payload[0][0])
    finally:
        for key in broker.keys(f"*{queue_name}*"):
            broker.delete(key)
    assert received == [ids[2], ids[0], ids[1]]


def test_the_approval_queue_lists_urgent_uploads_first(
    client: TestClient, world: World, make_asset: AssetFactory
) -> None:
    komdigi = world.agencies["KOMDIGI"]
    submitted = ApprovalState.SUBMITTED
    older = make_asset(komdigi, title="Biasa lama", approval_state=submitted)
    urgent = make_asset(komdigi, title="Mendesak", approval_state=submitted, urgent=True)
    newer = make_asset(komdigi, title="Biasa baru", approval_state=submitted)
    make_asset(komdigi, title="Draf mendesak", urgent=True)
    programmer = auth(client, world, "programmer")
    listed = client.get("/api/v1/assets?approval_state=submitted", headers=programmer).json()
    assert [a["id"] for a in listed] == [urgent.id, older.id, newer.id]
