"""Exact gap filling: fewest fillers, rotation, trimmed loop, and a slate only as last resort."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from mux_scheduler.engine.fill import GapFiller
from tests.engine.factories import asset


def _filler(frames: int, **fields):
    return asset("filler", seconds=frames / 25, agency_id=None, **fields)


def test_gap_is_closed_exactly_with_the_fewest_fillers() -> None:
    filler = GapFiller([_filler(125), _filler(250), _filler(375)], min_trim_frames=25)

    plan = filler.close(1000)

    assert plan.frames == 1000 and plan.slate_frames == 0 and plan.trimmed is None
    assert sorted(a.duration_frames for a in plan.assets) == [250, 375, 375]


def test_fillers_of_one_length_take_turns() -> None:
    a, b = _filler(250, house_id="ID-A"), _filler(250, house_id="ID-B")
    filler = GapFiller([b, a], min_trim_frames=25)

    aired = [x.house_id for _ in range(4) for x in filler.close(250).assets]

    assert aired == ["ID-A", "ID-B", "ID-A", "ID-B"]


def test_remainder_no_combination_reaches_goes_to_a_trimmed_loop_not_a_slate() -> None:
    loop = _filler(9000, trimmable=True)
    filler = GapFiller([_filler(250), loop], min_trim_frames=25)

    plan = filler.close(1010)

    assert plan.slate_frames == 0
    assert plan.trimmed is not None and plan.trimmed[0] == loop
    assert plan.trimmed[1] >= 25  # never a few frames of a loop
    assert plan.frames == 1010


def test_slate_only_for_what_nothing_can_cover() -> None:
    filler = GapFiller([_filler(250)], min_trim_frames=25)

    plan = filler.close(1010)

    assert len(plan.assets) == 4 and plan.slate_frames == 10


def test_no_fillers_at_all_is_one_slate() -> None:
    assert GapFiller([], min_trim_frames=25).close(777).slate_frames == 777


def test_break_top_up_never_overfills() -> None:
    filler = GapFiller([_filler(250), _filler(375)], min_trim_frames=25)

    assert sum(a.duration_frames for a in filler.top_up(1100)) == 1000


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.integers(1, 3000), min_size=1, max_size=6),
    st.integers(0, 2_200_000),
)
def test_every_gap_is_covered_exactly(durations: list[int], gap: int) -> None:
    filler = GapFiller([_filler(d) for d in durations], min_trim_frames=25)

    plan = filler.close(gap)

    assert plan.frames == gap
    if 1 in durations:
        assert plan.slate_frames == 0
