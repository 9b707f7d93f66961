"""The dashboard, channel detail and technical profiles."""

from __future__ import annotations

from fastapi import APIRouter
from sqlmodel import col
from starlette.responses import Response

from mux_scheduler.auth.access import scope
from mux_scheduler.channels.models import TechnicalProfile
from mux_scheduler.core.db import utcnow
from mux_scheduler.core.deps import SessionDep
from mux_scheduler.web.deps import SignedInDep
from mux_scheduler.web.views import channel_card, visible_channel_cards

router = APIRouter()


@router.get("/")
def dashboard(viewer: SignedInDep, session: SessionDep) -> Response:
    cards = visible_channel_cards(session, viewer.signed_in, now=utcnow())
    return viewer.render("dashboard.html", active="dashboard", cards=cards)


@router.get("/channels/{channel_id}")
def channel_detail(channel_id: int, viewer: SignedInDep, session: SessionDep) -> Response:
    card = channel_card(session, viewer.signed_in, channel_id, now=utcnow())
    return viewer.render("channel.html", active="dashboard", card=card)


@router.get("/profiles")
def profiles(viewer: SignedInDep, session: SessionDep) -> Response:
    query = scope(TechnicalProfile, viewer.signed_in).order_by(col(TechnicalProfile.name))
    return viewer.render("profiles.html", active="profiles", profiles=list(session.exec(query)))
