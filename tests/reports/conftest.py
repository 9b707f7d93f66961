from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.asrun.factories import Seeded, seed_day
from tests.world import World, auth

BXF = "tests/asrun/fixtures/tvri_asrun_2026-12-01.xml"


@pytest.fixture
def aired(session: Session, world: World, client: TestClient) -> Seeded:
    """The factory days on kanal-humas, with the BXF as-run uploaded for the first."""
    seeded = seed_day(session, channel_id=world.channels["kanal-humas"], agencies=world.agencies)
    with open(BXF, "rb") as handle:
        response = client.post(
            f"/api/v1/channels/{world.channels['kanal-humas']}/as-run",
            headers=auth(client, world, "operator.tvri"),
            content=handle.read(),
        )
    assert response.status_code == 201, response.text
    return seeded
