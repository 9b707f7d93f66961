"""Frame offset <-> instant for many assets at once, in integer arithmetic.

``BroadcastDay.offset_of`` and ``instant_at`` (core.timecode) are the reference; they go
through ``Fraction`` and cost microseconds each. A build converts one instant per asset in
the history and per asset aired, thousands per day, so these two mirror them with integers
on microsecond counts: identical rounding (floor to the frame; half-up to the microsecond),
checked against the reference by the engine's tests.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from mux_scheduler.core.timecode import BroadcastDay

_US = 1_000_000


def offset_at(day: BroadcastDay, instant: datetime) -> int:
    """The frame on air at ``instant`` relative to the day start (negative before it)."""
    delta = instant - day.start_at
    microseconds = (delta.days * 86_400 + delta.seconds) * _US + delta.microseconds
    rate = day.rate
    return (microseconds * rate.numerator) // (_US * rate.denominator)


def instant_at(day: BroadcastDay, offset_frames: int) -> datetime:
    """The UTC instant at which frame ``offset_frames`` of the day starts."""
    rate = day.rate
    scaled = 2 * offset_frames * _US * rate.denominator
    microseconds = (scaled + rate.numerator) // (2 * rate.numerator)
    return day.start_at + timedelta(microseconds=microseconds)
