"""Security suites run on SQLite only: the per-endpoint isolation tests cover both databases."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from mux_scheduler.core.settings import Settings
from tests.conftest import Database, make_settings
from tests.security.seed import Installation, seed_installation

MAX_UPLOAD_BYTES = 2 * 1024 * 1024


@pytest.fixture
def database(sqlite_db: Database) -> Database:
    return sqlite_db


@pytest.fixture
def settings(database: Database, tmp_path: Path) -> Settings:
    return make_settings(database, tmp_path).model_copy(
        update={
            "transcode_preset": "ultrafast",
            "max_upload_bytes": MAX_UPLOAD_BYTES,
            "login_attempts_per_minute": 1000,
            "delivery_backoff_seconds": 0.0,
        }
    )


@pytest.fixture
def installation(client: TestClient, session: Session, settings: Settings) -> Installation:
    return seed_installation(client, session, settings)
