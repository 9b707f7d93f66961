"""As-run ingest and per-day reconciliation against the playlist version that was on air.

Callers commit: an upload is one transaction, so a file that fails anywhere stores nothing.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from fractions import Fraction
from typing import Any

from sqlalchemy import insert
from sqlmodel import Session, col, select

from mux_scheduler.asrun.bxf import parse_bxf_asrun
from mux_scheduler.asrun.clock import ChannelClock, seconds_between
from mux_scheduler.asrun.csv_log import parse_csv_log
from mux_scheduler.asrun.models import AsRunEvent, AsRunLog
from mux_scheduler.asrun.parsed import AsRunParseError, ParsedEvent
from mux_scheduler.asrun.reconcile import Result, Slot, Tolerance, reconcile
from mux_scheduler.auth.access import Principal
from mux_scheduler.channels.models import Channel, TechnicalProfile
from mux_scheduler.core import audit
from mux_scheduler.core.errors import Conflict, NotFound, ValidationFailed
from mux_scheduler.core.timecode import (
    BroadcastDay,
    broadcast_date_of,
    broadcast_day,
    seconds_to_frames,
)
from mux_scheduler.scheduling.models import Playlist, PlaylistItem

ON_AIR_STATES = ("published", "locked")
MAX_EVENTS = 50_000
PARSERS: dict[str, Callable[[bytes, ChannelClock], list[ParsedEvent]]] = {
    "bxf": parse_bxf_asrun,
    "csv": parse_csv_log,
}


def channel_clock(session: Session, channel: Channel) -> ChannelClock:
    profile = session.get(TechnicalProfile, channel.profile_id)
    if profile is None:
        raise NotFound(f"Channel {channel.id} has no technical profile.")
    return ChannelClock(channel.time_zone, channel.day_start, profile.frame_rate)


def detect_format(data: bytes) -> str:
    """XML starts with ``<`` (after a BOM or blank lines); everything else is read as CSV."""
    head = data.lstrip(b"\xef\xbb\xbf\xff\xfe \t\r\n")[:1]
    return "bxf" if head == b"<" else "csv"


def parse(data: bytes, clock: ChannelClock) -> tuple[str, list[ParsedEvent]]:
    log_format = detect_format(data)
    try:
        events = PARSERS[log_format](data, clock)
    except AsRunParseError as exc:
        raise ValidationFailed(
            f"The as-run log cannot be read ({log_format}): {exc}",
            errors=[{"loc": [exc.location], "msg": exc.message, "type": "as-run"}],
        ) from exc
    if len(events) > MAX_EVENTS:
        raise ValidationFailed(f"An as-run log may hold at most {MAX_EVENTS} events.")
    return log_format, events


def ingest(
    session: Session, *, channel: Channel, data: bytes, file_name: str, principal: Principal
) -> AsRunLog:
    assert channel.id is not None
    clock = channel_clock(session, channel)
    log_format, events = parse(data, clock)
    digest = hashlib.sha256(data).hexdigest()
    duplicate = session.exec(
        select(AsRunLog).where(AsRunLog.channel_id == channel.id, AsRunLog.sha256 == digest)
    ).first()
    if duplicate is not None:
        raise Conflict(
            f"This file was already uploaded for this channel (as-run log {duplicate.id})."
        )
    dates = [
        broadcast_date_of(e.aired_at, zone=clock.zone, day_start=clock.day_start) for e in events
    ]
    log = AsRunLog(
        channel_id=channel.id,
        first_date=min(dates),
        last_date=max(dates),
        uploaded_by=principal.user_id,
        file_name=file_name[:255],
        sha256=digest,
        format=log_format,
        event_count=len(events),
    )
    session.add(log)
    session.flush()
    session.execute(
        insert(AsRunEvent), [_row(log, e, d) for e, d in zip(events, dates, strict=True)]
    )
    audit.record_by(
        session,
        principal,
        "as-run.upload",
        "AsRunLog",
        log.id,
        {"channel_id": channel.id, "events": len(events), "format": log_format},
    )
    return log


def _row(log: AsRunLog, event: ParsedEvent, broadcast_date: date) -> dict[str, Any]:
    return {
        "log_id": log.id,
        "channel_id": log.channel_id,
        "broadcast_date": broadcast_date,
        "aired_at": event.aired_at,
        "duration_frames": event.duration_frames,
        "house_id": event.house_id,
        "event_uid": event.event_uid,
        "title": event.title,
        "raw": event.raw,
    }


def on_air_playlists(
    session: Session, *, channel_ids: Iterable[int], first: date, last: date
) -> dict[tuple[int, date], Playlist]:
    """The newest published or locked version of each channel-day: what went to playout."""
    query = select(Playlist).where(
        col(Playlist.channel_id).in_(list(channel_ids)),
        col(Playlist.broadcast_date) >= first,
        col(Playlist.broadcast_date) <= last,
        col(Playlist.state).in_(ON_AIR_STATES),
    )
    found: dict[tuple[int, date], Playlist] = {}
    for playlist in session.exec(query.order_by(col(Playlist.version))):
        found[(playlist.channel_id, playlist.broadcast_date)] = playlist
    return found


def items_by_playlist(
    session: Session, playlist_ids: Sequence[int]
) -> dict[int, list[PlaylistItem]]:
    grouped: dict[int, list[PlaylistItem]] = defaultdict(list)
    if not playlist_ids:
        return grouped
    query = select(PlaylistItem).where(col(PlaylistItem.playlist_id).in_(playlist_ids))
    for item in session.exec(
        query.order_by(col(PlaylistItem.playlist_id), col(PlaylistItem.position))
    ):
        grouped[item.playlist_id].append(item)
    return grouped


def as_run_events(
    session: Session, *, channel_ids: Iterable[int], first: date, last: date
) -> dict[tuple[int, date], list[AsRunEvent]]:
    query = select(AsRunEvent).where(
        col(AsRunEvent.channel_id).in_(list(channel_ids)),
        col(AsRunEvent.broadcast_date) >= first,
        col(AsRunEvent.broadcast_date) <= last,
    )
    grouped: dict[tuple[int, date], list[AsRunEvent]] = defaultdict(list)
    for event in session.exec(query.order_by(col(AsRunEvent.aired_at), col(AsRunEvent.id))):
        grouped[(event.channel_id, event.broadcast_date)].append(event)
    return {key: effective_events(events) for key, events in grouped.items()}


def effective_events(events: Sequence[AsRunEvent]) -> list[AsRunEvent]:
    """A later upload is authoritative for the time span it covers.

    Logs cut at midnight (two per broadcast day) add up; a re-uploaded, corrected log
    replaces the earlier events of the span it covers instead of doubling them.
    """
    by_log: dict[int, list[AsRunEvent]] = defaultdict(list)
    for event in events:
        by_log[event.log_id].append(event)
    kept: list[AsRunEvent] = []
    covered: list[tuple[datetime, datetime]] = []
    for log_id in sorted(by_log, reverse=True):
        own = by_log[log_id]
        kept.extend(e for e in own if not any(s <= e.aired_at <= f for s, f in covered))
        covered.append((min(e.aired_at for e in own), max(e.aired_at for e in own)))
    return sorted(kept, key=lambda e: (e.aired_at, e.id or 0))


def playlist_rate(playlist: Playlist) -> Fraction:
    return Fraction(playlist.rate_num, playlist.rate_den)


def offset_frames(playlist: Playlist, instant: datetime) -> int:
    """Nearest frame: stored instants are rounded to the microsecond, frames are exact."""
    seconds = seconds_between(instant, playlist.start_at)
    return seconds_to_frames(seconds, playlist_rate(playlist), nearest=True)


def reconcile_playlist(
    playlist: Playlist, items: Sequence[PlaylistItem], events: Sequence[AsRunEvent]
) -> Result:
    planned = [
        Slot(i.id or 0, i.start_frames, i.duration_frames, i.house_id, i.event_uid) for i in items
    ]
    aired = [
        Slot(
            e.id or 0,
            offset_frames(playlist, e.aired_at),
            e.duration_frames,
            e.house_id,
            e.event_uid,
        )
        for e in events
    ]
    return reconcile(planned, aired, Tolerance.default(playlist_rate(playlist)))


@dataclass(frozen=True)
class DayReconciliation:
    """``result`` is None while no as-run covers the day: planned, not yet confirmed."""

    playlist: Playlist
    items: list[PlaylistItem]
    events: list[AsRunEvent]
    result: Result | None


def reconcile_day(session: Session, *, channel: Channel, broadcast_date: date) -> DayReconciliation:
    assert channel.id is not None
    key = (channel.id, broadcast_date)
    playlist = on_air_playlists(
        session, channel_ids=[channel.id], first=broadcast_date, last=broadcast_date
    ).get(key)
    if playlist is None:
        raise NotFound(
            f"No published playlist for channel {channel.id} on {broadcast_date.isoformat()}."
        )
    assert playlist.id is not None
    items = items_by_playlist(session, [playlist.id]).get(playlist.id, [])
    events = as_run_events(
        session, channel_ids=[channel.id], first=broadcast_date, last=broadcast_date
    ).get(key, [])
    result = reconcile_playlist(playlist, items, events) if events else None
    return DayReconciliation(playlist, items, events, result)


def playlist_day(playlist: Playlist, channel: Channel) -> BroadcastDay:
    return broadcast_day(
        playlist.broadcast_date,
        zone=channel.time_zone,
        day_start=channel.day_start,
        rate=playlist_rate(playlist),
    )
