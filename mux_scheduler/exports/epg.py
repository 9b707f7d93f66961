"""EPG events: programmes and live items, with the interstitials around them merged in.

Receivers and EPG guides show programmes, not 30-second ILMs. As a real EPG does, each EPG
item's slot runs until the next EPG item starts, so the breaks after a programme belong to it;
interstitials before the first EPG item of the day belong to that first event. The events
therefore tile the span from the first item to the last one without gaps.
"""

from __future__ import annotations

from dataclasses import dataclass

from mux_scheduler.exports.context import ExportItem, ExportPlaylist


@dataclass(frozen=True)
class EpgEvent:
    item: ExportItem
    """The programme or live item that names the event."""
    start_offset_frames: int
    duration_frames: int

    @property
    def end_offset_frames(self) -> int:
        return self.start_offset_frames + self.duration_frames


def epg_events(playlist: ExportPlaylist) -> tuple[EpgEvent, ...]:
    items = playlist.items
    anchors = [index for index, item in enumerate(items) if item.is_epg_event]
    if not anchors:
        return ()
    events: list[EpgEvent] = []
    for position, index in enumerate(anchors):
        first = items[0] if position == 0 else items[index]
        if position + 1 < len(anchors):
            end = items[anchors[position + 1]].start_offset_frames
        else:
            end = items[-1].end_offset_frames
        start = first.start_offset_frames
        events.append(EpgEvent(items[index], start, end - start))
    return tuple(events)
