"""XMLTV EPG (xmltv.dtd): EPG events only, in the channel's own zone offset (+0700/+0800/+0900)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from mux_scheduler.exports.context import ExportPlaylist
from mux_scheduler.exports.dvb import genre_of
from mux_scheduler.exports.epg import epg_events
from mux_scheduler.exports.jinja import render_template
from mux_scheduler.exports.timing import instant_at_second

XMLTV_LANGUAGES = {"ind": "id", "eng": "en"}


class XmltvProgramme(NamedTuple):
    start: str
    stop: str
    title: str
    description: str
    language: str
    category: str
    rating: str


def xmltv_time(instant: datetime, zone: ZoneInfo) -> str:
    """``YYYYMMDDhhmmss +hhmm`` as the DTD asks (local wall time with its offset)."""
    return instant.astimezone(zone).strftime("%Y%m%d%H%M%S %z")


def xmltv_context(playlist: ExportPlaylist) -> dict[str, Any]:
    day = playlist.day
    zone = ZoneInfo(day.zone)
    programmes = []
    for event in epg_events(playlist):
        item = event.item
        programmes.append(
            XmltvProgramme(
                start=xmltv_time(instant_at_second(day, event.start_offset_frames), zone),
                stop=xmltv_time(instant_at_second(day, event.end_offset_frames), zone),
                title=item.title,
                description=item.description.strip(),
                language=item.language.split("-")[0].lower(),
                category=genre_of(item.genre, item.item_type).label,
                rating=item.classification,
            )
        )
    return {
        "channel": playlist.channel,
        "generator": "mux-scheduler",
        "programmes": programmes,
    }


def render_xmltv(playlist: ExportPlaylist) -> str:
    return render_template("xmltv.xml.j2", xmltv_context(playlist))
