"""REST routes: export formats (with custom templates), export files, deliveries."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, Response, status
from sqlmodel import Session

from mux_scheduler.auth.access import Principal, get_visible
from mux_scheduler.auth.models import Role
from mux_scheduler.channels.models import Channel
from mux_scheduler.core.crud import commit_or_conflict
from mux_scheduler.core.deps import CurrentPrincipal, SessionDep, SettingsDep
from mux_scheduler.core.errors import Conflict, DeliveryFailed
from mux_scheduler.core.settings import Settings
from mux_scheduler.delivery import history
from mux_scheduler.delivery.dispatch import export_and_deliver
from mux_scheduler.delivery.models import DeliveryStatus
from mux_scheduler.delivery.schemas import DeliveryPublic
from mux_scheduler.exports import custom_formats, service
from mux_scheduler.exports.formats.html_grid import print_pdf
from mux_scheduler.exports.registry import RenderedExport, render_export
from mux_scheduler.exports.samples import sample_playlist
from mux_scheduler.exports.schemas import ExportFormatPublic, ExportTemplateCreate

router = APIRouter(tags=["exports"])
DAY_PATH = "/channels/{channel_id}/playlists/{broadcast_date}"
VersionQuery = Annotated[
    int | None, Query(ge=1, description="A specific version (staff may export a draft).")
]


def visible_channel(channel_id: int, session: SessionDep, principal: CurrentPrincipal) -> Channel:
    return get_visible(session, Channel, channel_id, principal)


ChannelDep = Annotated[Channel, Depends(visible_channel)]


def _file_response(rendered: RenderedExport, *, disposition: str) -> Response:
    return Response(
        content=rendered.content,
        media_type=rendered.media_type,
        headers={
            "Content-Disposition": f'{disposition}; filename="{rendered.file_name}"',
            "ETag": f'"{rendered.sha256}"',
            "X-Content-SHA256": rendered.sha256,
        },
    )


def _export_day(
    session: Session,
    settings: Settings,
    channel: Channel,
    principal: Principal,
    broadcast_date: date,
    format_key: str,
    version: int | None,
) -> service.ExportResult:
    """Render, write and record one format of the day the principal may export (committed)."""
    assert channel.id is not None
    owner = service.owner_of(session, channel)
    assert owner.operator.id is not None
    fmt = custom_formats.resolve_format(
        session, key=format_key, operator_id=owner.operator.id, principal=principal
    )
    playlist = service.exportable_playlist(
        session,
        channel_id=channel.id,
        broadcast_date=broadcast_date,
        principal=principal,
        version=version,
    )
    result = service.export_playlist(
        session,
        playlists_root=settings.playlists_root,
        owner=owner,
        playlist=playlist,
        export_format=fmt,
    )
    commit_or_conflict(session, "Export")
    return result


@router.get("/export-formats", response_model=list[ExportFormatPublic])
def list_export_formats(
    session: SessionDep, principal: CurrentPrincipal
) -> list[ExportFormatPublic]:
    return custom_formats.list_formats(session, principal)


@router.post(
    "/export-formats", response_model=ExportFormatPublic, status_code=status.HTTP_201_CREATED
)
def create_export_format(
    data: ExportTemplateCreate, session: SessionDep, principal: CurrentPrincipal
) -> ExportFormatPublic:
    """Upload a custom Jinja2 template (admin); it is syntax-checked and test-rendered."""
    row = custom_formats.create_template(session, data=data, principal=principal)
    commit_or_conflict(session, "Export format")
    return custom_formats.template_public(row)


@router.get("/export-formats/{key}/preview", response_class=Response)
def preview_export_format(key: str, session: SessionDep, principal: CurrentPrincipal) -> Response:
    """The format rendered against the built-in sample day."""
    fmt = custom_formats.preview_format(session, key=key, principal=principal)
    return _file_response(render_export(fmt, sample_playlist()), disposition="inline")


@router.get(f"{DAY_PATH}/exports/{{format_key}}", response_class=Response)
def download_export(
    broadcast_date: date,
    format_key: str,
    channel: ChannelDep,
    session: SessionDep,
    settings: SettingsDep,
    principal: CurrentPrincipal,
    version: VersionQuery = None,
) -> Response:
    """The playlist file; also written under the playlists folder with its checksum."""
    result = _export_day(session, settings, channel, principal, broadcast_date, format_key, version)
    return _file_response(result.rendered, disposition="attachment")


@router.get(
    f"{DAY_PATH}/grid.pdf",
    response_class=Response,
    responses={200: {"content": {"application/pdf": {}}}, 503: {"description": "No Chromium"}},
)
def download_grid_pdf(
    broadcast_date: date,
    channel: ChannelDep,
    session: SessionDep,
    settings: SettingsDep,
    principal: CurrentPrincipal,
    version: VersionQuery = None,
) -> Response:
    """The printable day grid as PDF (headless Chromium prints the ``html`` export).

    Printed on request and not kept: a PDF carries its creation time, so unlike the export
    files it could never be byte-identical from one run to the next.
    """
    result = _export_day(session, settings, channel, principal, broadcast_date, "html", version)
    name = result.rendered.file_name.removesuffix(".html") + ".pdf"
    pdf = print_pdf(result.rendered.content.decode("utf-8"), name)
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.post(f"{DAY_PATH}/exports/{{format_key}}/deliver", response_model=DeliveryPublic)
def deliver_export(
    request: Request,
    broadcast_date: date,
    format_key: str,
    channel: ChannelDep,
    session: SessionDep,
    settings: SettingsDep,
    principal: CurrentPrincipal,
    version: VersionQuery = None,
    force: Annotated[bool, Query(description="Send again even if delivered.")] = False,
) -> DeliveryPublic:
    """Export and deliver to the operator's target now (staff); retried with backoff."""
    principal.require(Role.ADMIN, Role.PROGRAMMER)
    assert channel.id is not None
    owner = service.owner_of(session, channel)
    assert owner.operator.id is not None
    if not owner.operator.delivery_target:
        # Nothing to retry: say what to configure instead of failing after five attempts.
        raise Conflict(
            f"Operator {owner.operator.name} has no delivery target: set delivery_kind and "
            "delivery_target on the operator (a folder, sftp:// or https:// address) first."
        )
    fmt = custom_formats.resolve_format(
        session, key=format_key, operator_id=owner.operator.id, principal=principal
    )
    playlist = service.exportable_playlist(
        session,
        channel_id=channel.id,
        broadcast_date=broadcast_date,
        principal=principal,
        version=version,
    )
    outcome = export_and_deliver(
        session,
        request.app.state.engine,
        settings,
        owner=owner,
        playlist=playlist,
        export_format=fmt,
        trigger="manual",
        requested_by=principal.user_id,
        force=force,
    )
    delivery = outcome.delivery
    assert delivery.id is not None
    if delivery.status != DeliveryStatus.DELIVERED:
        raise DeliveryFailed(
            f"{outcome.export.file_name} could not be delivered after {delivery.attempts} "
            f"attempt(s): {delivery.last_error}",
            errors=[{"delivery_id": delivery.id, "attempts": delivery.attempts}],
        )
    attempts = history.attempts_by_delivery(session, [delivery.id])
    return history.delivery_public(
        delivery, outcome.export, playlist.version, attempts.get(delivery.id, [])
    )


@router.get(f"{DAY_PATH}/deliveries", response_model=list[DeliveryPublic])
def list_deliveries(
    broadcast_date: date, channel: ChannelDep, session: SessionDep, principal: CurrentPrincipal
) -> list[DeliveryPublic]:
    """Every delivery of the day (all versions and formats), newest first, with attempts."""
    principal.require(Role.ADMIN, Role.PROGRAMMER, Role.OPERATOR)
    assert channel.id is not None
    return history.channel_day_history(
        session, channel_id=channel.id, broadcast_date=broadcast_date
    )
