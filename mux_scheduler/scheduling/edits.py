"""Manual edits: each is stored as a locked item (or an exclusion) and the day is rebuilt.

Storing the edit rather than the edited list is what lets it survive later rebuilds: the
engine schedules everything else around it, so the day stays gap-free and exact.
"""

from __future__ import annotations

from datetime import date

from sqlmodel import Session

from mux_scheduler import engine
from mux_scheduler.auth.access import Principal
from mux_scheduler.channels.models import Channel
from mux_scheduler.core import audit
from mux_scheduler.core.errors import Conflict, NotFound, ValidationFailed
from mux_scheduler.scheduling import playlists
from mux_scheduler.scheduling.library import load_library
from mux_scheduler.scheduling.models import Playlist, PlaylistEdit, PlaylistItem
from mux_scheduler.scheduling.rules_service import PLANNERS
from mux_scheduler.scheduling.schemas import ItemEdit


def apply_edit(
    session: Session,
    *,
    channel: Channel,
    broadcast_date: date,
    item_id: int,
    edit: ItemEdit,
    principal: Principal,
) -> Playlist:
    principal.require(*PLANNERS)
    assert channel.id is not None
    current = playlists.latest(session, channel_id=channel.id, broadcast_date=broadcast_date)
    item = session.get(PlaylistItem, item_id)
    if current is None or item is None or item.playlist_id != current.id:
        raise NotFound(
            f"Item {item_id} is not in the latest version of {broadcast_date.isoformat()}."
        )
    if current.state == "locked":
        raise Conflict("The day is locked; manual edits are closed.")
    for row in _edits_for(session, channel, broadcast_date, item, edit, principal):
        session.add(row)
    session.flush()
    audit.record_by(
        session,
        principal,
        f"edit.{edit.action}",
        "PlaylistItem",
        item.id,
        {"channel_id": channel.id, "date": broadcast_date.isoformat(), **edit.model_dump()},
    )
    return playlists.build(
        session, channel=channel, broadcast_date=broadcast_date, principal=principal
    )


def _edits_for(
    session: Session,
    channel: Channel,
    broadcast_date: date,
    item: PlaylistItem,
    edit: ItemEdit,
    principal: Principal,
) -> list[PlaylistEdit]:
    assert channel.id is not None
    existing = _lock_edit_at(session, channel.id, broadcast_date, item)
    if edit.action == "remove":
        if existing is not None:
            existing.active = False
            return [existing]
        if item.asset_id is None:
            raise ValidationFailed(
                "This item has no asset to remove; change the rule that placed it."
            )
        return [_edit(channel.id, broadcast_date, principal, op="exclude", asset_id=item.asset_id)]
    if edit.action == "move":
        assert edit.start_frames is not None
        if existing is not None:
            existing.active = False
        return [
            *([existing] if existing else []),
            _lock(channel.id, broadcast_date, principal, item, start=edit.start_frames),
        ]
    assert edit.asset_id is not None
    asset = _library_asset(session, channel, broadcast_date, edit.asset_id)
    replaced = [existing] if (existing is not None and edit.action == "replace") else []
    for row in replaced:
        row.active = False
    added = _edit(
        channel.id,
        broadcast_date,
        principal,
        op="lock",
        asset_id=asset.asset_id,
        start_frames=item.start_frames,
        duration_frames=asset.duration_frames,
        som_frames=asset.som_frames,
        title=asset.title,
        item_type=asset.kind,
    )
    return [*replaced, added]


def _lock(
    channel_id: int, broadcast_date: date, principal: Principal, item: PlaylistItem, *, start: int
) -> PlaylistEdit:
    return _edit(
        channel_id,
        broadcast_date,
        principal,
        op="lock",
        asset_id=item.asset_id,
        start_frames=start,
        duration_frames=item.duration_frames,
        som_frames=item.som_frames,
        title=item.title,
        item_type=item.item_type,
    )


def _edit(
    channel_id: int, broadcast_date: date, principal: Principal, **fields: object
) -> PlaylistEdit:
    return PlaylistEdit.model_validate(
        {
            "channel_id": channel_id,
            "broadcast_date": broadcast_date,
            "created_by": principal.user_id,
            **fields,
        }
    )


def _lock_edit_at(
    session: Session, channel_id: int, broadcast_date: date, item: PlaylistItem
) -> PlaylistEdit | None:
    if not item.locked:
        return None
    for row in playlists.active_edits(
        session, channel_id=channel_id, broadcast_date=broadcast_date
    ):
        if (
            row.op == "lock"
            and row.start_frames == item.start_frames
            and row.asset_id == item.asset_id
        ):
            return row
    return None


def _library_asset(
    session: Session, channel: Channel, broadcast_date: date, asset_id: int
) -> engine.LibraryAsset:
    day = playlists.channel_day(session, channel, broadcast_date)
    for asset in load_library(session, channel=channel, day=day):
        if asset.asset_id == asset_id:
            if not asset.approved or not asset.valid_on(broadcast_date):
                raise ValidationFailed(
                    f"Asset {asset_id} is not approved or not valid on {broadcast_date}."
                )
            return asset
    raise NotFound(f"Asset {asset_id} is not available on channel {channel.name}.")
