"""Assets: who sees what, taking in an uploaded file, editing and deleting."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, false, func, true
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from mux_scheduler.agencies.models import Agency
from mux_scheduler.assets.models import (
    ApprovalState,
    Asset,
    AssetStatus,
    Rendition,
    Upload,
)
from mux_scheduler.assets.schemas import AssetCreate, AssetUpdate
from mux_scheduler.auth.access import Principal, channel_filter, get_visible, register_scope
from mux_scheduler.auth.models import Role
from mux_scheduler.channels.models import Channel, ChannelLease
from mux_scheduler.core import audit
from mux_scheduler.core.db import utcnow
from mux_scheduler.core.errors import Conflict, Forbidden, ValidationFailed
from mux_scheduler.core.settings import Settings
from mux_scheduler.jobs import queue
from mux_scheduler.jobs.models import FINISHED_STATES, Job, JobState
from mux_scheduler.scheduling.models import Playlist, PlaylistItem
from mux_scheduler.storage import IncomingFile, MediaStore, copy_into, safe_filename

ANALYSE = "assets.analyse"
TRANSCODE = "assets.transcode"


def asset_scope(principal: Principal) -> ColumnElement[bool]:
    if principal.is_staff:
        return true()
    if principal.role == Role.OPERATOR:
        return (col(Asset.approval_state) == ApprovalState.APPROVED) & _on_operator_muxes(principal)
    if principal.agency_id is None:
        return false()
    return col(Asset.agency_id) == principal.agency_id


def _on_operator_muxes(principal: Principal) -> ColumnElement[bool]:
    """Content an operator may air: of agencies leasing its channels, or already scheduled on
    them (a campaign can carry another agency's spot); never another operator's content."""
    channels = select(Channel.id).where(channel_filter(principal))
    leasing = select(ChannelLease.agency_id).where(col(ChannelLease.channel_id).in_(channels))
    scheduled = (
        select(PlaylistItem.asset_id)
        .join(Playlist, col(Playlist.id) == col(PlaylistItem.playlist_id))
        .where(col(Playlist.channel_id).in_(channels))
    )
    return col(Asset.agency_id).in_(leasing) | col(Asset.id).in_(scheduled)


def upload_scope(principal: Principal) -> ColumnElement[bool]:
    return col(Upload.user_id) == principal.user_id


register_scope(Asset, asset_scope)
register_scope(Upload, upload_scope)


def log_action(
    session: Session, principal: Principal, action: str, asset: Asset, detail: dict[str, Any]
) -> None:
    audit.record_by(
        session,
        principal,
        action,
        "Asset",
        asset.id,
        detail,
    )


def upload_agency(session: Session, principal: Principal, requested: int | None) -> int:
    """The agency an upload belongs to: editors' own, or the one staff name."""
    if principal.role == Role.OPERATOR:
        raise Forbidden("Operator accounts cannot upload content.")
    if principal.role == Role.AGENCY_EDITOR:
        if principal.agency_id is None:
            raise Forbidden("Your account is not linked to an agency.")
        if requested not in (None, principal.agency_id):
            raise Forbidden("Editors upload content for their own agency only.")
        return principal.agency_id
    if requested is None:
        raise ValidationFailed(
            "agency_id is required: say which agency this content belongs to.",
            errors=[{"loc": ["agency_id"], "msg": "required for staff uploads"}],
        )
    if session.get(Agency, requested) is None:
        raise ValidationFailed(
            f"Agency {requested} does not exist.",
            errors=[{"loc": ["agency_id"], "msg": "unknown agency"}],
        )
    return requested


def _existing(session: Session, agency_id: int, sha256: str) -> Asset | None:
    query = select(Asset).where(col(Asset.agency_id) == agency_id, col(Asset.sha256) == sha256)
    return session.exec(query).first()


def ingest(
    session: Session,
    *,
    settings: Settings,
    principal: Principal,
    meta: AssetCreate,
    agency_id: int,
    temp: Path,
    sha256: str,
    size_bytes: int,
    filename: str,
) -> Asset:
    """Turn received bytes into an asset and queue its analysis (the caller commits).

    The same file twice for one agency is refused with the existing asset's id; another agency
    gets its own asset that shares the stored bytes.
    """
    store = MediaStore(settings.media_root)
    duplicate = _existing(session, agency_id, sha256)
    if duplicate is not None:
        temp.unlink(missing_ok=True)
        raise Conflict(
            f"This file was already uploaded as asset {duplicate.id} ({duplicate.title!r})."
        )
    stored = store.store_original(temp, sha256)
    asset = Asset(
        **meta.model_dump(exclude={"agency_id"}),
        agency_id=agency_id,
        uploaded_by_id=principal.user_id,
        sha256=sha256,
        size_bytes=size_bytes,
        stored_path=stored,
        original_filename=safe_filename(filename),
    )
    session.add(asset)
    try:
        session.flush()
    except IntegrityError as exc:
        session.rollback()
        raise Conflict("This file was uploaded for the same agency at the same moment.") from exc
    log_action(session, principal, "upload", asset, {"sha256": sha256, "size": size_bytes})
    queue.enqueue(
        session,
        ANALYSE,
        {"asset_id": asset.id, "sha256": sha256},
        settings=settings,
        priority=queue.URGENT_PRIORITY if asset.urgent else 0,
        agency_id=agency_id,
        asset_id=asset.id,
    )
    return asset


def ingest_path(
    session: Session,
    *,
    settings: Settings,
    principal: Principal,
    meta: AssetCreate,
    source: Path,
) -> Asset:
    """Ingest a file already on this machine (demo clips, imports) the way uploads go."""
    agency_id = upload_agency(session, principal, meta.agency_id)
    incoming = IncomingFile(MediaStore(settings.media_root), settings.max_upload_bytes)
    try:
        with source.open("rb") as handle:
            copy_into(incoming, handle)
        sha256 = incoming.finish()
    except BaseException:
        incoming.discard()
        raise
    return ingest(
        session,
        settings=settings,
        principal=principal,
        meta=meta,
        agency_id=agency_id,
        temp=incoming.path,
        sha256=sha256,
        size_bytes=incoming.size,
        filename=source.name,
    )


def _require_editable(asset: Asset, principal: Principal) -> None:
    if principal.role == Role.OPERATOR:
        raise Forbidden("Operator accounts cannot change content.")
    if not principal.is_staff and asset.approval_state not in (
        ApprovalState.DRAFT,
        ApprovalState.REJECTED,
    ):
        raise Conflict(
            f"Asset {asset.id} is {asset.approval_state}; only drafts and rejected assets can "
            "be changed by their agency. Ask a programmer to reject it first."
        )


def update_asset(
    session: Session, *, principal: Principal, asset_id: int, changes: AssetUpdate
) -> Asset:
    asset = get_visible(session, Asset, asset_id, principal)
    _require_editable(asset, principal)
    data = changes.model_dump(exclude_unset=True)
    valid_from = data.get("valid_from", asset.valid_from)
    valid_until = data.get("valid_until", asset.valid_until)
    if valid_from and valid_until and valid_until < valid_from:
        raise ValidationFailed(
            "valid_until is before valid_from.", errors=[{"loc": ["valid_until"], "msg": "early"}]
        )
    asset.sqlmodel_update(data)
    asset.updated_at = utcnow()
    session.add(asset)
    log_action(
        session, principal, "update", asset, changes.model_dump(mode="json", exclude_unset=True)
    )
    session.commit()
    session.refresh(asset)
    return asset


def _shared(session: Session, asset: Asset) -> bool:
    others = select(func.count()).where(
        col(Asset.sha256) == asset.sha256, col(Asset.id) != asset.id
    )
    return session.exec(others).one() > 0


def delete_asset(
    session: Session, *, settings: Settings, principal: Principal, asset_id: int
) -> None:
    """Delete an asset, stop its jobs and remove every file nothing else uses."""
    asset = get_visible(session, Asset, asset_id, principal)
    _require_editable(asset, principal)
    store = MediaStore(settings.media_root)
    files = [r.path for r in session.exec(select(Rendition).where(Rendition.asset_id == asset.id))]
    if not _shared(session, asset):
        files += [asset.stored_path, asset.thumbnail_path]
    _stop_jobs(session, asset_id)
    log_action(session, principal, "delete", asset, {"title": asset.title})
    session.delete(asset)
    session.commit()
    for relative in files:
        store.remove(relative)


def _stop_jobs(session: Session, asset_id: int) -> None:
    jobs = session.exec(
        select(Job).where(
            col(Job.asset_id) == asset_id, col(Job.state).not_in(list(FINISHED_STATES))
        )
    )
    for job in jobs:
        job.cancel_requested = True
        if job.state == JobState.QUEUED:
            job.state = JobState.CANCELLED
            job.finished_at = utcnow()
            job.error = "The asset was deleted."
        session.add(job)


def mark_status(asset: Asset, status: AssetStatus, reason: str | None = None) -> None:
    asset.status = status
    asset.reject_reason = reason
    asset.updated_at = utcnow()
