"""Private PostgreSQL and Redis servers for fault tests: started, killed and restarted by the
test itself on loopback ports, so nothing the rest of the suite uses is ever touched."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _wait_for_port(port: int, *, up: bool, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            reachable = probe.connect_ex(("127.0.0.1", port)) == 0
        if reachable == up:
            return
        time.sleep(0.1)
    raise AssertionError(f"port {port} still {'down' if up else 'up'} after {timeout} s")


def _postgres_bin(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    versions = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    return str(versions[-1]) if versions else None


@dataclass
class PrivatePostgres:
    """``initdb`` + ``pg_ctl`` on a temp directory and a free port (as user postgres when the
    tests run as root, since PostgreSQL refuses to run as root)."""

    data: Path
    port: int
    log: Path

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *args: str) -> None:
        command = list(args)
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=120)

    def _pg_ctl(self, action: str, *extra: str) -> None:
        pg_ctl = _postgres_bin("pg_ctl")
        assert pg_ctl is not None
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.data} -c fsync=off"
        self._run(
            pg_ctl, "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", action, *extra
        )

    def start(self) -> None:
        self._pg_ctl("start")
        _wait_for_port(self.port, up=True)

    def restart(self) -> None:
        """A real restart: every client connection is cut, the server comes back."""
        self._pg_ctl("restart", "-m", "fast")
        _wait_for_port(self.port, up=True)

    def stop(self) -> None:
        self._pg_ctl("stop", "-m", "immediate")


@pytest.fixture
def private_postgres() -> Iterator[PrivatePostgres]:
    initdb = _postgres_bin("initdb")
    if initdb is None or (os.geteuid() == 0 and shutil.which("runuser") is None):
        pytest.fail("PostgreSQL's initdb/pg_ctl are required (make services installs them)")
    # Not under pytest's temp root: that is private to root, and the server runs as postgres.
    root = Path(tempfile.mkdtemp(prefix="mux-faults-pg-"))
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
    server = PrivatePostgres(root / "data", free_port(), root / "server.log")
    try:
        server._run(initdb, "-D", str(server.data), "-A", "trust", "-U", "postgres", "--no-sync")
        server.start()
        yield server
    finally:
        with contextlib.suppress(Exception):
            server.stop()
        shutil.rmtree(root, ignore_errors=True)


@dataclass
class PrivateRedis:
    port: int
    folder: Path
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        redis_server = shutil.which("redis-server")
        assert redis_server is not None
        self.process = subprocess.Popen(
            [
                redis_server,
                *("--bind", "127.0.0.1", "--port", str(self.port)),
                *("--save", "", "--appendonly", "no", "--dir", str(self.folder)),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        _wait_for_port(self.port, up=True)

    def kill(self) -> None:
        """The broker dies (SIGKILL): queued messages it held are gone with it."""
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(10)
        _wait_for_port(self.port, up=False)


@pytest.fixture
def private_redis(tmp_path: Path) -> Iterator[PrivateRedis]:
    if shutil.which("redis-server") is None:
        pytest.fail("redis-server is required (make services installs it)")
    server = PrivateRedis(free_port(), tmp_path)
    server.start()
    yield server
    if server.process is not None and server.process.poll() is None:
        server.process.terminate()
        server.process.wait(10)
