from __future__ import annotations

import pytest

from mux_scheduler.exports.context import ExportPlaylist
from mux_scheduler.exports.samples import sample_playlist


@pytest.fixture(scope="session")
def playlist() -> ExportPlaylist:
    return sample_playlist()
