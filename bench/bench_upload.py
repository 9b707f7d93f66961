"""Upload benchmark: 1 GiB through the API (multipart and tus) against ``cp`` of the same bytes.

Run: ``python bench/bench_upload.py [--mib 1024]``. Starts ``mux-scheduler serve`` on 127.0.0.1
in a subprocess, streams the body from a generator (the client never holds the file), samples
the server's resident memory from ``/proc/<pid>/status`` and prints a markdown table; writes
``bench/results-upload.md``. The test file is generated under /tmp and deleted afterwards.
"""

from __future__ import annotations

import argparse
import base64
import os
import platform
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx

from mux_scheduler.core.db import make_engine, session_scope
from mux_scheduler.core.migrate import upgrade
from mux_scheduler.core.settings import Settings
from mux_scheduler.demo import seed_demo

RESULTS = Path(__file__).with_name("results-upload.md")
CHUNK = 1024 * 1024
RSS_TARGET_MIB = 50
BOUNDARY = "mux-bench-boundary-7f3a"


def make_file(path: Path, mib: int) -> None:
    block = os.urandom(CHUNK)  # real bytes on disk, not a sparse hole that cp could skip
    with path.open("wb") as handle:
        for _ in range(mib):
            handle.write(block)


def rss_kib(pid: int, field: str = "VmRSS") -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


class RssSampler(threading.Thread):
    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak = rss_kib(pid)
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.wait(0.02):
            self.peak = max(self.peak, rss_kib(self.pid))

    def stop(self) -> int:
        self.done.set()
        self.join()
        return self.peak


def file_chunks(path: Path) -> Iterator[bytes]:
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            yield chunk


def multipart(path: Path, fields: dict[str, str]) -> tuple[Callable[[], Iterator[bytes]], int]:
    head = b"".join(
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
        for k, v in fields.items()
    )
    head += (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="{path.name}"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode()
    tail = f"\r\n--{BOUNDARY}--\r\n".encode()

    def body() -> Iterator[bytes]:
        yield head
        yield from file_chunks(path)
        yield tail

    return body, len(head) + path.stat().st_size + len(tail)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def start_server(work: Path, port: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "MUX_DATA_DIR": str(work / "var"),
        "MUX_MEDIA_ROOT": str(work / "media"),
        "MUX_PLAYLISTS_ROOT": str(work / "playlists"),
        "MUX_MAX_UPLOAD_BYTES": str(16 * 1024**3),
        "MUX_ENVIRONMENT": "test",
    }
    settings = Settings(data_dir=work / "var", environment="test")
    settings.ensure_dirs()
    engine = make_engine(settings)
    upgrade(engine)
    with session_scope(engine) as session:
        seed_demo(session)
    engine.dispose()
    server = subprocess.Popen(
        [sys.executable, "-m", "mux_scheduler", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            if httpx.get(f"{base}/healthz").status_code == 200:
                return server
        except httpx.TransportError:
            time.sleep(0.1)
    raise RuntimeError("server did not start")


def timed_upload(pid: int, send: Callable[[], httpx.Response]) -> tuple[float, int]:
    baseline = rss_kib(pid)
    sampler = RssSampler(pid)
    sampler.start()
    start = time.perf_counter()
    response = send()
    elapsed = time.perf_counter() - start
    peak = sampler.stop()
    assert response.status_code in (201, 204), response.text
    return elapsed, peak - baseline


def run(mib: int) -> list[tuple[str, float, float, str]]:
    work = Path(tempfile.mkdtemp(prefix="mux-bench-upload-", dir="/tmp"))
    server = None
    try:
        source = work / "source.bin"
        make_file(source, mib)
        copy = work / "copy.bin"
        start = time.perf_counter()
        subprocess.run(["cp", str(source), str(copy)], check=True)
        cp_seconds = time.perf_counter() - start
        start = time.perf_counter()
        subprocess.run(["cp", str(source), str(work / "copy2.bin")], check=True)
        subprocess.run(["sync", str(work / "copy2.bin")], check=True)
        cp_sync_seconds = time.perf_counter() - start
        copy.unlink()
        (work / "copy2.bin").unlink()

        port = free_port()
        server = start_server(work, port)
        base = f"http://127.0.0.1:{port}"
        token = httpx.post(
            f"{base}/api/v1/auth/token",
            data={"username": "programmer", "password": "demo-programmer-2026"},
        ).json()["access_token"]
        auth = {"Authorization": f"Bearer {token}"}
        fields = {"title": "Bench", "kind": "programme", "agency_id": "1"}
        headers = {**auth, "Content-Type": f"multipart/form-data; boundary={BOUNDARY}"}
        small = work / "warm-up.bin"
        small.write_bytes(os.urandom(256 * 1024))
        warm, _ = multipart(small, {**fields, "title": "Warm-up"})
        httpx.post(f"{base}/api/v1/assets", headers=headers, content=b"".join(warm()))
        body, length = multipart(source, fields)
        headers["Content-Length"] = str(length)
        multipart_seconds, multipart_rss = timed_upload(
            server.pid,
            lambda: httpx.post(
                f"{base}/api/v1/assets", headers=headers, content=body(), timeout=600
            ),
        )
        # The same bytes again would be refused as a duplicate: change the last byte.
        with source.open("r+b") as handle:
            handle.seek(-1, os.SEEK_END)
            last = handle.read(1)[0]
            handle.seek(-1, os.SEEK_END)
            handle.write(bytes([last ^ 0xFF]))
        tus_seconds, tus_rss = timed_upload(server.pid, lambda: tus_upload(base, auth, source))
    finally:
        if server is not None:
            server.terminate()
            server.wait(30)
        shutil.rmtree(work, ignore_errors=True)
    size_mb = mib * CHUNK / 1e6
    return [
        ("cp (page cache)", cp_seconds, 0.0, f"{size_mb / cp_seconds:.0f}"),
        ("cp + sync", cp_sync_seconds, 0.0, f"{size_mb / cp_sync_seconds:.0f}"),
        (
            "POST /assets multipart",
            multipart_seconds,
            multipart_rss / 1024,
            f"{size_mb / multipart_seconds:.0f}",
        ),
        ("tus POST + one PATCH", tus_seconds, tus_rss / 1024, f"{size_mb / tus_seconds:.0f}"),
    ]


def tus_upload(base: str, auth: dict[str, str], source: Path) -> httpx.Response:
    title = base64.b64encode(b"Bench tus").decode()
    created = httpx.post(
        f"{base}/api/v1/uploads",
        headers={
            **auth,
            "Tus-Resumable": "1.0.0",
            "Upload-Length": str(source.stat().st_size),
            "Upload-Metadata": f"title {title},agency_id {base64.b64encode(b'1').decode()}",
        },
    )
    assert created.status_code == 201, created.text
    return httpx.patch(
        created.headers["Location"],
        headers={
            **auth,
            "Tus-Resumable": "1.0.0",
            "Upload-Offset": "0",
            "Content-Type": "application/offset+octet-stream",
            "Content-Length": str(source.stat().st_size),
        },
        content=file_chunks(source),
        timeout=600,
    )


def report(mib: int, rows: list[tuple[str, float, float, str]]) -> str:
    cp_seconds = rows[0][1]
    lines = [
        f"# Upload benchmark ({mib} MiB)",
        "",
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {platform.node()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}; server: `mux-scheduler serve` (uvicorn, SQLite), "
        "client: httpx streaming from a generator, both on 127.0.0.1.",
        "",
        "| path | seconds | MB/s | time vs cp | server RSS growth (MiB) |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for name, seconds, rss_mib, rate in rows:
        rss = "-" if name.startswith("cp") else f"{rss_mib:.1f}"
        lines.append(f"| {name} | {seconds:.2f} | {rate} | {seconds / cp_seconds:.2f}x | {rss} |")
    worst = max(r[2] for r in rows[2:])
    verdict = "meets" if worst < RSS_TARGET_MIB else "MISSES"
    lines += [
        "",
        f"Peak RSS growth {worst:.1f} MiB {verdict} the < {RSS_TARGET_MIB} MiB target. The API "
        "hashes (sha256) and fsyncs while it writes, which `cp` does not; tus hashes the file "
        "once more at completion.",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mib", type=int, default=1024, help="file size in MiB")
    args = parser.parse_args()
    text = report(args.mib, run(args.mib))
    print(text)
    RESULTS.write_text(text)


if __name__ == "__main__":
    main()
