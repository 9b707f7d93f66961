"""A tus upload whose connection drops mid-body resumes to a byte-identical file, against a
real uvicorn server on 127.0.0.1 (the test client cannot drop a connection half-way)."""

from __future__ import annotations

import hashlib
import os
import socket
import threading
import time
from collections.abc import Iterator
from urllib.parse import urlsplit

import httpx
import pytest
import uvicorn

from mux_scheduler.app import create_app
from mux_scheduler.core.settings import Settings
from tests.assets.helpers import files_under
from tests.conftest import Database
from tests.world import World

TUS = {"Tus-Resumable": "1.0.0"}


@pytest.fixture
def database(sqlite_db: Database) -> Database:
    return sqlite_db


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture
def server(settings: Settings, world: World) -> Iterator[str]:
    port = _free_port()
    config = uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="error")
    instance = uvicorn.Server(config)
    thread = threading.Thread(target=instance.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not instance.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    instance.should_exit = True
    thread.join(15)


def _token(base: str, world: World) -> dict[str, str]:
    login = world.logins["editor.dki"]
    response = httpx.post(
        f"{base}/api/v1/auth/token", data={"username": login.username, "password": login.password}
    )
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def _send_half_then_drop(url: str, headers: dict[str, str], body: bytes, sent: int) -> None:
    """A PATCH announcing the whole body, of which only ``sent`` bytes arrive."""
    parts = urlsplit(url)
    head = [
        f"PATCH {parts.path} HTTP/1.1",
        f"Host: {parts.netloc}",
        "Content-Type: application/offset+octet-stream",
        "Upload-Offset: 0",
        f"Content-Length: {len(body)}",
        *(f"{k}: {v}" for k, v in {**headers, **TUS}.items()),
    ]
    with socket.create_connection((parts.hostname or "", parts.port or 80)) as conn:
        conn.sendall(("\r\n".join(head) + "\r\n\r\n").encode())
        conn.sendall(body[:sent])
        time.sleep(0.3)  # let the server read what was sent before the line goes dead


def test_dropped_connection_resumes_to_a_byte_identical_file(
    server: str, world: World, settings: Settings
) -> None:
    body = os.urandom(3 * 1024 * 1024 + 123)
    headers = _token(server, world)
    created = httpx.post(
        f"{server}/api/v1/uploads",
        headers={
            **headers,
            **TUS,
            "Upload-Length": str(len(body)),
            "Upload-Metadata": "title U3BvdA==",
        },
    )
    assert created.status_code == 201, created.text
    url = created.headers["Location"]
    half = len(body) // 2
    _send_half_then_drop(url, headers, body, half)

    deadline = time.monotonic() + 10
    offset = -1
    while time.monotonic() < deadline:
        offset = int(httpx.head(url, headers={**headers, **TUS}).headers["Upload-Offset"])
        if offset == half:
            break
        time.sleep(0.1)
    assert offset == half  # every byte that arrived was kept

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
    asset = httpx.get(
        f"{server}/api/v1/assets/{resumed.headers['X-Asset-Id']}", headers=headers
    ).json()
    digest = hashlib.sha256(body).hexdigest()
    assert asset["sha256"] == digest and asset["size_bytes"] == len(body)
    stored = settings.media_root / "originals" / digest[:2] / digest[2:4] / digest
    if stored.exists():  # the analysis may already have rejected these random bytes
        assert hashlib.sha256(stored.read_bytes()).hexdigest() == digest
    assert files_under(settings.media_root / "tmp") == []
