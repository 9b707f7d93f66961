"""Rapid-response amendments keep the day exact and never touch what already aired."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mux_scheduler.engine.amend import InsertDoesNotFit, Insertion, amend, next_break_offset
from mux_scheduler.engine.items import PlaylistItem

SECOND = 25
MINUTE = 60 * SECOND
KINDS = ["programme", "ilm", "station_id", "filler", "promo"]


def _day(durations_and_kinds: list[tuple[int, str]]) -> tuple[PlaylistItem, ...]:
    items, start = [], 0
    for n, (duration, kind) in enumerate(durations_and_kinds):
        items.append(
            PlaylistItem(
                start_frames=start,
                duration_frames=duration,
                som_frames=0,
                eom_frames=duration,
                item_type=kind,
                asset_id=n + 1,
                house_id=f"H{n}",
                title=f"{kind} {n}",
                source="rule:1",
            )
        )
        start += duration
    return tuple(items)


def _spot(at: int, seconds: int = 30) -> Insertion:
    return Insertion(
        at_frames=at,
        duration_frames=seconds * SECOND,
        asset_id=999,
        house_id="URGENT",
        title="Klarifikasi hoaks",
        item_type="ilm",
        source="insert:1",
    )


def _assert_exact(items: tuple[PlaylistItem, ...], day_frames: int) -> None:
    assert items[0].start_frames == 0
    for a, b in itertools.pairwise(items):
        assert a.end_frames == b.start_frames
    assert items[-1].end_frames == day_frames
    assert all(
        i.duration_frames > 0 and i.eom_frames - i.som_frames == i.duration_frames for i in items
    )


def test_insert_at_next_break_takes_time_from_fillers_first() -> None:
    day = _day(
        [
            (30 * MINUTE, "programme"),
            (MINUTE, "ilm"),
            (20 * SECOND, "station_id"),
            (40 * SECOND, "filler"),
            (30 * MINUTE, "programme"),
        ]
    )
    at = next_break_offset(day, not_before=10 * MINUTE)
    assert at == 30 * MINUTE
    result = amend(
        day, _spot(at), frozen_until=10 * MINUTE, anchors=frozenset({day[-1].start_frames})
    )
    _assert_exact(result.items, day[-1].end_frames)
    assert result.items[1].house_id == "URGENT" and result.items[1].start_frames == at
    actions = [(c.action, c.house_id) for c in result.changes]
    assert ("inserted", "URGENT") in actions
    assert ("removed", "H2") in actions, "the nearest filler kind gives way first: the 20 s ID"
    assert ("trimmed", "H3") in actions, "then 10 s of the trimmable filler"
    assert not any(a in ("removed", "trimmed") and h == "H1" for a, h in actions), "ILM kept"
    assert all(c.house_id != "H1" or c.action == "moved" for c in result.changes), "the ILM is kept"
    assert result.items[-1].start_frames == day[-1].start_frames, (
        "the fixed programme stays on time"
    )


def test_cut_in_resumes_the_programme() -> None:
    day = _day([(30 * MINUTE, "programme"), (2 * MINUTE, "filler"), (28 * MINUTE, "programme")])
    result = amend(day, _spot(10 * MINUTE), frozen_until=5 * MINUTE, anchors=frozenset())
    _assert_exact(result.items, 60 * MINUTE)
    head, spot, rest = result.items[:3]
    assert head.duration_frames == 10 * MINUTE and spot.house_id == "URGENT"
    assert rest.som_frames == 10 * MINUTE and rest.house_id == head.house_id
    assert result.changes[0].action == "cut"


def test_requested_time_inside_the_margin_is_refused() -> None:
    day = _day([(60 * MINUTE, "programme")])
    with pytest.raises(InsertDoesNotFit, match="safety margin"):
        amend(day, _spot(2 * MINUTE), frozen_until=5 * MINUTE, anchors=frozenset())


def test_no_room_before_the_next_fixed_event_says_why() -> None:
    day = _day([(10 * MINUTE, "programme"), (10 * MINUTE, "programme")])
    with pytest.raises(InsertDoesNotFit, match="next fixed-time item"):
        amend(
            day, _spot(10 * MINUTE - 10 * SECOND), frozen_until=0, anchors=frozenset({10 * MINUTE})
        )


day_plans = st.lists(
    st.tuples(st.integers(1, 40 * MINUTE), st.sampled_from(KINDS)), min_size=2, max_size=40
)


@settings(max_examples=200, deadline=None)
@given(day_plans, st.floats(0, 1), st.floats(0, 1), st.integers(1, 120))
def test_amend_properties(
    plan: list[tuple[int, str]], frozen_at: float, at_at: float, seconds: int
) -> None:
    day = _day(plan)
    day_frames = day[-1].end_frames
    frozen = int(frozen_at * day_frames)
    at = frozen + int(at_at * (day_frames - frozen - 1))
    anchors = frozenset(i.start_frames for i in day[::5] if i.start_frames > at)
    try:
        result = amend(day, _spot(at, seconds), frozen_until=frozen, anchors=anchors)
    except InsertDoesNotFit:
        return
    _assert_exact(result.items, day_frames)
    aired = [i for i in day if i.end_frames <= frozen]
    assert list(result.items[: len(aired)]) == aired, "nothing that aired moves"
    starts = {i.start_frames for i in result.items}
    assert anchors <= starts, "fixed-time items keep their start"
    assert sum(1 for i in result.items if i.house_id == "URGENT") == 1
