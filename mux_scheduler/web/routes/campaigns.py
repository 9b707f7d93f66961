"""Campaigns: agenda-setting spots across channels, with today's fulfilment per channel."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from fastapi import APIRouter
from pydantic import ValidationError
from sqlmodel import Session, col
from starlette.responses import RedirectResponse, Response

from mux_scheduler.auth.access import scope
from mux_scheduler.channels.models import Channel
from mux_scheduler.core.crud import commit_or_conflict
from mux_scheduler.core.db import utcnow
from mux_scheduler.core.deps import SessionDep
from mux_scheduler.scheduling import rules_service
from mux_scheduler.scheduling.models import Campaign
from mux_scheduler.scheduling.schemas import CampaignCreate, CampaignPublic
from mux_scheduler.web.deps import SignedInDep, Viewer
from mux_scheduler.web.routes.rules import approved_assets
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


def _windows(form_start: str, form_end: str) -> list[dict[str, str]]:
    return [{"start": form_start, "end": form_end}] if form_start and form_end else []


@router.post("/campaigns")
async def create_campaign(viewer: SignedInDep, session: SessionDep) -> Response:
    form = await viewer.request.form()
    text = {k: str(form.get(k) or "").strip() for k in form}
    data = {
        "name": text.get("name", ""),
        "description": text.get("description", ""),
        "asset_ids": form.getlist("asset_ids"),
        "channel_ids": form.getlist("channel_ids"),
        "valid_from": text.get("valid_from") or None,
        "valid_until": text.get("valid_until") or None,
        "target_per_day": text.get("target_per_day") or None,
        "windows": _windows(text.get("window_start", ""), text.get("window_end", "")),
    }
    try:
        create = CampaignCreate.model_validate(data)
    except ValidationError as exc:
        errors = {str(e["loc"][0]) if e["loc"] else "form": str(e["msg"]) for e in exc.errors()}
        values = {
            **text,
            "asset_ids": form.getlist("asset_ids"),
            "channel_ids": form.getlist("channel_ids"),
        }
        return render_campaigns(viewer, session, errors=errors, values=values, status_code=422)
    rules_service.create_campaign(
        session, data=create, principal=viewer.signed_in, settings=viewer.settings
    )
    commit_or_conflict(session, "Campaign")
    return RedirectResponse("/campaigns", status_code=303)
