"""Reconciliation rules on small hand-made days (frames at 25/1)."""

from __future__ import annotations

from fractions import Fraction

from mux_scheduler.asrun.reconcile import Slot, Status, Tolerance, reconcile

TOL = Tolerance.default(Fraction(25))  # 25 frames start, 25 frames duration, 1 h window


def test_exact_airing_within_tolerance_is_aired():
    planned = [Slot(1, 0, 750, "ILM-1", "a" * 32)]
    result = reconcile(planned, [Slot(10, 25, 725, "ILM-1", "a" * 32)], TOL)
    outcome = result.outcomes[0]
    assert outcome.status is Status.AIRED
    assert (outcome.offset_frames, outcome.shortfall_frames, outcome.matched_by) == (
        25,
        25,
        "event_uid",
    )


def test_one_frame_beyond_tolerance_is_late_or_short():
    planned = [Slot(1, 1000, 750, "A"), Slot(2, 5000, 750, "B")]
    aired = [Slot(10, 974, 750, "A"), Slot(11, 5000, 724, "B")]
    result = reconcile(planned, aired, TOL)
    assert [o.status for o in result.outcomes] == [Status.LATE, Status.SHORT]
    assert result.outcomes[0].offset_frames == -26  # early counts as off-time too
    assert result.outcomes[1].shortfall_frames == 26


def test_short_wins_over_late():
    result = reconcile([Slot(1, 0, 750, "A")], [Slot(9, 500, 100, "A")], TOL)
    assert result.outcomes[0].status is Status.SHORT


def test_house_id_pairs_nearest_starts_across_the_day():
    hour = 90_000
    planned = [Slot(1, 1 * hour, 750, "ILM"), Slot(2, 2 * hour, 750, "ILM")]
    # The 02:00 one aired 10 s late; the 01:00 one never aired; a third aired at 05:00.
    aired = [Slot(10, 2 * hour + 250, 750, "ilm "), Slot(11, 5 * hour, 750, "ILM")]
    result = reconcile(planned, aired, TOL)
    by_key = {o.planned_key: o for o in result.outcomes}
    assert by_key[1].status is Status.MISSED
    assert by_key[2].status is Status.LATE and by_key[2].aired_key == 10
    assert result.extras == [11]  # beyond the 1 h window of any planned slot
    assert result.counts == {"aired": 0, "late": 1, "short": 0, "missed": 1, "extra": 1}


def test_event_uid_beats_a_closer_house_id():
    planned = [Slot(1, 0, 750, "ILM", "1" * 32), Slot(2, 1000, 750, "ILM", "2" * 32)]
    aired = [Slot(10, 990, 750, "ILM", "1" * 32), Slot(11, 1000, 750, "ILM", None)]
    by_key = {o.planned_key: o for o in reconcile(planned, aired, TOL).outcomes}
    assert by_key[1].aired_key == 10 and by_key[1].status is Status.LATE
    assert by_key[2].aired_key == 11 and by_key[2].status is Status.AIRED


def test_a_repeated_event_id_counts_once_and_the_repeat_is_extra():
    planned = [Slot(1, 0, 750, "A", "1" * 32)]
    aired = [Slot(10, 0, 750, "A", "1" * 32), Slot(11, 800, 750, "A", "1" * 32)]
    result = reconcile(planned, aired, TOL)
    assert result.outcomes[0].aired_key == 10
    assert result.extras == [11]
