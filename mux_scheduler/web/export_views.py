"""Read models and actions for the exports screen, on top of the exports and delivery services.

``deliver_now`` does what ``POST .../exports/{format}/deliver`` does (the same services, in the
same order) so the page can offer a plain form button.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from pydantic import ValidationError
from sqlalchemy.engine import Engine
from sqlmodel import Session, col

from mux_scheduler.auth.access import Principal, get_visible, scope
from mux_scheduler.auth.models import Role
from mux_scheduler.channels.models import Channel, Operator
from mux_scheduler.core.errors import NotFound
from mux_scheduler.core.settings import Settings
from mux_scheduler.delivery import history
from mux_scheduler.delivery.dispatch import export_and_deliver
from mux_scheduler.delivery.models import Delivery
from mux_scheduler.delivery.schemas import DeliveryPublic
from mux_scheduler.exports import custom_formats, service
from mux_scheduler.exports.custom import CustomTemplate, validate_template
from mux_scheduler.exports.schemas import ExportFormatPublic, ExportTemplateCreate
from mux_scheduler.scheduling.models import Playlist
from mux_scheduler.web.views import broadcast_days

API_DAY = "/api/v1/channels/{channel_id}/playlists/{broadcast_date}"


@dataclass(frozen=True)
class ExportDay:
    channel: Channel
    broadcast_date: date
    operator: Operator
    playlist: Playlist | None
    formats: list[ExportFormatPublic]
    deliveries: list[DeliveryPublic]

    def download_url(self, format_key: str) -> str:
        day = API_DAY.format(
            channel_id=self.channel.id, broadcast_date=self.broadcast_date.isoformat()
        )
        return f"{day}/exports/{format_key}"

    @property
    def grid_pdf_url(self) -> str:
        day = API_DAY.format(
            channel_id=self.channel.id, broadcast_date=self.broadcast_date.isoformat()
        )
        return f"{day}/grid.pdf"


def visible_channels(session: Session, principal: Principal) -> list[Channel]:
    query = scope(Channel, principal).order_by(col(Channel.lcn), col(Channel.name))
    return list(session.exec(query))


def default_date(channel: Channel, now: datetime) -> date:
    """Tomorrow's broadcast day in the channel's zone: the one due at the next cut-off."""
    return broadcast_days(channel, now=now, count=2)[1].broadcast_date


def export_day(
    session: Session, principal: Principal, channel_id: int, broadcast_date: date
) -> ExportDay:
    channel = get_visible(session, Channel, channel_id, principal)
    assert channel.id is not None
    owner = service.owner_of(session, channel)
    try:
        playlist: Playlist | None = service.exportable_playlist(
            session, channel_id=channel.id, broadcast_date=broadcast_date, principal=principal
        )
    except NotFound:
        playlist = None
    formats = [
        fmt
        for fmt in custom_formats.list_formats(session, principal)
        if fmt.operator_id in (None, owner.operator.id)
    ]
    deliveries = (
        history.channel_day_history(session, channel_id=channel.id, broadcast_date=broadcast_date)
        if principal.role in (Role.ADMIN, Role.PROGRAMMER, Role.OPERATOR)
        else []
    )
    return ExportDay(channel, broadcast_date, owner.operator, playlist, formats, deliveries)


def deliver_now(
    session: Session,
    engine: Engine,
    settings: Settings,
    *,
    principal: Principal,
    channel_id: int,
    broadcast_date: date,
    format_key: str,
) -> Delivery:
    """Export the day's published version and send it to the operator now (staff)."""
    principal.require(Role.ADMIN, Role.PROGRAMMER)
    channel = get_visible(session, Channel, channel_id, principal)
    assert channel.id is not None
    owner = service.owner_of(session, channel)
    assert owner.operator.id is not None
    fmt = custom_formats.resolve_format(
        session, key=format_key, operator_id=owner.operator.id, principal=principal
    )
    playlist = service.exportable_playlist(
        session, channel_id=channel.id, broadcast_date=broadcast_date, principal=principal
    )
    outcome = export_and_deliver(
        session,
        engine,
        settings,
        owner=owner,
        playlist=playlist,
        export_format=fmt,
        trigger="manual",
        requested_by=principal.user_id,
        force=True,
    )
    return outcome.delivery


@dataclass(frozen=True)
class TemplateCheck:
    """The outcome of checking an uploaded template: output, or readable problems."""

    data: ExportTemplateCreate | None
    problems: list[str]
    output: str = ""


def parse_template_form(fields: dict[str, str]) -> TemplateCheck:
    values: dict[str, object] = {k: v for k, v in fields.items() if v != ""}
    if "operator_id" in values:
        values["operator_id"] = int(str(values["operator_id"]))
    try:
        return TemplateCheck(ExportTemplateCreate.model_validate(values), [])
    except ValidationError as exc:
        problems = [
            f"{'.'.join(str(part) for part in err['loc'])}: {err['msg']}" for err in exc.errors()
        ]
        return TemplateCheck(None, problems)


def preview_output(data: ExportTemplateCreate) -> str:
    """The template rendered (sandboxed) against the sample day; raises ``TemplateRejected``."""
    template = CustomTemplate(
        key=data.key,
        label=data.label,
        output_type=data.output_type,
        source=data.source,
        file_name_pattern=data.file_name_pattern,
    )
    return validate_template(template)


def operators(session: Session, principal: Principal) -> list[Operator]:
    return list(session.exec(scope(Operator, principal).order_by(col(Operator.name))))
