"""Field-level readers shared by the parsers: instants, timecodes and durations of one channel.

Every frame <-> instant conversion goes through ``core.timecode``; this module only decides
which convention a field uses (SMPTE timecode, clock time, ISO 8601).
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from fractions import Fraction
from zoneinfo import ZoneInfo

from mux_scheduler.core.timecode import (
    TimecodeError,
    broadcast_day,
    is_drop_frame_rate,
    seconds_to_frames,
    timecode_to_frames,
)

_MIDNIGHT = time(0, 0)
_CLOCK_RE = re.compile(r"^(\d{1,3}):(\d{2}):(\d{2})(?:[.,](\d{1,6}))?$")
_ISO_DURATION_RE = re.compile(
    r"^P(?:(?P<d>\d+)D)?(?:T(?:(?P<h>\d+)H)?(?:(?P<m>\d+)M)?(?:(?P<s>\d+(?:[.,]\d+)?)S)?)?$"
)
_SECONDS_RE = re.compile(r"^\d+(?:[.,]\d+)?$")
_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y/%m/%d", "%Y%m%d")


@dataclass(frozen=True, slots=True)
class ChannelClock:
    zone: str
    day_start: time
    rate: Fraction

    def instant(self, calendar_date: date, frames_since_midnight: int) -> datetime:
        """The UTC instant ``frames_since_midnight`` after local midnight (may pass 24:00)."""
        day = broadcast_day(calendar_date, zone=self.zone, day_start=_MIDNIGHT, rate=self.rate)
        return day.instant_at(frames_since_midnight)

    def broadcast_instant(self, broadcast_date: date, frames_since_midnight: int) -> datetime:
        """Traffic-system convention: a time of day before the day start is the next morning."""
        if frames_since_midnight < self.frames_of_seconds(_seconds_of(self.day_start)):
            frames_since_midnight += self.frames_of_seconds(86_400)
        return self.instant(broadcast_date, frames_since_midnight)

    def frames_of_seconds(self, seconds: Fraction | int) -> int:
        return seconds_to_frames(seconds, self.rate, nearest=True)

    def local(self, naive: datetime) -> datetime:
        return naive.replace(tzinfo=ZoneInfo(self.zone))


def _seconds_of(wall: time) -> int:
    return wall.hour * 3600 + wall.minute * 60 + wall.second


def read_clock(text: str, clock: ChannelClock) -> int:
    """``HH:MM:SS:FF`` (SMPTE, ``;`` for drop-frame), ``HH:MM:SS`` or ``HH:MM:SS.mmm`` -> frames."""
    value = text.strip()
    match = _CLOCK_RE.match(value)
    if match is not None:
        hh, mm, ss, fraction = match.groups()
        if int(mm) > 59 or int(ss) > 59:
            raise TimecodeError(f"clock time out of range: {value!r}")
        seconds = Fraction(int(hh) * 3600 + int(mm) * 60 + int(ss))
        if fraction:
            seconds += Fraction(int(fraction), 10 ** len(fraction))
        return clock.frames_of_seconds(seconds)
    if not is_drop_frame_rate(clock.rate):
        # ``;`` marks drop-frame, which does not exist at 25/1: read it as a plain separator.
        value = value.replace(";", ":")
    return timecode_to_frames(value, clock.rate)


def read_duration(text: str, clock: ChannelClock) -> int:
    """A clock/timecode duration, ISO 8601 ``PT1M30.5S``, or bare seconds (``30``, ``29,96``)."""
    value = text.strip()
    iso = _ISO_DURATION_RE.match(value.upper())
    if iso is not None and value.upper() not in ("P", "PT"):
        parts = {
            k: Fraction(v.replace(",", ".")) if v else Fraction(0)
            for k, v in iso.groupdict().items()
        }
        seconds = parts["d"] * 86_400 + parts["h"] * 3600 + parts["m"] * 60 + parts["s"]
        return clock.frames_of_seconds(seconds)
    if _SECONDS_RE.match(value):
        return clock.frames_of_seconds(Fraction(value.replace(",", ".")))
    return read_clock(value, clock)


def read_date(text: str) -> date:
    value = text.strip()
    for pattern in _DATE_FORMATS:
        try:
            return datetime.strptime(value, pattern).date()  # noqa: DTZ007 - a date, no time
        except ValueError:
            continue
    raise ValueError(f"not a date: {value!r} (expected YYYY-MM-DD or DD/MM/YYYY)")


def read_iso_instant(text: str, clock: ChannelClock) -> datetime:
    """ISO 8601 date-time; without an offset it is local time in the channel's zone."""
    value = text.strip()
    try:
        parsed = datetime.fromisoformat(value.replace(" ", "T", 1))
    except ValueError as exc:
        raise ValueError(f"not an ISO 8601 date-time: {value!r}") from exc
    if parsed.tzinfo is None:
        parsed = clock.local(parsed)
    return parsed.astimezone(UTC)


def normalise_event_uid(text: str | None) -> str | None:
    """``urn:uuid:…``, a dashed UUID or 32 hex digits -> 32 lowercase hex; other ids -> None."""
    if not text:
        return None
    value = text.strip()
    if value.lower().startswith("urn:uuid:"):
        value = value[9:]
    try:
        return uuid.UUID(value).hex
    except ValueError:
        return None


def seconds_between(later: datetime, earlier: datetime) -> Fraction:
    """Exact seconds (microsecond resolution of ``datetime``) between two instants."""
    delta = later - earlier
    return Fraction(delta // timedelta(microseconds=1), 1_000_000)
