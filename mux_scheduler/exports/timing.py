"""Frame positions as the export formats print them; all arithmetic goes through core.timecode."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from fractions import Fraction
from functools import lru_cache
from math import floor

from mux_scheduler.core.timecode import (
    BroadcastDay,
    frames_to_seconds,
    frames_to_timecode,
    seconds_to_frames,
)


def _seconds_since_midnight(wall: time) -> int:
    return wall.hour * 3600 + wall.minute * 60 + wall.second


def day_start_frames(day: BroadcastDay) -> int:
    """Frames from local midnight to the broadcast-day start (05:00 -> 450,000 at 25/1)."""
    return seconds_to_frames(_seconds_since_midnight(day.day_start), day.rate)


def broadcast_timecode(day: BroadcastDay, offset_frames: int) -> str:
    """Time-of-day timecode that keeps counting past midnight (02:30 next day -> 26:30:00:00).

    This is the traffic-system "broadcast day" convention: with the broadcast date it names
    one instant without a calendar date change inside the day.
    """
    return frames_to_timecode(day_start_frames(day) + offset_frames, day.rate)


@lru_cache(maxsize=8192)
def timecode(frames: int, rate: Fraction) -> str:
    """``frames_to_timecode`` memoised: durations and in points repeat all day (ILMs, IDs)."""
    return frames_to_timecode(frames, rate)


def milliseconds(frames: int, rate: Fraction) -> int:
    """Exact frames -> whole milliseconds, rounding half up (one rounding, at the edge).

    Integer form of ``floor(frames_to_seconds(frames, rate) * 1000 + 1/2)``: the same value
    without building Fractions, since every export computes it for every item.
    """
    numerator, denominator = rate.numerator, rate.denominator
    return (2000 * frames * denominator + numerator) // (2 * numerator)


def whole_seconds(frames: int, rate: Fraction) -> int:
    """Exact frames -> nearest whole second, rounding half up."""
    return floor(frames_to_seconds(frames, rate) + Fraction(1, 2))


def hms(total_seconds: int) -> str:
    hours, rest = divmod(total_seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours:02d}:{minutes:02d}:{seconds:02d}"


def instant_at_second(day: BroadcastDay, offset_frames: int) -> datetime:
    """The UTC instant of a frame, rounded to the nearest whole second of the day.

    EPG formats have one-second resolution; rounding the boundaries (not the durations)
    keeps consecutive events tiling exactly.
    """
    return day.start_at + timedelta(seconds=whole_seconds(offset_frames, day.rate))
