"""Re-check a finished item list (an amended or hand-edited day) without rebuilding it."""

from __future__ import annotations

from collections.abc import Sequence

from mux_scheduler.engine.constraints import ChannelRules, audit
from mux_scheduler.engine.inputs import Campaign, DayContext, History, LibraryAsset
from mux_scheduler.engine.items import PlaylistItem, Report, Violation
from mux_scheduler.engine.library import Library
from mux_scheduler.engine.report import build_report


def validate_day(
    context: DayContext,
    items: Sequence[PlaylistItem],
    *,
    library: Sequence[LibraryAsset],
    campaigns: Sequence[Campaign] = (),
    history: History | None = None,
) -> Report:
    """The same constraint audit a build runs, plus the shape checks an edit could break."""
    day = context.day
    history = history or History()
    violations = list(_shape(items, day.frames))
    violations += audit(
        items,
        rules=ChannelRules(day, context.constraints),
        library=Library(library, day.broadcast_date, campaigns),
        last_aired_end_at=history.last_aired_end_at,
    )
    return build_report(items, violations, (), day.frames)


def _shape(items: Sequence[PlaylistItem], day_frames: int) -> list[Violation]:
    position = 0
    found = []
    for index, item in enumerate(items):
        if item.start_frames != position or item.duration_frames <= 0:
            found.append(
                Violation(
                    code="not_contiguous",
                    severity="error",
                    message=f"item {index} starts at {item.start_frames}, expected {position}",
                    item_index=index,
                    params={
                        "start_frames": item.start_frames,
                        "expected_frames": position,
                        "duration_frames": item.duration_frames,
                    },
                )
            )
        position = item.start_frames + item.duration_frames
    if position != day_frames:
        found.append(
            Violation(
                code="day_length",
                severity="error",
                message=f"the day holds {position} frames, it must hold exactly {day_frames}",
                params={"filled_frames": position, "day_frames": day_frames},
            )
        )
    return found
