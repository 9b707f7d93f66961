"""Export formats as the API sees them: the built-ins plus admin-uploaded custom templates.

A custom template with ``operator_id`` belongs to that operator: only its channels may be
exported with it, and only staff and that operator's users see it in the list.
"""

from __future__ import annotations

import re
import string
from typing import cast

from sqlalchemy import ColumnElement, or_, true
from sqlmodel import Session, col, select

from mux_scheduler.auth.access import Principal
from mux_scheduler.auth.models import Role
from mux_scheduler.channels.models import Operator
from mux_scheduler.core import audit
from mux_scheduler.core.errors import Conflict, NotFound, TemplateRejected
from mux_scheduler.exports import registry
from mux_scheduler.exports.custom import (
    CustomTemplate,
    OutputType,
    custom_format,
    validate_template,
)
from mux_scheduler.exports.models import ExportTemplate
from mux_scheduler.exports.registry import ExportFormat
from mux_scheduler.exports.samples import sample_playlist
from mux_scheduler.exports.schemas import ExportFormatPublic, ExportTemplateCreate

PATTERN_FIELDS = frozenset({"channel_slug", "operator_slug", "date", "version", "suffix"})
_FILE_NAME_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


def _template_filter(principal: Principal) -> ColumnElement[bool]:
    if principal.is_staff:
        return true()
    if principal.role == Role.OPERATOR and principal.operator_id is not None:
        return or_(
            col(ExportTemplate.operator_id).is_(None),
            col(ExportTemplate.operator_id) == principal.operator_id,
        )
    return col(ExportTemplate.operator_id).is_(None)


def _custom(row: ExportTemplate) -> CustomTemplate:
    return CustomTemplate(
        key=row.key,
        label=row.label,
        output_type=cast(OutputType, row.output_type),
        source=row.source,
        file_name_pattern=row.file_name_pattern,
    )


def _public_builtin(fmt: ExportFormat) -> ExportFormatPublic:
    return ExportFormatPublic(
        key=fmt.key,
        label=fmt.label,
        media_type=fmt.media_type,
        file_name_pattern=fmt.file_name_pattern,
        builtin=True,
        supports_update=fmt.supports_update,
    )


def template_public(row: ExportTemplate) -> ExportFormatPublic:
    return ExportFormatPublic(
        key=row.key,
        label=row.label,
        media_type=_custom(row).media_type,
        file_name_pattern=row.file_name_pattern,
        builtin=False,
        output_type=row.output_type,
        operator_id=row.operator_id,
        created_at=row.created_at,
    )


def list_formats(session: Session, principal: Principal) -> list[ExportFormatPublic]:
    customs = session.exec(
        select(ExportTemplate).where(_template_filter(principal)).order_by(col(ExportTemplate.key))
    )
    return [_public_builtin(f) for f in registry.list_formats()] + [
        template_public(row) for row in customs
    ]


def _check_pattern(pattern: str) -> None:
    try:
        fields = {name for _, name, _, _ in string.Formatter().parse(pattern) if name is not None}
    except ValueError as exc:
        raise TemplateRejected(f"file name pattern is malformed: {exc}") from None
    unknown = fields - PATTERN_FIELDS
    if unknown:
        allowed = ", ".join(sorted(PATTERN_FIELDS))
        raise TemplateRejected(
            f"file name pattern uses {', '.join(sorted(unknown))}; allowed: {allowed}"
        )
    sample = sample_playlist()
    name = pattern.format(
        channel_slug=sample.channel.slug,
        operator_slug=sample.channel.operator_slug,
        date=sample.day.broadcast_date.isoformat(),
        version=sample.version,
        suffix="",
    )
    if _FILE_NAME_RE.fullmatch(name) is None:
        raise TemplateRejected(
            f"file name pattern gives {name!r}: use letters, digits, '.', '_' and '-' only"
        )


def create_template(
    session: Session, *, data: ExportTemplateCreate, principal: Principal
) -> ExportTemplate:
    """Check the key, the file name pattern and a sandboxed test render; flushes the row."""
    principal.require(Role.ADMIN)
    if data.key in {f.key for f in registry.list_formats()}:
        raise Conflict(f"{data.key!r} is a built-in export format; choose another key.")
    if session.exec(select(ExportTemplate).where(ExportTemplate.key == data.key)).first():
        raise Conflict(f"An export format with key {data.key!r} already exists.")
    if data.operator_id is not None and session.get(Operator, data.operator_id) is None:
        raise NotFound(f"Operator {data.operator_id} does not exist.")
    _check_pattern(data.file_name_pattern)
    row = ExportTemplate.model_validate(data, update={"created_by": principal.user_id})
    validate_template(_custom(row))
    session.add(row)
    session.flush()
    audit.record_by(
        session,
        principal,
        "create",
        "ExportTemplate",
        row.id,
        {"key": row.key, "operator_id": row.operator_id},
    )
    return row


def visible_template(session: Session, *, key: str, principal: Principal) -> ExportTemplate | None:
    query = select(ExportTemplate).where(ExportTemplate.key == key, _template_filter(principal))
    return session.exec(query).first()


def resolve_format(
    session: Session, *, key: str, operator_id: int, principal: Principal | None
) -> ExportFormat:
    """A built-in, or a custom template usable for channels of ``operator_id``."""
    builtin = {f.key: f for f in registry.list_formats()}
    if key in builtin:
        return builtin[key]
    query = select(ExportTemplate).where(ExportTemplate.key == key)
    if principal is not None:
        query = query.where(_template_filter(principal))
    row = session.exec(query).first()
    if row is None or row.operator_id not in (None, operator_id):
        raise NotFound(f"Unknown export format {key!r} for this channel's operator.")
    return custom_format(_custom(row))


def preview_format(session: Session, *, key: str, principal: Principal) -> ExportFormat:
    """The format to render against the sample day (a custom one only if visible)."""
    builtin = {f.key: f for f in registry.list_formats()}
    if key in builtin:
        return builtin[key]
    row = visible_template(session, key=key, principal=principal)
    if row is None:
        raise NotFound(f"Unknown export format {key!r}.")
    return custom_format(_custom(row))
