"""PostgreSQL restarts in the middle of a playlist build (the test's own server, not the suite's):
the API answers 503 problem+json, nothing half-written is left, and the next build works."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func
from sqlmodel import Session, col, select

from mux_scheduler.app import create_app
from mux_scheduler.core.db import make_engine
from mux_scheduler.core.migrate import upgrade
from mux_scheduler.core.settings import Settings
from mux_scheduler.scheduling import playlists
from mux_scheduler.scheduling.models import Playlist, PlaylistItem
from tests.faults.servers import PrivatePostgres, private_postgres
from tests.security.seed import DAY, Installation, seed_installation
from tests.world import auth

__all__ = ["private_postgres"]


@pytest.fixture
def pg_settings(private_postgres: PrivatePostgres, tmp_path: Path) -> Iterator[Settings]:
    settings = Settings(
        environment="test",
        database_url=private_postgres.url,
        data_dir=tmp_path / "var",
        media_root=tmp_path / "media",
        playlists_root=tmp_path / "playlists",
    )
    engine = make_engine(settings)
    upgrade(engine)
    engine.dispose()
    yield settings


def _playlists(settings: Settings) -> list[tuple[int, int, int]]:
    """(channel, version, items) for every stored playlist version."""
    engine = make_engine(settings)
    with Session(engine) as session:
        counts = dict(
            session.exec(
                select(PlaylistItem.playlist_id, func.count()).group_by(
                    col(PlaylistItem.playlist_id)
                )
            ).all()
        )
        stored = session.exec(select(Playlist)).all()
        rows = [(p.channel_id, p.version, counts.get(p.id or 0, 0)) for p in stored]
    engine.dispose()
    return sorted(rows)


def test_a_build_cut_by_a_postgres_restart_is_a_503_and_leaves_nothing_half_written(
    pg_settings: Settings,
    private_postgres: PrivatePostgres,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with TestClient(create_app(pg_settings)) as client:
        with Session(client.app.state.engine, expire_on_commit=False) as session:  # type: ignore[attr-defined]
            found: Installation = seed_installation(client, session, pg_settings)
        before = _playlists(pg_settings)
        programmer = auth(client, found.world, "programmer")
        build = f"/api/v1/channels/{found.channels['kanal-humas'].channel}/playlists/{DAY}/build"
        original = playlists.insert_items
        restarts: list[int] = []

        def restart_then_insert(*args: Any, **kwargs: Any) -> None:
            # The new version's row is flushed, its items not yet written: cut here.
            if not restarts:
                restarts.append(1)
                private_postgres.restart()
            original(*args, **kwargs)

        monkeypatch.setattr(playlists, "insert_items", restart_then_insert)
        cut = client.post(build, headers=programmer)
        assert restarts == [1]
        assert cut.status_code == 503, cut.text
        assert cut.headers["content-type"] == "application/problem+json"
        assert cut.headers["retry-after"].isdigit()
        assert cut.json()["title"] == "Database unavailable"

        stored = _playlists(pg_settings)
        assert stored == before  # no version without its items, no version at all
        assert all(items > 0 for _, _, items in stored)

        again = client.post(build, headers=programmer)  # the pool reconnects by itself
        assert again.status_code == 201, again.text
        assert again.json()["version"] == 2 and len(again.json()["items"]) > 0
    assert len(_playlists(pg_settings)) == len(before) + 1
