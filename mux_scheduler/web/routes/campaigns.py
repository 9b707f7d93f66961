"""Campaigns: agenda-setting spots across channels, with today's fulfilment per channel.

Planners create one on the list page and edit one on its own page, with the same fields
(``_campaign_fields.html``) and through ``rules_service`` like the API.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from fastapi import APIRouter
from sqlmodel import Session, col
from starlette.responses import RedirectResponse, Response

from mux_scheduler.assets.models import Asset
from mux_scheduler.auth.access import scope
from mux_scheduler.channels.models import Channel
from mux_scheduler.core.crud import commit_or_conflict
from mux_scheduler.core.db import utcnow
from mux_scheduler.core.deps import SessionDep
from mux_scheduler.core.errors import AppError
from mux_scheduler.scheduling import rules_service
from mux_scheduler.scheduling.models import Campaign
from mux_scheduler.scheduling.schemas import CampaignPublic
from mux_scheduler.web.campaign_forms import (
    campaign_from_form,
    campaign_update_from_form,
    form_values,
    posted_values,
)
from mux_scheduler.web.deps import SignedInDep, Viewer
from mux_scheduler.web.routes.rules import SHOWN_STATUSES, approved_assets
from mux_scheduler.web.rule_forms import FormErrors
from mux_scheduler.web.views import broadcast_days, latest_playlists

router = APIRouter()


@dataclass(frozen=True)
class Fulfilment:
    channel: Channel
    broadcast_date: date
    report: dict[str, Any] | None  # None: no playlist yet today


def _fulfilment(
    session: Session, viewer: Viewer, campaigns: list[CampaignPublic], channels: dict[int, Channel]
) -> dict[int, list[Fulfilment]]:
    days = {cid: broadcast_days(c, now=utcnow(), count=1) for cid, c in channels.items()}
    latest = latest_playlists(session, viewer.signed_in, dict(days.items()))
    result: dict[int, list[Fulfilment]] = {}
    for campaign in campaigns:
        for channel_id in campaign.channel_ids:
            if channel_id not in channels:
                continue
            today = days[channel_id][0].broadcast_date
            playlist = latest.get((channel_id, today))
            found = None
            if playlist is not None:
                entries = playlist.report.get("campaigns", [])
                found = next(
                    (e for e in entries if str(e["campaign_id"]) == str(campaign.id)), None
                )
            result.setdefault(campaign.id, []).append(
                Fulfilment(channels[channel_id], today, found)
            )
    return result


def render_campaigns(
    viewer: Viewer,
    session: Session,
    *,
    errors: dict[str, str] | None = None,
    values: dict[str, Any] | None = None,
    status_code: int = 200,
) -> Response:
    principal = viewer.signed_in
    rows = list(
        session.exec(rules_service.visible_campaigns(principal).order_by(col(Campaign.valid_from)))
    )
    campaigns = rules_service.campaigns_public(session, rows)
    channels = {
        c.id: c for c in session.exec(scope(Channel, principal).order_by(col(Channel.lcn))) if c.id
    }
    assets = approved_assets(session, viewer)
    return viewer.render(
        "campaigns.html",
        active="campaigns",
        campaigns=campaigns,
        fulfilment=_fulfilment(session, viewer, campaigns, channels),
        channels=channels,
        assets=assets,
        asset_titles={a.id: a.title for a in assets},
        can_edit=viewer.is_role(*rules_service.PLANNERS),
        errors=errors or {},
        values=values or {},
        status_code=status_code,
    )


@router.get("/campaigns")
def campaigns_page(viewer: SignedInDep, session: SessionDep) -> Response:
    return render_campaigns(viewer, session)


@router.post("/campaigns")
async def create_campaign(viewer: SignedInDep, session: SessionDep) -> Response:
    form = await viewer.request.form()
    try:
        create = campaign_from_form(form)
    except FormErrors as exc:
        return render_campaigns(
            viewer, session, errors=exc.errors, values=posted_values(form), status_code=422
        )
    rules_service.create_campaign(
        session, data=create, principal=viewer.signed_in, settings=viewer.settings
    )
    commit_or_conflict(session, "Campaign")
    return RedirectResponse("/campaigns", status_code=303)


def editable_campaign(session: Session, viewer: Viewer, campaign_id: int) -> Campaign:
    """The campaign behind an edit URL: 403 for non-planners, 404 when not visible."""
    principal = viewer.signed_in
    principal.require(*rules_service.PLANNERS)
    return rules_service.get_campaign(session, campaign_id=campaign_id, principal=principal)


def _choosable_assets(session: Session, viewer: Viewer, chosen: list[str]) -> list[Asset]:
    """Approved assets, plus those the campaign already names (so a save does not drop them)."""
    assets = approved_assets(session, viewer)
    shown = {str(a.id) for a in assets}
    missing = [int(a) for a in chosen if a not in shown and a.isdigit()]
    if missing:
        query = scope(Asset, viewer.signed_in).where(col(Asset.id).in_(missing))
        assets += list(session.exec(query.order_by(col(Asset.title))))
    return assets


def render_campaign_edit(
    viewer: Viewer,
    session: Session,
    campaign: Campaign,
    *,
    values: dict[str, Any],
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    channels = scope(Channel, viewer.signed_in).order_by(col(Channel.lcn))
    return viewer.render(
        "campaign_edit.html",
        active="campaigns",
        campaign=campaign,
        assets=_choosable_assets(session, viewer, values.get("asset_ids", [])),
        channels={c.id: c for c in session.exec(channels) if c.id},
        values=values,
        errors=errors or {},
        status_code=status_code,
    )


@router.get("/campaigns/{campaign_id}/edit")
def edit_campaign_page(campaign_id: int, viewer: SignedInDep, session: SessionDep) -> Response:
    campaign = editable_campaign(session, viewer, campaign_id)
    public = rules_service.campaigns_public(session, [campaign])[0]
    return render_campaign_edit(viewer, session, campaign, values=form_values(public))


@router.post("/campaigns/{campaign_id}/edit")
async def edit_campaign(campaign_id: int, viewer: SignedInDep, session: SessionDep) -> Response:
    campaign = editable_campaign(session, viewer, campaign_id)
    form = await viewer.request.form()
    try:
        update = campaign_update_from_form(form)
        rules_service.update_campaign(
            session,
            campaign=campaign,
            data=update,
            principal=viewer.signed_in,
            settings=viewer.settings,
        )
        commit_or_conflict(session, "Campaign")
    except FormErrors as exc:
        errors = exc.errors
    except AppError as exc:
        if exc.status not in SHOWN_STATUSES:
            raise
        session.rollback()
        errors = {"form": exc.detail}
    else:
        return RedirectResponse("/campaigns", status_code=303)
    return render_campaign_edit(
        viewer, session, campaign, values=posted_values(form), errors=errors, status_code=422
    )
