from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import paramiko
import pytest

from mux_scheduler.core.settings import Settings
from tests.conftest import Database, make_settings
from tests.delivery.sftp_server import SftpServer


@dataclass(frozen=True)
class Keys:
    host: paramiko.RSAKey
    client: paramiko.RSAKey


@pytest.fixture(scope="session")
def ssh_keys() -> Keys:
    return Keys(paramiko.RSAKey.generate(2048), paramiko.RSAKey.generate(2048))


@pytest.fixture
def sftp_server(tmp_path: Path, ssh_keys: Keys) -> Iterator[SftpServer]:
    root = tmp_path / "sftp-root"
    (root / "incoming").mkdir(parents=True)
    server = SftpServer(root, ssh_keys.host, ssh_keys.client).start()
    yield server
    server.stop()


@pytest.fixture
def settings(database: Database, tmp_path: Path, ssh_keys: Keys) -> Settings:
    """Fast backoff, and the SSH client key and known_hosts the SFTP tests need."""
    key_file = tmp_path / "id_rsa"
    ssh_keys.client.write_private_key_file(str(key_file))
    return make_settings(database, tmp_path).model_copy(
        update={
            "delivery_backoff_seconds": 0.01,
            "delivery_max_attempts": 4,
            "delivery_timeout_seconds": 10.0,
            "sftp_key_file": key_file,
            "sftp_known_hosts": tmp_path / "known_hosts",
        }
    )


@dataclass
class HttpSink:
    """Answers 503 to the first ``failures`` POSTs, then 201; keeps what it received."""

    failures: int
    url: str = ""
    statuses: list[int] = field(default_factory=list)
    bodies: list[bytes] = field(default_factory=list)
    headers: list[dict[str, str]] = field(default_factory=list)


@pytest.fixture
def http_sink() -> Iterator[HttpSink]:
    sink = HttpSink(failures=2)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            status = 503 if len(sink.statuses) < sink.failures else 201
            sink.statuses.append(status)
            sink.bodies.append(body)
            sink.headers.append(dict(self.headers))
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    sink.url = f"http://127.0.0.1:{server.server_address[1]}/ingest"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield sink
    server.shutdown()
    server.server_close()
