"""DVB EIT schedule as TSDuck XML (for ``tsp -P eitinject`` or ``tsxml --compile``).

Element and attribute names follow TSDuck's table model: ``type`` is ``pf`` or the 4-bit
schedule index (``0`` = table_id 0x50, EIT schedule actual); the per-event scrambling flag is
``CA_mode``. Start times are UTC ``YYYY-MM-DD hh:mm:ss``; boundaries are rounded to the second
(so events tile exactly) and each duration is below 24 hours. ``running_status`` is
``undefined`` in a schedule: the injector (eitinject) sets running/not-running for p/f itself.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from mux_scheduler.exports.context import ExportPlaylist
from mux_scheduler.exports.dvb import (
    MAX_EVENT_SECONDS,
    Genre,
    content_nibbles,
    dvb_rating,
    event_ids,
    language_code,
    short_event_texts,
)
from mux_scheduler.exports.epg import epg_events
from mux_scheduler.exports.jinja import render_template
from mux_scheduler.exports.timing import hms, instant_at_second

SCHEDULE_TABLE_INDEX = 0
COUNTRY_CODE = "IDN"


class EitEvent(NamedTuple):
    event_id: int
    start_time: str
    duration: str
    language: str
    name: str
    text: str
    contents: tuple[Genre, ...]
    rating: int


def eit_context(playlist: ExportPlaylist) -> dict[str, Any]:
    day = playlist.day
    events = epg_events(playlist)
    ids = event_ids(day.broadcast_date, [event.item.event_id for event in events])
    rows = []
    for event, event_id in zip(events, ids, strict=True):
        item = event.item
        start = instant_at_second(day, event.start_offset_frames)
        end = instant_at_second(day, event.end_offset_frames)
        seconds = int((end - start).total_seconds())
        if not 0 < seconds <= MAX_EVENT_SECONDS:
            raise ValueError(f"EIT event {item.event_id} lasts {seconds} s (must be 1 s..24 h)")
        name, text = short_event_texts(item.title, item.description)
        rows.append(
            EitEvent(
                event_id=event_id,
                start_time=start.strftime("%Y-%m-%d %H:%M:%S"),
                duration=hms(seconds),
                language=language_code(item.language),
                name=name,
                text=text,
                contents=content_nibbles(item.genre, item.item_type),
                rating=dvb_rating(item.classification),
            )
        )
    channel = playlist.channel
    return {
        "table_index": SCHEDULE_TABLE_INDEX,
        "last_table_id": 0x50 + SCHEDULE_TABLE_INDEX,
        "version": playlist.version % 32,
        "channel": channel,
        "country_code": COUNTRY_CODE,
        "events": rows,
    }


def render_eit(playlist: ExportPlaylist) -> str:
    return render_template("eit.xml.j2", eit_context(playlist))
