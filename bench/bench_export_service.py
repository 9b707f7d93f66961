"""Benchmark: 16 channels x 7 days exported in every built-in format through the service.

Side by side on the same 112 days (the sample days of ``bench_exports.py``, ~250 items each,
stored as published Playlist + PlaylistItem rows): the pure render (the baseline) and the
full service path (read the version and its items, agency names and renditions from the
database, build the context once per day, render, write atomically with SHA256SUMS, record
the Export row). A second service pass re-exports the unchanged days: byte-identical, no
file rewritten, no row added.

    .venv/bin/python bench/bench_export_service.py [--no-postgres]

Writes bench/results-export-service.md.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, func, insert, text
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

import mux_scheduler.models  # noqa: F401
from mux_scheduler.agencies.models import Agency
from mux_scheduler.channels.models import Channel, Multiplex, Operator
from mux_scheduler.channels.presets import HD_PRESET, ensure_presets
from mux_scheduler.core.db import make_engine
from mux_scheduler.core.migrate import upgrade
from mux_scheduler.core.settings import Settings
from mux_scheduler.exports import service
from mux_scheduler.exports.context import ExportPlaylist
from mux_scheduler.exports.models import Export
from mux_scheduler.exports.registry import list_formats, render_export
from mux_scheduler.exports.samples import sample_playlist
from mux_scheduler.scheduling.models import Playlist, PlaylistItem

CHANNELS, DAYS = 16, 7
FIRST_DAY = date(2026, 11, 26)
ZONES = ("Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura")
PG_ADMIN = os.environ.get(
    "MUX_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
RESULTS = Path(__file__).with_name("results-export-service.md")
TARGET_SECONDS = 3.0


def sample_days() -> list[ExportPlaylist]:
    return [
        sample_playlist(
            broadcast_date=FIRST_DAY + timedelta(days=day),
            zone=ZONES[channel % len(ZONES)],
            channel_index=channel,
        )
        for channel in range(CHANNELS)
        for day in range(DAYS)
    ]


def seed(engine: Engine, days: list[ExportPlaylist]) -> list[tuple[int, date]]:
    with Session(engine, expire_on_commit=False) as session:
        profile = ensure_presets(session)[HD_PRESET]
        operator = Operator(name="Mux Operator Nusantara", slug="mux-nusantara")
        session.add(operator)
        session.flush()
        mux = Multiplex(operator_id=operator.id or 0, name="MUX", service_area="-", uhf_channel=40)
        session.add(mux)
        session.flush()
        names = sorted({item.agency_name for day in days for item in day.items})
        agencies = {name: Agency(name=name, short_name=name[:40]) for name in names}
        session.add_all(agencies.values())
        session.flush()
        channels: dict[str, Channel] = {}
        todo = []
        for day in days:
            ch = day.channel
            if ch.slug not in channels:
                channels[ch.slug] = Channel(
                    multiplex_id=mux.id or 0,
                    profile_id=profile.id or 0,
                    name=ch.name,
                    slug=ch.slug,
                    lcn=ch.lcn,
                    service_id=ch.service_id,
                    time_zone=ch.zone,
                )
                session.add(channels[ch.slug])
                session.flush()
            channel_id = channels[ch.slug].id or 0
            _store_day(session, channel_id, day, {n: a.id or 0 for n, a in agencies.items()})
            todo.append((channel_id, day.day.broadcast_date))
        session.commit()
    return todo


def _store_day(
    session: Session, channel_id: int, day: ExportPlaylist, agencies: dict[str, int]
) -> None:
    playlist = Playlist(
        channel_id=channel_id,
        broadcast_date=day.day.broadcast_date,
        version=day.version,
        state="published",
        rate_num=25,
        rate_den=1,
        day_frames=day.day.frames,
        start_at=day.day.start_at,
        published_at=datetime(2026, 11, 20, tzinfo=UTC),
    )
    session.add(playlist)
    session.flush()
    rows: list[dict[str, Any]] = [
        {
            "playlist_id": playlist.id,
            "position": n,
            "event_uid": item.event_id.hex,
            "start_frames": item.start_offset_frames,
            "duration_frames": item.duration_frames,
            "som_frames": item.som_frames,
            "eom_frames": item.eom_frames,
            "item_type": item.item_type,
            "asset_id": None,
            "house_id": item.house_id,
            "title": item.title,
            "source": "fill" if item.start_mode == "follow" else "locked",
            "agency_id": agencies[item.agency_name],
            "classification": item.classification,
            "locked": False,
            "flags": [],
        }
        for n, item in enumerate(day.items)
    ]
    session.execute(insert(PlaylistItem), rows)


@dataclass
class Pass:
    seconds: float
    context_seconds: float
    render_write_seconds: float
    files: int
    rows_after: int


def service_pass(engine: Engine, root: Path, todo: list[tuple[int, date]]) -> Pass:
    formats = list_formats()
    started = time.perf_counter()
    context_seconds = 0.0
    files = 0
    for channel_id, day in todo:
        with Session(engine, expire_on_commit=False) as session:
            t0 = time.perf_counter()
            channel = session.get(Channel, channel_id)
            assert channel is not None
            owner = service.owner_of(session, channel)
            playlist = service.exportable_playlist(
                session, channel_id=channel_id, broadcast_date=day, principal=None
            )
            context = service.build_context(session, owner=owner, playlist=playlist)
            context_seconds += time.perf_counter() - t0
            results = service.export_formats(
                session,
                playlists_root=root,
                owner=owner,
                playlist=playlist,
                formats=formats,
                context=context,
            )
            files += len(results)
            session.commit()
    elapsed = time.perf_counter() - started
    with Session(engine) as session:
        rows = session.exec(select(func.count()).select_from(Export)).one()
    return Pass(elapsed, context_seconds, elapsed - context_seconds, files, rows)


def pure_pass(days: list[ExportPlaylist]) -> float:
    fresh = sample_days()  # cold per-playlist timeline caches, like the service's contexts
    started = time.perf_counter()
    for day in fresh:
        for fmt in list_formats():
            render_export(fmt, day)
    return time.perf_counter() - started


@contextmanager
def sqlite_engine() -> Iterator[Engine]:
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(Settings(database_url=f"sqlite:///{tmp}/bench.db"))
        upgrade(engine)
        yield engine
        engine.dispose()


@contextmanager
def postgres_engine() -> Iterator[Engine]:
    name = f"bench_exports_{uuid.uuid4().hex[:8]}"
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine = make_engine(Settings(database_url=PG_ADMIN.rsplit("/", 1)[0] + f"/{name}"))
    try:
        upgrade(engine)
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def measure(label: str, engine: Engine, days: list[ExportPlaylist]) -> list[str]:
    todo = seed(engine, days)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        cold = service_pass(engine, root, todo)
        warm = service_pass(engine, root, todo)
    assert warm.rows_after == cold.rows_after == cold.files, "re-export added rows"
    return [
        f"| {label}: service, first export | {cold.seconds:.3f} | {cold.context_seconds:.3f} "
        f"| {cold.render_write_seconds:.3f} | {cold.files} |",
        f"| {label}: service, unchanged re-export | {warm.seconds:.3f} "
        f"| {warm.context_seconds:.3f} | {warm.render_write_seconds:.3f} | 0 new |",
    ]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    days = sample_days()
    load = os.getloadavg()[0]
    pure = min(pure_pass(days) for _ in range(3))
    lines = [
        f"| pure render (baseline, best of 3) | {pure:.3f} | - | {pure:.3f} | {len(days) * 7} |"
    ]
    with sqlite_engine() as engine:
        lines += measure("SQLite", engine, days)
    if not args.no_postgres:
        with postgres_engine() as engine:
            lines += measure("PostgreSQL", engine, days)
    items = sum(len(day.items) for day in days)
    report = "\n".join(
        [
            "# Export service benchmark",
            "",
            f"{CHANNELS} channels x {DAYS} days = {len(days)} published days ({items} items), "
            f"{len(list_formats())} built-in formats = {len(days) * 7} files per pass. "
            f"Load average before: {load:.2f} on {os.cpu_count()} CPUs (a shared machine).",
            "",
            "| path | total s | DB -> context s | render + write + record s | files |",
            "| --- | ---: | ---: | ---: | ---: |",
            *lines,
            "",
            f"Target (issue): all formats for 112 days under {TARGET_SECONDS:.0f} s.",
            "",
            "- The first export is dominated by durability, not rendering: per day folder each of",
            "  the 7 files is fsynced, then the SHA256SUMS manifest and the folder once",
            "  (`writer.write_exports`), i.e. 9 fsyncs per channel-day. Writing one file at a",
            "  time (`write_export`) costs 4 fsyncs per file (28 per day) and was ~2x slower.",
            "- An unchanged re-export renders again (to know the bytes), compares with the file",
            "  on disk and finds the Export row: no file is rewritten and no row is added.",
            "- DB -> context reads the version, its ~250 items (ORM), agency names, fixed-rule",
            "  ids and rendition paths in 5 queries per day; it is built once per day for all",
            "  formats (the cut-off job does the same).",
        ]
    )
    RESULTS.write_text(report + "\n")
    print(report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
