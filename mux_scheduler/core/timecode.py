"""The time model: integer frames at a rational rate, and the edges where they meet clocks.

Every duration, offset and in/out point in the schedule is an ``int`` count of frames at the
channel's rational frame rate. This module is the only place where frames become seconds,
SMPTE timecode or wall-clock instants, so rounding happens in exactly one way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from fractions import Fraction
from math import floor
from zoneinfo import ZoneInfo

ZONE_LABELS: dict[str, str] = {
    "Asia/Jakarta": "WIB",
    "Asia/Makassar": "WITA",
    "Asia/Jayapura": "WIT",
}

_RATE_RE = re.compile(r"^\s*(\d+)(?:\s*/\s*(\d+))?\s*$")
_TC_RE = re.compile(r"^(\d{2,}):(\d{2}):(\d{2})([:;.,])(\d{2,3})$")


class TimecodeError(ValueError):
    """A rate or timecode string that cannot be read."""


def parse_rate(text: str | Fraction | int) -> Fraction:
    """Read ``"25"``, ``"25/1"`` or ``"30000/1001"`` as an exact positive rate."""
    if isinstance(text, Fraction | int):
        rate = Fraction(text)
    else:
        match = _RATE_RE.match(text)
        if match is None:
            raise TimecodeError(f"not a frame rate: {text!r} (expected e.g. 25/1 or 30000/1001)")
        denominator = int(match.group(2) or 1)
        if denominator == 0:
            raise TimecodeError(f"frame rate has a zero denominator: {text!r}")
        rate = Fraction(int(match.group(1)), denominator)
    if rate <= 0:
        raise TimecodeError(f"frame rate must be positive: {text!r}")
    return rate


def format_rate(rate: Fraction) -> str:
    return f"{rate.numerator}/{rate.denominator}"


def zone_label(zone: str) -> str:
    """WIB/WITA/WIT for the Indonesian zones, the zone key otherwise."""
    return ZONE_LABELS.get(zone, zone)


def frames_to_seconds(frames: int, rate: Fraction) -> Fraction:
    return Fraction(frames) / rate


def seconds_to_frames(seconds: Fraction | int, rate: Fraction, *, nearest: bool = False) -> int:
    """Frames in ``seconds``; whole frames only (floor), or the nearest frame boundary."""
    exact = Fraction(seconds) * rate
    if nearest:
        return floor(exact + Fraction(1, 2))
    return floor(exact)


def nominal_fps(rate: Fraction) -> int:
    """The frame count per timecode second: 30 for 30000/1001, 25 for 25/1."""
    return max(1, round(rate))


def is_drop_frame_rate(rate: Fraction) -> bool:
    """NTSC-family rates (x000/1001 where x is a multiple of 30) count in drop-frame timecode."""
    return rate.denominator == 1001 and nominal_fps(rate) % 30 == 0


def _drop_per_minute(rate: Fraction) -> int:
    return 2 * nominal_fps(rate) // 30


def frames_to_timecode(frames: int, rate: Fraction, *, drop_frame: bool | None = None) -> str:
    """SMPTE timecode ``HH:MM:SS:FF`` (``HH:MM:SS;FF`` in drop-frame); hours do not wrap."""
    if frames < 0:
        raise TimecodeError(f"negative frame count: {frames}")
    fps = nominal_fps(rate)
    drop = is_drop_frame_rate(rate) if drop_frame is None else drop_frame
    count = frames
    if drop:
        count += _dropped_before(frames, rate)
    ff = count % fps
    total_seconds = count // fps
    hh, rest = divmod(total_seconds, 3600)
    mm, ss = divmod(rest, 60)
    separator = ";" if drop else ":"
    return f"{hh:02d}:{mm:02d}:{ss:02d}{separator}{ff:02d}"


def _dropped_before(frames: int, rate: Fraction) -> int:
    """Timecode labels skipped before ``frames`` (drop-frame counting)."""
    fps = nominal_fps(rate)
    drop = _drop_per_minute(rate)
    per_minute = fps * 60 - drop
    per_ten_minutes = fps * 600 - drop * 9
    tens, remainder = divmod(frames, per_ten_minutes)
    skipped = drop * 9 * tens
    if remainder > drop:
        skipped += drop * ((remainder - drop) // per_minute)
    return skipped


def timecode_to_frames(text: str, rate: Fraction) -> int:
    """Parse ``HH:MM:SS:FF`` (``;`` or ``.`` marks drop-frame) back to a frame count."""
    match = _TC_RE.match(text.strip())
    if match is None:
        raise TimecodeError(f"not a timecode: {text!r} (expected HH:MM:SS:FF)")
    hh, mm, ss, separator, ff = match.groups()
    hours, minutes, seconds, frame = int(hh), int(mm), int(ss), int(ff)
    fps = nominal_fps(rate)
    if minutes > 59 or seconds > 59 or frame >= fps:
        raise TimecodeError(f"timecode out of range for {format_rate(rate)}: {text!r}")
    drop = separator in ";,."
    labels = ((hours * 60 + minutes) * 60 + seconds) * fps + frame
    if not drop:
        return labels
    per_minute_drop = _drop_per_minute(rate)
    if seconds == 0 and minutes % 10 != 0 and frame < per_minute_drop:
        raise TimecodeError(f"drop-frame timecode names a dropped frame: {text!r}")
    total_minutes = hours * 60 + minutes
    return labels - per_minute_drop * (total_minutes - total_minutes // 10)


def _timedelta_seconds(delta: timedelta) -> Fraction:
    whole = (delta.days * 86_400 + delta.seconds) * 1_000_000 + delta.microseconds
    return Fraction(whole, 1_000_000)


@dataclass(frozen=True)
class BroadcastDay:
    """[local date + day start, next local date + day start) in a channel's zone.

    ``frames`` is the number of whole frames that start inside the day. At 25/1 a normal day
    is exactly 2,160,000 frames; at 30000/1001 a day is not a whole number of frames, so the
    last fraction of a frame (< 1/30 s) belongs to no item and the next day restarts its count
    on the day boundary. A day with a clock change has its true length (23 or 25 hours).
    """

    broadcast_date: date
    zone: str
    day_start: time
    rate: Fraction
    start_at: datetime
    end_at: datetime

    @property
    def length_seconds(self) -> Fraction:
        return _timedelta_seconds(self.end_at - self.start_at)

    @property
    def frames(self) -> int:
        return seconds_to_frames(self.length_seconds, self.rate)

    @property
    def zone_label(self) -> str:
        return zone_label(self.zone)

    def instant_at(self, offset_frames: int) -> datetime:
        """The UTC instant at which frame ``offset_frames`` of the day starts."""
        # frames / rate seconds to the microsecond (datetime's resolution), rounding half up,
        # in integers: floor(frames / rate * 10**6 + 1/2) without building Fractions per item
        # (a 3,000-item day is converted item by item on every playlist request).
        num, den = self.rate.numerator, self.rate.denominator
        microseconds = (2 * offset_frames * den * 1_000_000 + num) // (2 * num)
        return self.start_at.astimezone(UTC) + timedelta(microseconds=microseconds)

    def local_at(self, offset_frames: int) -> datetime:
        return self.instant_at(offset_frames).astimezone(ZoneInfo(self.zone))

    def offset_of(self, instant: datetime) -> int:
        """The frame that is on air at ``instant`` (floor), relative to the day start."""
        if instant.tzinfo is None:
            raise TimecodeError("instant must be timezone-aware")
        return seconds_to_frames(_timedelta_seconds(instant - self.start_at), self.rate)

    def offset_of_local_time(self, wall: time) -> int:
        """Frame offset of a wall-clock time inside this broadcast day.

        Times before the day start belong to the next calendar date (with a 05:00 day start,
        03:00 is the end of the broadcast day). Wall times a clock change skips or repeats are
        read as ``_resolve_wall_time`` says.
        """
        calendar_date = self.broadcast_date
        if wall < self.day_start:
            calendar_date += timedelta(days=1)
        local = datetime.combine(calendar_date, wall, tzinfo=ZoneInfo(self.zone))
        return self.offset_of(_resolve_wall_time(local))

    def contains(self, instant: datetime) -> bool:
        return self.start_at <= instant < self.end_at


def _resolve_wall_time(local: datetime) -> datetime:
    """Read a wall time as PEP 495 does with ``fold=0``: a time a clock change skips is read
    with the offset from before the change (02:30 in a 02:00->03:00 gap is 03:30 new time),
    a repeated time is its first occurrence."""
    return local.replace(fold=0)


def broadcast_day(
    broadcast_date: date, *, zone: str, day_start: time, rate: Fraction
) -> BroadcastDay:
    tz = ZoneInfo(zone)
    start = _resolve_wall_time(datetime.combine(broadcast_date, day_start, tzinfo=tz))
    end = _resolve_wall_time(
        datetime.combine(broadcast_date + timedelta(days=1), day_start, tzinfo=tz)
    )
    return BroadcastDay(
        broadcast_date=broadcast_date,
        zone=zone,
        day_start=day_start,
        rate=rate,
        start_at=start.astimezone(UTC),
        end_at=end.astimezone(UTC),
    )


def broadcast_date_of(instant: datetime, *, zone: str, day_start: time) -> date:
    """The broadcast date on air at ``instant`` (before the day start it is still yesterday's)."""
    if instant.tzinfo is None:
        raise TimecodeError("instant must be timezone-aware")
    local = instant.astimezone(ZoneInfo(zone))
    if local.time() < day_start:
        return local.date() - timedelta(days=1)
    return local.date()
