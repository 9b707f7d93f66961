"""Rapid response end to end: an urgent 60 s spot, from the end of its upload to updated
playlists delivered (folder target) on the 3 channels of a mux, while 20 normal transcode
jobs are queued on the local worker pool.

Run: ``python bench/bench_rapid_response.py``. Prints a markdown table and appends to
``bench/results-rapid.md``. Everything is real (SQLite, the FastAPI app, the local pool with
the configured number of workers, ffmpeg at the production preset) except the clock the
insert reads: it is 10:00 WIB on the published day, so "the next break" is reproducible.
"""

from __future__ import annotations

import argparse
import os
import platform
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import delete
from sqlmodel import Session, col, select

from mux_scheduler.agencies.models import Agency
from mux_scheduler.app import create_app
from mux_scheduler.assets.models import Asset, AssetKind, AssetStatus, Rendition
from mux_scheduler.auth.access import Principal
from mux_scheduler.auth.models import User
from mux_scheduler.channels.models import Channel, ChannelLease, Operator
from mux_scheduler.core.db import make_engine
from mux_scheduler.core.migrate import upgrade
from mux_scheduler.core.settings import Settings
from mux_scheduler.delivery.models import DeliveryAttempt
from mux_scheduler.delivery.rapid import RapidDelivery
from mux_scheduler.demo import seed_demo
from mux_scheduler.jobs import queue, runner
from mux_scheduler.jobs.models import Job
from mux_scheduler.jobs.pool import LocalWorkerPool
from mux_scheduler.media import testmedia
from mux_scheduler.scheduling import playlists, rules_service
from mux_scheduler.scheduling.models import Playlist
from mux_scheduler.scheduling.schemas import RuleCreate

RESULTS = Path(__file__).with_name("results-rapid.md")
DAY = date(2026, 12, 2)
NOW = datetime(2026, 12, 2, 3, 0, tzinfo=UTC)  # 10:00 WIB
TARGET_S = 300.0
SECOND, MINUTE = 25, 25 * 60


@dataclass
class Timings:
    upload_done: float = 0.0
    ready: float = 0.0
    approved: float = 0.0
    delivered: float = 0.0
    hook_s: float = 0.0
    send_s: float = 0.0


class TimedHook:
    """The app's delivery hook, timed (export + delivery of each amended day)."""

    def __init__(self, inner: RapidDelivery, timings: Timings) -> None:
        self.inner = inner
        self.timings = timings

    def __call__(
        self, session: Session, playlist: Playlist, changed: set[str]
    ) -> list[dict[str, Any]]:
        start = time.perf_counter()
        try:
            return self.inner(session, playlist, changed)
        finally:
            self.timings.hook_s += time.perf_counter() - start


def _principal(session: Session, username: str) -> Principal:
    return Principal.of(session.exec(select(User).where(User.username == username)).one())


def _fake_asset(session: Session, agency_id: int, title: str, kind: str, frames: int) -> None:
    """Library filler for building the days: metadata and ready renditions, no media."""
    asset = Asset(
        agency_id=agency_id,
        title=title,
        kind=AssetKind(kind),
        approval_state="approved",
        sha256=os.urandom(32).hex(),
        size_bytes=1000,
        status="ready",
        duration_frames=frames,
    )
    session.add(asset)
    session.flush()
    for profile_id in set(session.exec(select(Channel.profile_id)).all()):
        session.add(
            Rendition(
                asset_id=asset.id or 0,
                profile_id=profile_id,
                status="ready",
                duration_frames=frames,
                path=f"renditions/{asset.id}-{profile_id}.ts",
            )
        )


def publish_today(settings: Settings, outbox: Path) -> None:
    """Three channels on one mux, each with a published day built from a small library."""
    engine = make_engine(settings)
    upgrade(engine)
    with Session(engine) as session:
        seed_demo(session)
        humas = session.exec(select(Channel).where(Channel.slug == "kanal-humas")).one()
        third = Channel(
            multiplex_id=humas.multiplex_id,
            profile_id=humas.profile_id,
            name="Kanal Informasi",
            slug="kanal-info",
            lcn=44,
            service_id=4203,
        )
        session.add(third)
        agencies = {a.short_name: a.id or 0 for a in session.exec(select(Agency))}
        session.flush()
        session.add(
            ChannelLease(
                channel_id=third.id or 0, agency_id=agencies["KOMDIGI"], valid_from=date(2026, 1, 1)
            )
        )
        operator = session.exec(select(Operator).where(Operator.slug == "tvri-jakarta")).one()
        operator.delivery_target = str(outbox)
        for agency in ("KOMDIGI", "KEMENKES", "PEMPROV DKI"):
            for n in range(6):
                _fake_asset(
                    session,
                    agencies[agency],
                    f"{agency} program {n}",
                    "programme",
                    (25 + n) * MINUTE,
                )
            for seconds in (5, 10, 15, 20):
                _fake_asset(
                    session,
                    agencies[agency],
                    f"{agency} ident {seconds}",
                    "station_id",
                    seconds * SECOND,
                )
            _fake_asset(session, agencies[agency], f"{agency} filler", "filler", 5 * MINUTE)
        programmer = _principal(session, "programmer")
        rules = [
            {
                "name": "Programmes",
                "spec": {
                    "kind": "block",
                    "start": "05:00",
                    "end": "04:30",
                    "pool": {"kinds": ["programme"]},
                    "order": "lru",
                },
            },
            {
                "name": "Fillers",
                "spec": {"kind": "filler_pool", "pool": {"kinds": ["station_id", "filler"]}},
            },
        ]
        for channel in session.exec(
            select(Channel).where(Channel.multiplex_id == humas.multiplex_id)
        ):
            for rule in rules:
                rules_service.create_rule(
                    session,
                    channel=channel,
                    data=RuleCreate.model_validate(rule),
                    principal=programmer,
                    settings=settings,
                )
            playlists.build(session, channel=channel, broadcast_date=DAY, principal=programmer)
            playlists.publish(session, channel=channel, broadcast_date=DAY, principal=programmer)
        session.execute(delete(Job))  # nothing but the benchmark's own jobs in the queue
        session.commit()
    engine.dispose()


def queue_normal_transcodes(
    client: TestClient, settings: Settings, headers: dict[str, str], clips: list[Path]
) -> None:
    """Upload the normal clips and run their analyses here, leaving one queued transcode each."""
    for path in clips:
        with path.open("rb") as handle:
            response = client.post(
                "/api/v1/assets",
                headers=headers,
                files={"file": (path.name, handle, "video/mp4")},
                data={"title": path.stem, "kind": "ilm"},
            )
        response.raise_for_status()
    engine = client.app.state.engine  # type: ignore[attr-defined]
    runner_id = runner.worker_id("bench-setup")
    while True:
        with Session(engine) as session:
            job_id = session.exec(
                select(Job.id).where(Job.kind == "assets.analyse", Job.state == "queued")
            ).first()
            if job_id is None:
                break
            assert queue.claim(session, job_id, runner_id)
        runner.run_claimed(engine, settings, job_id, runner_id)


def login(client: TestClient, username: str, password: str) -> dict[str, str]:
    token = client.post("/api/v1/auth/token", data={"username": username, "password": password})
    token.raise_for_status()
    return {"Authorization": f"Bearer {token.json()['access_token']}"}


def wait_ready(engine: Any, asset_id: int, timeout: float = 900.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with Session(engine) as session:
            asset = session.get(Asset, asset_id)
            assert asset is not None
            if asset.status == AssetStatus.READY:
                return
            if asset.status == AssetStatus.FAILED:
                raise RuntimeError(f"urgent asset failed: {asset.reject_reason}")
        time.sleep(0.1)
    raise RuntimeError("urgent asset not ready in time")


def job_spans(engine: Any, asset_id: int) -> dict[str, list[tuple[datetime, datetime]]]:
    spans: dict[str, list[tuple[datetime, datetime]]] = {}
    with Session(engine) as session:
        for job in session.exec(select(Job).where(Job.asset_id == asset_id)):
            assert job.started_at and job.finished_at
            spans.setdefault(job.kind, []).append((job.started_at, job.finished_at))
    return spans


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--normal", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60.0)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-rapid-"))
    settings = Settings(
        environment="test",
        database_url=f"sqlite:///{work / 'mux.db'}",
        data_dir=work / "var",
        media_root=work / "media",
        playlists_root=work / "playlists",
    )
    settings.ensure_dirs()
    outbox = work / "outbox"
    print(f"preparing in {work} ...", flush=True)
    publish_today(settings, outbox)
    normal = [
        testmedia.make_sd_4x3(work / f"normal-{n:02d}.mp4", seconds=3.0 + 0.04 * n)
        for n in range(args.normal)
    ]
    spot = testmedia.make_1080i25_master(work / "urgent-spot.mov", seconds=args.seconds)

    timings = Timings()
    app = create_app(settings)
    app.state.engine = make_engine(settings)  # the lifespan is not run: the pool starts below
    app.state.clock = lambda: NOW
    app.state.insert_delivery_hook = TimedHook(RapidDelivery(settings), timings)
    client = TestClient(app)
    with Session(app.state.engine) as session:
        logins = {d.username: d.password for d in seed_demo(session)}  # idempotent: passwords
        humas = session.exec(select(Channel).where(Channel.slug == "kanal-humas")).one()
    dki = login(client, "editor.dki", logins["editor.dki"])
    komdigi = login(client, "editor.komdigi", logins["editor.komdigi"])
    programmer = login(client, "programmer", logins["programmer"])
    queue_normal_transcodes(client, settings, dki, normal)
    with Session(app.state.engine) as session:
        queued = session.exec(
            select(Job).where(Job.kind == "assets.transcode", Job.state == "queued")
        ).all()
    print(f"{len(queued)} normal transcode jobs queued; starting the pool", flush=True)

    pool = LocalWorkerPool(app.state.engine, settings)
    pool.start()
    try:
        time.sleep(1.0)  # the workers are busy with normal transcodes when the spot arrives
        with spot.open("rb") as handle:
            created = client.post(
                "/api/v1/assets",
                headers=komdigi,
                files={"file": (spot.name, handle, "video/quicktime")},
                data={"title": "Klarifikasi hoaks banjir", "kind": "ilm", "urgent": "true"},
            )
        created.raise_for_status()
        start = time.perf_counter()
        upload_end = datetime.now(UTC)
        asset_id = created.json()["id"]
        wait_ready(app.state.engine, asset_id)
        timings.ready = time.perf_counter() - start
        client.post(f"/api/v1/assets/{asset_id}/submit", headers=komdigi).raise_for_status()
        client.post(
            f"/api/v1/assets/{asset_id}/approve", headers=programmer, json={}
        ).raise_for_status()
        timings.approved = time.perf_counter() - start
        insert_start = time.perf_counter()
        response = client.post(
            "/api/v1/inserts",
            headers=programmer,
            json={
                "asset_id": asset_id,
                "multiplex_id": humas.multiplex_id,
                "placement": {"mode": "next_break"},
                "reason": "Klarifikasi hoaks banjir Bekasi",
            },
        )
        response.raise_for_status()
        insert_s = time.perf_counter() - insert_start
        timings.delivered = time.perf_counter() - start
        normal_done = _normal_done(app.state.engine, asset_id)
    finally:
        pool.stop()
    results = response.json()["results"]
    assert all(r["ok"] for r in results), results
    deliveries = [d for r in results for d in r["deliveries"]]
    assert len(results) == 3 and all(d["status"] == "delivered" for d in deliveries), results
    with Session(app.state.engine) as session:
        attempts = session.exec(select(DeliveryAttempt)).all()
        timings.send_s = sum((a.finished_at - a.started_at).total_seconds() for a in attempts)
    spans = job_spans(app.state.engine, asset_id)
    report(args, timings, spans, upload_end, insert_s, deliveries, normal_done, len(queued))


def _normal_done(engine: Any, urgent_id: int) -> int:
    with Session(engine) as session:
        return len(
            session.exec(
                select(Job.id).where(
                    Job.kind == "assets.transcode",
                    Job.state == "done",
                    col(Job.asset_id) != urgent_id,
                )
            ).all()
        )


def report(
    args: argparse.Namespace,
    t: Timings,
    spans: dict[str, list[tuple[datetime, datetime]]],
    upload_end: datetime,
    insert_s: float,
    deliveries: list[dict[str, Any]],
    normal_done: int,
    normal_queued: int,
) -> None:
    ((a_start, a_end),) = spans["assets.analyse"]
    t_start = min(s for s, _ in spans["assets.transcode"])
    t_end = max(e for _, e in spans["assets.transcode"])
    export_s = t.hook_s - t.send_s
    amend_s = insert_s - t.hook_s
    rows = [
        ("wait for a free worker (normal job running)", (a_start - upload_end).total_seconds()),
        ("analysis (probe, QC, loudness)", (a_end - a_start).total_seconds()),
        ("wait between analysis and transcode", (t_start - a_end).total_seconds()),
        (
            f"transcode ({len(spans['assets.transcode'])} renditions, in parallel)",
            (t_end - t_start).total_seconds(),
        ),
        (
            "rendition verified -> asset ready (seen by poll)",
            t.ready - (t_end - upload_end).total_seconds(),
        ),
        ("submit + approve (API calls; a person in real life)", t.approved - t.ready),
        ("build/amend + validate + publish (3 channels)", amend_s),
        ("export (BXF update, XMLTV, CSV x 3 channels)", export_s),
        ("delivery to the folder target (9 files)", t.send_s),
    ]
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        f"## {stamp} - {args.seconds:.0f} s 1080i25 urgent spot, {normal_queued} normal transcodes "
        f"queued, {Settings().local_workers} local workers, preset {Settings().transcode_preset}, "
        f"{os.cpu_count()} CPUs, {platform.machine()}",
        "",
        "| step | seconds |",
        "| --- | ---: |",
        *(f"| {name} | {seconds:.2f} |" for name, seconds in rows),
        f"| **end of upload -> 3 updated playlists delivered** | **{t.delivered:.2f}** |",
        "",
        f"Target {TARGET_S:.0f} s: ratio {t.delivered / TARGET_S:.2f} of the target. Normal "
        f"transcodes finished meanwhile: {normal_done} of {normal_queued}. Files delivered: "
        + ", ".join(sorted(str(d["file"]) for d in deliveries))
        + ".",
        "",
    ]
    text = "\n".join(lines)
    print(text)
    header = "# Rapid response benchmark (single runs on a shared machine)\n\n"
    previous = RESULTS.read_text() if RESULTS.exists() else header
    RESULTS.write_text(previous + text + "\n")


if __name__ == "__main__":
    main()
