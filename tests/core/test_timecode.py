from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mux_scheduler.core.timecode import (
    TimecodeError,
    broadcast_date_of,
    broadcast_day,
    frames_to_seconds,
    frames_to_timecode,
    parse_rate,
    seconds_to_frames,
    timecode_to_frames,
)

RATES = [Fraction(25), Fraction(50), Fraction(30000, 1001), Fraction(60000, 1001), Fraction(24)]
INDONESIA = {"Asia/Jakarta": 7, "Asia/Makassar": 8, "Asia/Jayapura": 9}
frames = st.integers(min_value=0, max_value=10 * 24 * 3600 * 60)
dates = st.dates(min_value=date(2000, 1, 1), max_value=date(2037, 12, 31))


@given(frames, st.sampled_from(RATES))
def test_timecode_round_trip(count: int, rate: Fraction) -> None:
    assert timecode_to_frames(frames_to_timecode(count, rate), rate) == count


@given(frames, st.sampled_from(RATES))
def test_seconds_round_trip_is_exact(count: int, rate: Fraction) -> None:
    assert seconds_to_frames(frames_to_seconds(count, rate), rate) == count


@given(st.integers(min_value=0, max_value=10**7))
def test_drop_frame_labels_are_monotonic_and_never_name_a_dropped_frame(count: int) -> None:
    rate = Fraction(30000, 1001)
    label = frames_to_timecode(count, rate)
    hh, mm, rest = label.split(":")
    ss, ff = rest.split(";")
    assert not (ss == "00" and int(mm) % 10 != 0 and int(ff) < 2)
    assert frames_to_timecode(count + 1, rate) > label or int(hh) >= 100


def test_known_drop_frame_values() -> None:
    rate = Fraction(30000, 1001)
    assert frames_to_timecode(1800, rate) == "00:01:00;02"
    assert frames_to_timecode(17982, rate) == "00:10:00;00"
    assert frames_to_timecode(107892, rate) == "01:00:00;00"
    assert timecode_to_frames("00:01:00;02", rate) == 1800
    with pytest.raises(TimecodeError, match="dropped frame"):
        timecode_to_frames("00:01:00;00", rate)


def test_non_drop_at_pal_rates() -> None:
    assert frames_to_timecode(90_000, Fraction(25)) == "01:00:00:00"
    assert frames_to_timecode(49, Fraction(50)) == "00:00:00:49"
    assert timecode_to_frames("23:59:59:24", Fraction(25)) == 2_159_999


@pytest.mark.parametrize("bad", ["", "25/0", "-25", "abc", "0"])
def test_bad_rates_are_refused(bad: str) -> None:
    with pytest.raises(TimecodeError):
        parse_rate(bad)


def test_rates_parse_exactly() -> None:
    assert parse_rate("30000/1001") == Fraction(30000, 1001)
    assert parse_rate("25") == Fraction(25)


@given(dates, st.sampled_from(sorted(INDONESIA)), st.sampled_from(RATES))
def test_indonesian_days_are_24_hours(day: date, zone: str, rate: Fraction) -> None:
    broadcast = broadcast_day(day, zone=zone, day_start=time(5), rate=rate)
    assert broadcast.length_seconds == 86_400
    assert broadcast.frames == (86_400 * rate).__floor__()
    assert broadcast.start_at.hour == (5 - INDONESIA[zone]) % 24
    assert broadcast.start_at.tzinfo is UTC


@given(dates, st.sampled_from(sorted(INDONESIA)))
def test_pal_day_is_exactly_2_160_000_frames(day: date, zone: str) -> None:
    assert broadcast_day(day, zone=zone, day_start=time(5), rate=Fraction(25)).frames == 2_160_000


@pytest.mark.parametrize(
    ("day", "hours"), [(date(2026, 3, 29), 23), (date(2026, 10, 25), 25), (date(2026, 6, 1), 24)]
)
def test_clock_change_days_have_their_true_length(day: date, hours: int) -> None:
    broadcast = broadcast_day(day, zone="Europe/Berlin", day_start=time(0), rate=Fraction(25))
    assert broadcast.frames == hours * 3600 * 25


@given(dates, st.sampled_from([*sorted(INDONESIA), "Europe/Berlin"]), st.integers(0, 2_159_999))
def test_offsets_and_instants_round_trip(day: date, zone: str, offset: int) -> None:
    broadcast = broadcast_day(day, zone=zone, day_start=time(5), rate=Fraction(25))
    offset = min(offset, broadcast.frames - 1)
    instant = broadcast.instant_at(offset)
    assert broadcast.offset_of(instant) == offset
    assert broadcast.contains(instant)
    assert broadcast_date_of(instant, zone=zone, day_start=time(5)) == day


@given(frames, st.sampled_from(RATES), st.sampled_from(sorted(INDONESIA)))
def test_instants_are_exact_to_the_microsecond_at_every_rate(
    offset: int, rate: Fraction, zone: str
) -> None:
    broadcast = broadcast_day(date(2026, 11, 26), zone=zone, day_start=time(5), rate=rate)
    exact_us = frames_to_seconds(offset, rate) * 1_000_000
    elapsed = broadcast.instant_at(offset) - broadcast.start_at
    assert elapsed == timedelta(microseconds=int(exact_us + Fraction(1, 2)))  # half up
    assert abs(Fraction(elapsed // timedelta(microseconds=1)) - exact_us) <= Fraction(1, 2)


def test_wall_times_after_midnight_belong_to_the_end_of_the_day() -> None:
    broadcast = broadcast_day(
        date(2026, 11, 26), zone="Asia/Jakarta", day_start=time(5), rate=Fraction(25)
    )
    assert broadcast.offset_of_local_time(time(6)) == 90_000
    assert broadcast.offset_of_local_time(time(3)) == 22 * 3600 * 25
    assert broadcast.local_at(0).strftime("%Y-%m-%d %H:%M %Z") == "2026-11-26 05:00 WIB"


def test_naive_instants_are_refused() -> None:
    broadcast = broadcast_day(
        date(2026, 11, 26), zone="Asia/Jakarta", day_start=time(5), rate=Fraction(25)
    )
    with pytest.raises(TimecodeError):
        broadcast.offset_of(datetime(2026, 11, 26, 6))  # noqa: DTZ001 - the point of the test
    assert broadcast.offset_of(broadcast.start_at + timedelta(seconds=1)) == 25


def test_wall_time_in_a_spring_forward_gap_reads_as_pep_495() -> None:
    broadcast = broadcast_day(
        date(2026, 3, 29), zone="Europe/Berlin", day_start=time(0), rate=Fraction(25)
    )
    # 02:30 does not exist that night; read with the pre-change offset it is 03:30 CEST.
    assert broadcast.offset_of_local_time(time(2, 30)) == int(2.5 * 3600 * 25)
    assert broadcast.offset_of_local_time(time(3, 30)) == int(2.5 * 3600 * 25)
    assert broadcast.offset_of_local_time(time(1, 30)) == int(1.5 * 3600 * 25)
