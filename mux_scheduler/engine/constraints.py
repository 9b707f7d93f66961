"""Channel constraints: cheap checks used while choosing content, and the final audit.

Selection uses ``Checker``: ``allowed`` is hard (classification windows, asset separation),
``penalty`` counts soft preferences (recommended windows, agency back-to-back, agency share,
pending rendition) so a pool takes the first candidate with none. ``audit`` then re-checks the
finished playlist independently, so every constraint either holds or is reported, even for
content the engine had to keep (locked items, fixed events).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Mapping, Sequence
from datetime import datetime

from mux_scheduler.core.timecode import BroadcastDay, frames_to_timecode, seconds_to_frames
from mux_scheduler.engine.clock import offset_at
from mux_scheduler.engine.inputs import Constraints, LibraryAsset, WallWindow
from mux_scheduler.engine.items import SLATE_TYPE, PlaylistItem, Violation
from mux_scheduler.engine.library import Library
from mux_scheduler.engine.timeline import Timeline
from mux_scheduler.engine.windows import Spans, wall_spans


def hours_text(windows: Sequence[WallWindow]) -> str:
    """Windows as a structured violation parameter: ``"22:00-03:00,05:00-06:00"``."""
    return ",".join(f"{w.start:%H:%M}-{w.end:%H:%M}" for w in windows)


def _spans_by_class(
    day: BroadcastDay, windows: Mapping[str, tuple[WallWindow, ...]]
) -> dict[str, Spans]:
    """An empty tuple means the classification may never air."""
    return {
        cls: Spans(span for w in wins for span in wall_spans(day, w.start, w.end))
        for cls, wins in windows.items()
    }


class ChannelRules:
    """Constraints resolved to frames for one day."""

    def __init__(self, day: BroadcastDay, constraints: Constraints) -> None:
        self.day = day
        self.hard = _spans_by_class(day, constraints.hard_windows)
        self.soft = _spans_by_class(day, constraints.recommended_windows)
        self.hard_hours = {c: hours_text(w) for c, w in constraints.hard_windows.items()}
        self.soft_hours = {c: hours_text(w) for c, w in constraints.recommended_windows.items()}
        self.separation_frames = seconds_to_frames(
            60 * constraints.asset_separation_minutes, day.rate
        )
        self.exempt = frozenset(constraints.separation_exempt_kinds)
        self.avoid_back_to_back = constraints.avoid_agency_back_to_back
        percent = constraints.max_agency_share_percent
        self.share_cap = None if percent is None else day.frames * percent // 100

    def timecode(self, offset: int) -> str:
        return frames_to_timecode(max(0, offset), self.day.rate)


class Checker:
    def __init__(
        self, rules: ChannelRules, timeline: Timeline, anchor_starts: dict[int, list[int]]
    ) -> None:
        self.rules = rules
        self.timeline = timeline
        self._anchor_starts = anchor_starts

    def allowed(self, asset: LibraryAsset, start: int, end: int) -> bool:
        spans = self.rules.hard.get(asset.classification)
        if spans is not None and not spans.covers(start, end):
            return False
        sep = self.rules.separation_frames
        if sep <= 0 or asset.kind in self.rules.exempt:
            return True
        last = self.timeline.last_end(asset.asset_id)
        if last is not None and start - last < sep:
            return False
        later = self._anchor_starts.get(asset.asset_id)
        if later:
            i = bisect_left(later, start)
            if i < len(later) and later[i] - end < sep:
                return False
        return True

    def parks(self, classification: str, start: int) -> bool:
        spans = self.rules.hard.get(classification) or self.rules.soft.get(classification)
        return spans is not None and not spans.contains(start)

    def penalty(self, asset: LibraryAsset, start: int, end: int) -> int:
        rules = self.rules
        score = 0 if asset.rendition_ready else 1
        spans = rules.soft.get(asset.classification)
        if spans is not None and not spans.covers(start, end):
            score += 1
        agency = asset.agency_id
        if agency is not None and asset.kind not in rules.exempt:
            if rules.avoid_back_to_back and agency == self.timeline.prev_agency:
                score += 1
            cap = rules.share_cap
            if cap is not None and self.timeline.agency_frames.get(agency, 0) + end - start > cap:
                score += 1
        return score


def audit(
    items: Sequence[PlaylistItem],
    *,
    rules: ChannelRules,
    library: Library,
    last_aired_end_at: Mapping[int, datetime],
) -> list[Violation]:
    """Re-check the finished playlist; one violation per breach, in item order."""
    found: list[Violation] = []
    last_end: dict[int, int] = {}
    prev_content: PlaylistItem | None = None
    for index, item in enumerate(items):
        found.extend(_item_checks(index, item, rules, library))
        aid = item.asset_id
        if aid is not None and item.item_type not in rules.exempt:
            last = last_end.get(aid)
            if last is None and aid in last_aired_end_at:
                last = offset_at(rules.day, last_aired_end_at[aid])
            gap = None if last is None else item.start_frames - last
            if gap is not None and gap < rules.separation_frames:
                found.append(_separation(index, item, gap, rules))
        if aid is not None:
            last_end[aid] = item.end_frames
        if item.item_type in rules.exempt or item.item_type == SLATE_TYPE:
            continue
        if (
            rules.avoid_back_to_back
            and prev_content is not None
            and item.agency_id is not None
            and item.agency_id == prev_content.agency_id
        ):
            found.append(
                Violation(
                    code="agency_back_to_back",
                    severity="warning",
                    message=f"agency {item.agency_id} airs back to back at "
                    f"{rules.timecode(item.start_frames)}",
                    item_index=index,
                    params={"agency_id": item.agency_id, **_where(item)},
                )
            )
        prev_content = item
    found.extend(_share_checks(items, rules))
    return found


def _item_checks(
    index: int, item: PlaylistItem, rules: ChannelRules, library: Library
) -> list[Violation]:
    found: list[Violation] = []

    def where() -> str:  # formatted only when there is something to report
        return rules.timecode(item.start_frames)

    hard = rules.hard.get(item.classification)
    if hard is not None and not hard.covers(item.start_frames, item.end_frames):
        found.append(
            Violation(
                code="classification_window",
                severity="error",
                message=f"{item.classification}-rated {item.title!r} at {where()} is outside "
                f"the hours allowed for {item.classification}",
                item_index=index,
                params={
                    "classification": item.classification,
                    "hours": rules.hard_hours[item.classification],
                    **_where(item),
                },
            )
        )
    soft = rules.soft.get(item.classification)
    if soft is not None and not soft.covers(item.start_frames, item.end_frames):
        found.append(
            Violation(
                code="classification_recommended",
                severity="warning",
                message=f"{item.classification}-rated {item.title!r} at {where()} is outside "
                "the recommended hours",
                item_index=index,
                params={
                    "classification": item.classification,
                    "hours": rules.soft_hours[item.classification],
                    **_where(item),
                },
            )
        )
    if item.asset_id is not None:
        problem = library.problem(item.asset_id)
        if problem is not None:
            found.append(
                Violation(
                    code=problem,
                    severity="error",
                    message=f"{item.title!r} at {where()} cannot air: {problem.replace('_', ' ')}",
                    item_index=index,
                    params={"asset_id": item.asset_id, **_where(item)},
                )
            )
    if "pending_rendition" in item.flags:
        found.append(
            Violation(
                code="pending_rendition",
                severity="warning",
                message=f"{item.title!r} at {where()} has no rendition for this channel yet",
                item_index=index,
                params={"asset_id": item.asset_id or 0, **_where(item)},
                blocks_publish=True,
            )
        )
    return found


def _where(item: PlaylistItem) -> dict[str, str | int]:
    """The item's title and start, so a report can be worded without the playlist at hand."""
    return {"title": item.title, "start_frames": item.start_frames}


def _separation(index: int, item: PlaylistItem, gap: int, rules: ChannelRules) -> Violation:
    return Violation(
        code="asset_separation",
        severity="warning",
        message=f"{item.title!r} repeats at {rules.timecode(item.start_frames)}, "
        f"{max(gap, 0)} frames after its previous airing "
        f"(minimum {rules.separation_frames})",
        item_index=index,
        params={
            "asset_id": item.asset_id or 0,
            "gap_frames": gap,
            "separation_frames": rules.separation_frames,
            **_where(item),
        },
    )


def _share_checks(items: Sequence[PlaylistItem], rules: ChannelRules) -> list[Violation]:
    cap = rules.share_cap
    if cap is None:
        return []
    totals: dict[int, int] = {}
    for item in items:
        if item.agency_id is not None:
            totals[item.agency_id] = totals.get(item.agency_id, 0) + item.duration_frames
    return [
        Violation(
            code="agency_share",
            severity="warning",
            message=f"agency {agency} has {frames * 100 // rules.day.frames}% of the airtime "
            f"(cap {cap * 100 // rules.day.frames}%)",
            params={"agency_id": agency, "frames": frames, "cap_frames": cap},
        )
        for agency, frames in sorted(totals.items())
        if frames > cap
    ]
