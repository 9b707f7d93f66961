"""Benchmark: 16 channels x 7 days built and persisted, on SQLite and PostgreSQL.

Side by side on the same library and rules: the pure engine alone (the baseline) and the full
service path (load rules and library from the database, build, write the version and its
items). Also: rebuilding one day after one manual edit vs a fresh build of that day.

    .venv/bin/python bench/bench_build_persist.py [--no-postgres]

Target: 112 channel-days built and persisted in under 5 s. Writes bench/results-build.md.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

import mux_scheduler.models  # noqa: F401
from mux_scheduler.agencies.models import Agency
from mux_scheduler.assets.models import Asset, AssetKind, Rendition
from mux_scheduler.auth.access import Principal
from mux_scheduler.auth.models import Role
from mux_scheduler.auth.service import create_user
from mux_scheduler.channels.models import Channel, ChannelLease, Multiplex, Operator
from mux_scheduler.channels.presets import HD_PRESET, ensure_presets
from mux_scheduler.core.db import make_engine
from mux_scheduler.core.migrate import upgrade
from mux_scheduler.core.settings import Settings
from mux_scheduler.scheduling import edits, playlists
from mux_scheduler.scheduling.models import PlaylistItem, ScheduleRule
from mux_scheduler.scheduling.schemas import ItemEdit

CHANNELS, DAYS = 16, 7
TARGET_SECONDS = 5.0
FIRST_DAY = date(2026, 12, 1)
PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
RESULTS = Path(__file__).with_name("results-build.md")
SECOND, MINUTE = 25, 25 * 60


def seed(engine: Engine) -> tuple[list[Channel], Principal]:
    with Session(engine, expire_on_commit=False) as session:
        planner = create_user(
            session, username="bench", password="bench-password", role=Role.PROGRAMMER
        )
        profile = ensure_presets(session)[HD_PRESET]
        operator = Operator(name="Bench Op", slug="bench-op")
        session.add(operator)
        session.flush()
        mux = Multiplex(operator_id=operator.id or 0, name="MUX", service_area="-", uhf_channel=40)
        agencies = [Agency(name=f"Agency {n}", short_name=f"A{n}") for n in range(8)]
        session.add_all([mux, *agencies])
        session.flush()
        channels = [
            Channel(
                multiplex_id=mux.id or 0,
                profile_id=profile.id or 0,
                name=f"Kanal {n}",
                slug=f"kanal-{n}",
                lcn=n + 1,
                service_id=100 + n,
            )
            for n in range(CHANNELS)
        ]
        session.add_all(channels)
        session.flush()
        _library(session, agencies, profile.id or 0)
        for n, channel in enumerate(channels):
            for agency in (agencies[n % 8], agencies[(n + 1) % 8], agencies[(n + 2) % 8]):
                session.add(
                    ChannelLease(
                        channel_id=channel.id or 0,
                        agency_id=agency.id or 0,
                        valid_from=date(2026, 1, 1),
                    )
                )
            for rule in _rules(channel.id or 0):
                session.add(rule)
        session.commit()
        return channels, Principal.of(planner)


def _library(session: Session, agencies: list[Agency], profile_id: int) -> None:
    kinds = [
        ("programme", 24 * MINUTE, 200),
        ("ilm", 45 * SECOND, 120),
        ("station_id", 10 * SECOND, 20),
        ("filler", 5 * MINUTE, 20),
    ]
    n = 0
    for kind, base, count in kinds:
        for i in range(count):
            n += 1
            frames = base + (i * 37 % 250) * (SECOND if kind != "station_id" else 1)
            asset = Asset(
                agency_id=agencies[n % 8].id or 0,
                title=f"{kind} {i}",
                kind=AssetKind(kind),
                approval_state="approved",
                sha256=f"{n:064x}",
                size_bytes=1,
                status="ready",
                duration_frames=frames,
                tags=["dialog"] if i % 3 == 0 else [],
            )
            session.add(asset)
            session.flush()
            session.add(
                Rendition(
                    asset_id=asset.id or 0,
                    profile_id=profile_id,
                    status="ready",
                    duration_frames=frames,
                    path=f"r/{asset.id}.ts",
                )
            )


def _rules(channel_id: int) -> list[ScheduleRule]:
    def rule(name: str, spec: dict[str, object], priority: int = 0) -> ScheduleRule:
        return ScheduleRule(
            channel_id=channel_id, kind=str(spec["kind"]), name=name, priority=priority, spec=spec
        )

    breaks = {"break_frames": 60 * SECOND, "every_minutes": 15, "pool": {"kinds": ["ilm"]}}
    return [
        rule(
            "morning",
            {
                "kind": "block",
                "start": "05:00",
                "end": "12:00",
                "order": "lru",
                "pool": {"kinds": ["programme"]},
                "breaks": breaks,
            },
        ),
        rule(
            "day",
            {
                "kind": "block",
                "start": "12:00",
                "end": "19:00",
                "order": "shuffle",
                "pool": {"kinds": ["programme"]},
                "breaks": breaks,
            },
        ),
        rule(
            "evening",
            {
                "kind": "block",
                "start": "19:00",
                "end": "05:00",
                "order": "sequential",
                "pool": {"tags": ["dialog"], "kinds": ["programme"]},
                "breaks": breaks,
            },
        ),
        rule("fillers", {"kind": "filler_pool", "pool": {"kinds": ["station_id", "filler"]}}),
    ]


def days() -> list[date]:
    return [FIRST_DAY + timedelta(days=d) for d in range(DAYS)]


def bench_backend(engine: Engine) -> dict[str, float]:
    channels, planner = seed(engine)
    with Session(engine) as session:
        inputs = [(c, d) for c in channels for d in days()]
        started = time.perf_counter()
        for channel, day in inputs:
            playlists.compute(session, channel=channel, broadcast_date=day)
        compute_only = time.perf_counter() - started
    started = time.perf_counter()
    items = 0
    for channel, day in inputs:
        with Session(engine, expire_on_commit=False) as session:
            playlist = playlists.build(
                session, channel=channel, broadcast_date=day, principal=planner
            )
            session.commit()
            items += (
                len(playlists.items_of(session, playlist))
                if channel is channels[0] and day == FIRST_DAY
                else 0
            )
    persisted = time.perf_counter() - started
    edit_s, full_s = _edit_vs_full(engine, channels[0], planner)
    return {
        "compute": compute_only,
        "persisted": persisted,
        "edit": edit_s,
        "full": full_s,
        "items": items,
    }


def _edit_vs_full(engine: Engine, channel: Channel, planner: Principal) -> tuple[float, float]:
    edit_times, full_times = [], []
    for _ in range(5):
        with Session(engine, expire_on_commit=False) as session:
            playlist = playlists.latest(
                session, channel_id=channel.id or 0, broadcast_date=FIRST_DAY
            )
            assert playlist is not None
            item = session.exec(
                select(PlaylistItem).where(
                    PlaylistItem.playlist_id == playlist.id, PlaylistItem.item_type == "programme"
                )
            ).first()
            assert item is not None
            started = time.perf_counter()
            edits.apply_edit(
                session,
                channel=channel,
                broadcast_date=FIRST_DAY,
                item_id=item.id or 0,
                edit=ItemEdit(action="move", start_frames=item.start_frames + 25 * MINUTE),
                principal=planner,
            )
            session.commit()
            edit_times.append(time.perf_counter() - started)
            started = time.perf_counter()
            playlists.build(session, channel=channel, broadcast_date=FIRST_DAY, principal=planner)
            session.commit()
            full_times.append(time.perf_counter() - started)
    return statistics.median(edit_times), statistics.median(full_times)


def sqlite_engine(folder: Path) -> Engine:
    engine = make_engine(Settings(database_url=f"sqlite:///{folder / 'bench.db'}"))
    upgrade(engine)
    return engine


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--no-postgres", action="store_true")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        engine = sqlite_engine(Path(folder))
        rows.append(("SQLite", bench_backend(engine)))
        engine.dispose()
    if not args.no_postgres:
        name = f"mux_bench_{uuid.uuid4().hex[:8]}"
        admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            engine = make_engine(Settings(database_url=PG_ADMIN.rsplit("/", 1)[0] + f"/{name}"))
            upgrade(engine)
            rows.append(("PostgreSQL", bench_backend(engine)))
            engine.dispose()
        finally:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    lines = [
        "## Build and persist: 16 channels x 7 days",
        "",
        f"{CHANNELS * DAYS} channel-days, ~{int(rows[0][1]['items'])} items per day, "
        "360-asset library. Baseline: the same builds without writing "
        "(rules and library still loaded from the database).",
        "",
        "| backend | engine only (s) | built + persisted (s) | ratio vs engine only "
        "| target < 5 s | rebuild after 1 edit (ms) | full build (ms) | edit / full |",
        "|---|---:|---:|---:|---|---:|---:|---:|",
    ]
    for backend, r in rows:
        ok = "met" if r["persisted"] < TARGET_SECONDS else "MISSED"
        lines.append(
            f"| {backend} | {r['compute']:.2f} | {r['persisted']:.2f} "
            f"| {r['persisted'] / r['compute']:.2f}x | {ok} | {r['edit'] * 1000:.0f} "
            f"| {r['full'] * 1000:.0f} | {r['edit'] / r['full']:.2f}x |"
        )
    table = "\n".join(lines) + "\n"
    print(table)
    RESULTS.write_text(table)


if __name__ == "__main__":
    main()
