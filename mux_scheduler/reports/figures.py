"""A report row with its exact numbers, and how summed durations are shown."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from mux_scheduler.asrun.reconcile import DELIVERED
from mux_scheduler.core.timecode import frames_to_timecode, seconds_to_frames
from mux_scheduler.reports.schemas import AiringRow, Duration

DELIVERED_STATUSES = frozenset(s.value for s in DELIVERED)


@dataclass(frozen=True, slots=True)
class Airing:
    row: AiringRow
    channel_id: int
    broadcast_date: date
    agency_id: int | None
    item_type: str
    status: str
    planned_seconds: Fraction
    aired_seconds: Fraction

    @property
    def delivered(self) -> bool:
        return self.status in DELIVERED_STATUSES


def duration(seconds: Fraction, rate: Fraction) -> Duration:
    """HH:MM:SS:FF at the report rate, and seconds to the millisecond."""
    frames = seconds_to_frames(seconds, rate, nearest=True)
    return Duration(timecode=frames_to_timecode(frames, rate), seconds=round(float(seconds), 3))
