"""A channel's schedule rules: plain-language list for everyone, forms for planners.

Planners add a rule from the list page and edit one on its own page; both forms are the
fields of ``_rule_fields.html`` and both go through ``rules_service`` like the API.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from fastapi import APIRouter
from sqlmodel import Session, col
from starlette.responses import RedirectResponse, Response

from mux_scheduler.agencies.models import Agency
from mux_scheduler.assets.models import Asset
from mux_scheduler.auth.access import get_visible, scope
from mux_scheduler.channels.models import Channel
from mux_scheduler.core.crud import commit_or_conflict
from mux_scheduler.core.db import utcnow
from mux_scheduler.core.deps import SessionDep
from mux_scheduler.core.errors import AppError
from mux_scheduler.scheduling import playlists, rules_service
from mux_scheduler.scheduling.models import ScheduleRule
from mux_scheduler.scheduling.schemas import RuleUpdate
from mux_scheduler.web.deps import SignedInDep, Viewer
from mux_scheduler.web.i18n import N_, Formatter, translations
from mux_scheduler.web.labels import ITEM_TYPES
from mux_scheduler.web.rule_edits import form_values, rule_update_from_form
from mux_scheduler.web.rule_forms import FormErrors, posted_values, rule_from_form
from mux_scheduler.web.rule_text import DAY_NAMES, ORDER_LABELS, PRESETS, WEEKDAYS, Describer
from mux_scheduler.web.views import broadcast_days

router = APIRouter()
RULES = "/channels/{channel_id}/rules"
RULE_KIND_LABELS = {
    "block": N_("block"),
    "fixed_event": N_("fixed event"),
    "mandatory": N_("mandatory item"),
    "filler_pool": N_("filler pool"),
    "date_override": N_("special day"),
}
# errors a form shows as a message; the rest (401, 403, 404) are the UI's error pages
SHOWN_STATUSES = frozenset({400, 409, 413, 422})


def channel_rate(session: Session, channel: Channel) -> Fraction:
    return playlists.channel_day(
        session, channel, broadcast_days(channel, now=utcnow())[0].broadcast_date
    ).rate


def approved_assets(session: Session, viewer: Viewer) -> list[Asset]:
    query = scope(Asset, viewer.signed_in).where(col(Asset.approval_state) == "approved")
    return list(session.exec(query.order_by(col(Asset.title))))


def form_context(viewer: Viewer, session: Session) -> dict[str, Any]:
    """What the rule fields (``_rule_fields.html``) choose from."""
    return {
        "assets": approved_assets(session, viewer),
        "agencies": list(session.exec(scope(Agency, viewer.signed_in).order_by(col(Agency.name)))),
        "presets": PRESETS,
        "weekdays": WEEKDAYS,
        "day_names": DAY_NAMES,
        "orders": ORDER_LABELS,
        "kinds": [k for k in ITEM_TYPES if k != "slate"],
    }


def render_rules(
    viewer: Viewer,
    session: Session,
    channel: Channel,
    *,
    errors: dict[str, str] | None = None,
    values: dict[str, Any] | None = None,
    status_code: int = 200,
) -> Response:
    context = form_context(viewer, session)
    describe = Describer(
        gettext=translations(viewer.locale).gettext,
        fmt=Formatter(viewer.locale),
        rate=channel_rate(session, channel),
        asset_titles={a.id: a.title for a in context["assets"] if a.id is not None},
    )
    rules = [
        (
            row,
            describe.describe(row.kind, row.spec, row.rrule, rules_service.rule_public(row).dates),
        )
        for row in rules_service.list_rules(session, channel=channel)
    ]
    return viewer.render(
        "rules.html",
        active="dashboard",
        channel=channel,
        rules=rules,
        errors=errors or {},
        values=values or {},
        can_edit=viewer.is_role(*rules_service.PLANNERS),
        status_code=status_code,
        **context,
    )


@router.get(RULES)
def rules_page(channel_id: int, viewer: SignedInDep, session: SessionDep) -> Response:
    channel = get_visible(session, Channel, channel_id, viewer.signed_in)
    return render_rules(viewer, session, channel)


@router.post(RULES)
async def create_rule(channel_id: int, viewer: SignedInDep, session: SessionDep) -> Response:
    principal = viewer.signed_in
    channel = get_visible(session, Channel, channel_id, principal)
    form = await viewer.request.form()
    try:
        data = rule_from_form(form, rate=channel_rate(session, channel))
    except FormErrors as exc:
        return render_rules(
            viewer, session, channel, errors=exc.errors, values=posted_values(form), status_code=422
        )
    rules_service.create_rule(
        session, channel=channel, data=data, principal=principal, settings=viewer.settings
    )
    commit_or_conflict(session, "Rule")
    return RedirectResponse(f"/channels/{channel.id}/rules", status_code=303)


@router.post(RULES + "/{rule_id}/toggle")
def toggle_rule(
    channel_id: int, rule_id: int, viewer: SignedInDep, session: SessionDep
) -> Response:
    principal = viewer.signed_in
    channel = get_visible(session, Channel, channel_id, principal)
    rule = rules_service.get_rule(session, channel=channel, rule_id=rule_id)
    update = RuleUpdate(enabled=not rule.enabled)
    rules_service.update_rule(
        session, rule=rule, data=update, principal=principal, settings=viewer.settings
    )
    commit_or_conflict(session, "Rule")
    return RedirectResponse(f"/channels/{channel.id}/rules", status_code=303)


@router.post(RULES + "/{rule_id}/delete")
def delete_rule(
    channel_id: int, rule_id: int, viewer: SignedInDep, session: SessionDep
) -> Response:
    principal = viewer.signed_in
    channel = get_visible(session, Channel, channel_id, principal)
    rule = rules_service.get_rule(session, channel=channel, rule_id=rule_id)
    rules_service.delete_rule(session, rule=rule, principal=principal)
    commit_or_conflict(session, "Rule")
    return RedirectResponse(f"/channels/{channel.id}/rules", status_code=303)


def editable_rule(
    session: Session, viewer: Viewer, channel_id: int, rule_id: int
) -> tuple[Channel, ScheduleRule]:
    """The channel and rule behind an edit URL: 404 when not visible, 403 for non-planners."""
    principal = viewer.signed_in
    channel = get_visible(session, Channel, channel_id, principal)
    principal.require(*rules_service.PLANNERS)
    return channel, rules_service.get_rule(session, channel=channel, rule_id=rule_id)


def render_rule_edit(
    viewer: Viewer,
    session: Session,
    channel: Channel,
    rule: ScheduleRule,
    *,
    values: dict[str, Any],
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    return viewer.render(
        "rule_edit.html",
        active="dashboard",
        channel=channel,
        rule=rule,
        kind_labels=RULE_KIND_LABELS,
        values={**values, "kind": rule.kind},
        errors=errors or {},
        status_code=status_code,
        **form_context(viewer, session),
    )


@router.get(RULES + "/{rule_id}/edit")
def edit_rule_page(
    channel_id: int, rule_id: int, viewer: SignedInDep, session: SessionDep
) -> Response:
    channel, rule = editable_rule(session, viewer, channel_id, rule_id)
    values = form_values(rule, rate=channel_rate(session, channel))
    return render_rule_edit(viewer, session, channel, rule, values=values)


@router.post(RULES + "/{rule_id}/edit")
async def edit_rule(
    channel_id: int, rule_id: int, viewer: SignedInDep, session: SessionDep
) -> Response:
    channel, rule = editable_rule(session, viewer, channel_id, rule_id)
    form = await viewer.request.form()
    try:
        update = rule_update_from_form(form, rule=rule, rate=channel_rate(session, channel))
        rules_service.update_rule(
            session, rule=rule, data=update, principal=viewer.signed_in, settings=viewer.settings
        )
        commit_or_conflict(session, "Rule")
    except FormErrors as exc:
        errors = exc.errors
    except AppError as exc:
        if exc.status not in SHOWN_STATUSES:
            raise
        session.rollback()
        errors = {"form": exc.detail}
    else:
        return RedirectResponse(f"/channels/{channel.id}/rules", status_code=303)
    return render_rule_edit(
        viewer, session, channel, rule, values=posted_values(form), errors=errors, status_code=422
    )
