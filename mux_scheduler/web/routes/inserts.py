"""Rapid response in the UI: put an approved spot into today's published day(s) now.

The form posts to the same service as ``POST /api/v1/inserts`` (amend, publish, deliver) and
then shows the stored insert (post/redirect/get), so a reload never inserts twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from fractions import Fraction
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query
from pydantic import ValidationError
from sqlmodel import Session, col
from starlette.responses import RedirectResponse, Response

from mux_scheduler.auth.access import Principal, get_visible, scope
from mux_scheduler.channels.models import Channel
from mux_scheduler.core.crud import commit_or_conflict
from mux_scheduler.core.deps import SessionDep
from mux_scheduler.core.errors import AppError
from mux_scheduler.core.timecode import broadcast_date_of
from mux_scheduler.scheduling import inserts, playlists
from mux_scheduler.scheduling.rules_service import PLANNERS
from mux_scheduler.scheduling.schemas import InsertChannelResult, InsertCreate
from mux_scheduler.web.day_views import LibraryEntry, clock_text, library_entries
from mux_scheduler.web.deps import SignedInDep, Viewer
from mux_scheduler.web.i18n import N_
from mux_scheduler.web.insert_text import insert_error
from mux_scheduler.web.report_words import Sentence
from mux_scheduler.web.texts import translate

router = APIRouter()
NEEDS_SPOT = N_("Choose the approved content to insert.")
NEEDS_REASON = N_("Write the reason for the insert (at least 5 characters).")
NEEDS_TIME = N_("Give the time of the insert (HH:MM).")
NEEDS_CHANNELS = N_("Choose at least one channel.")
CHANGE_LABELS = {
    "inserted": N_("Inserted"),
    "removed": N_("Removed"),
    "trimmed": N_("Shortened"),
    "cut": N_("Interrupted (resumes after)"),
    "moved": N_("Moved"),
}


@dataclass(frozen=True)
class InsertForm:
    """What the programmer typed, kept to re-fill the form after a refusal."""

    asset_id: str = ""
    target: str = "channel"
    channel_ids: tuple[int, ...] = ()
    mode: str = "next_break"
    at: str = ""
    every_minutes: str = "60"
    until: str = ""
    reason: str = ""


def _on_air_date(viewer: Viewer, channel: Channel) -> date:
    now: datetime = viewer.request.app.state.clock()
    return broadcast_date_of(now, zone=channel.time_zone, day_start=channel.day_start)


def _spots(
    session: Session, principal: Principal, channel: Channel, on: date
) -> list[LibraryEntry]:
    return [
        e
        for e in library_entries(session, principal, channel, on)
        if e.usable and e.rendition_ready
    ]


def _render_form(
    viewer: Viewer,
    session: Session,
    channel: Channel,
    form: InsertForm,
    *,
    problem: str | None = None,
    status_code: int = 200,
) -> Response:
    principal = viewer.signed_in
    on_air = _on_air_date(viewer, channel)
    mux_channels = session.exec(
        scope(Channel, principal)
        .where(col(Channel.multiplex_id) == channel.multiplex_id)
        .order_by(col(Channel.lcn))
    )
    return viewer.render(
        "inserts/new.html",
        active="dashboard",
        channel=channel,
        broadcast_date=on_air,
        zone_label=playlists.channel_day(session, channel, on_air).zone_label,
        spots=_spots(session, principal, channel, on_air),
        mux_channels=list(mux_channels),
        form=form,
        problem=problem,
        status_code=status_code,
    )


@router.get("/inserts/new")
def new_insert(
    viewer: SignedInDep, session: SessionDep, channel_id: Annotated[int, Query()]
) -> Response:
    viewer.signed_in.require(*PLANNERS)
    channel = get_visible(session, Channel, channel_id, viewer.signed_in)
    return _render_form(viewer, session, channel, InsertForm(channel_ids=(channel_id,)))


def _local(session: Session, channel: Channel, on: date, wall: str) -> datetime | None:
    if not wall.strip():
        return None
    day = playlists.channel_day(session, channel, on)
    return day.local_at(day.offset_of_local_time(time.fromisoformat(wall.strip())))


def _missing(form: InsertForm) -> str | None:
    """The first thing the form lacks, as a message id the page translates."""
    if not form.asset_id.strip().isdigit():
        return NEEDS_SPOT
    if len(form.reason.strip()) < 5:
        return NEEDS_REASON
    if form.mode in ("at", "repeat") and not form.at.strip():
        return NEEDS_TIME
    if form.target == "chosen" and not form.channel_ids:
        return NEEDS_CHANNELS
    return None


def _insert_create(session: Session, channel: Channel, on: date, form: InsertForm) -> InsertCreate:
    """The form as the API's request body; wall times are read on the channel's clock."""
    placement: dict[str, Any] = {"mode": form.mode}
    if form.mode in ("at", "repeat"):
        placement["at"] = _local(session, channel, on, form.at)
    if form.mode == "repeat":
        placement["every_minutes"] = form.every_minutes or None
        placement["until"] = _local(session, channel, on, form.until)
    body: dict[str, Any] = {
        "asset_id": form.asset_id,
        "placement": placement,
        "reason": form.reason.strip(),
    }
    if form.target == "mux":
        body["multiplex_id"] = channel.multiplex_id
    else:
        body["channel_ids"] = list(form.channel_ids) if form.target == "chosen" else [channel.id]
    return InsertCreate.model_validate(body)


@router.post("/inserts")
def create_insert(
    viewer: SignedInDep,
    session: SessionDep,
    channel_id: Annotated[int, Form()],
    reason: Annotated[str, Form()] = "",
    asset_id: Annotated[str, Form()] = "",
    target: Annotated[str, Form()] = "channel",
    channel_ids: Annotated[list[int] | None, Form()] = None,
    mode: Annotated[str, Form()] = "next_break",
    at: Annotated[str, Form()] = "",
    every_minutes: Annotated[str, Form()] = "",
    until: Annotated[str, Form()] = "",
) -> Response:
    principal = viewer.signed_in
    principal.require(*PLANNERS)
    channel = get_visible(session, Channel, channel_id, principal)
    form = InsertForm(
        asset_id, target, tuple(channel_ids or ()), mode, at, every_minutes, until, reason
    )
    state = viewer.request.app.state
    missing = _missing(form)
    if missing is not None:
        problem = translate(viewer.locale, missing)
        return _render_form(viewer, session, channel, form, problem=problem, status_code=422)
    try:
        data = _insert_create(session, channel, _on_air_date(viewer, channel), form)
        row = inserts.create_insert(
            session,
            data=data,
            principal=principal,
            now=state.clock(),
            delivery_hook=getattr(state, "insert_delivery_hook", None),
        )
        commit_or_conflict(session, "Insert")
    except (ValidationError, ValueError) as exc:
        session.rollback()
        return _render_form(
            viewer, session, channel, form, problem=_first_error(exc), status_code=422
        )
    except AppError as exc:
        if exc.status in (401, 403, 404):
            raise
        session.rollback()
        return _render_form(viewer, session, channel, form, problem=exc.detail, status_code=422)
    return RedirectResponse(f"/inserts/{row.id}", status_code=303)


def _first_error(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "; ".join(str(e["msg"]).removeprefix("Value error, ") for e in exc.errors())
    return str(exc)


@dataclass(frozen=True)
class ChannelOutcome:
    channel: Channel | None
    result: InsertChannelResult
    rate: Fraction | None

    def duration_text(self, frames: int) -> str:
        return clock_text(frames, self.rate) if self.rate else str(frames)

    def error_sentence(self, locale: str) -> Sentence:
        name = self.channel.name if self.channel else str(self.result.channel_id)
        return insert_error(self.result, name, self.rate, locale)


def _outcome(session: Session, result: InsertChannelResult) -> ChannelOutcome:
    channel = session.get(Channel, result.channel_id)
    if channel is None or result.broadcast_date is None:
        return ChannelOutcome(channel, result, None)
    return ChannelOutcome(
        channel, result, playlists.channel_day(session, channel, result.broadcast_date).rate
    )


@router.get("/inserts/{insert_id}")
def insert_result(insert_id: int, viewer: SignedInDep, session: SessionDep) -> Response:
    row = inserts.get_insert(session, insert_id, viewer.signed_in)
    outcomes = [_outcome(session, InsertChannelResult.model_validate(r)) for r in row.results]
    return viewer.render(
        "inserts/result.html",
        active="dashboard",
        insert=row,
        outcomes=outcomes,
        change_labels=CHANGE_LABELS,
    )
