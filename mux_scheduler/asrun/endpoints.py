"""REST routes: upload an as-run log (multipart ``file`` or the raw body), reconcile a day."""

from __future__ import annotations

from collections.abc import AsyncGenerator
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, status
from fastapi.concurrency import run_in_threadpool
from sqlalchemy import ColumnElement
from sqlmodel import Session, col, select
from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser

from mux_scheduler.asrun import service
from mux_scheduler.asrun.models import AsRunLog
from mux_scheduler.asrun.presenters import present
from mux_scheduler.asrun.schemas import AsRunLogPublic, ReconciliationPublic
from mux_scheduler.auth.access import Principal, channel_filter, get_visible, register_scope, scope
from mux_scheduler.auth.models import Role
from mux_scheduler.channels.models import Channel
from mux_scheduler.core.crud import commit_or_conflict, integrity_as_conflict, paginate
from mux_scheduler.core.deps import CurrentPrincipal, PageDep, SessionDep
from mux_scheduler.core.errors import PayloadTooLarge, ValidationFailed
from mux_scheduler.scheduling.models import PlaylistItem

MAX_LOG_BYTES = 16 * 1024 * 1024
MULTIPART_SLACK = 64 * 1024
UPLOAD_ROLES = (Role.ADMIN, Role.PROGRAMMER, Role.OPERATOR)

router = APIRouter(tags=["as-run"])


def _log_scope(principal: Principal) -> ColumnElement[bool]:
    return col(AsRunLog.channel_id).in_(select(Channel.id).where(channel_filter(principal)))


register_scope(AsRunLog, _log_scope)


async def _read_capped(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise PayloadTooLarge(f"An as-run log may be at most {MAX_LOG_BYTES} bytes.")
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise PayloadTooLarge(f"An as-run log may be at most {MAX_LOG_BYTES} bytes.")
        chunks.append(chunk)
    return b"".join(chunks)


async def _multipart_file(request: Request, body: bytes) -> tuple[bytes, str]:
    async def stream() -> AsyncGenerator[bytes, None]:
        yield body

    try:
        form = await MultiPartParser(request.headers, stream(), max_files=1, max_fields=8).parse()
    except MultiPartException as exc:
        raise ValidationFailed(f"Unreadable multipart body: {exc.message}") from exc
    try:
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise ValidationFailed("Send the log as the multipart part named 'file'.")
        return await upload.read(), upload.filename or ""
    finally:
        await form.close()


async def log_upload(
    request: Request, file_name: Annotated[str, Query(max_length=255)] = ""
) -> tuple[bytes, str]:
    """The log bytes and its name, read with a hard size cap before anything is parsed."""
    body = await _read_capped(request, MAX_LOG_BYTES + MULTIPART_SLACK)
    if request.headers.get("content-type", "").startswith("multipart/form-data"):
        data, name = await _multipart_file(request, body)
    else:
        data, name = body, file_name
    if len(data) > MAX_LOG_BYTES:
        raise PayloadTooLarge(f"An as-run log may be at most {MAX_LOG_BYTES} bytes.")
    if not data.strip():
        raise ValidationFailed("The as-run log is empty.")
    return data, name or file_name


_UPLOAD_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {"file": {"type": "string", "format": "binary"}},
                    "required": ["file"],
                }
            },
            "application/xml": {"schema": {"type": "string"}},
            "text/csv": {"schema": {"type": "string"}},
        },
    }
}


def uploader(principal: CurrentPrincipal) -> Principal:
    """Checked before the body is read: an editor's upload is refused without reading it."""
    principal.require(*UPLOAD_ROLES)
    return principal


def _ingest(
    session: Session, principal: Principal, channel_id: int, data: bytes, name: str
) -> AsRunLog:
    channel = get_visible(session, Channel, channel_id, principal)
    with integrity_as_conflict(session, "As-run log"):  # two uploads of one file racing
        log = service.ingest(
            session, channel=channel, data=data, file_name=name, principal=principal
        )
    commit_or_conflict(session, "As-run log")
    return log


@router.post(
    "/channels/{channel_id}/as-run",
    response_model=AsRunLogPublic,
    status_code=status.HTTP_201_CREATED,
    summary="Upload an as-run log (BXF AsRun XML or CSV)",
    openapi_extra=_UPLOAD_BODY,
)
async def upload_as_run(
    channel_id: int,
    session: SessionDep,
    principal: Annotated[Principal, Depends(uploader)],
    upload: Annotated[tuple[bytes, str], Depends(log_upload)],
) -> AsRunLog:
    data, name = upload
    return await run_in_threadpool(_ingest, session, principal, channel_id, data, name)


@router.get(
    "/channels/{channel_id}/as-run",
    response_model=list[AsRunLogPublic],
    summary="List uploaded as-run logs",
)
def list_as_run(
    channel_id: int, session: SessionDep, principal: CurrentPrincipal, page: PageDep
) -> list[AsRunLog]:
    get_visible(session, Channel, channel_id, principal)
    query = scope(AsRunLog, principal).where(AsRunLog.channel_id == channel_id)
    return paginate(session, query.order_by(col(AsRunLog.id).desc()), page)


@router.get(
    "/channels/{channel_id}/as-run/{broadcast_date}/reconciliation",
    response_model=ReconciliationPublic,
    summary="Planned items against the as-run: aired, late, short, missed, extra",
)
def reconciliation(
    channel_id: int, broadcast_date: date, session: SessionDep, principal: CurrentPrincipal
) -> ReconciliationPublic:
    channel = get_visible(session, Channel, channel_id, principal)
    found = service.reconcile_day(session, channel=channel, broadcast_date=broadcast_date)
    editor = principal.role == Role.AGENCY_EDITOR

    def visible(item: PlaylistItem) -> bool:
        return not editor or item.agency_id == principal.agency_id

    return present(found, channel, visible=visible, show_extras=not editor)
