"""Build, version, publish and lock channel-days; manual edits that survive rebuilds.

Callers commit. A build never rewrites a version: it adds one, so what was published (and
perhaps delivered) stays exactly as it was.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, insert, update
from sqlmodel import Session, col, select

from mux_scheduler import engine
from mux_scheduler.auth.access import Principal
from mux_scheduler.channels.models import Channel, TechnicalProfile
from mux_scheduler.core import audit
from mux_scheduler.core.db import utcnow
from mux_scheduler.core.errors import Conflict, NotFound, ValidationFailed
from mux_scheduler.core.timecode import BroadcastDay, broadcast_day
from mux_scheduler.scheduling import mapping
from mux_scheduler.scheduling.library import load_library
from mux_scheduler.scheduling.models import Playlist, PlaylistEdit, PlaylistItem, ScheduleRule
from mux_scheduler.scheduling.rules_service import PLANNERS, campaigns_for_channel

EVENT_NAMESPACE = uuid.UUID("6f1c7a52-7d43-4c55-9d7e-3b0f3b8b2a11")
READABLE_STATES = ("published", "locked")


def channel_day(session: Session, channel: Channel, broadcast_date: date) -> BroadcastDay:
    profile = session.get(TechnicalProfile, channel.profile_id)
    if profile is None:
        raise NotFound(f"Channel {channel.id} has no technical profile.")
    return broadcast_day(
        broadcast_date, zone=channel.time_zone, day_start=channel.day_start, rate=profile.frame_rate
    )


def latest(
    session: Session,
    *,
    channel_id: int,
    broadcast_date: date,
    states: tuple[str, ...] | None = None,
) -> Playlist | None:
    query = select(Playlist).where(
        Playlist.channel_id == channel_id, Playlist.broadcast_date == broadcast_date
    )
    if states is not None:
        query = query.where(col(Playlist.state).in_(states))
    return session.exec(query.order_by(col(Playlist.version).desc())).first()


def readable_playlist(
    session: Session,
    *,
    channel: Channel,
    broadcast_date: date,
    principal: Principal,
    version: int | None = None,
) -> Playlist:
    """Staff see drafts; editors and operators see only what was published."""
    assert channel.id is not None
    states = None if principal.role in PLANNERS else READABLE_STATES
    if version is not None:
        row = session.exec(
            select(Playlist).where(
                Playlist.channel_id == channel.id,
                Playlist.broadcast_date == broadcast_date,
                Playlist.version == version,
            )
        ).first()
        if row is not None and (states is None or row.state in states):
            return row
    else:
        found = latest(session, channel_id=channel.id, broadcast_date=broadcast_date, states=states)
        if found is not None:
            return found
    raise NotFound(f"No playlist for channel {channel.id} on {broadcast_date.isoformat()}.")


def items_of(session: Session, playlist: Playlist) -> list[PlaylistItem]:
    query = select(PlaylistItem).where(PlaylistItem.playlist_id == playlist.id)
    return list(session.exec(query.order_by(col(PlaylistItem.position))))


def _history(session: Session, channel_id: int, broadcast_date: date) -> engine.History:
    previous = latest(
        session, channel_id=channel_id, broadcast_date=broadcast_date - timedelta(days=1)
    )
    if previous is None:
        return engine.History()
    return mapping.history_from_json(previous.next_state)


def _event_uid(channel_id: int, broadcast_date: date, item: engine.PlaylistItem) -> str:
    """Stable across rebuilds for an unchanged item, so exports can send only what changed."""
    name = (
        f"{channel_id}/{broadcast_date}/{item.start_frames}/{item.house_id}/{item.duration_frames}"
    )
    return uuid.uuid5(EVENT_NAMESPACE, name).hex


def active_edits(session: Session, *, channel_id: int, broadcast_date: date) -> list[PlaylistEdit]:
    query = select(PlaylistEdit).where(
        PlaylistEdit.channel_id == channel_id,
        PlaylistEdit.broadcast_date == broadcast_date,
        col(PlaylistEdit.active).is_(True),
    )
    return list(session.exec(query.order_by(col(PlaylistEdit.id))))


def compute(
    session: Session, *, channel: Channel, broadcast_date: date
) -> tuple[BroadcastDay, engine.BuildResult]:
    """Run the engine for a channel-day from what the database holds now (no writes)."""
    assert channel.id is not None
    day = channel_day(session, channel, broadcast_date)
    rules = session.exec(
        select(ScheduleRule).where(
            ScheduleRule.channel_id == channel.id, col(ScheduleRule.enabled).is_(True)
        )
    ).all()
    campaigns = campaigns_for_channel(session, channel_id=channel.id)
    edits = active_edits(session, channel_id=channel.id, broadcast_date=broadcast_date)
    excluded = {e.asset_id for e in edits if e.op == "exclude"}
    library = [
        a for a in load_library(session, channel=channel, day=day) if a.asset_id not in excluded
    ]
    resolve_tag = _tag_resolver(library)
    context = engine.DayContext(
        channel_id=channel.id,
        day=day,
        constraints=mapping.constraints_from_channel(channel.constraints),
    )
    result = engine.build_day(
        context,
        library=library,
        rules=[mapping.rule_to_engine(r, resolve_tag) for r in rules],
        campaigns=[mapping.campaign_to_engine(c) for c in campaigns],
        locked=mapping.locked_from_edits(edits),
        history=_history(session, channel.id, broadcast_date),
    )
    return day, result


def _tag_resolver(library: list[engine.LibraryAsset]) -> mapping.TagResolver:
    def resolve(tag: str) -> int | None:
        tagged = [a for a in library if tag in a.tags and a.approved]
        return min((a.asset_id for a in tagged), default=None)

    return resolve


def build(
    session: Session, *, channel: Channel, broadcast_date: date, principal: Principal | None
) -> Playlist:
    """Build a new draft version (``principal`` is None for the nightly scheduler)."""
    if principal is not None:
        principal.require(*PLANNERS)
    assert channel.id is not None
    current = latest(session, channel_id=channel.id, broadcast_date=broadcast_date)
    if current is not None and current.state == "locked":
        raise Conflict(
            f"{broadcast_date.isoformat()} is locked on {channel.name}; it cannot be rebuilt."
        )
    day, result = compute(session, channel=channel, broadcast_date=broadcast_date)
    playlist = Playlist(
        channel_id=channel.id,
        broadcast_date=broadcast_date,
        version=(current.version + 1) if current else 1,
        rate_num=day.rate.numerator,
        rate_den=day.rate.denominator,
        day_frames=day.frames,
        start_at=day.start_at,
        report=mapping.report_to_json(result.report),
        next_state=mapping.history_to_json(result.state),
        error_count=len(result.report.errors),
        warning_count=len(result.report.warnings),
        built_by=principal.user_id if principal else None,
    )
    session.add(playlist)
    session.flush()
    insert_items(session, playlist, channel.id, result.items)
    if principal is not None:
        _log(session, principal, "build", playlist, {"items": len(result.items)})
    return playlist


def insert_items(
    session: Session, playlist: Playlist, channel_id: int, items: tuple[engine.PlaylistItem, ...]
) -> None:
    rows: list[dict[str, Any]] = [
        {
            "playlist_id": playlist.id,
            "position": position,
            "event_uid": _event_uid(channel_id, playlist.broadcast_date, item),
            "start_frames": item.start_frames,
            "duration_frames": item.duration_frames,
            "som_frames": item.som_frames,
            "eom_frames": item.eom_frames,
            "item_type": item.item_type,
            "asset_id": item.asset_id,
            "house_id": item.house_id[:100],
            "title": item.title[:300],
            "source": item.source[:100],
            "agency_id": item.agency_id,
            "classification": item.classification,
            "locked": item.locked,
            "flags": list(item.flags),
        }
        for position, item in enumerate(items)
    ]
    if rows:
        session.execute(insert(PlaylistItem), rows)


def publish(
    session: Session, *, channel: Channel, broadcast_date: date, principal: Principal | None
) -> Playlist:
    if principal is not None:
        principal.require(*PLANNERS)
    assert channel.id is not None
    playlist = latest(session, channel_id=channel.id, broadcast_date=broadcast_date)
    if playlist is None:
        raise NotFound(f"Nothing to publish: {broadcast_date.isoformat()} has not been built.")
    if playlist.state in ("published", "locked"):
        return playlist
    blockers = [
        v
        for v in playlist.report.get("violations", [])
        if v["severity"] == "error" or v["blocks_publish"]
    ]
    if blockers:
        raise ValidationFailed(
            f"Version {playlist.version} has {len(blockers)} problem(s) to fix before publishing.",
            errors=[
                {"code": v["code"], "msg": v["message"], "item_index": v["item_index"]}
                for v in blockers
            ],
        )
    session.execute(
        update(Playlist)
        .where(
            col(Playlist.channel_id) == channel.id,
            col(Playlist.broadcast_date) == broadcast_date,
            col(Playlist.state) == "published",
        )
        .values(state="superseded")
    )
    playlist.state = "published"
    playlist.published_at = utcnow()
    playlist.published_by = principal.user_id if principal else None
    session.add(playlist)
    if principal is not None:
        _log(session, principal, "publish", playlist, {})
    return playlist


def lock(
    session: Session, *, channel: Channel, broadcast_date: date, principal: Principal
) -> Playlist:
    principal.require(*PLANNERS)
    assert channel.id is not None
    playlist = latest(session, channel_id=channel.id, broadcast_date=broadcast_date)
    if playlist is None or playlist.state not in ("published", "locked"):
        raise Conflict("Only a published playlist can be locked; publish it first.")
    playlist.state = "locked"
    playlist.locked_at = utcnow()
    session.add(playlist)
    _log(session, principal, "lock", playlist, {})
    return playlist


def item_count(session: Session, playlist_ids: list[int]) -> dict[int, int]:
    rows = session.exec(
        select(PlaylistItem.playlist_id, func.count())
        .where(col(PlaylistItem.playlist_id).in_(playlist_ids))
        .group_by(col(PlaylistItem.playlist_id))
    ).all()
    return {playlist_id: count for playlist_id, count in rows}


def _log(
    session: Session, principal: Principal, action: str, playlist: Playlist, detail: dict[str, Any]
) -> None:
    audit.record_by(
        session,
        principal,
        action,
        "Playlist",
        playlist.id,
        {
            "channel_id": playlist.channel_id,
            "date": playlist.broadcast_date.isoformat(),
            "version": playlist.version,
            **detail,
        },
    )
