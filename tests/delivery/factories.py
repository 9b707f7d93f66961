"""A gap-free broadcast day written straight into Playlist + PlaylistItem rows.

No engine, no assets: 48 half-hour-ish items whose durations sum to the day's frames, with a
few hostile titles, so export, delivery and automation tests stand on their own.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

from sqlmodel import Session, select

from mux_scheduler.channels.models import Channel, ChannelLease
from mux_scheduler.scheduling.models import Playlist, PlaylistItem
from mux_scheduler.scheduling.playlists import channel_day

ITEMS_PER_DAY = 48
TYPES = ("programme", "ilm", "station_id", "filler", "programme", "promo")
HOSTILE = ('<b>Siaran & "Pers"</b>', "=cmd|' /C calc'!A0", "Warta — Mudik Aman")
NAMESPACE = uuid.UUID("1b2f5a8e-5f4c-4f77-9b8e-0f6a4c2d9e31")
PUBLISHED_AT = datetime(2026, 11, 30, 7, 0, tzinfo=UTC)


def make_day(
    session: Session,
    *,
    channel_id: int,
    broadcast_date: date,
    state: str = "published",
    version: int = 1,
    blockers: int = 0,
    asset_ids: list[int] | None = None,
) -> Playlist:
    channel = session.get(Channel, channel_id)
    assert channel is not None
    day = channel_day(session, channel, broadcast_date)
    agency_ids = list(
        session.exec(select(ChannelLease.agency_id).where(ChannelLease.channel_id == channel_id))
    )
    playlist = Playlist(
        channel_id=channel_id,
        broadcast_date=broadcast_date,
        version=version,
        state=state,
        rate_num=day.rate.numerator,
        rate_den=day.rate.denominator,
        day_frames=day.frames,
        start_at=day.start_at,
        report=_report(blockers),
        error_count=blockers,
        published_at=PUBLISHED_AT if state in ("published", "locked") else None,
    )
    session.add(playlist)
    session.flush()
    length = day.frames // ITEMS_PER_DAY
    start = 0
    for position in range(ITEMS_PER_DAY):
        duration = length if position < ITEMS_PER_DAY - 1 else day.frames - start
        session.add(
            _item(playlist, channel_id, position, start, duration, agency_ids, asset_ids or [])
        )
        start += duration
    session.commit()
    return playlist


def _item(
    playlist: Playlist,
    channel_id: int,
    position: int,
    start: int,
    duration: int,
    agency_ids: list[int],
    asset_ids: list[int],
) -> PlaylistItem:
    assert playlist.id is not None
    item_type = TYPES[position % len(TYPES)]
    title = HOSTILE[position % len(HOSTILE)] if position % 7 == 3 else f"Acara {position:02d}"
    seed = f"{channel_id}/{playlist.broadcast_date}/{position}/{playlist.version}"
    return PlaylistItem(
        playlist_id=playlist.id,
        position=position,
        event_uid=uuid.uuid5(NAMESPACE, seed).hex,
        start_frames=start,
        duration_frames=duration,
        som_frames=0,
        eom_frames=duration,
        item_type=item_type,
        asset_id=asset_ids[position % len(asset_ids)] if asset_ids else None,
        house_id=f"HUM-{position:04d}",
        title=title,
        source="fill" if position else "locked",
        agency_id=agency_ids[position % len(agency_ids)] if agency_ids else None,
        classification="SU",
    )


def _report(blockers: int) -> dict[str, Any]:
    return {
        "violations": [
            {
                "code": "gap",
                "severity": "error",
                "message": f"gap {n}",
                "item_index": n,
                "blocks_publish": True,
            }
            for n in range(blockers)
        ]
    }
