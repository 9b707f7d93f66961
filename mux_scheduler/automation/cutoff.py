"""Cut-off arithmetic: when an operator needs broadcast day D, and which days are due now."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from mux_scheduler.channels.models import Channel, Operator
from mux_scheduler.core.timecode import broadcast_date_of


def cutoff_at(operator: Operator, broadcast_date: date) -> datetime:
    """``cutoff_time`` on D - ``cutoff_days_before``, in the operator's zone, as UTC."""
    local_date = broadcast_date - timedelta(days=operator.cutoff_days_before)
    local = datetime.combine(local_date, operator.cutoff_time, tzinfo=ZoneInfo(operator.time_zone))
    return local.astimezone(UTC)


def due_dates(
    operator: Operator, channel: Channel, *, now: datetime, lead: timedelta
) -> list[date]:
    """Days of ``channel`` not yet over whose cut-off falls before ``now + lead``.

    The window starts at the day on air now, so a run that comes late (after downtime over a
    cut-off, even past the day's start) still delivers what was missed.
    """
    today = broadcast_date_of(now, zone=channel.time_zone, day_start=channel.day_start)
    horizon = now + lead
    candidates = (today + timedelta(days=n) for n in range(operator.cutoff_days_before + 2))
    return [day for day in candidates if cutoff_at(operator, day) <= horizon]


def run_time(operator: Operator, lead: timedelta) -> tuple[int, int]:
    """(hour, minute) in the operator's zone when the daily publish-and-deliver job runs."""
    anchor = datetime.combine(date(2000, 1, 1), operator.cutoff_time) - lead
    return anchor.hour, anchor.minute
