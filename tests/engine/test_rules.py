"""Rule calendars and wall-clock windows."""

from __future__ import annotations

from datetime import date, time, timedelta
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mux_scheduler.core.timecode import broadcast_day
from mux_scheduler.engine import (
    Block,
    DateOverride,
    EngineInputError,
    FillerPool,
    FixedEvent,
    LivePlaceholder,
    PoolFilter,
)
from mux_scheduler.engine.clock import instant_at, offset_at
from mux_scheduler.engine.rules import applies_on, rules_for_day
from mux_scheduler.engine.windows import wall_spans
from tests.engine.factories import make_day, mins


def _event(**fields) -> FixedEvent:
    return FixedEvent(
        rule_id="e", at=time(7), live=LivePlaceholder(title="x", duration_frames=25), **fields
    )


def test_rrule_weekdays_and_validity_range() -> None:
    rule = _event(rrule="FREQ=WEEKLY;BYDAY=MO,WE", valid_until=date(2025, 8, 31))

    assert applies_on(rule, date(2025, 8, 11))  # Monday
    assert not applies_on(rule, date(2025, 8, 12))  # Tuesday
    assert not applies_on(rule, date(2025, 9, 1))  # Monday, after valid_until


def test_interval_rules_are_anchored_at_valid_from() -> None:
    rule = _event(rrule="FREQ=DAILY;INTERVAL=3", valid_from=date(2025, 8, 1))

    assert [d for d in range(1, 10) if applies_on(rule, date(2025, 8, d))] == [1, 4, 7]


def test_explicit_dates_without_rrule() -> None:
    rule = _event(dates=(date(2025, 8, 17),))

    assert applies_on(rule, date(2025, 8, 17)) and not applies_on(rule, date(2025, 8, 18))


def test_bad_rrule_is_an_input_error() -> None:
    with pytest.raises(EngineInputError):
        applies_on(_event(rrule="FREQ=SOMETIMES"), date(2025, 8, 17))


def test_fixed_event_needs_exactly_one_kind_of_content() -> None:
    with pytest.raises(EngineInputError):
        FixedEvent(rule_id="x", at=time(7))


def test_override_keeps_regular_filler_pools_unless_it_has_its_own() -> None:
    fillers = FillerPool(rule_id="fill")
    block = Block(rule_id="b", start=time(7), end=time(8), pool=PoolFilter())
    holiday = DateOverride(rule_id="h", dates=(date(2025, 8, 17),), rules=(block,))
    with_own = DateOverride(
        rule_id="h2", priority=5, dates=(date(2025, 8, 18),), rules=(FillerPool(rule_id="own"),)
    )

    on_17 = rules_for_day([fillers, _event(), holiday, with_own], date(2025, 8, 17))
    on_18 = rules_for_day([fillers, _event(), holiday, with_own], date(2025, 8, 18))

    assert on_17.override_id == "h" and on_17.fixed_events == () and on_17.blocks == (block,)
    assert [p.rule_id for p in on_17.filler_pools] == ["fill"]
    assert [p.rule_id for p in on_18.filler_pools] == ["own"]


def test_window_past_midnight_and_past_the_day_start() -> None:
    day = make_day()  # 05:00 day start

    assert wall_spans(day, time(22), time(3)) == [(mins(17 * 60), mins(22 * 60))]
    # 04:00-06:00 wraps: the last hour of this day and the first hour of it
    assert wall_spans(day, time(4), time(6)) == [(0, mins(60)), (mins(23 * 60), day.frames)]
    midnight_start = make_day(day_start=time(0))
    assert wall_spans(midnight_start, time(22), time(3)) == [
        (0, mins(180)),
        (mins(22 * 60), midnight_start.frames),
    ]


def test_windows_on_a_spring_forward_day_stay_inside_the_23_hour_day() -> None:
    day = broadcast_day(
        date(2025, 3, 30), zone="Europe/Berlin", day_start=time(0), rate=Fraction(25)
    )

    assert day.frames == 23 * 3600 * 25
    assert wall_spans(day, time(22), time(3)) == [
        (0, day.offset_of_local_time(time(3))),
        (day.offset_of_local_time(time(22)), day.frames),
    ]
    assert day.offset_of_local_time(time(3)) == 2 * 3600 * 25  # 03:00 CEST is 2 h in


@settings(max_examples=300, deadline=None)
@given(
    st.integers(-3 * 86_400 * 30, 3 * 86_400 * 30),
    st.sampled_from([Fraction(25), Fraction(30000, 1001), Fraction(24000, 1001), Fraction(50)]),
    st.sampled_from(["Asia/Jakarta", "Europe/Berlin"]),
    st.integers(0, 999_999),
)
def test_integer_clock_matches_the_timecode_reference(
    frames: int, rate: Fraction, zone: str, microseconds: int
) -> None:
    day = broadcast_day(date(2025, 3, 29), zone=zone, day_start=time(5), rate=rate)
    instant = day.instant_at(frames) + timedelta(microseconds=microseconds)

    assert instant_at(day, frames) == day.instant_at(frames)
    assert offset_at(day, instant) == day.offset_of(instant)
