"""Resize a block from the channel-day page: handles on the timeline (blocks.js) or the small
form under it post here; the answer is the re-rendered day, like every edit on that page."""

from __future__ import annotations

from datetime import date, time
from typing import Annotated

from fastapi import APIRouter, Form
from starlette.responses import Response

from mux_scheduler.auth.access import get_visible
from mux_scheduler.channels.models import Channel
from mux_scheduler.core.crud import commit_or_conflict
from mux_scheduler.core.deps import SessionDep
from mux_scheduler.core.errors import AppError
from mux_scheduler.scheduling import blocks
from mux_scheduler.scheduling.blocks import ResizeRefused
from mux_scheduler.scheduling.rules_service import PLANNERS
from mux_scheduler.web.block_views import ResizeOutcome, refusal_text
from mux_scheduler.web.deps import SignedInDep
from mux_scheduler.web.routes.days import DAY, _after_change, render_day

router = APIRouter()


def _wall_time(text: str) -> time:
    """A time input's value (19:00 or 19:00:00); 19.00 as Indonesian is written, too."""
    try:
        return time.fromisoformat(text.strip().replace(".", ":"))
    except ValueError:
        raise ResizeRefused("unreadable", f"Not a time: {text!r}.") from None


@router.post(DAY + "/blocks/{rule_id}")
def resize_block(
    channel_id: int,
    broadcast_date: date,
    rule_id: int,
    viewer: SignedInDep,
    session: SessionDep,
    start: Annotated[str, Form()] = "",
    end: Annotated[str, Form()] = "",
    confirm: Annotated[str, Form()] = "",
) -> Response:
    principal = viewer.signed_in
    channel = get_visible(session, Channel, channel_id, principal)
    principal.require(*PLANNERS)  # before any check of the window: an editor learns nothing
    try:
        window = _wall_time(start), _wall_time(end)
        if confirm != "yes":
            raise ResizeRefused("not_confirmed", "The change to every day was not confirmed.")
        blocks.resize_block(
            session,
            channel=channel,
            broadcast_date=broadcast_date,
            rule_id=rule_id,
            start=window[0],
            end=window[1],
            principal=principal,
            settings=viewer.settings,
        )
        commit_or_conflict(session, "Rule")
    except AppError as exc:
        if exc.status in (401, 403, 404):
            raise
        session.rollback()
        refused = ResizeOutcome(rule_id, refusal_text(exc, viewer.locale), start, end)
        return render_day(
            viewer, session, channel, broadcast_date, resize=refused, status_code=exc.status
        )
    return _after_change(viewer, channel, broadcast_date) or render_day(
        viewer, session, channel, broadcast_date, resize=ResizeOutcome(rule_id)
    )
