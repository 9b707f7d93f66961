"""A channel's broadcast day: timeline, table, validation, build/publish/lock and manual edits.

Every change calls the same scheduling service as the REST API and answers with the re-rendered
day (an htmx fragment, or the whole page for a plain form post).
"""

from __future__ import annotations

from datetime import date, time
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from pydantic import ValidationError
from sqlmodel import Session
from starlette.responses import RedirectResponse, Response

from mux_scheduler.auth.access import get_visible
from mux_scheduler.channels.models import Channel
from mux_scheduler.core.crud import commit_or_conflict
from mux_scheduler.core.deps import SessionDep
from mux_scheduler.core.errors import AppError, NotFound
from mux_scheduler.core.timecode import broadcast_date_of, zone_label
from mux_scheduler.scheduling import edits, playlists
from mux_scheduler.scheduling.models import Playlist, PlaylistItem
from mux_scheduler.scheduling.presenters import playlist_public
from mux_scheduler.scheduling.rules_service import PLANNERS
from mux_scheduler.scheduling.schemas import ItemEdit, ItemPublic
from mux_scheduler.web.block_views import ResizeOutcome, block_bands
from mux_scheduler.web.day_views import ChannelDayView, day_view, library_entries
from mux_scheduler.web.deps import SignedInDep, Viewer
from mux_scheduler.web.labels import ITEM_TYPES

router = APIRouter()
DAY = "/channels/{channel_id}/days/{broadcast_date}"


def is_htmx(request: Request) -> bool:
    return request.headers.get("HX-Request") == "true"


def render_day(
    viewer: Viewer,
    session: Session,
    channel: Channel,
    broadcast_date: date,
    *,
    version: int | None = None,
    problem: AppError | None = None,
    resize: ResizeOutcome | None = None,
    status_code: int = 200,
) -> Response:
    """The day page, or only its body when htmx asks (it swaps ``#day-body``)."""
    view = day_view(session, viewer.signed_in, channel, broadcast_date, version=version)
    bands = block_bands(session, channel, broadcast_date, view.day, can_edit=view.editable)
    template = "_day_body.html" if is_htmx(viewer.request) else "day.html"
    return viewer.render(
        template,
        active="dashboard",
        day=view,
        problem=problem,
        item_types=ITEM_TYPES,
        can_insert=_can_insert(viewer, view),
        blocks=bands,
        resize=resize,
        status_code=200 if is_htmx(viewer.request) else status_code,
    )


def _can_insert(viewer: Viewer, view: ChannelDayView) -> bool:
    """Rapid-response inserts go into the day on air now, once it has been published."""
    if not view.can_edit or view.playlist is None or view.playlist.state == "draft":
        return False
    channel = view.channel
    on_air = broadcast_date_of(
        viewer.request.app.state.clock(), zone=channel.time_zone, day_start=channel.day_start
    )
    return view.broadcast_date == on_air


def _after_change(viewer: Viewer, channel: Channel, broadcast_date: date) -> Response | None:
    """Plain form posts follow the post/redirect/get pattern; htmx gets the fragment."""
    if is_htmx(viewer.request):
        return None
    return RedirectResponse(f"/channels/{channel.id}/days/{broadcast_date}", status_code=303)


@router.get(DAY)
def channel_day_page(
    channel_id: int,
    broadcast_date: date,
    viewer: SignedInDep,
    session: SessionDep,
    version: Annotated[int | None, Query(ge=1)] = None,
) -> Response:
    channel = get_visible(session, Channel, channel_id, viewer.signed_in)
    return render_day(viewer, session, channel, broadcast_date, version=version)


def _act(
    action: str, viewer: Viewer, session: Session, channel_id: int, broadcast_date: date
) -> Response:
    principal = viewer.signed_in
    channel = get_visible(session, Channel, channel_id, principal)
    service = {"build": playlists.build, "publish": playlists.publish}.get(action)
    try:
        if service is not None:
            service(session, channel=channel, broadcast_date=broadcast_date, principal=principal)
        else:
            playlists.lock(
                session, channel=channel, broadcast_date=broadcast_date, principal=principal
            )
        commit_or_conflict(session, "Playlist")
    except AppError as exc:
        if exc.status in (401, 403, 404):
            raise
        session.rollback()
        return render_day(
            viewer, session, channel, broadcast_date, problem=exc, status_code=exc.status
        )
    return _after_change(viewer, channel, broadcast_date) or render_day(
        viewer, session, channel, broadcast_date
    )


@router.post(DAY + "/build")
def build_day(
    channel_id: int, broadcast_date: date, viewer: SignedInDep, session: SessionDep
) -> Response:
    return _act("build", viewer, session, channel_id, broadcast_date)


@router.post(DAY + "/publish")
def publish_day(
    channel_id: int, broadcast_date: date, viewer: SignedInDep, session: SessionDep
) -> Response:
    return _act("publish", viewer, session, channel_id, broadcast_date)


@router.post(DAY + "/lock")
def lock_day(
    channel_id: int, broadcast_date: date, viewer: SignedInDep, session: SessionDep
) -> Response:
    return _act("lock", viewer, session, channel_id, broadcast_date)


def _edit_from_form(
    session: Session,
    channel: Channel,
    broadcast_date: date,
    action: str,
    at: str,
    start_frames: str,
    asset_id: str,
) -> ItemEdit:
    """A keyboard form sends a local wall time; a drag sends the frame under the pointer."""
    frames: int | None = int(start_frames) if start_frames.strip().isdigit() else None
    if action == "move" and frames is None and at.strip():
        day = playlists.channel_day(session, channel, broadcast_date)
        frames = day.offset_of_local_time(time.fromisoformat(at.strip()))
    asset = int(asset_id) if asset_id.strip().isdigit() else None
    return ItemEdit.model_validate({"action": action, "start_frames": frames, "asset_id": asset})


@router.post(DAY + "/items/{item_id}")
def edit_item(
    channel_id: int,
    broadcast_date: date,
    item_id: int,
    viewer: SignedInDep,
    session: SessionDep,
    action: Annotated[str, Form()],
    at: Annotated[str, Form()] = "",
    start_frames: Annotated[str, Form()] = "",
    asset_id: Annotated[str, Form()] = "",
) -> Response:
    principal = viewer.signed_in
    channel = get_visible(session, Channel, channel_id, principal)
    try:
        edit = _edit_from_form(session, channel, broadcast_date, action, at, start_frames, asset_id)
        edits.apply_edit(
            session,
            channel=channel,
            broadcast_date=broadcast_date,
            item_id=item_id,
            edit=edit,
            principal=principal,
        )
        commit_or_conflict(session, "Playlist")
    except (ValidationError, ValueError) as exc:
        session.rollback()
        problem = AppError(_first_error(exc))
        return render_day(
            viewer, session, channel, broadcast_date, problem=problem, status_code=422
        )
    except AppError as exc:
        if exc.status in (401, 403):
            raise
        session.rollback()
        return render_day(
            viewer, session, channel, broadcast_date, problem=exc, status_code=exc.status
        )
    return _after_change(viewer, channel, broadcast_date) or render_day(
        viewer, session, channel, broadcast_date
    )


def _first_error(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "; ".join(str(e["msg"]) for e in exc.errors())
    return str(exc)


@router.get(DAY + "/library")
def library_panel(
    channel_id: int,
    broadcast_date: date,
    viewer: SignedInDep,
    session: SessionDep,
    q: str = "",
    kind: str = "",
) -> Response:
    principal = viewer.signed_in
    channel = get_visible(session, Channel, channel_id, principal)
    entries = library_entries(session, principal, channel, broadcast_date, query=q, kind=kind)
    return viewer.render(
        "_library_list.html", entries=entries, day_url=_day_url(channel, broadcast_date)
    )


def _day_url(channel: Channel, broadcast_date: date) -> str:
    return f"/channels/{channel.id}/days/{broadcast_date.isoformat()}"


@router.get(DAY + "/items/{item_id}/form")
def item_form(
    channel_id: int, broadcast_date: date, item_id: int, viewer: SignedInDep, session: SessionDep
) -> Response:
    """The keyboard alternative to drag and drop: move, replace, insert or remove one item."""
    principal = viewer.signed_in
    principal.require(*PLANNERS)
    channel = get_visible(session, Channel, channel_id, principal)
    item = session.get(PlaylistItem, item_id)
    if item is None:
        raise NotFound(f"Item {item_id} does not exist.")
    return viewer.render(
        "_item_form.html",
        item=_public_item(session, channel, item),
        entries=library_entries(session, principal, channel, broadcast_date),
        day_url=_day_url(channel, broadcast_date),
        zone_label=zone_label(channel.time_zone),
    )


def _public_item(session: Session, channel: Channel, item: PlaylistItem) -> ItemPublic:
    playlist = session.get(Playlist, item.playlist_id)
    if playlist is None or playlist.channel_id != channel.id:
        raise NotFound(f"Item {item.id} is not on channel {channel.id}.")
    public = playlist_public(session, channel, playlist)
    return next(i for i in public.items if i.id == item.id)
