"""REST routes for assets: streamed upload, listing, metadata, approval, QC and files."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, status
from fastapi.responses import FileResponse
from sqlmodel import col

from mux_scheduler.assets import reports, review, service
from mux_scheduler.assets.models import ApprovalState, Asset, AssetKind, AssetStatus, Rendition
from mux_scheduler.assets.multipart import receive_multipart
from mux_scheduler.assets.schemas import (
    AssetPublic,
    AssetQCPublic,
    AssetUpdate,
    RenditionPublic,
    ReviewRequest,
    parse_asset_meta,
)
from mux_scheduler.auth.access import get_visible, scope
from mux_scheduler.auth.models import Role
from mux_scheduler.core.crud import paginate
from mux_scheduler.core.deps import CurrentPrincipal, PageDep, SessionDep, SettingsDep
from mux_scheduler.core.errors import Forbidden, PayloadTooLarge
from mux_scheduler.storage import IncomingFile, MediaStore

router = APIRouter(prefix="/assets", tags=["assets"])

# Room for the metadata fields and multipart framing around the file itself.
FORM_OVERHEAD_BYTES = 1024 * 1024

_UPLOAD_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file", "title"],
                    "properties": {
                        "file": {"type": "string", "format": "binary"},
                        "title": {"type": "string"},
                        "kind": {"type": "string", "enum": [k.value for k in AssetKind]},
                        "classification": {"type": "string", "enum": ["P", "A", "R", "D", "SU"]},
                        "language": {"type": "string", "example": "id"},
                        "tags": {"type": "string", "description": "comma-separated or JSON list"},
                        "valid_from": {"type": "string", "format": "date"},
                        "valid_until": {"type": "string", "format": "date"},
                        "urgent": {"type": "boolean"},
                        "agency_id": {"type": "integer", "description": "staff only"},
                    },
                }
            }
        },
    }
}


@router.post(
    "",
    response_model=AssetPublic,
    status_code=status.HTTP_201_CREATED,
    summary="Upload a file with its metadata (multipart, streamed to disk)",
    openapi_extra=_UPLOAD_BODY,
)
async def upload_asset(
    request: Request, session: SessionDep, principal: CurrentPrincipal, settings: SettingsDep
) -> AssetPublic:
    if principal.role == Role.OPERATOR:
        raise Forbidden("Operator accounts cannot upload content.")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > settings.max_upload_bytes + FORM_OVERHEAD_BYTES:
        raise PayloadTooLarge(
            f"The upload is larger than this server accepts ({settings.max_upload_bytes} bytes)."
        )
    incoming = IncomingFile(MediaStore(settings.media_root), settings.max_upload_bytes)
    try:
        parsed = await receive_multipart(
            request.stream(), request.headers.get("content-type", ""), incoming
        )
        sha256 = incoming.finish()
        meta = parse_asset_meta(parsed.fields)
        asset = service.ingest(
            session,
            settings=settings,
            principal=principal,
            meta=meta,
            agency_id=service.upload_agency(session, principal, meta.agency_id),
            temp=incoming.path,
            sha256=sha256,
            size_bytes=incoming.size,
            filename=parsed.filename or "upload",
        )
        session.commit()
    except BaseException:
        incoming.discard()
        raise
    return reports.to_public(asset)


@router.get("", response_model=list[AssetPublic], summary="List assets")
def list_assets(
    session: SessionDep,
    principal: CurrentPrincipal,
    page: PageDep,
    agency_id: Annotated[int | None, Query()] = None,
    kind: Annotated[AssetKind | None, Query()] = None,
    approval_state: Annotated[ApprovalState | None, Query()] = None,
    asset_status: Annotated[AssetStatus | None, Query(alias="status")] = None,
    q: Annotated[str | None, Query(max_length=100, description="words in the title")] = None,
) -> list[AssetPublic]:
    query = scope(Asset, principal)
    for column, value in (
        (Asset.agency_id, agency_id),
        (Asset.kind, kind),
        (Asset.approval_state, approval_state),
        (Asset.status, asset_status),
    ):
        if value is not None:
            query = query.where(col(column) == value)
    if q:
        query = query.where(col(Asset.title).ilike(f"%{q}%"))
    if approval_state == ApprovalState.SUBMITTED:
        # The approver's queue: urgent uploads first (the fast track), then oldest first.
        query = query.order_by(col(Asset.urgent).desc(), col(Asset.updated_at), col(Asset.id))
    else:
        query = query.order_by(col(Asset.id).desc())
    rows = paginate(session, query, page)
    return [reports.to_public(row) for row in rows]


@router.get("/{asset_id}", response_model=AssetPublic, summary="Get one asset")
def get_asset(asset_id: int, session: SessionDep, principal: CurrentPrincipal) -> AssetPublic:
    return reports.to_public(get_visible(session, Asset, asset_id, principal))


@router.patch("/{asset_id}", response_model=AssetPublic, summary="Change an asset's metadata")
def update_asset(
    asset_id: int, changes: AssetUpdate, session: SessionDep, principal: CurrentPrincipal
) -> AssetPublic:
    asset = service.update_asset(session, principal=principal, asset_id=asset_id, changes=changes)
    return reports.to_public(asset)


@router.delete("/{asset_id}", status_code=status.HTTP_204_NO_CONTENT, summary="Delete an asset")
def delete_asset(
    asset_id: int, session: SessionDep, principal: CurrentPrincipal, settings: SettingsDep
) -> None:
    service.delete_asset(session, settings=settings, principal=principal, asset_id=asset_id)


@router.post("/{asset_id}/submit", response_model=AssetPublic, summary="Submit for approval")
def submit(asset_id: int, session: SessionDep, principal: CurrentPrincipal) -> AssetPublic:
    return reports.to_public(review.submit(session, principal=principal, asset_id=asset_id))


@router.post("/{asset_id}/approve", response_model=AssetPublic, summary="Approve (staff)")
def approve(
    asset_id: int,
    session: SessionDep,
    principal: CurrentPrincipal,
    body: ReviewRequest | None = None,
) -> AssetPublic:
    comment = body.comment if body else None
    asset = review.approve(session, principal=principal, asset_id=asset_id, comment=comment)
    return reports.to_public(asset)


@router.post("/{asset_id}/reject", response_model=AssetPublic, summary="Reject with a comment")
def reject(
    asset_id: int, body: ReviewRequest, session: SessionDep, principal: CurrentPrincipal
) -> AssetPublic:
    asset = review.reject(session, principal=principal, asset_id=asset_id, comment=body.comment)
    return reports.to_public(asset)


@router.get("/{asset_id}/qc", response_model=list[AssetQCPublic], summary="QC per profile")
def qc(asset_id: int, session: SessionDep, principal: CurrentPrincipal) -> list[AssetQCPublic]:
    return reports.qc_reports(session, principal=principal, asset_id=asset_id)


@router.get("/{asset_id}/renditions", response_model=list[RenditionPublic], summary="Renditions")
def renditions(asset_id: int, session: SessionDep, principal: CurrentPrincipal) -> list[Rendition]:
    return reports.renditions(session, principal=principal, asset_id=asset_id)


@router.get(
    "/{asset_id}/thumbnail",
    response_class=FileResponse,
    summary="Poster image (JPEG)",
    responses={200: {"content": {"image/jpeg": {}}}},
)
def thumbnail(
    asset_id: int, session: SessionDep, principal: CurrentPrincipal, settings: SettingsDep
) -> FileResponse:
    path = reports.thumbnail_file(
        session, settings=settings, principal=principal, asset_id=asset_id
    )
    return FileResponse(path, media_type="image/jpeg", headers={"Cache-Control": "private"})


@router.get(
    "/{asset_id}/renditions/{profile_id}/file",
    response_class=FileResponse,
    summary="Download a rendition (MPEG-TS)",
    responses={200: {"content": {"video/mp2t": {}}}},
)
def rendition_file(
    asset_id: int,
    profile_id: int,
    session: SessionDep,
    principal: CurrentPrincipal,
    settings: SettingsDep,
) -> FileResponse:
    path = reports.rendition_file(
        session, settings=settings, principal=principal, asset_id=asset_id, profile_id=profile_id
    )
    return FileResponse(
        path, media_type="video/mp2t", filename=f"asset-{asset_id}-profile-{profile_id}.ts"
    )
