"""Benchmark: API latency under concurrent load, on SQLite and on PostgreSQL.

The app is served by uvicorn with 2 worker processes on 127.0.0.1 (a free port), seeded with
the demo installation, a few hundred approved assets and a published day of ~1000 items. A
bounded asyncio/httpx load generator (the same machine, loopback only) keeps ``CONCURRENCY``
requests in flight until ``REQUESTS`` have been answered, per endpoint:

* reading a day's playlist (``GET /channels/{id}/playlists/{date}``, ~1000 items),
* listing assets (``GET /assets?limit=100``),
* the baseline, ``GET /healthz`` (one ``SELECT 1``) under the same load.

Latency percentiles p50/p95/p99 are reported with their ratio to the baseline's.

    .venv/bin/python bench/bench_api.py [--no-postgres] [--requests N] [--concurrency C]

Writes bench/results-api.md.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text
from sqlmodel import Session, select

import mux_scheduler.models  # noqa: F401
from mux_scheduler.agencies.models import Agency
from mux_scheduler.assets.models import Asset, AssetKind, Rendition
from mux_scheduler.channels.models import Channel
from mux_scheduler.core.db import make_engine
from mux_scheduler.core.migrate import upgrade
from mux_scheduler.core.settings import Settings
from mux_scheduler.demo import seed_demo
from mux_scheduler.scheduling.models import Playlist, PlaylistItem
from mux_scheduler.scheduling.playlists import channel_day

PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
RESULTS = Path(__file__).with_name("results-api.md")
DAY = date(2026, 12, 2)
ITEMS, ASSETS = 1000, 300
REQUESTS, CONCURRENCY, WARMUP = 400, 8, 40
TIME_LIMIT_SECONDS = 120.0  # per endpoint: the run stops by itself whatever happens
KINDS = ("programme", "ilm", "station_id", "filler")


@dataclass
class Figures:
    endpoint: str
    requests: int
    seconds: float
    p50: float
    p95: float
    p99: float
    errors: int

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds


def seed(settings: Settings) -> tuple[int, str]:
    """The demo installation, ASSETS assets and a published ITEMS-item day on kanal-humas."""
    engine = make_engine(settings)
    upgrade(engine)
    with Session(engine, expire_on_commit=False) as session:
        seed_demo(session)
        channel = session.exec(select(Channel).where(Channel.slug == "kanal-humas")).one()
        agencies = [a.id or 0 for a in session.exec(select(Agency))]
        asset_ids = []
        for n in range(ASSETS):
            asset = Asset(
                agency_id=agencies[n % len(agencies)],
                title=f"Materi {n:04d}",
                kind=AssetKind(KINDS[n % len(KINDS)]),
                approval_state="approved",
                sha256=f"{n:064x}",
                size_bytes=1_000_000,
                status="ready",
                duration_frames=2160,
            )
            session.add(asset)
            session.flush()
            session.add(
                Rendition(
                    asset_id=asset.id or 0,
                    profile_id=channel.profile_id,
                    status="ready",
                    duration_frames=2160,
                    path=f"renditions/{asset.id}/{channel.profile_id}.ts",
                )
            )
            asset_ids.append(asset.id or 0)
        _day(session, channel, asset_ids)
        session.commit()
        channel_id = channel.id or 0
    engine.dispose()
    return channel_id, DAY.isoformat()


def _day(session: Session, channel: Channel, asset_ids: list[int]) -> None:
    day = channel_day(session, channel, DAY)
    playlist = Playlist(
        channel_id=channel.id or 0,
        broadcast_date=DAY,
        version=1,
        state="published",
        rate_num=day.rate.numerator,
        rate_den=day.rate.denominator,
        day_frames=day.frames,
        start_at=day.start_at,
        published_at=datetime(2026, 12, 1, tzinfo=UTC),
    )
    session.add(playlist)
    session.flush()
    length = day.frames // ITEMS
    for position in range(ITEMS):
        duration = length if position < ITEMS - 1 else day.frames - length * (ITEMS - 1)
        asset_id = asset_ids[position % len(asset_ids)]
        session.add(
            PlaylistItem(
                playlist_id=playlist.id or 0,
                position=position,
                start_frames=position * length,
                duration_frames=duration,
                som_frames=0,
                eom_frames=duration,
                item_type=KINDS[position % len(KINDS)],
                asset_id=asset_id,
                house_id=f"HUM-{position:05d}",
                title=f"Materi {position % len(asset_ids):04d}",
                source="fill",
            )
        )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def serve(settings: Settings, folder: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    env = {
        **os.environ,
        "MUX_ENVIRONMENT": "development",
        "MUX_DATABASE_URL": settings.database_url,
        "MUX_DATA_DIR": str(settings.data_dir),
        "MUX_MEDIA_ROOT": str(settings.media_root),
        "MUX_PLAYLISTS_ROOT": str(settings.playlists_root),
        "MUX_LOCAL_WORKERS": "1",
    }
    command = [sys.executable, "-m", "uvicorn", "mux_scheduler.app:create_app", "--factory"]
    command += ["--workers", "2", "--host", "127.0.0.1", "--port", str(port)]
    command += ["--log-level", "warning", "--no-access-log"]
    log = (folder / "uvicorn.log").open("wb")
    server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                return server, base
        except httpx.HTTPError:
            time.sleep(0.3)
    server.terminate()
    raise RuntimeError(f"uvicorn did not start; see {folder / 'uvicorn.log'}")


async def _load(base: str, path: str, headers: dict[str, str], count: int) -> Figures:
    latencies: list[float] = []
    errors = 0
    limits = httpx.Limits(max_connections=CONCURRENCY, max_keepalive_connections=CONCURRENCY)
    async with httpx.AsyncClient(base_url=base, headers=headers, limits=limits, timeout=30) as c:
        queue = iter(range(count))

        async def worker() -> None:
            nonlocal errors
            for _ in queue:
                started = time.perf_counter()
                response = await c.get(path)
                await response.aread()
                latencies.append(time.perf_counter() - started)
                errors += response.status_code != 200

        started = time.perf_counter()
        await asyncio.wait_for(
            asyncio.gather(*(worker() for _ in range(CONCURRENCY))), TIME_LIMIT_SECONDS
        )
        elapsed = time.perf_counter() - started
    cuts = statistics.quantiles(latencies, n=100, method="inclusive")
    return Figures(path, len(latencies), elapsed, cuts[49], cuts[94], cuts[98], errors)


def measure(base: str, channel_id: int, day: str) -> list[Figures]:
    token = httpx.post(
        f"{base}/api/v1/auth/token",
        data={"username": "programmer", "password": "demo-programmer-2026"},
        timeout=30,
    ).json()["access_token"]
    headers = {"Authorization": f"Bearer {token}"}
    paths = [
        "/healthz",
        f"/api/v1/channels/{channel_id}/playlists/{day}",
        "/api/v1/assets?limit=100",
    ]
    check = httpx.get(base + paths[1], headers=headers, timeout=30).json()
    assert len(check["items"]) == ITEMS, "the day has not the expected items"
    figures = []
    for path in paths:
        asyncio.run(_load(base, path, headers, WARMUP))
        figures.append(asyncio.run(_load(base, path, headers, REQUESTS)))
    return figures


def run_backend(settings: Settings, folder: Path) -> list[Figures]:
    channel_id, day = seed(settings)
    server, base = serve(settings, folder)
    try:
        return measure(base, channel_id, day)
    finally:
        server.terminate()
        server.wait(30)


def _settings(folder: Path, url: str) -> Settings:
    return Settings(
        database_url=url,
        data_dir=folder / "var",
        media_root=folder / "media",
        playlists_root=folder / "playlists",
    )


def sqlite_run() -> list[Figures]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        return run_backend(_settings(folder, f"sqlite:///{folder / 'bench.db'}"), folder)


def postgres_run() -> list[Figures]:
    name = f"mux_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        with tempfile.TemporaryDirectory() as tmp:
            url = PG_ADMIN.rsplit("/", 1)[0] + f"/{name}"
            return run_backend(_settings(Path(tmp), url), Path(tmp))
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


LABELS = {
    "/healthz": "`GET /healthz` (baseline)",
    "/api/v1/assets?limit=100": f"`GET /assets?limit=100` ({ASSETS} assets)",
}


def _label(path: str) -> str:
    return LABELS.get(path, f"`GET /channels/{{id}}/playlists/{{date}}` ({ITEMS} items)")


def write(results: dict[str, list[Figures]]) -> None:
    lines = [
        "## API latency under concurrent load",
        "",
        f"uvicorn, 2 worker processes, on 127.0.0.1; {CONCURRENCY} requests in flight from an "
        f"asyncio/httpx client on the same machine, {REQUESTS} requests per endpoint after "
        f"{WARMUP} warm-up requests, signed in as the programmer. Baseline: `GET /healthz` "
        "(one `SELECT 1`) under the same load; ratios are each percentile over the baseline's.",
        "",
        "| backend | endpoint | req/s | p50 (ms) | p95 (ms) | p99 (ms) | p50 ratio | p95 ratio "
        "| p99 ratio | errors |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for backend, figures in results.items():
        base = figures[0]
        for f in figures:
            lines.append(
                f"| {backend} | {_label(f.endpoint)} | {f.per_second:.0f} | {f.p50 * 1000:.1f} "
                f"| {f.p95 * 1000:.1f} | {f.p99 * 1000:.1f} | {f.p50 / base.p50:.1f}x "
                f"| {f.p95 / base.p95:.1f}x | {f.p99 / base.p99:.1f}x | {f.errors} |"
            )
    RESULTS.write_text("\n".join(lines) + "\n")


def main() -> int:
    global REQUESTS, CONCURRENCY
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--requests", type=int, default=REQUESTS)
    parser.add_argument("--concurrency", type=int, default=CONCURRENCY)
    args = parser.parse_args()
    REQUESTS, CONCURRENCY = args.requests, args.concurrency
    results = {"SQLite": sqlite_run()}
    if not args.no_postgres:
        results["PostgreSQL"] = postgres_run()
    write(results)
    for backend, figures in results.items():
        for f in figures:
            print(
                f"{backend:10} {f.endpoint:55} p50 {f.p50 * 1000:7.1f} ms  "
                f"p95 {f.p95 * 1000:7.1f} ms  p99 {f.p99 * 1000:7.1f} ms  {f.per_second:6.0f}/s"
            )
    failed = sum(f.errors for figures in results.values() for f in figures)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
