"""Scenarios a channel programmer would recognise, one behaviour each."""

from __future__ import annotations

import itertools
from datetime import date, time

from mux_scheduler.engine import (
    Block,
    BreakPattern,
    Campaign,
    DateOverride,
    FixedEvent,
    History,
    LivePlaceholder,
    LockedItem,
    PoolFilter,
    Rule,
    WallWindow,
    build_day,
    indonesia_raya,
)
from tests.engine.factories import (
    NTSC,
    assert_gap_free,
    asset,
    at,
    by_rule,
    context,
    item_at,
    make_day,
    mins,
    standard_fillers,
)

WEEKDAYS = "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"


def briefing(rule_id: str = "briefing", mode: str = "fixed") -> FixedEvent:
    return FixedEvent(
        rule_id=rule_id,
        at=time(7, 0),
        rrule=WEEKDAYS,
        live=LivePlaceholder(title="Press briefing", duration_frames=mins(30)),
        start_mode=mode,  # type: ignore[arg-type]
    )


def test_weekday_press_briefing_airs_on_wednesday_and_not_on_sunday() -> None:
    library = standard_fillers()
    wednesday = make_day(date(2025, 8, 13))
    sunday = make_day(date(2025, 8, 10))

    on_wednesday = build_day(context(wednesday), library=library, rules=[briefing()])
    on_sunday = build_day(context(sunday), library=library, rules=[briefing()])

    item = item_at(on_wednesday, at(wednesday, 7))
    assert (item.title, item.item_type, item.start_frames) == (
        "Press briefing",
        "live",
        at(wednesday, 7),
    )
    assert item.duration_frames == mins(30)
    assert by_rule(on_sunday, "briefing") == []
    assert_gap_free(on_wednesday, wednesday)
    assert_gap_free(on_sunday, sunday)


def _dialog_publik(episodes: int = 10) -> list:
    return [
        asset(seconds=25 * 60, tags=("dialog-publik",), house_id=f"DP-{n:03d}", title=f"DP {n}")
        for n in range(1, episodes + 1)
    ]


def test_dialog_publik_continues_from_yesterdays_cursor_and_hands_on_its_own() -> None:
    episodes = _dialog_publik()
    block = Block(
        rule_id="dialog-publik",
        start=time(19, 0),
        end=time(21, 0),
        pool=PoolFilter(tags=("dialog-publik",)),
        order="sequential",
    )
    day = make_day()
    yesterday = History(block_cursors={"dialog-publik": episodes[2].asset_id})

    result = build_day(
        context(day), library=episodes + standard_fillers(), rules=[block], history=yesterday
    )

    aired = [i.title for i in by_rule(result, "dialog-publik")]
    assert aired == ["DP 4", "DP 5", "DP 6", "DP 7"]  # 4 x 25 min fit in 2 hours
    assert by_rule(result, "dialog-publik")[0].start_frames == at(day, 19)
    assert result.state.block_cursors["dialog-publik"] == episodes[6].asset_id

    tomorrow = make_day(date(2025, 8, 14))
    next_day = build_day(
        context(tomorrow),
        library=episodes + standard_fillers(),
        rules=[block],
        history=result.state,
    )
    assert [i.title for i in by_rule(next_day, "dialog-publik")] == [
        "DP 8",
        "DP 9",
        "DP 10",
        "DP 1",
    ]


def test_ilm_breaks_every_15_minutes_inside_a_block() -> None:
    programmes = [asset(seconds=7 * 60, agency_id=n % 4) for n in range(30)]
    ilms = [asset("ilm", seconds=30, agency_id=10 + n % 5) for n in range(40)]
    block = Block(
        rule_id="morning",
        start=time(8, 0),
        end=time(12, 0),
        pool=PoolFilter(kinds=("programme",)),
        order="shuffle",
        breaks=BreakPattern(break_frames=mins(2), every_minutes=15),
    )
    day = make_day()

    result = build_day(context(day), library=programmes + ilms + standard_fillers(), rules=[block])

    in_block = [i for i in by_rule(result, "morning")]
    break_starts = [
        i.start_frames
        for prev, i in itertools.pairwise(in_block)
        if i.item_type == "ilm" and prev.item_type == "programme"
    ]
    assert len(break_starts) >= 12
    for first, second in itertools.pairwise(break_starts):
        assert mins(15) <= second - first < mins(15) + mins(2) + mins(7)
    ilm_frames = sum(i.duration_frames for i in in_block if i.item_type == "ilm")
    assert ilm_frames == len(break_starts) * mins(2)
    assert_gap_free(result, day)


def test_d_rated_documentary_only_lands_between_22_and_03() -> None:
    day = make_day()
    documentary = asset(seconds=45 * 60, classification="D", title="Dokumenter D")
    others = [asset(seconds=45 * 60, agency_id=n % 3) for n in range(12)]
    block = Block(
        rule_id="evening",
        start=time(19, 0),
        end=time(2, 0),
        pool=PoolFilter(kinds=("programme",)),
        order="lru",
    )

    result = build_day(
        context(day), library=[documentary, *others, *standard_fillers()], rules=[block]
    )

    placed = [i for i in result.items if i.asset_id == documentary.asset_id]
    assert placed, "the documentary should air in the late window"
    for item in placed:
        assert at(day, 22) <= item.start_frames and item.end_frames <= at(day, 3)
    assert "classification_window" not in result.report.codes()


def test_d_rated_documentary_forced_to_20_00_by_a_fixed_event_is_an_error() -> None:
    day = make_day()
    documentary = asset(seconds=45 * 60, classification="D")
    event = FixedEvent(rule_id="doc", at=time(20, 0), asset_id=documentary.asset_id)

    result = build_day(context(day), library=[documentary, *standard_fillers()], rules=[event])

    index = next(n for n, i in enumerate(result.items) if i.asset_id == documentary.asset_id)
    assert result.items[index].start_frames == at(day, 20)
    errors = [v for v in result.report.errors if v.code == "classification_window"]
    assert [v.item_index for v in errors] == [index]


def _campaign_day(spots: int, target: int, windows: tuple[WallWindow, ...]):
    day = make_day()
    programmes = [asset(seconds=10 * 60, agency_id=n % 5) for n in range(120)]
    ilms = [asset("ilm", seconds=30, agency_id=20 + n % 5) for n in range(60)]
    campaign_spots = [
        asset("ilm", seconds=30, agency_id=99, title=f"Spot {n}") for n in range(spots)
    ]
    campaign = Campaign(
        campaign_id="stunting",
        asset_ids=tuple(a.asset_id for a in campaign_spots),
        target_per_day=target,
        windows=windows,
    )
    block = Block(
        rule_id="all-day",
        start=time(5, 0),
        end=time(5, 0),
        pool=PoolFilter(kinds=("programme",)),
        order="shuffle",
        breaks=BreakPattern(break_frames=mins(2), every_minutes=30),
    )
    library = programmes + ilms + campaign_spots + standard_fillers()
    result = build_day(context(day), library=library, rules=[block], campaigns=[campaign])
    return day, campaign, result


def test_campaign_with_six_airings_between_06_and_22_is_met() -> None:
    day, campaign, result = _campaign_day(2, 6, (WallWindow(time(6), time(22)),))

    spots = [i for i in result.items if i.asset_id in campaign.asset_ids]
    assert len(spots) == 6
    assert all(at(day, 6) <= i.start_frames and i.end_frames <= at(day, 22) for i in spots)
    assert all(i.source == "campaign:stunting" for i in spots)
    (fulfilment,) = result.report.campaigns
    assert (fulfilment.placed, fulfilment.met) == (6, True)
    assert "campaign_short" not in result.report.codes()


def test_campaign_the_library_cannot_supply_is_reported_short() -> None:
    # one spot, one hour of separation, a two-hour window: at most two airings
    _, _, result = _campaign_day(1, 6, (WallWindow(time(6), time(8)),))

    (fulfilment,) = result.report.campaigns
    assert not fulfilment.met
    assert fulfilment.placed == 2 and fulfilment.shortfall == 4
    (short,) = [v for v in result.report.violations if v.code == "campaign_short"]
    assert short.params == {"campaign_id": "stunting", "target": 6, "placed": 2}


def test_17_august_override_replaces_the_weekday_pattern() -> None:
    regular = Block(
        rule_id="regular",
        start=time(7, 0),
        end=time(12, 0),
        pool=PoolFilter(tags=("regular",)),
        rrule=WEEKDAYS,
    )
    ceremony = Block(
        rule_id="hut-ri",
        start=time(7, 0),
        end=time(12, 0),
        pool=PoolFilter(tags=("kemerdekaan",)),
    )
    holiday = DateOverride(
        rule_id="hut-ri-day", rrule="FREQ=YEARLY;BYMONTH=8;BYMONTHDAY=17", rules=(ceremony,)
    )
    library = [
        *(asset(seconds=1800, tags=("regular",)) for _ in range(12)),
        *(asset(seconds=1800, tags=("kemerdekaan",)) for _ in range(12)),
        *standard_fillers(),
    ]
    rules: list[Rule] = [regular, briefing(), holiday]

    monday_17 = build_day(context(make_day(date(2026, 8, 17))), library=library, rules=rules)
    tuesday_18 = build_day(context(make_day(date(2026, 8, 18))), library=library, rules=rules)

    assert by_rule(monday_17, "regular") == [] and by_rule(monday_17, "briefing") == []
    assert len(by_rule(monday_17, "hut-ri")) == 10
    assert by_rule(tuesday_18, "hut-ri") == []
    assert by_rule(tuesday_18, "regular") and by_rule(tuesday_18, "briefing")


def test_locked_manual_edit_survives_a_rebuild_at_the_same_offset() -> None:
    day = make_day()
    programmes = [asset(seconds=1500 + 60 * n, agency_id=n % 3) for n in range(40)]
    special = asset(seconds=17 * 60 + 3, title="Special report")
    library = [*programmes, special, *standard_fillers()]
    block = Block(
        rule_id="day",
        start=time(5),
        end=time(5),
        pool=PoolFilter(kinds=("programme",)),
        order="shuffle",
    )
    first = build_day(context(day), library=library, rules=[block])
    offset = at(day, 10, 3) + 17  # an odd frame, mid-programme
    edit = LockedItem(
        start_frames=offset, duration_frames=special.duration_frames, asset_id=special.asset_id
    )

    rebuilt = build_day(context(day), library=library, rules=[block], locked=[edit])
    again = build_day(context(day), library=library, rules=[block], locked=[edit])

    kept = item_at(rebuilt, offset)
    assert (kept.start_frames, kept.asset_id, kept.duration_frames) == (
        offset,
        special.asset_id,
        special.duration_frames,
    )
    assert kept.locked and kept.source == "locked"
    assert rebuilt == again
    assert rebuilt.items != first.items
    assert_gap_free(rebuilt, day)
    # locking an item of a built playlist keeps it exactly
    pinned = LockedItem.from_item(rebuilt.items[40])
    pinned_again = build_day(context(day), library=library, rules=[block], locked=[pinned])
    assert item_at(pinned_again, pinned.start_frames).asset_id == pinned.asset_id


def test_indonesia_raya_at_exactly_06_00() -> None:
    anthem = asset(seconds=200, title="Indonesia Raya", agency_id=None)
    for rate, expected in ((None, 90_000), (NTSC, 107_892)):
        day = make_day(rate=rate) if rate else make_day()
        library = [anthem, *standard_fillers(day.rate)]

        result = build_day(context(day), library=library, rules=[indonesia_raya(anthem.asset_id)])

        item = item_at(result, expected)
        assert (item.start_frames, item.asset_id, item.source) == (
            expected,
            anthem.asset_id,
            "mandatory:indonesia-raya",
        )
        assert_gap_free(result, day)


def test_fixed_event_trims_the_overrunning_previous_programme() -> None:
    day = make_day()
    long_show = asset(seconds=90 * 60, title="Long show")
    news = asset(seconds=30 * 60, title="News", agency_id=2)
    rules = [
        FixedEvent(rule_id="long", at=time(8), asset_id=long_show.asset_id),
        FixedEvent(rule_id="news", at=time(9), asset_id=news.asset_id),
    ]

    result = build_day(context(day), library=[long_show, news, *standard_fillers()], rules=rules)

    show = item_at(result, at(day, 8))
    assert show.duration_frames == mins(60) and show.eom_frames == show.som_frames + mins(60)
    assert "trimmed" in show.flags
    assert item_at(result, at(day, 9)).title == "News"
    assert item_at(result, at(day, 9)).start_frames == at(day, 9)
    (trim,) = [v for v in result.report.violations if v.code == "overrun_trimmed"]
    assert trim.params["trimmed_frames"] == mins(30)
    assert result.items[trim.item_index or 0] == show


def test_follow_mode_event_waits_for_the_previous_programme_and_reports_lateness() -> None:
    day = make_day()
    long_show = asset(seconds=90 * 60)
    news = asset(seconds=30 * 60, title="News", agency_id=2)
    rules = [
        FixedEvent(rule_id="long", at=time(8), asset_id=long_show.asset_id),
        FixedEvent(rule_id="news", at=time(9), asset_id=news.asset_id, start_mode="follow"),
    ]

    result = build_day(context(day), library=[long_show, news, *standard_fillers()], rules=rules)

    assert item_at(result, at(day, 8)).duration_frames == mins(90)
    assert item_at(result, at(day, 9, 30)).title == "News"
    (late,) = [v for v in result.report.violations if v.code == "late_start"]
    assert late.params["late_frames"] == mins(30)
    assert late.severity == "warning"


def test_unapproved_and_expired_assets_are_never_placed_and_fixed_references_reported() -> None:
    day = make_day()
    draft = asset(seconds=600, approved=False)
    expired = asset(seconds=600, valid_until=date(2025, 8, 1))
    fine = [asset(seconds=600, agency_id=n % 3) for n in range(20)]
    rules: list[Rule] = [
        FixedEvent(rule_id="draft", at=time(9), asset_id=draft.asset_id),
        FixedEvent(rule_id="old", at=time(10), asset_id=expired.asset_id),
        Block(rule_id="b", start=time(5), end=time(5), pool=PoolFilter(), order="lru"),
    ]

    result = build_day(
        context(day), library=[draft, expired, *fine, *standard_fillers()], rules=rules
    )

    placed = {i.asset_id for i in result.items}
    assert draft.asset_id not in placed and expired.asset_id not in placed
    assert {"not_approved", "expired"} <= {v.code for v in result.report.errors}
    assert_gap_free(result, day)


def test_pending_rendition_is_a_warning_that_blocks_publishing() -> None:
    day = make_day()
    not_ready = asset(seconds=600, rendition_ready=False)
    event = FixedEvent(rule_id="x", at=time(9), asset_id=not_ready.asset_id)

    result = build_day(context(day), library=[not_ready, *standard_fillers()], rules=[event])

    item = item_at(result, at(day, 9))
    assert "pending_rendition" in item.flags
    (pending,) = [v for v in result.report.violations if v.code == "pending_rendition"]
    assert pending.severity == "warning" and pending.blocks_publish
    assert pending in result.report.publish_blockers and not result.report.errors


def test_gap_no_filler_can_close_becomes_a_reported_slate() -> None:
    day = make_day()
    odd = asset("filler", seconds=7, agency_id=None)  # 175 frames: cannot make a whole day
    result = build_day(context(day), library=[odd], rules=[])

    slate = result.items[-1]
    assert slate.item_type == "slate" and "slate" in slate.flags
    assert slate.duration_frames == day.frames % odd.duration_frames
    assert "gap_filled_with_slate" in result.report.codes()
    assert_gap_free(result, day)


def test_block_avoids_same_agency_back_to_back_when_it_can() -> None:
    day = make_day()
    programmes = [asset(seconds=20 * 60 + 7 * n, agency_id=n % 2) for n in range(40)]
    block = Block(
        rule_id="b",
        start=time(5),
        end=time(5),
        pool=PoolFilter(kinds=("programme",)),
        order="shuffle",
    )

    result = build_day(context(day), library=programmes + standard_fillers(), rules=[block])

    shows = [i for i in result.items if i.item_type == "programme"]
    assert all(a.agency_id != b.agency_id for a, b in itertools.pairwise(shows))
    assert "asset_separation" not in result.report.codes()


def test_rebuild_is_deterministic_and_seeded_by_channel_and_date() -> None:
    day = make_day()
    library = [asset(seconds=600 + n, agency_id=n % 4) for n in range(50)] + standard_fillers()
    block = Block(
        rule_id="b",
        start=time(5),
        end=time(5),
        pool=PoolFilter(kinds=("programme",)),
        order="shuffle",
    )

    one = build_day(context(day), library=library, rules=[block])
    two = build_day(context(day), library=list(reversed(library)), rules=[block])
    other_day = build_day(context(make_day(date(2025, 8, 14))), library=library, rules=[block])

    assert one == two
    assert [i.asset_id for i in one.items[:20]] != [i.asset_id for i in other_day.items[:20]]


def test_block_across_midnight_and_the_day_start_fills_both_ends_of_the_day() -> None:
    day = make_day()  # 05:00 day start
    shows = [asset(seconds=20 * 60, agency_id=n % 3) for n in range(20)]
    block = Block(
        rule_id="night",
        start=time(4),
        end=time(6),
        pool=PoolFilter(kinds=("programme",)),
        order="lru",
    )

    result = build_day(context(day), library=shows + standard_fillers(), rules=[block])

    placed = by_rule(result, "night")
    assert any(i.end_frames <= at(day, 6) for i in placed)  # 05:00-06:00, start of the day
    assert any(i.start_frames >= at(day, 4) for i in placed)  # 04:00-05:00, end of the day
    assert all(i.end_frames <= at(day, 6) or i.start_frames >= at(day, 4) for i in placed)


def test_separation_holds_across_the_day_boundary() -> None:
    day = make_day()
    aired_late = asset(seconds=10 * 60, title="aired at 04:50")
    others = [asset(seconds=10 * 60, agency_id=n % 3) for n in range(2)]
    block = Block(
        rule_id="b", start=time(5), end=time(9), pool=PoolFilter(kinds=("programme",)), order="lru"
    )
    history = History(last_aired_end_at={aired_late.asset_id: day.start_at})  # ended at 05:00

    result = build_day(
        context(day),
        library=[aired_late, *others, *standard_fillers()],
        rules=[block],
        history=history,
    )

    first = next(i for i in result.items if i.asset_id == aired_late.asset_id)
    assert first.start_frames >= mins(60)
    assert "asset_separation" not in result.report.codes()
