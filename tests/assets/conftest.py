"""Fixtures for the ingest tests: fast transcodes, clips generated on demand, asset rows."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlmodel import Session

from mux_scheduler.assets.models import ApprovalState, Asset, AssetStatus
from mux_scheduler.core.settings import Settings
from mux_scheduler.media import testmedia
from tests.conftest import Database, make_settings

ClipFactory = Callable[[str], Path]
AssetFactory = Callable[..., Asset]


@pytest.fixture
def settings(database: Database, tmp_path: Path) -> Settings:
    return make_settings(database, tmp_path).model_copy(
        update={"transcode_preset": "ultrafast", "max_upload_bytes": 50 * 1024 * 1024}
    )


@pytest.fixture(scope="session")
def clip(tmp_path_factory: pytest.TempPathFactory) -> ClipFactory:
    """``clip("hd_1080p30.mp4")``: one of the media layer's test clips, made once per session."""
    folder = tmp_path_factory.mktemp("clips")
    made: dict[str, Path] = {}

    def factory(name: str) -> Path:
        if name not in made:
            if name == "truncated.mp4":
                made[name] = testmedia.make_truncated(factory("faststart.mp4"), folder / name)
            else:
                made[name] = testmedia.GENERATORS[name](folder / name)
        return made[name]

    return factory


@pytest.fixture
def make_asset(session: Session) -> Iterator[AssetFactory]:
    """Asset rows without a file behind them, for workflow and visibility tests."""
    counter = iter(range(1, 10_000))

    def factory(agency_id: int, **fields: object) -> Asset:
        number = next(counter)
        values: dict[str, object] = {
            "title": f"Asset {number}",
            "agency_id": agency_id,
            "sha256": hashlib.sha256(f"asset-{number}".encode()).hexdigest(),
            "size_bytes": 1000,
            "status": AssetStatus.READY,
            "approval_state": ApprovalState.DRAFT,
            **fields,
        }
        asset = Asset(**values)  # type: ignore[arg-type]
        session.add(asset)
        session.commit()
        return asset

    yield factory
