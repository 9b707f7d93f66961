"""Exports: each format of a channel's day to download, delivery history, "deliver now", and
custom export templates (admin) checked and previewed against the sample day."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request, UploadFile
from starlette.responses import RedirectResponse, Response

from mux_scheduler.auth.models import Role
from mux_scheduler.core.db import utcnow
from mux_scheduler.core.deps import SessionDep
from mux_scheduler.core.errors import AppError
from mux_scheduler.exports import custom_formats
from mux_scheduler.exports.custom import MAX_SOURCE_CHARS
from mux_scheduler.web.deps import SignedInDep, Viewer
from mux_scheduler.web.export_views import (
    TemplateCheck,
    default_date,
    deliver_now,
    export_day,
    operators,
    parse_template_form,
    preview_output,
    visible_channels,
)
from mux_scheduler.web.i18n import N_
from mux_scheduler.web.texts import translate

router = APIRouter(prefix="/exports")
EXPORT_ROLES = (Role.ADMIN, Role.PROGRAMMER, Role.OPERATOR)
OUTPUT_TYPES = ("xml", "html", "csv", "json", "text")
TEMPLATE_FIELDS = ("key", "label", "output_type", "file_name_pattern", "operator_id", "source")
FormStr = Annotated[str, Form()]


def _page(
    viewer: Viewer,
    session: SessionDep,
    channel_id: int | None,
    broadcast_date: date | None,
    *,
    notice: str | None = None,
    problem: str | None = None,
    status_code: int = 200,
) -> Response:
    principal = viewer.signed_in
    principal.require(*EXPORT_ROLES)
    channels = visible_channels(session, principal)
    chosen = next((c for c in channels if c.id == channel_id), channels[0] if channels else None)
    day = None
    if chosen is not None and chosen.id is not None:
        broadcast_date = broadcast_date or default_date(chosen, utcnow())
        day = export_day(session, principal, chosen.id, broadcast_date)
    return viewer.render(
        "exports/index.html",
        active="exports",
        roles=Role,
        channels=channels,
        day=day,
        notice=notice,
        problem=problem,
        status_code=status_code,
    )


@router.get("")
def exports_page(
    viewer: SignedInDep,
    session: SessionDep,
    channel: Annotated[int | None, Query()] = None,
    broadcast_date: Annotated[date | None, Query(alias="date")] = None,
) -> Response:
    return _page(viewer, session, channel, broadcast_date)


@router.post("/deliver")
def deliver(
    request: Request,
    viewer: SignedInDep,
    session: SessionDep,
    channel: Annotated[int, Form()],
    broadcast_date: Annotated[date, Form(alias="date")],
    format_key: Annotated[str, Form(alias="format", max_length=40)],
) -> Response:
    try:
        delivery = deliver_now(
            session,
            request.app.state.engine,
            viewer.settings,
            principal=viewer.signed_in,
            channel_id=channel,
            broadcast_date=broadcast_date,
            format_key=format_key,
        )
    except AppError as exc:
        session.rollback()
        return _page(viewer, session, channel, broadcast_date, problem=exc.detail, status_code=200)
    if delivery.status != "delivered":
        problem = N_("Delivery failed after %(attempts)s attempt(s): %(error)s")
        return _page(
            viewer,
            session,
            channel,
            broadcast_date,
            problem=translate(
                viewer.locale, problem, attempts=delivery.attempts, error=delivery.last_error or ""
            ),
        )
    target = f"/exports?channel={channel}&date={broadcast_date.isoformat()}&delivered=1"
    return RedirectResponse(target, status_code=303)


def _formats_page(
    viewer: Viewer,
    session: SessionDep,
    *,
    fields: dict[str, str] | None = None,
    check: TemplateCheck | None = None,
    saved: str = "",
    status_code: int = 200,
) -> Response:
    principal = viewer.signed_in
    principal.require(Role.ADMIN)
    formats = [f for f in custom_formats.list_formats(session, principal) if not f.builtin]
    return viewer.render(
        "exports/formats.html",
        active="exports",
        formats=formats,
        operators=operators(session, principal),
        output_types=OUTPUT_TYPES,
        fields=fields or {"output_type": "text", "file_name_pattern": "{channel_slug}_{date}.txt"},
        check=check,
        saved=saved,
        max_chars=MAX_SOURCE_CHARS,
        status_code=status_code,
    )


@router.get("/formats")
def formats_page(
    viewer: SignedInDep, session: SessionDep, saved: Annotated[str, Query()] = ""
) -> Response:
    return _formats_page(viewer, session, saved=saved[:40])


async def _template_fields(request: Request, source_file: UploadFile | None) -> dict[str, str]:
    form = await request.form()
    fields = {name: str(form.get(name) or "").strip() for name in TEMPLATE_FIELDS}
    fields["source"] = str(form.get("source") or "")
    if source_file is not None and source_file.filename:
        raw = await source_file.read(MAX_SOURCE_CHARS * 4 + 1)
        fields["source"] = raw.decode("utf-8", errors="replace")
    return fields


@router.post("/formats")
async def upload_template(
    request: Request,
    viewer: SignedInDep,
    session: SessionDep,
    action: FormStr = "preview",
    source_file: UploadFile | None = None,
) -> Response:
    """``action=preview`` checks and renders without saving; ``action=save`` stores it."""
    viewer.signed_in.require(Role.ADMIN)
    fields = await _template_fields(request, source_file)
    check = parse_template_form(fields)
    if check.data is None:
        return _formats_page(viewer, session, fields=fields, check=check, status_code=422)
    try:
        row = custom_formats.create_template(session, data=check.data, principal=viewer.signed_in)
        output = preview_output(check.data)
    except AppError as exc:
        session.rollback()
        problems = [exc.detail] + [
            f"{err.get('line', '')}: {err.get('message', '')}"
            for err in exc.errors
            if "line" in err
        ]
        failed = TemplateCheck(check.data, problems)
        return _formats_page(viewer, session, fields=fields, check=failed, status_code=422)
    if action != "save":
        session.rollback()
        return _formats_page(
            viewer, session, fields=fields, check=TemplateCheck(check.data, [], output)
        )
    session.commit()
    return RedirectResponse(f"/exports/formats?saved={row.key}", status_code=303)
