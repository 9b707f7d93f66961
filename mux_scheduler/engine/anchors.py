"""Items pinned to an offset: locked edits, mandatory items and fixed-mode events.

They are placed before any block is filled. Precedence: locked > mandatory > fixed events
(then rule priority). A fixed start is kept: an earlier fixed event still running at that
moment is trimmed (its out point moves). Locked and mandatory items are never trimmed; an
event that would need to cut one is dropped and reported. Follow-mode events are not
anchors: they are returned separately and placed by the walk when the previous item ends.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from mux_scheduler.core.timecode import BroadcastDay
from mux_scheduler.engine.inputs import LibraryAsset, LivePlaceholder, LockedItem
from mux_scheduler.engine.library import Library
from mux_scheduler.engine.rules import DayRules
from mux_scheduler.engine.timeline import Timeline

RANK_LOCKED, RANK_MANDATORY, RANK_FIXED = 0, 1, 2
DAY_END = "the end of the broadcast day"


@dataclass(slots=True)
class Anchor:
    start: int
    end: int
    rank: int
    priority: int
    label: str
    source: str
    asset: LibraryAsset | None = None
    live: LivePlaceholder | None = None
    lock: LockedItem | None = None
    trimmed_by: str | None = None

    @property
    def trimmable(self) -> bool:
        return self.rank == RANK_FIXED


@dataclass(frozen=True, slots=True)
class FollowEvent:
    """Starts when the item playing at ``nominal`` ends."""

    nominal: int
    priority: int
    label: str
    asset: LibraryAsset | None
    live: LivePlaceholder | None

    @property
    def duration_frames(self) -> int:
        return content_length(self.asset, self.live)

    @property
    def title(self) -> str:
        if self.asset is not None:
            return self.asset.title
        return self.live.title if self.live is not None else ""


def content_length(asset: LibraryAsset | None, live: LivePlaceholder | None) -> int:
    """The natural length of an event's content (before any trim)."""
    if asset is not None:
        return asset.duration_frames
    assert live is not None
    return live.duration_frames


def collect(
    day: BroadcastDay,
    day_rules: DayRules,
    locked: Sequence[LockedItem],
    library: Library,
    timeline: Timeline,
) -> tuple[list[Anchor], list[FollowEvent]]:
    """Candidate anchors and follow events; unusable content is reported and skipped."""
    anchors = [
        Anchor(
            start=lock.start_frames,
            end=lock.start_frames + lock.duration_frames,
            rank=RANK_LOCKED,
            priority=0,
            label=f"locked@{lock.start_frames}",
            source="locked",
            asset=library.by_id.get(lock.asset_id) if lock.asset_id is not None else None,
            lock=lock,
        )
        for lock in locked
    ]
    for item in day_rules.mandatory:
        start = day.offset_of_local_time(item.at)
        asset = _usable(item.asset_id, item.rule_id, start, library, timeline)
        if asset is not None:
            anchors.append(
                Anchor(
                    start,
                    start + asset.duration_frames,
                    RANK_MANDATORY,
                    item.priority,
                    item.rule_id,
                    f"mandatory:{item.rule_id}",
                    asset=asset,
                )
            )
    follows = []
    for event in day_rules.fixed_events:
        asset = None
        start = day.offset_of_local_time(event.at)
        if event.asset_id is not None:
            asset = _usable(event.asset_id, event.rule_id, start, library, timeline)
            if asset is None:
                continue
        length = content_length(asset, event.live)
        if event.start_mode == "follow":
            follows.append(FollowEvent(start, event.priority, event.rule_id, asset, event.live))
            continue
        anchors.append(
            Anchor(
                start,
                start + length,
                RANK_FIXED,
                event.priority,
                event.rule_id,
                f"rule:{event.rule_id}",
                asset=asset,
                live=event.live,
            )
        )
    follows.sort(key=lambda f: (f.nominal, -f.priority, f.label))
    return anchors, follows


def _usable(
    asset_id: int, rule_id: str, start: int, library: Library, timeline: Timeline
) -> LibraryAsset | None:
    asset = library.eligible(asset_id)
    if asset is None:
        problem = library.problem(asset_id) or "unknown_asset"
        timeline.note(
            problem,
            "error",
            f"rule {rule_id!r} references asset {asset_id} which cannot air today "
            f"({problem.replace('_', ' ')}); its slot is filled otherwise",
            asset_id=asset_id,
            rule_id=rule_id,
            title=_title_of(library.by_id.get(asset_id)),
            start_frames=start,
        )
    return asset


def _title_of(asset: LibraryAsset | None) -> str:
    return "" if asset is None else asset.title


def resolve(candidates: list[Anchor], frames: int, timeline: Timeline) -> list[Anchor]:
    """Non-overlapping anchors sorted by start, applying precedence and fixed-start trims."""
    placed: list[Anchor] = []
    starts: list[int] = []
    for c in sorted(candidates, key=lambda a: (a.rank, -a.priority, a.start, a.label)):
        if c.start < 0 or c.start >= frames or c.end <= c.start:
            _drop(c, "outside_day", timeline)
            continue
        if c.end > frames:
            if not c.trimmable:
                _drop(c, "past_day_end", timeline)
                continue
            c.end, c.trimmed_by = frames, DAY_END
        i = bisect_right(starts, c.start)
        prev = placed[i - 1] if i > 0 else None
        nxt = placed[i] if i < len(placed) else None
        if (
            prev is not None
            and prev.end > c.start
            and (prev.start == c.start or not prev.trimmable)
        ):
            _drop(c, "starts_inside", timeline, other=prev)
            continue
        if nxt is not None and nxt.start < c.end and not c.trimmable:
            _drop(c, "runs_into", timeline, other=nxt)
            continue
        if prev is not None and prev.end > c.start:
            prev.end, prev.trimmed_by = c.start, c.label
        if nxt is not None and nxt.start < c.end:
            c.end, c.trimmed_by = nxt.start, nxt.label
        placed.insert(i, c)
        starts.insert(i, c.start)
    return placed


DROP_REASONS = {
    "outside_day": "it lies outside the broadcast day or has no duration",
    "past_day_end": "it runs past the end of the broadcast day",
    "starts_inside": "it would start inside {other!r}",
    "runs_into": "it would run into {other!r}",
}


def _drop(anchor: Anchor, reason: str, timeline: Timeline, other: Anchor | None = None) -> None:
    """Report an anchor that cannot be placed; ``reason`` is a key of ``DROP_REASONS``."""
    code = "locked_conflict" if anchor.rank == RANK_LOCKED else "fixed_conflict"
    other_label = "" if other is None else other.label
    timeline.note(
        code,
        "error",
        f"{anchor.label!r} at frame {anchor.start} was not placed: "
        + DROP_REASONS[reason].format(other=other_label),
        start_frames=anchor.start,
        rule_id=anchor.label,
        reason=reason,
        other_rule_id=other_label,
        title=_anchor_title(anchor),
    )


def _anchor_title(anchor: Anchor) -> str:
    if anchor.asset is not None:
        return anchor.asset.title
    if anchor.live is not None:
        return anchor.live.title
    return anchor.lock.title if anchor.lock is not None else ""
