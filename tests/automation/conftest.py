from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import Session, select

from mux_scheduler.channels.models import Operator
from mux_scheduler.core.settings import Settings
from tests.conftest import Database, make_settings


@pytest.fixture
def settings(database: Database, tmp_path: Path) -> Settings:
    return make_settings(database, tmp_path).model_copy(
        update={"delivery_backoff_seconds": 0.0, "delivery_max_attempts": 2}
    )


@pytest.fixture
def outbox(session: Session, world: object, tmp_path: Path) -> Path:
    """The demo operator (tvri-jakarta, cut-off 14:00 WIB on D-1) delivers into a folder."""
    folder = tmp_path / "outbox"
    operator = session.exec(select(Operator).where(Operator.slug == "tvri-jakarta")).one()
    operator.delivery_kind = "folder"
    operator.delivery_target = str(folder)
    session.add(operator)
    session.commit()
    return folder
