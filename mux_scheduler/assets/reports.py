"""Reading an asset's QC reports, renditions, poster and rendition files (scope-checked)."""

from __future__ import annotations

from pathlib import Path

from sqlmodel import Session, col, select

from mux_scheduler.assets.models import Asset, AssetQC, Rendition, RenditionStatus
from mux_scheduler.assets.schemas import AssetPublic, AssetQCPublic
from mux_scheduler.auth.access import Principal, channel_filter, get_visible
from mux_scheduler.auth.models import Role
from mux_scheduler.channels.models import Channel, TechnicalProfile
from mux_scheduler.core.errors import NotFound
from mux_scheduler.core.settings import Settings
from mux_scheduler.storage import MediaStore


def to_public(asset: Asset) -> AssetPublic:
    data = asset.model_dump(exclude={"probe"}, warnings=False)
    return AssetPublic(
        **data,
        probe=asset.probe.get("summary", {}),
        has_thumbnail=asset.thumbnail_path is not None,
    )


def qc_reports(session: Session, *, principal: Principal, asset_id: int) -> list[AssetQCPublic]:
    get_visible(session, Asset, asset_id, principal)
    rows = session.exec(
        select(AssetQC, TechnicalProfile.name)
        .join(TechnicalProfile, col(TechnicalProfile.id) == col(AssetQC.profile_id))
        .where(col(AssetQC.asset_id) == asset_id)
        .order_by(col(AssetQC.profile_id))
    )
    return [
        AssetQCPublic(
            profile_id=qc.profile_id,
            profile_name=name,
            status=qc.status,
            items=qc.items,
            created_at=qc.created_at,
        )
        for qc, name in rows
    ]


def renditions(session: Session, *, principal: Principal, asset_id: int) -> list[Rendition]:
    get_visible(session, Asset, asset_id, principal)
    query = select(Rendition).where(col(Rendition.asset_id) == asset_id)
    return list(session.exec(query.order_by(col(Rendition.profile_id))))


def thumbnail_file(
    session: Session, *, settings: Settings, principal: Principal, asset_id: int
) -> Path:
    asset = get_visible(session, Asset, asset_id, principal)
    if asset.thumbnail_path is None:
        raise NotFound(f"Asset {asset_id} has no poster image yet (analysis not finished).")
    return _existing_file(settings, asset.thumbnail_path)


def rendition_file(
    session: Session, *, settings: Settings, principal: Principal, asset_id: int, profile_id: int
) -> Path:
    """Operators download renditions for the profiles of channels on their own muxes."""
    get_visible(session, Asset, asset_id, principal)
    if principal.role == Role.OPERATOR:
        airs_here = select(Channel.id).where(
            col(Channel.profile_id) == profile_id, channel_filter(principal)
        )
        if session.exec(airs_here).first() is None:
            raise NotFound(f"No rendition of asset {asset_id} for profile {profile_id} is yours.")
    rendition = session.exec(
        select(Rendition).where(
            col(Rendition.asset_id) == asset_id, col(Rendition.profile_id) == profile_id
        )
    ).first()
    if rendition is None or rendition.status != RenditionStatus.READY or rendition.path is None:
        raise NotFound(f"Asset {asset_id} has no finished rendition for profile {profile_id}.")
    return _existing_file(settings, rendition.path)


def _existing_file(settings: Settings, relative: str) -> Path:
    path = MediaStore(settings.media_root).path(relative)
    if not path.is_file():
        raise NotFound("The stored file is missing; ask the administrator to check the storage.")
    return path
