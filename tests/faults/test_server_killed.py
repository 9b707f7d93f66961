"""The API server is killed (SIGKILL, no clean-up of any kind) in the middle of an upload.

A tus upload resumes on the restarted server from the last offset the server acknowledged and
ends byte-identical; a multipart upload cut off the same way leaves no asset row, and the
scheduler's sweep removes its temporary file. The server is a real ``mux-scheduler serve``
process on a loopback port, restarted on the same port as an operator would.
"""

from __future__ import annotations

import hashlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from sqlmodel import Session, select

from mux_scheduler.assets.models import Asset, Upload
from mux_scheduler.automation.sweeps import transcode_sweep
from mux_scheduler.core.db import make_engine, utcnow
from mux_scheduler.core.settings import Settings
from mux_scheduler.media import testmedia
from tests.conftest import Database
from tests.faults.servers import free_port
from tests.world import World, build_world

TUS = {"Tus-Resumable": "1.0.0"}


@pytest.fixture
def database(sqlite_db: Database) -> Database:
    return sqlite_db


class ServerProcess:
    """``python -m mux_scheduler serve`` on a fixed port, killable and restartable."""

    def __init__(self, settings: Settings, port: int, log: Path) -> None:
        self.port = port
        self.log = log
        self.env = {
            **os.environ,
            "MUX_ENVIRONMENT": "test",
            "MUX_DATABASE_URL": settings.database_url,
            "MUX_DATA_DIR": str(settings.data_dir),
            "MUX_MEDIA_ROOT": str(settings.media_root),
            "MUX_PLAYLISTS_ROOT": str(settings.playlists_root),
            "MUX_TRANSCODE_PRESET": "ultrafast",
        }
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "mux_scheduler", "serve", "--port", str(self.port)],
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        _wait(self._healthy, 60, "the server to answer /healthz", self.log)

    def _healthy(self) -> bool:
        assert self.process is not None
        if self.process.poll() is not None:
            pytest.fail(f"the server exited:\n{self.log.read_text(errors='replace')[-3000:]}")
        try:
            return httpx.get(f"{self.base}/healthz", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture
def server(settings: Settings, world: World, tmp_path: Path) -> Iterator[ServerProcess]:
    process = ServerProcess(settings, free_port(), tmp_path / "server.log")
    process.start()
    try:
        yield process
    finally:
        process.stop()


@pytest.fixture
def world(session: Session) -> World:
    return build_world(session)


def _wait(check: Callable[[], bool], timeout: float, what: str, log: Path) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() >= deadline:
            pytest.fail(f"timed out waiting for {what}\n{log.read_text(errors='replace')[-3000:]}")
        time.sleep(0.1)


def _token(base: str, world: World) -> dict[str, str]:
    login = world.logins["editor.dki"]
    response = httpx.post(
        f"{base}/api/v1/auth/token", data={"username": login.username, "password": login.password}
    )
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def _start_request(url: str, head: list[str], body: bytes) -> socket.socket:
    """Open a request announcing more bytes than ``body`` and send only ``body``."""
    parts = urlsplit(url)
    conn = socket.create_connection((parts.hostname or "", parts.port or 80))
    conn.sendall(("\r\n".join([*head, f"Host: {parts.netloc}"]) + "\r\n\r\n").encode())
    conn.sendall(body)
    time.sleep(0.5)  # the server has read and written what arrived
    return conn


def _tmp_files(settings: Settings) -> list[Path]:
    tmp = settings.media_root / "tmp"
    return sorted(p for p in tmp.rglob("*") if p.is_file()) if tmp.exists() else []


def test_tus_upload_resumes_after_the_server_is_killed_mid_patch(
    server: ServerProcess, world: World, settings: Settings, session: Session, tmp_path: Path
) -> None:
    clip = testmedia.make_small_ts(tmp_path / "klarifikasi.ts", seconds=6)
    body = clip.read_bytes()
    third = len(body) // 3
    headers = _token(server.base, world)
    created = httpx.post(
        f"{server.base}/api/v1/uploads",
        headers={
            **headers,
            **TUS,
            "Upload-Length": str(len(body)),
            "Upload-Metadata": "title S2xhcmlmaWthc2k=",  # "Klarifikasi"
        },
    )
    assert created.status_code == 201, created.text
    url = created.headers["Location"]
    first = httpx.patch(
        url,
        content=body[:third],
        headers={
            **headers,
            **TUS,
            "Upload-Offset": "0",
            "Content-Type": "application/offset+octet-stream",
        },
    )
    assert first.status_code == 204, first.text

    # The second PATCH is under way when the server dies: its bytes were never acknowledged.
    conn = _start_request(
        url,
        [
            f"PATCH {urlsplit(url).path} HTTP/1.1",
            "Content-Type: application/offset+octet-stream",
            f"Upload-Offset: {third}",
            f"Content-Length: {len(body) - third}",
            f"Authorization: {headers['Authorization']}",
            "Tus-Resumable: 1.0.0",
        ],
        body[third : 2 * third],
    )
    server.kill()
    conn.close()
    server.start()

    offset = int(httpx.head(url, headers={**headers, **TUS}).headers["Upload-Offset"])
    assert offset == third  # what the server acknowledged before it died, not a byte less
    resumed = httpx.patch(
        url,
        content=body[offset:],
        headers={
            **headers,
            **TUS,
            "Upload-Offset": str(offset),
            "Content-Type": "application/offset+octet-stream",
        },
        timeout=30,
    )
    assert resumed.status_code == 204, resumed.text
    asset_id = int(resumed.headers["X-Asset-Id"])
    session.expire_all()
    asset = session.get(Asset, asset_id)
    assert asset is not None and asset.sha256 == hashlib.sha256(body).hexdigest()
    stored = settings.media_root / (asset.stored_path or "")
    assert stored.is_file() and hashlib.sha256(stored.read_bytes()).hexdigest() == asset.sha256
    assert _tmp_files(settings) == []  # the tus temporary became the original


def test_multipart_upload_cut_off_by_a_killed_server_leaves_nothing(
    server: ServerProcess, world: World, settings: Settings, session: Session, tmp_path: Path
) -> None:
    headers = _token(server.base, world)
    boundary = "muxboundary7f3a"
    preamble = (
        f"--{boundary}\r\n"
        'Content-Disposition: form-data; name="title"\r\n\r\nKonferensi Pers\r\n'
        f"--{boundary}\r\n"
        'Content-Disposition: form-data; name="kind"\r\n\r\nprogramme\r\n'
        f"--{boundary}\r\n"
        'Content-Disposition: form-data; name="file"; filename="pers.ts"\r\n'
        "Content-Type: video/mp2t\r\n\r\n"
    ).encode()
    announced = len(preamble) + 8 * 1024 * 1024
    conn = _start_request(
        f"{server.base}/api/v1/assets",
        [
            "POST /api/v1/assets HTTP/1.1",
            f"Content-Type: multipart/form-data; boundary={boundary}",
            f"Content-Length: {announced}",
            f"Authorization: {headers['Authorization']}",
        ],
        preamble + os.urandom(2 * 1024 * 1024),
    )
    server.kill()
    conn.close()
    server.start()

    session.expire_all()
    assert session.exec(select(Asset)).all() == []  # no half-made asset
    assert session.exec(select(Upload)).all() == []
    strays = _tmp_files(settings)
    assert [p.name.startswith("upload-") for p in strays] == [True]  # the request's own file

    engine = make_engine(settings)
    try:
        transcode_sweep(engine, settings, now=utcnow())
        assert _tmp_files(settings) == strays  # fresh: it could still be a live upload
        transcode_sweep(engine, settings, now=utcnow() + timedelta(hours=2))
    finally:
        engine.dispose()
    assert _tmp_files(settings) == []
