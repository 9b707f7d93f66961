"""A day's reconciliation as the API shows it; editors see only their agency's items."""

from __future__ import annotations

from collections.abc import Callable

from mux_scheduler.asrun.models import AsRunEvent
from mux_scheduler.asrun.reconcile import Outcome, Status, Tolerance
from mux_scheduler.asrun.schemas import (
    ExtraEvent,
    ReconciledItem,
    ReconciliationPublic,
    ToleranceOut,
)
from mux_scheduler.asrun.service import (
    DayReconciliation,
    offset_frames,
    playlist_day,
    playlist_rate,
)
from mux_scheduler.channels.models import Channel
from mux_scheduler.core.timecode import BroadcastDay, format_rate, frames_to_timecode
from mux_scheduler.scheduling.models import PlaylistItem

NO_AS_RUN = "planned (no as-run yet)"
RECONCILED = "reconciled"


def _item(
    item: PlaylistItem,
    day: BroadcastDay,
    outcome: Outcome | None,
    events: dict[int, AsRunEvent],
) -> ReconciledItem:
    row = ReconciledItem(
        position=item.position,
        event_uid=item.event_uid,
        house_id=item.house_id,
        title=item.title,
        item_type=item.item_type,
        source=item.source,
        agency_id=item.agency_id,
        planned_start_at=day.local_at(item.start_frames),
        planned_start_frames=item.start_frames,
        planned_duration_frames=item.duration_frames,
        planned_duration=frames_to_timecode(item.duration_frames, day.rate),
        status=outcome.status.value if outcome else NO_AS_RUN,
    )
    if outcome is None or outcome.aired_key is None:
        return row
    event = events[outcome.aired_key]
    return row.model_copy(
        update={
            "matched_by": outcome.matched_by,
            "as_run_event_id": event.id,
            "aired_at": event.aired_at.astimezone(day.local_at(0).tzinfo),
            "aired_duration_frames": event.duration_frames,
            "aired_duration": frames_to_timecode(event.duration_frames, day.rate),
            "offset_frames": outcome.offset_frames,
            "shortfall_frames": outcome.shortfall_frames,
        }
    )


def _extra(event: AsRunEvent, day: BroadcastDay, start_frames: int) -> ExtraEvent:
    return ExtraEvent(
        as_run_event_id=event.id or 0,
        aired_at=event.aired_at.astimezone(day.local_at(0).tzinfo),
        start_frames=start_frames,
        duration_frames=event.duration_frames,
        duration=frames_to_timecode(event.duration_frames, day.rate),
        house_id=event.house_id,
        event_uid=event.event_uid,
        title=event.title,
    )


def present(
    found: DayReconciliation,
    channel: Channel,
    *,
    visible: Callable[[PlaylistItem], bool],
    show_extras: bool,
) -> ReconciliationPublic:
    playlist, result = found.playlist, found.result
    assert playlist.id is not None and channel.id is not None
    day = playlist_day(playlist, channel)
    events = {e.id or 0: e for e in found.events}
    outcomes = {o.planned_key: o for o in result.outcomes} if result else {}
    items = [
        _item(item, day, outcomes.get(item.id or 0), events)
        for item in found.items
        if visible(item)
    ]
    extras = (
        [_extra(events[k], day, offset_frames(playlist, events[k].aired_at)) for k in result.extras]
        if result and show_extras
        else []
    )
    counts: dict[str, int] = {s.value: 0 for s in Status} if result else {NO_AS_RUN: 0}
    for row in items:
        counts[row.status] += 1
    if result:
        counts[Status.EXTRA.value] = len(extras)
    tolerance = Tolerance.default(playlist_rate(playlist)) if result else None
    return ReconciliationPublic(
        channel_id=channel.id,
        broadcast_date=playlist.broadcast_date,
        playlist_id=playlist.id,
        playlist_version=playlist.version,
        playlist_state=playlist.state,
        frame_rate=format_rate(day.rate),
        status=RECONCILED if result else NO_AS_RUN,
        tolerance=ToleranceOut(
            start_frames=tolerance.start_frames,
            duration_frames=tolerance.duration_frames,
            match_window_frames=tolerance.match_window_frames,
        )
        if tolerance
        else None,
        counts=counts,
        items=items,
        extras=extras,
    )
