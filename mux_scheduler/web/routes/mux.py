"""All visible channels of a multiplex on one shared timeline for a broadcast day."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter
from sqlmodel import col
from starlette.responses import Response

from mux_scheduler.auth.access import get_visible, scope
from mux_scheduler.channels.models import Channel, Multiplex
from mux_scheduler.core.deps import SessionDep
from mux_scheduler.web.day_views import day_view, hour_ticks
from mux_scheduler.web.deps import SignedInDep
from mux_scheduler.web.labels import ITEM_TYPES

router = APIRouter()


@router.get("/multiplexes/{multiplex_id}/days/{broadcast_date}")
def mux_day(
    multiplex_id: int, broadcast_date: date, viewer: SignedInDep, session: SessionDep
) -> Response:
    principal = viewer.signed_in
    mux = get_visible(session, Multiplex, multiplex_id, principal)
    channels = session.exec(
        scope(Channel, principal)
        .where(col(Channel.multiplex_id) == mux.id)
        .order_by(col(Channel.lcn))
    ).all()
    rows = [day_view(session, principal, channel, broadcast_date) for channel in channels]
    ticks = hour_ticks(rows[0].day) if rows else []
    return viewer.render(
        "mux.html",
        active="dashboard",
        mux=mux,
        broadcast_date=broadcast_date,
        rows=rows,
        ticks=ticks,
        item_types=ITEM_TYPES,
    )
