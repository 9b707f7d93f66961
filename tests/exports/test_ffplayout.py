from __future__ import annotations

import json
from fractions import Fraction

import pytest

from mux_scheduler.exports.formats.ffplayout import render_ffplayout
from mux_scheduler.exports.samples import HOSTILE_TITLES, sample_playlist


@pytest.mark.parametrize("rate", [Fraction(25), Fraction(30000, 1001)])
def test_ffplayout_program_sums_to_the_day_within_one_frame(rate):
    playlist = sample_playlist(rate=rate)
    document = json.loads(render_ffplayout(playlist))
    assert document["channel"] == "Kanal Humas"
    assert document["date"] == "2026-11-26"
    program = document["program"]
    assert len(program) == len(playlist.items)
    total = sum(entry["out"] - entry["in"] for entry in program)
    day_seconds = float(Fraction(playlist.day.frames) / rate)
    assert abs(total - day_seconds) < float(1 / rate)
    for entry, item in zip(program, playlist.items, strict=True):
        assert entry["source"] == f"/media/renditions/{item.media_file_name}"
        assert entry["in"] == pytest.approx(float(Fraction(item.som_frames) / rate), abs=5.01e-4)
        assert entry["out"] - entry["in"] == pytest.approx(
            float(Fraction(item.duration_frames) / rate), abs=1.5e-3
        )
        assert entry["duration"] >= entry["out"]
        assert entry["title"] == item.title
        assert round(entry["out"], 3) == entry["out"]


def test_ffplayout_keeps_hostile_titles_as_json_strings(playlist):
    titles = {entry["title"] for entry in json.loads(render_ffplayout(playlist))["program"]}
    assert set(HOSTILE_TITLES) <= titles
