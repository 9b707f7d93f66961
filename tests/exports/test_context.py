from __future__ import annotations

import dataclasses
import itertools
from datetime import datetime
from fractions import Fraction
from math import floor

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mux_scheduler.core.timecode import frames_to_seconds
from mux_scheduler.exports.context import ExportContextError, clean_text
from mux_scheduler.exports.epg import epg_events
from mux_scheduler.exports.samples import HOSTILE_TITLES, sample_channel, sample_playlist
from mux_scheduler.exports.timing import milliseconds


@pytest.mark.parametrize(
    ("zone", "rate"),
    [
        ("Asia/Jakarta", Fraction(25)),
        ("Asia/Makassar", Fraction(25)),
        ("Asia/Jayapura", Fraction(25)),
        ("Asia/Jakarta", Fraction(30000, 1001)),
    ],
)
def test_sample_day_is_gap_free_and_exactly_one_broadcast_day(zone, rate):
    playlist = sample_playlist(zone=zone, rate=rate)
    position = 0
    for item in playlist.items:
        assert item.start_offset_frames == position
        position = item.end_offset_frames
    assert position == playlist.day.frames


def test_sample_day_has_realistic_content_and_every_hostile_title(playlist):
    types = {item.item_type for item in playlist.items}
    assert {"programme", "ilm", "filler", "station_id", "live", "promo"} <= types
    assert playlist.day.frames == 2_160_000
    epg_titles = {event.item.title for event in epg_events(playlist)}
    ilm_titles = {item.title for item in playlist.items if item.item_type == "ilm"}
    assert set(HOSTILE_TITLES) <= epg_titles
    assert ilm_titles & set(HOSTILE_TITLES)
    anthem = next(item for item in playlist.items if "Indonesia Raya" in item.title)
    assert playlist.day.local_at(anthem.start_offset_frames).strftime("%H:%M:%S") == "06:00:00"


def test_sample_is_deterministic():
    assert sample_playlist() == sample_playlist()


def test_overlapping_items_are_rejected(playlist):
    first, second, *rest = playlist.items
    moved = dataclasses.replace(second, start_offset_frames=first.start_offset_frames + 1)
    with pytest.raises(ExportContextError, match="overlaps"):
        dataclasses.replace(playlist, items=(first, moved, *rest))


def test_items_past_the_day_end_are_rejected(playlist):
    last = playlist.items[-1]
    longer = dataclasses.replace(last, duration_frames=last.duration_frames + 1)
    with pytest.raises(ExportContextError, match="past the end"):
        dataclasses.replace(playlist, items=(*playlist.items[:-1], longer))


def test_naive_generated_at_is_rejected(playlist):
    with pytest.raises(ExportContextError, match="timezone-aware"):
        dataclasses.replace(playlist, generated_at=datetime(2026, 11, 26, 6, 30))  # noqa: DTZ001


@pytest.mark.parametrize("slug", ["../etc", "Kanal", "a/b", "", "kanal humas"])
def test_bad_slugs_are_rejected(slug):
    with pytest.raises(ExportContextError, match="slug"):
        dataclasses.replace(sample_channel(), slug=slug)


def test_control_characters_are_removed_from_text(playlist):
    item = dataclasses.replace(playlist.items[1], title="Bel\x07 \x00Kanal\x1b")
    assert item.title == "Bel Kanal"
    assert clean_text("tab\tand\nnewline") == "tab\tand\nnewline"


def test_epg_events_tile_the_day_and_absorb_interstitials(playlist):
    events = epg_events(playlist)
    assert events[0].start_offset_frames == 0
    assert not playlist.items[0].is_epg_event  # the 05:00 station ID belongs to event one
    for before, after in itertools.pairwise(events):
        assert before.end_offset_frames == after.start_offset_frames
    assert events[-1].end_offset_frames == playlist.day.frames
    assert all(event.item.item_type in {"programme", "live"} for event in events)


@given(
    frames=st.integers(min_value=0, max_value=10_000_000),
    rate=st.sampled_from([Fraction(25), Fraction(30000, 1001), Fraction(24000, 1001)]),
)
def test_integer_milliseconds_match_exact_fraction_rounding(frames, rate):
    expected = floor(frames_to_seconds(frames, rate) * 1000 + Fraction(1, 2))
    assert milliseconds(frames, rate) == expected
