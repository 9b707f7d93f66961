from __future__ import annotations

import pytest
from sqlmodel import Session

from tests.asrun.factories import Seeded, seed_day
from tests.world import World


@pytest.fixture
def seeded(session: Session, world: World) -> Seeded:
    return seed_day(session, channel_id=world.channels["kanal-humas"], agencies=world.agencies)
