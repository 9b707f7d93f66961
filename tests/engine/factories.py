"""Small builders for engine inputs: readable scenarios in minutes and seconds, not frames."""

from __future__ import annotations

from datetime import date, time
from fractions import Fraction
from itertools import count, pairwise
from typing import Any

from mux_scheduler.core.timecode import BroadcastDay, broadcast_day
from mux_scheduler.engine import (
    BuildResult,
    Constraints,
    DayContext,
    LibraryAsset,
    PlaylistItem,
)

FPS25 = Fraction(25)
NTSC = Fraction(30000, 1001)
_ids = count(1)


def make_day(
    on: date = date(2025, 8, 13),
    *,
    zone: str = "Asia/Jakarta",
    day_start: time = time(5, 0),
    rate: Fraction = FPS25,
) -> BroadcastDay:
    return broadcast_day(on, zone=zone, day_start=day_start, rate=rate)


def context(day: BroadcastDay, constraints: Constraints | None = None) -> DayContext:
    return DayContext(channel_id=7, day=day, constraints=constraints or Constraints())


def secs(seconds: float, rate: Fraction = FPS25) -> int:
    return int(Fraction(seconds) * rate)


def mins(minutes: float, rate: Fraction = FPS25) -> int:
    return secs(minutes * 60, rate)


def asset(
    kind: str = "programme",
    *,
    seconds: float = 1500,
    rate: Fraction = FPS25,
    asset_id: int | None = None,
    agency_id: int | None = 1,
    house_id: str | None = None,
    title: str | None = None,
    **fields: Any,
) -> LibraryAsset:
    aid = asset_id if asset_id is not None else next(_ids) + 100_000
    return LibraryAsset(
        asset_id=aid,
        kind=kind,  # type: ignore[arg-type]
        duration_frames=secs(seconds, rate),
        house_id=house_id or f"{kind[:3].upper()}-{aid:06d}",
        title=title or f"{kind} {aid}",
        agency_id=agency_id,
        **fields,
    )


def standard_fillers(rate: Fraction = FPS25) -> list[LibraryAsset]:
    """Station IDs and fillers of 5 to 60 s plus a trimmable loop: closes any gap."""
    fillers = [
        asset("station_id", seconds=5, rate=rate, agency_id=None),
        asset("station_id", seconds=10, rate=rate, agency_id=None),
        asset("filler", seconds=15, rate=rate, agency_id=None),
        asset("filler", seconds=30, rate=rate, agency_id=None),
        asset("bumper", seconds=60, rate=rate, agency_id=None),
    ]
    fillers.append(asset("filler", seconds=900, rate=rate, agency_id=None, trimmable=True))
    return fillers


def at(day: BroadcastDay, hh: int, mm: int = 0) -> int:
    return day.offset_of_local_time(time(hh, mm))


def item_at(result: BuildResult, offset: int) -> PlaylistItem:
    """The item on air at ``offset``."""
    for item in result.items:
        if item.start_frames <= offset < item.end_frames:
            return item
    raise AssertionError(f"nothing on air at {offset}")


def by_rule(result: BuildResult, rule_id: str) -> list[PlaylistItem]:
    return [i for i in result.items if i.source == f"rule:{rule_id}"]


def assert_gap_free(result: BuildResult, day: BroadcastDay) -> None:
    items = result.items
    assert items, "empty playlist"
    assert items[0].start_frames == 0
    for prev, item in pairwise(items):
        assert item.start_frames == prev.end_frames, (prev, item)
    assert all(i.duration_frames > 0 for i in items)
    assert all(i.eom_frames - i.som_frames == i.duration_frames for i in items)
    assert sum(i.duration_frames for i in items) == day.frames
