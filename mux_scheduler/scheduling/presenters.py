"""Playlist rows -> API shapes, with frames shown as timecode and local wall-clock time."""

from __future__ import annotations

from fractions import Fraction
from zoneinfo import ZoneInfo

from sqlmodel import Session

from mux_scheduler.channels.models import Channel
from mux_scheduler.core.timecode import broadcast_day, format_rate, frames_to_timecode, zone_label
from mux_scheduler.scheduling.models import Playlist
from mux_scheduler.scheduling.playlists import items_of
from mux_scheduler.scheduling.schemas import ItemPublic, PlaylistPublic


def playlist_public(session: Session, channel: Channel, playlist: Playlist) -> PlaylistPublic:
    rate = Fraction(playlist.rate_num, playlist.rate_den)
    day = broadcast_day(
        playlist.broadcast_date, zone=channel.time_zone, day_start=channel.day_start, rate=rate
    )
    zone = ZoneInfo(channel.time_zone)
    items = []
    for row in items_of(session, playlist):
        assert row.id is not None
        start_at = day.instant_at(row.start_frames)
        items.append(
            ItemPublic(
                **row.model_dump(exclude={"playlist_id"}),
                start_timecode=frames_to_timecode(row.start_frames, rate),
                duration_timecode=frames_to_timecode(row.duration_frames, rate),
                start_at=start_at,
                start_local=start_at.astimezone(zone).strftime("%H:%M:%S"),
            )
        )
    assert playlist.id is not None
    return PlaylistPublic(
        **playlist.model_dump(
            include=set(PlaylistPublic.model_fields) - {"items", "frame_rate", "zone_label"}
        ),
        frame_rate=format_rate(rate),
        zone_label=zone_label(channel.time_zone),
        items=items,
    )
