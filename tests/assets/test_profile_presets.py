"""The presets an admin sees in the database are the specs the media layer conforms to."""

from __future__ import annotations

from dataclasses import replace

import pytest

from mux_scheduler.assets.profiles import to_spec
from mux_scheduler.channels.models import TechnicalProfile
from mux_scheduler.channels.presets import HD_PRESET, PRESETS, SD_PRESET
from mux_scheduler.media.profile import DVB_T2_HD, DVB_T2_SD, ProfileSpec


@pytest.mark.parametrize(("name", "media"), [(HD_PRESET, DVB_T2_HD), (SD_PRESET, DVB_T2_SD)])
def test_database_presets_match_the_media_presets(name: str, media: ProfileSpec) -> None:
    spec = to_spec(TechnicalProfile(name=name, **PRESETS[name]), preset=media.preset)  # type: ignore[arg-type]
    assert replace(spec, name=media.name) == media
