"""Property tests: for any library, rules and day the playlist is exact and honest.

Exact: sorted, gap-free, overlap-free, positive durations, summing to the day's frames at
25/1 and 30000/1001, in the three Indonesian zones and on 23- and 25-hour DST days.
Honest: every constraint checked here independently either holds or is in the report.
Deterministic: the same inputs build the same result.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from fractions import Fraction

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mux_scheduler.core.timecode import BroadcastDay, broadcast_day, seconds_to_frames
from mux_scheduler.engine import (
    AssetKind,
    Block,
    BreakPattern,
    BuildResult,
    Campaign,
    Constraints,
    DateOverride,
    DayContext,
    FillerPool,
    FixedEvent,
    History,
    LibraryAsset,
    LivePlaceholder,
    LockedItem,
    MandatoryItem,
    PoolFilter,
    Rule,
    WallWindow,
    build_day,
)
from mux_scheduler.engine.rules import rules_for_day
from mux_scheduler.engine.windows import Spans, wall_spans
from tests.engine.factories import assert_gap_free

KINDS: tuple[AssetKind, ...] = ("programme", "ilm", "filler", "station_id", "bumper", "promo")
EXEMPT = ("filler", "station_id", "bumper")
RRULES = (
    None,
    None,
    "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
    "FREQ=DAILY;INTERVAL=2",
    "FREQ=WEEKLY;BYDAY=SA,SU",
)


@dataclass(frozen=True)
class Case:
    day: BroadcastDay
    library: list[LibraryAsset]
    rules: list[Rule]
    campaigns: list[Campaign]
    locked: list[LockedItem]
    history: History
    constraints: Constraints

    def build(self) -> BuildResult:
        return build_day(
            DayContext(channel_id="ch-1", day=self.day, constraints=self.constraints),
            library=self.library,
            rules=self.rules,
            campaigns=self.campaigns,
            locked=self.locked,
            history=self.history,
        )


days = st.one_of(
    st.builds(
        lambda on, zone, start, rate: broadcast_day(on, zone=zone, day_start=start, rate=rate),
        st.dates(date(2024, 1, 1), date(2027, 12, 31)),
        st.sampled_from(["Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"]),
        st.sampled_from([time(5), time(0), time(6), time(4, 30)]),
        st.sampled_from([Fraction(25), Fraction(30000, 1001)]),
    ),
    st.builds(  # the broadcast days that contain a clock change: 23 and 25 hours
        lambda on, start, rate: broadcast_day(on, zone="Europe/Berlin", day_start=start, rate=rate),
        st.sampled_from([date(2025, 3, 29), date(2025, 10, 25), date(2026, 3, 28)]),
        st.sampled_from([time(5), time(1), time(2, 30)]),
        st.sampled_from([Fraction(25), Fraction(30000, 1001)]),
    ),
)
wall_times = st.builds(time, st.integers(0, 23), st.sampled_from([0, 15, 30, 45, 59]))


@st.composite
def assets(draw: st.DrawFn, asset_id: int, on: date) -> LibraryAsset:
    kind = draw(st.sampled_from(KINDS))
    short = kind in ("ilm", "promo", *EXEMPT)
    duration = draw(st.integers(50, 3_000) if short else st.integers(25, 100_000))
    return LibraryAsset(
        asset_id=asset_id,
        house_id=f"H{draw(st.integers(0, 50)):03d}",
        title=f"a{asset_id}",
        kind=kind,
        duration_frames=duration,
        agency_id=draw(st.sampled_from([None, 1, 2, 3])),
        classification=draw(st.sampled_from(["P", "A", "R", "D", "SU", "SU"])),
        tags=draw(st.sampled_from([(), ("x",), ("y",), ("x", "y")])),
        valid_until=draw(st.sampled_from([None, None, on - timedelta(days=1), on])),
        approved=draw(st.booleans() | st.just(True)),
        rendition_ready=draw(st.booleans() | st.just(True)),
        trimmable=kind == "filler" and draw(st.booleans()),
    )


pool_filters = st.builds(
    PoolFilter,
    kinds=st.sampled_from([(), ("programme",), ("programme", "promo"), ("ilm",)]),
    tags=st.sampled_from([(), ("x",), ("y",)]),
    agency_ids=st.sampled_from([(), (1,), (2, 3)]),
)


@st.composite
def blocks(draw: st.DrawFn, n: int) -> Block:
    pattern = draw(
        st.none()
        | st.builds(
            BreakPattern,
            break_frames=st.integers(1, 5_000),
            every_minutes=st.none() | st.integers(1, 60),
            pool=st.just(PoolFilter(kinds=("ilm",))),
            order=st.sampled_from(["lru", "shuffle", "sequential"]),
        )
    )
    return Block(
        rule_id=f"block-{n}",
        priority=draw(st.integers(0, 3)),
        rrule=draw(st.sampled_from(RRULES)),
        start=draw(wall_times),
        end=draw(wall_times),
        pool=draw(pool_filters),
        order=draw(st.sampled_from(["sequential", "shuffle", "lru"])),
        breaks=pattern,
    )


@st.composite
def fixed_events(draw: st.DrawFn, n: int, ids: list[int]) -> FixedEvent:
    asset_id = draw(st.none() | st.sampled_from([*ids, 999_999]))
    live = None
    if asset_id is None:
        live = LivePlaceholder(title=f"live {n}", duration_frames=draw(st.integers(1, 200_000)))
    return FixedEvent(
        rule_id=f"event-{n}",
        priority=draw(st.integers(0, 3)),
        rrule=draw(st.sampled_from(RRULES)),
        at=draw(wall_times),
        asset_id=asset_id,
        live=live,
        start_mode=draw(st.sampled_from(["fixed", "follow"])),
    )


@st.composite
def cases(draw: st.DrawFn) -> Case:
    day = draw(days)
    on = day.broadcast_date
    count = draw(st.integers(0, 40))
    library = [draw(assets(i + 1, on)) for i in range(count)]
    ids = [a.asset_id for a in library] or [1]
    rules: list[Rule] = [draw(blocks(n)) for n in range(draw(st.integers(0, 3)))]
    rules += [draw(fixed_events(n, ids)) for n in range(draw(st.integers(0, 4)))]
    if draw(st.booleans()):
        rules.append(MandatoryItem(rule_id="anthem", asset_id=draw(st.sampled_from(ids))))
    if draw(st.booleans()):
        rules.append(FillerPool(rule_id="fill", pool=PoolFilter(kinds=("filler", "station_id"))))
    if draw(st.booleans()):
        rules.append(DateOverride(rule_id="holiday", dates=(on,), rules=(draw(blocks(9)),)))
    campaigns = [
        Campaign(
            campaign_id=f"c{n}",
            asset_ids=tuple(draw(st.lists(st.sampled_from(ids), max_size=3))),
            target_per_day=draw(st.integers(0, 8)),
            windows=draw(st.sampled_from([(), (WallWindow(time(6), time(22)),)])),
        )
        for n in range(draw(st.integers(0, 2)))
    ]
    locked = [
        LockedItem(
            start_frames=draw(st.integers(-10, day.frames)),
            duration_frames=draw(st.integers(1, 50_000)),
            asset_id=draw(st.none() | st.sampled_from(ids)),
            title="edit",
        )
        for _ in range(draw(st.integers(0, 3)))
    ]
    last = {
        aid: day.start_at - timedelta(seconds=draw(st.integers(0, 7200)))
        for aid in draw(st.lists(st.sampled_from(ids), max_size=5, unique=True))
    }
    history = History(
        last_aired_end_at=last,
        block_cursors={"block-0": draw(st.sampled_from(ids))},
        shuffle_played={"block-1": tuple(draw(st.lists(st.sampled_from(ids), max_size=4)))},
    )
    constraints = Constraints(
        asset_separation_minutes=draw(st.sampled_from([0, 30, 60])),
        max_agency_share_percent=draw(st.sampled_from([None, 40])),
    )
    return Case(day, library, rules, campaigns, locked, history, constraints)


def _check_honest(case: Case, result: BuildResult) -> None:
    by_id = {a.asset_id: a for a in case.library}
    day = case.day
    d_spans = Spans(wall_spans(day, time(22), time(3)))
    sep = seconds_to_frames(60 * case.constraints.asset_separation_minutes, day.rate)
    block_sources = {
        f"rule:{r.rule_id}" for r in rules_for_day(case.rules, day.broadcast_date).blocks
    }
    last_end = {aid: day.offset_of(at) for aid, at in case.history.last_aired_end_at.items()}
    reported = {(v.code, v.item_index) for v in result.report.violations}
    for index, item in enumerate(result.items):
        asset = by_id.get(item.asset_id) if item.asset_id is not None else None
        if item.asset_id is not None and not item.locked:
            assert asset is not None and asset.approved and asset.valid_on(day.broadcast_date)
        if asset is not None and not (asset.approved and asset.valid_on(day.broadcast_date)):
            assert item.locked and (
                ("not_approved", index) in reported or ("expired", index) in reported
            )
        if item.classification == "D" and not d_spans.covers(item.start_frames, item.end_frames):
            assert ("classification_window", index) in reported
            assert item.source not in block_sources and item.source != "fill"
            assert not item.source.startswith("campaign:")
        if asset is not None and not asset.rendition_ready:
            assert "pending_rendition" in item.flags
            assert ("pending_rendition", index) in reported
        if item.item_type == "slate":
            assert ("gap_filled_with_slate", index) in reported
        if item.asset_id is not None and item.item_type not in EXEMPT:
            previous = last_end.get(item.asset_id)
            if previous is not None and item.start_frames - previous < sep:
                assert ("asset_separation", index) in reported
        if item.asset_id is not None:
            last_end[item.asset_id] = item.end_frames
    cap = case.constraints.max_agency_share_percent
    for agency, frames in result.report.agency_airtime_frames.items():
        if cap is not None and frames * 100 > cap * day.frames:
            assert any(
                v.code == "agency_share" and v.params["agency_id"] == agency
                for v in result.report.violations
            )


def _check_pinned(case: Case, result: BuildResult) -> None:
    """Locked edits stay exactly where they were put, unless reported."""
    conflicts = {
        v.params.get("start_frames")
        for v in result.report.violations
        if v.code == "locked_conflict"
    }
    starts = {i.start_frames: i for i in result.items}
    for lock in case.locked:
        if lock.start_frames in conflicts:
            continue
        kept = starts[lock.start_frames]
        assert kept.locked and kept.duration_frames == lock.duration_frames
        assert kept.asset_id == lock.asset_id


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases())
def test_any_day_is_exact_honest_and_deterministic(case: Case) -> None:
    result = case.build()

    assert_gap_free(result, case.day)
    assert (
        result.report.total_frames
        == case.day.frames
        == sum(result.report.frames_by_item_type.values())
    )
    _check_honest(case, result)
    _check_pinned(case, result)
    assert case.build() == result


@settings(max_examples=40, deadline=None)
@given(days)
def test_an_empty_schedule_is_one_exact_slate(day: BroadcastDay) -> None:
    result = build_day(DayContext(channel_id=1, day=day), library=[], rules=[])

    (slate,) = result.items
    assert slate.duration_frames == day.frames
    assert result.report.codes() == ("gap_filled_with_slate",)


def test_dst_days_have_their_true_length() -> None:
    spring = broadcast_day(
        date(2025, 3, 29), zone="Europe/Berlin", day_start=time(5), rate=Fraction(25)
    )
    autumn = broadcast_day(
        date(2025, 10, 25), zone="Europe/Berlin", day_start=time(5), rate=Fraction(25)
    )
    for day, hours in ((spring, 23), (autumn, 25)):
        result = build_day(DayContext(channel_id=1, day=day), library=[], rules=[])
        assert sum(i.duration_frames for i in result.items) == hours * 3600 * 25
    assert spring.end_at - spring.start_at == timedelta(hours=23)
    assert datetime(2025, 3, 30, 1, tzinfo=UTC) < spring.end_at
