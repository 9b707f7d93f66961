"""The assets a channel-day may draw from, as the engine's ``LibraryAsset`` values.

One query for the assets, one for their renditions: never a query per asset.
"""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction
from math import floor
from typing import Any, get_args

from sqlalchemy import or_
from sqlmodel import Session, col, select

from mux_scheduler import engine
from mux_scheduler.assets.models import Asset, AssetStatus, Rendition, RenditionStatus
from mux_scheduler.channels.models import Channel, ChannelLease
from mux_scheduler.core.timecode import BroadcastDay
from mux_scheduler.scheduling.models import Campaign, CampaignChannel, ScheduleRule

SOURCE_RATE = Fraction(25)  # Asset.duration_frames is counted at 25 fps
UNUSABLE = (AssetStatus.REJECTED.value, AssetStatus.FAILED.value)
_KINDS: dict[str, engine.AssetKind] = {kind: kind for kind in get_args(engine.AssetKind)}
_CLASSES: dict[str, engine.Classification] = {c: c for c in get_args(engine.Classification)}


def house_id_for(asset_id: int) -> str:
    """The house number operators' playout systems know the asset by."""
    return f"MUX{asset_id:07d}"


def referenced_asset_ids(spec: Any) -> set[int]:
    return set(_referenced_ids(spec))


def _referenced_ids(spec: Any) -> Iterable[int]:
    """Asset ids named anywhere in a rule spec (fixed events, pools, overrides)."""
    if isinstance(spec, dict):
        for key, value in spec.items():
            if key == "asset_id" and isinstance(value, int):
                yield value
            elif key == "asset_ids" and isinstance(value, list):
                yield from (v for v in value if isinstance(v, int))
            else:
                yield from _referenced_ids(value)
    elif isinstance(spec, list):
        for value in spec:
            yield from _referenced_ids(value)


def _explicit_ids(session: Session, channel_id: int) -> set[int]:
    specs = session.exec(select(ScheduleRule.spec).where(ScheduleRule.channel_id == channel_id))
    ids = {asset_id for spec in specs for asset_id in _referenced_ids(spec)}
    linked = select(CampaignChannel.campaign_id).where(CampaignChannel.channel_id == channel_id)
    for asset_ids in session.exec(select(Campaign.asset_ids).where(col(Campaign.id).in_(linked))):
        ids.update(asset_ids)
    return ids


def _leasing_agencies(session: Session, channel_id: int, day: BroadcastDay) -> Any:
    on = day.broadcast_date
    return select(ChannelLease.agency_id).where(
        ChannelLease.channel_id == channel_id,
        col(ChannelLease.valid_from) <= on,
        or_(col(ChannelLease.valid_until).is_(None), col(ChannelLease.valid_until) >= on),
    )


def load_library(
    session: Session, *, channel: Channel, day: BroadcastDay
) -> list[engine.LibraryAsset]:
    assert channel.id is not None
    explicit = _explicit_ids(session, channel.id)
    assets = session.exec(
        select(Asset)
        .where(
            or_(
                col(Asset.agency_id).in_(_leasing_agencies(session, channel.id, day)),
                col(Asset.id).in_(explicit),
            ),
            col(Asset.status).not_in(UNUSABLE),
            col(Asset.duration_frames).is_not(None),
        )
        .order_by(col(Asset.id))
    ).all()
    renditions = {
        r.asset_id: r
        for r in session.exec(
            select(Rendition).where(
                Rendition.profile_id == channel.profile_id,
                col(Rendition.asset_id).in_([a.id for a in assets]),
            )
        )
    }
    return [_library_asset(asset, renditions.get(asset.id or 0), day.rate) for asset in assets]


def _library_asset(
    asset: Asset, rendition: Rendition | None, rate: Fraction
) -> engine.LibraryAsset:
    assert asset.id is not None and asset.duration_frames is not None
    ready = rendition is not None and rendition.status == RenditionStatus.READY.value
    if ready and rendition is not None and rendition.duration_frames:
        duration = rendition.duration_frames
    else:
        duration = max(1, floor(Fraction(asset.duration_frames) / SOURCE_RATE * rate))
    return engine.LibraryAsset(
        asset_id=asset.id,
        house_id=house_id_for(asset.id),
        title=asset.title,
        kind=_KINDS[asset.kind],
        duration_frames=duration,
        agency_id=asset.agency_id,
        classification=_CLASSES[asset.classification],
        tags=tuple(asset.tags),
        valid_from=asset.valid_from,
        valid_until=asset.valid_until,
        approved=asset.approval_state == "approved",
        rendition_ready=ready,
        priority=10 if asset.urgent else 0,
        trimmable=asset.kind == "filler",
    )
