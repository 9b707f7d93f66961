"""Putting pinned content on the timeline: anchors at their span, follow events when due."""

from __future__ import annotations

from collections.abc import Callable

from mux_scheduler.engine.anchors import DAY_END, Anchor, FollowEvent, content_length
from mux_scheduler.engine.inputs import LibraryAsset, LivePlaceholder
from mux_scheduler.engine.timeline import Timeline


def place_anchor(timeline: Timeline, anchor: Anchor) -> None:
    """A locked item, mandatory item or fixed event at its (possibly trimmed) span."""
    length = anchor.end - anchor.start
    lock = anchor.lock
    if lock is not None and anchor.asset is not None:
        index = timeline.place_asset(
            anchor.asset,
            source="locked",
            duration_frames=length,
            locked=True,
            som_frames=lock.som_frames,
        )
    elif lock is not None:
        index = timeline.place_other(
            duration_frames=length,
            item_type=lock.item_type,
            title=lock.title,
            house_id=lock.house_id,
            source="locked",
            asset_id=lock.asset_id,
            agency_id=lock.agency_id,
            classification=lock.classification,
            som_frames=lock.som_frames,
            locked=True,
        )
    else:
        index = _place_content(timeline, anchor.asset, anchor.live, length, anchor.source)
    if anchor.trimmed_by is not None:
        natural = content_length(anchor.asset, anchor.live)
        timeline.note(
            "overrun_trimmed",
            "warning",
            f"{anchor.label!r} was cut by {natural - length} frames so that "
            f"{anchor.trimmed_by!r} starts on time",
            item_index=index,
            trimmed_frames=natural - length,
            rule_id=anchor.label,
            cut_for="day_end" if anchor.trimmed_by == DAY_END else "rule",
            other_rule_id="" if anchor.trimmed_by == DAY_END else anchor.trimmed_by,
            title=timeline.items[index].title,
            start_frames=timeline.items[index].start_frames,
        )


def place_follow(
    timeline: Timeline, follow: FollowEvent, until: int, timecode: Callable[[int], str]
) -> None:
    """A follow-mode event at the current end; late or cut short is reported."""
    start = timeline.end
    natural = follow.duration_frames
    length = min(natural, until - start)
    index = _place_content(timeline, follow.asset, follow.live, length, f"rule:{follow.label}")
    if start > follow.nominal:
        timeline.note(
            "late_start",
            "warning",
            f"{follow.label!r} starts {start - follow.nominal} frames after its time "
            f"({timecode(follow.nominal)}) because the previous item ran on",
            item_index=index,
            late_frames=start - follow.nominal,
            rule_id=follow.label,
            title=timeline.items[index].title,
            start_frames=timeline.items[index].start_frames,
        )
    if length < natural:
        timeline.note(
            "overrun_trimmed",
            "warning",
            f"{follow.label!r} was cut by {natural - length} frames for the next fixed item",
            item_index=index,
            trimmed_frames=natural - length,
            rule_id=follow.label,
            cut_for="next_item",
            title=timeline.items[index].title,
            start_frames=timeline.items[index].start_frames,
        )


def _place_content(
    timeline: Timeline,
    asset: LibraryAsset | None,
    live: LivePlaceholder | None,
    length: int,
    source: str,
) -> int:
    if asset is not None:
        return timeline.place_asset(asset, source=source, duration_frames=length)
    assert live is not None
    flags = ("trimmed",) if length < live.duration_frames else ()
    return timeline.place_other(
        duration_frames=length,
        item_type="live",
        title=live.title,
        house_id=live.house_id,
        source=source,
        agency_id=live.agency_id,
        classification=live.classification,
        flags=flags,
    )
