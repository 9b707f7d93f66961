"""A block window proposed from one day's timeline, on a WITA channel whose day starts at 06:00."""

from __future__ import annotations

from datetime import date, time
from fractions import Fraction

import pytest

from mux_scheduler.core.timecode import broadcast_day
from mux_scheduler.scheduling.blocks import ResizeRefused, day_window

DAY = broadcast_day(date(2027, 2, 9), zone="Asia/Makassar", day_start=time(6), rate=Fraction(25))
HOUR = 25 * 3600


@pytest.mark.parametrize(
    ("start", "end", "frames"),
    [
        (time(19), time(21), (13 * HOUR, 15 * HOUR)),
        (time(6), time(7), (0, HOUR)),  # the first hour of the day
        (time(5), time(6), (23 * HOUR, 24 * HOUR)),  # the last: an end at the day start
        (time(23), time(2), (17 * HOUR, 20 * HOUR)),  # past midnight, inside the day
        (time(1), time(3, 30), (19 * HOUR, 21 * HOUR + HOUR // 2)),
    ],
)
def test_a_window_inside_the_broadcast_day_is_its_frames(
    start: time, end: time, frames: tuple[int, int]
) -> None:
    assert day_window(DAY, start, end) == frames


@pytest.mark.parametrize(
    ("start", "end", "reason"),
    [
        (time(19), time(19), "equal"),
        (time(21), time(19), "end_before_start"),
        (time(3), time(1), "end_before_start"),
        (time(5), time(7), "crosses_day_start"),  # 05:00 is the end of the day, 07:00 its start
        (time(6), time(6), "equal"),
    ],
)
def test_a_window_that_is_not_one_stretch_of_the_day_is_refused(
    start: time, end: time, reason: str
) -> None:
    with pytest.raises(ResizeRefused) as refused:
        day_window(DAY, start, end)
    assert refused.value.reason == reason
    assert refused.value.params.get("day_start") == time(6)
