"""Rapid response: amend today's published playlists with an urgent item, from now on.

Items that already aired or start inside the safety margin never move. Each amended day is
re-validated and published as a new version at once; delivery to the operators follows in
the same request (see ``delivery_hook``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import update
from sqlmodel import Session, col, select

from mux_scheduler import engine
from mux_scheduler.assets.models import Asset
from mux_scheduler.auth.access import Principal, get_visible, scope
from mux_scheduler.channels.models import Channel, Multiplex
from mux_scheduler.core import audit
from mux_scheduler.core.db import utcnow
from mux_scheduler.core.errors import NotFound, ValidationFailed
from mux_scheduler.core.timecode import BroadcastDay, broadcast_date_of, frames_to_timecode
from mux_scheduler.engine.amend import (
    Amendment,
    InsertDoesNotFit,
    Insertion,
    amend,
    next_break_offset,
)
from mux_scheduler.scheduling import mapping, playlists
from mux_scheduler.scheduling.library import load_library
from mux_scheduler.scheduling.models import Playlist, PlaylistItem, RapidInsert, ScheduleRule
from mux_scheduler.scheduling.rules_service import PLANNERS
from mux_scheduler.scheduling.schemas import (
    InsertChange,
    InsertChannelResult,
    InsertCreate,
    Placement,
)

SAFETY_MARGIN = timedelta(minutes=5)
DeliveryHook = Callable[[Session, Playlist, set[str]], list[dict[str, Any]]]


def create_insert(
    session: Session,
    *,
    data: InsertCreate,
    principal: Principal,
    now: datetime | None = None,
    margin: timedelta = SAFETY_MARGIN,
    delivery_hook: DeliveryHook | None = None,
) -> RapidInsert:
    principal.require(*PLANNERS)
    now = now or utcnow()
    asset = session.get(Asset, data.asset_id)
    if asset is None or asset.approval_state != "approved":
        raise ValidationFailed(
            f"Asset {data.asset_id} must exist and be approved before it can air."
        )
    channels = _target_channels(session, data, principal)
    row = RapidInsert(
        asset_id=data.asset_id,
        reason=data.reason,
        placement=data.placement.model_dump(mode="json"),
        channel_ids=[c.id for c in channels if c.id is not None],
        requested_by=principal.user_id,
    )
    session.add(row)
    session.flush()
    results = [
        _amend_channel(session, row, channel, data.placement, now, margin, principal)
        for channel in channels
    ]
    if delivery_hook is not None:
        for result, channel in zip(results, channels, strict=True):
            if result.ok and result.broadcast_date is not None:
                playlist = playlists.latest(
                    session, channel_id=channel.id or 0, broadcast_date=result.broadcast_date
                )
                assert playlist is not None
                result.deliveries = delivery_hook(
                    session, playlist, _changed_uids(session, playlist)
                )
    row.results = [r.model_dump(mode="json") for r in results]
    session.add(row)
    audit.record(
        session,
        actor_id=principal.user_id,
        actor_name=principal.username,
        action="rapid_insert",
        entity="RapidInsert",
        entity_id=row.id,
        detail={"reason": data.reason, "asset_id": data.asset_id, "results": row.results},
    )
    return row


def _target_channels(session: Session, data: InsertCreate, principal: Principal) -> list[Channel]:
    channels = [get_visible(session, Channel, cid, principal) for cid in data.channel_ids]
    if data.multiplex_id is not None:
        mux = get_visible(session, Multiplex, data.multiplex_id, principal)
        channels += list(
            session.exec(scope(Channel, principal).where(col(Channel.multiplex_id) == mux.id))
        )
    unique = {c.id: c for c in channels}
    return [unique[k] for k in sorted(unique, key=lambda k: k or 0)]


def _amend_channel(
    session: Session,
    row: RapidInsert,
    channel: Channel,
    placement: Placement,
    now: datetime,
    margin: timedelta,
    principal: Principal,
) -> InsertChannelResult:
    assert channel.id is not None
    on_air = broadcast_date_of(now, zone=channel.time_zone, day_start=channel.day_start)
    result = InsertChannelResult(channel_id=channel.id, ok=False, broadcast_date=on_air)
    current = playlists.latest(
        session, channel_id=channel.id, broadcast_date=on_air, states=playlists.READABLE_STATES
    )
    if current is None:
        result.error = (
            f"No published playlist for {on_air.isoformat()} on {channel.name}: "
            "publish the day first."
        )
        result.error_code = "not_published"
        return result
    day = playlists.channel_day(session, channel, on_air)
    library = {a.asset_id: a for a in load_library(session, channel=channel, day=day)}
    spot = library.get(row.asset_id)
    if spot is None or not spot.rendition_ready:
        result.error = f"The asset has no ready rendition for {channel.name}'s profile yet."
        result.error_code = "no_rendition"
        return result
    items = tuple(_engine_item(i) for i in playlists.items_of(session, current))
    frozen_until = day.offset_of(now + margin) + 1  # the frame on air then is already out of reach
    try:
        amended, offsets = _apply(
            items, spot, placement, day, frozen_until, _anchors(session, channel, items), row
        )
    except InsertDoesNotFit as exc:
        result.error = str(exc)
        result.error_code, result.error_params = exc.reason, dict(exc.params)
        return result
    new = _publish_amended(session, channel, current, day, amended.items, library, principal)
    result.ok = True
    result.version = new.version
    result.placed_at = [
        day.local_at(o).strftime("%H:%M:%S") + f" {day.zone_label}" for o in offsets
    ]
    result.changes = [_change_public(c, day) for c in amended.changes]
    return result


def _apply(
    items: tuple[engine.PlaylistItem, ...],
    spot: engine.LibraryAsset,
    placement: Placement,
    day: BroadcastDay,
    frozen_until: int,
    anchors: frozenset[int],
    row: RapidInsert,
) -> tuple[Amendment, list[int]]:
    offsets = _offsets(items, placement, day, frozen_until)
    changes: list[Any] = []
    for offset in offsets:
        insertion = Insertion(
            at_frames=offset,
            duration_frames=spot.duration_frames,
            asset_id=spot.asset_id,
            house_id=spot.house_id,
            title=spot.title,
            item_type=spot.kind,
            source=f"insert:{row.id}",
            agency_id=spot.agency_id,
            classification=spot.classification,
        )
        step = amend(items, insertion, frozen_until=frozen_until, anchors=anchors)
        items = step.items
        changes.extend(step.changes)
        frozen_until = offset + spot.duration_frames
    return Amendment(items=items, changes=tuple(changes)), offsets


def _offsets(
    items: tuple[engine.PlaylistItem, ...],
    placement: Placement,
    day: BroadcastDay,
    frozen_until: int,
) -> list[int]:
    if placement.mode == "next_break":
        return [next_break_offset(items, not_before=frozen_until)]
    first = (
        day.offset_of(placement.at)
        if placement.at
        else next_break_offset(items, not_before=frozen_until)
    )
    if placement.at is not None and not day.contains(placement.at):
        raise InsertDoesNotFit(
            "The requested time is not in today's broadcast day.", reason="outside_day"
        )
    if placement.mode == "at":
        return [first]
    assert placement.every_minutes is not None and placement.until is not None
    step = day.offset_of(day.start_at + timedelta(minutes=placement.every_minutes))
    last = min(day.offset_of(placement.until), day.frames - 1)
    return list(range(first, last + 1, step)) or [first]


def _anchors(
    session: Session, channel: Channel, items: tuple[engine.PlaylistItem, ...]
) -> frozenset[int]:
    """Start offsets of items that are on the clock: mandatory, locked, fixed-mode events."""
    fixed_rules = {
        f"rule:{r.id}"
        for r in session.exec(select(ScheduleRule).where(ScheduleRule.channel_id == channel.id))
        if r.kind == "fixed_event" and r.spec.get("start_mode", "fixed") == "fixed"
    }
    return frozenset(
        i.start_frames
        for i in items
        if i.locked or i.source.startswith("mandatory") or i.source in fixed_rules
    )


def _publish_amended(
    session: Session,
    channel: Channel,
    current: Playlist,
    day: BroadcastDay,
    items: tuple[engine.PlaylistItem, ...],
    library: dict[int, engine.LibraryAsset],
    principal: Principal,
) -> Playlist:
    context = engine.DayContext(
        channel_id=channel.id or 0,
        day=day,
        constraints=mapping.constraints_from_channel(channel.constraints),
    )
    report = engine.validate_day(context, items, library=list(library.values()))
    newest = playlists.latest(
        session, channel_id=channel.id or 0, broadcast_date=day.broadcast_date
    )
    assert newest is not None
    state, locked_at = current.state, current.locked_at  # read before the update expires them
    session.execute(
        update(Playlist)
        .where(
            col(Playlist.channel_id) == channel.id,
            col(Playlist.broadcast_date) == day.broadcast_date,
            col(Playlist.state).in_(playlists.READABLE_STATES),
        )
        .values(state="superseded")
    )
    playlist = Playlist(
        channel_id=channel.id or 0,
        broadcast_date=day.broadcast_date,
        version=newest.version + 1,
        state=state,
        rate_num=current.rate_num,
        rate_den=current.rate_den,
        day_frames=current.day_frames,
        start_at=current.start_at,
        report=mapping.report_to_json(report),
        next_state=current.next_state,
        error_count=len(report.errors),
        warning_count=len(report.warnings),
        built_by=principal.user_id,
        published_by=principal.user_id,
        published_at=utcnow(),
        locked_at=locked_at,
    )
    session.add(playlist)
    session.flush()
    playlists.insert_items(session, playlist, channel.id or 0, items)
    return playlist


def _changed_uids(session: Session, playlist: Playlist) -> set[str]:
    """Events of this version that the previous published version did not have as-is."""
    previous = session.exec(
        select(Playlist)
        .where(
            Playlist.channel_id == playlist.channel_id,
            Playlist.broadcast_date == playlist.broadcast_date,
            Playlist.version < playlist.version,
            Playlist.state == "superseded",
        )
        .order_by(col(Playlist.version).desc())
    ).first()
    new = {i.event_uid for i in playlists.items_of(session, playlist)}
    if previous is None:
        return new
    return new - {i.event_uid for i in playlists.items_of(session, previous)}


def _engine_item(row: PlaylistItem) -> engine.PlaylistItem:
    return engine.PlaylistItem(
        start_frames=row.start_frames,
        duration_frames=row.duration_frames,
        som_frames=row.som_frames,
        eom_frames=row.eom_frames,
        item_type=row.item_type,
        asset_id=row.asset_id,
        house_id=row.house_id,
        title=row.title,
        source=row.source,
        agency_id=row.agency_id,
        classification=mapping.classification(row.classification),
        locked=row.locked,
        flags=tuple(row.flags),
    )


def _change_public(change: Any, day: BroadcastDay) -> InsertChange:
    def at(offset: int | None) -> str | None:
        return None if offset is None else frames_to_timecode(offset, day.rate)

    def local(offset: int | None) -> str | None:
        return None if offset is None else day.local_at(offset).strftime("%H:%M:%S")

    return InsertChange(
        action=change.action,
        title=change.title,
        house_id=change.house_id,
        before_start=at(change.before_start_frames),
        after_start=at(change.after_start_frames),
        frames=change.frames,
        before_local=local(change.before_start_frames),
        after_local=local(change.after_start_frames),
    )


def get_insert(session: Session, insert_id: int, principal: Principal) -> RapidInsert:
    principal.require(*PLANNERS)
    row = session.get(RapidInsert, insert_id)
    if row is None:
        raise NotFound(f"Insert {insert_id} does not exist.")
    return row
