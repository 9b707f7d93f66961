"""Database playlist -> export context -> rendered file on disk, with a row per distinct file.

The context is a pure function of the stored playlist version (``generated_at`` is the
version's publish or build instant, never "now"), so exporting an unchanged version again
gives the same bytes, the same file and the same :class:`Export` row.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from fractions import Fraction
from pathlib import Path
from typing import cast

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from mux_scheduler.agencies.models import Agency
from mux_scheduler.auth.access import Principal
from mux_scheduler.channels.models import Channel, Multiplex, Operator
from mux_scheduler.core.errors import NotFound
from mux_scheduler.core.timecode import broadcast_day
from mux_scheduler.exports import media_names
from mux_scheduler.exports.context import (
    Classification,
    ExportChannel,
    ExportContextError,
    ExportItem,
    ExportPlaylist,
    ItemType,
    PlaylistState,
    StartMode,
)
from mux_scheduler.exports.models import Export
from mux_scheduler.exports.registry import ExportFormat, RenderedExport, render_export
from mux_scheduler.exports.writer import write_exports
from mux_scheduler.scheduling.models import Playlist, PlaylistItem, ScheduleRule

EXPORTABLE_STATES = ("published", "locked")
FIXED_SOURCES = ("locked", "mandatory:")


@dataclass(frozen=True)
class Owner:
    """Where a channel sits: the multiplex (TS id, ONID) and the operator that runs it."""

    channel: Channel
    multiplex: Multiplex
    operator: Operator


@dataclass(frozen=True)
class ExportResult:
    row: Export
    rendered: RenderedExport
    path: Path


def owner_of(session: Session, channel: Channel) -> Owner:
    multiplex = session.get(Multiplex, channel.multiplex_id)
    operator = session.get(Operator, multiplex.operator_id) if multiplex else None
    if multiplex is None or operator is None:
        raise NotFound(f"Channel {channel.id} has no multiplex or operator.")
    return Owner(channel, multiplex, operator)


def exportable_playlist(
    session: Session,
    *,
    channel_id: int,
    broadcast_date: date,
    principal: Principal | None,
    version: int | None = None,
) -> Playlist:
    """The latest published/locked version; staff (or the scheduler) may name any version."""
    query = select(Playlist).where(
        Playlist.channel_id == channel_id, Playlist.broadcast_date == broadcast_date
    )
    if version is not None:
        query = query.where(Playlist.version == version)
    may_see_drafts = version is not None and (principal is None or principal.is_staff)
    if not may_see_drafts:
        query = query.where(col(Playlist.state).in_(EXPORTABLE_STATES))
    row = session.exec(query.order_by(col(Playlist.version).desc())).first()
    if row is None:
        what = f"version {version}" if version is not None else "a published version"
        raise NotFound(
            f"Channel {channel_id} has no {what} for {broadcast_date.isoformat()} to export."
        )
    return row


def build_context(session: Session, *, owner: Owner, playlist: Playlist) -> ExportPlaylist:
    channel, multiplex, operator = owner.channel, owner.multiplex, owner.operator
    assert channel.id is not None
    rate = Fraction(playlist.rate_num, playlist.rate_den)
    day = broadcast_day(
        playlist.broadcast_date, zone=channel.time_zone, day_start=channel.day_start, rate=rate
    )
    if day.start_at != playlist.start_at:
        raise ExportContextError(
            f"Channel {channel.slug} changed its zone or day start after version "
            f"{playlist.version} was built; rebuild the day before exporting it."
        )
    export_channel = ExportChannel(
        channel_id=channel.id,
        name=channel.name,
        slug=channel.slug,
        xmltv_id=f"{channel.slug}.id",
        lcn=channel.lcn,
        service_id=channel.service_id,
        transport_stream_id=multiplex.transport_stream_id,
        original_network_id=multiplex.original_network_id,
        zone=channel.time_zone,
        rate=rate,
        operator_name=operator.name,
        operator_slug=operator.slug,
    )
    return ExportPlaylist(
        channel=export_channel,
        day=day,
        version=playlist.version,
        state=_export_state(playlist.state),
        generated_at=_generated_at(playlist),
        items=_export_items(session, playlist, profile_id=channel.profile_id),
    )


def _export_state(state: str) -> PlaylistState:
    # A superseded version was published when it was current; re-exporting it (staff only)
    # reproduces what went out then.
    return cast(PlaylistState, "published" if state == "superseded" else state)


def _generated_at(playlist: Playlist) -> datetime:
    return playlist.published_at or playlist.built_at


def _export_items(
    session: Session, playlist: Playlist, *, profile_id: int
) -> tuple[ExportItem, ...]:
    rows = list(
        session.exec(
            select(PlaylistItem)
            .where(PlaylistItem.playlist_id == playlist.id)
            .order_by(col(PlaylistItem.position))
        )
    )
    agencies = _agency_names(session, {r.agency_id for r in rows if r.agency_id is not None})
    fixed_rules = _fixed_rule_ids(session, rows)
    media = media_names.lookup(
        session, asset_ids={r.asset_id for r in rows if r.asset_id}, profile_id=profile_id
    )
    return tuple(
        ExportItem(
            event_id=uuid.UUID(hex=row.event_uid),
            start_offset_frames=row.start_frames,
            duration_frames=row.duration_frames,
            som_frames=row.som_frames,
            item_type=cast(ItemType, row.item_type),
            house_id=row.house_id,
            title=row.title,
            description=media.description(row.asset_id),
            classification=cast(Classification, row.classification),
            language=media.language(row.asset_id),
            agency_name=agencies.get(row.agency_id, "") if row.agency_id else "",
            media_file_name=media.file_name(row.asset_id, row.house_id),
            start_mode=_start_mode(row, fixed_rules),
        )
        for row in rows
    )


def _agency_names(session: Session, agency_ids: set[int]) -> dict[int, str]:
    if not agency_ids:
        return {}
    rows = session.exec(select(Agency.id, Agency.name).where(col(Agency.id).in_(agency_ids)))
    return {agency_id: name for agency_id, name in rows if agency_id is not None}


def _rule_id(source: str) -> int | None:
    prefix, _, rest = source.partition(":")
    return int(rest) if prefix == "rule" and rest.isdigit() else None


def _fixed_rule_ids(session: Session, rows: list[PlaylistItem]) -> set[int]:
    rule_ids = {rule_id for r in rows if (rule_id := _rule_id(r.source)) is not None}
    if not rule_ids:
        return set()
    query = select(ScheduleRule.id).where(
        col(ScheduleRule.id).in_(rule_ids), ScheduleRule.kind == "fixed_event"
    )
    return {rule_id for rule_id in session.exec(query) if rule_id is not None}


def _start_mode(row: PlaylistItem, fixed_rules: set[int]) -> StartMode:
    """Fixed events, locked edits and mandatory items start on the clock; the rest follow."""
    if row.position == 0 or row.locked or row.source.startswith(FIXED_SOURCES):
        return "fixed"
    return "fixed" if _rule_id(row.source) in fixed_rules else "follow"


def export_playlist(
    session: Session,
    *,
    playlists_root: Path,
    owner: Owner,
    playlist: Playlist,
    export_format: ExportFormat,
    context: ExportPlaylist | None = None,
) -> ExportResult:
    """Render, write atomically (with the day folder's SHA256SUMS) and record the file.

    Pass ``context`` (from :func:`build_context`) when exporting one version in several
    formats: the items are then read, and their timeline computed, once.
    """
    if context is None:
        context = build_context(session, owner=owner, playlist=playlist)
    return export_formats(
        session,
        playlists_root=playlists_root,
        owner=owner,
        playlist=playlist,
        formats=[export_format],
        context=context,
    )[0]


def export_formats(
    session: Session,
    *,
    playlists_root: Path,
    owner: Owner,
    playlist: Playlist,
    formats: list[ExportFormat],
    context: ExportPlaylist | None = None,
) -> list[ExportResult]:
    """One version in several formats: one context, one manifest update for the day folder."""
    if context is None:
        context = build_context(session, owner=owner, playlist=playlist)
    rendered = [render_export(fmt, context) for fmt in formats]
    paths = write_exports(
        playlists_root,
        owner.operator.slug,
        owner.channel.slug,
        playlist.broadcast_date,
        rendered,
    )
    return [
        ExportResult(_record(session, playlist, item, path), item, path)
        for item, path in zip(rendered, paths, strict=True)
    ]


def export_update(
    session: Session,
    *,
    playlists_root: Path,
    owner: Owner,
    playlist: Playlist,
    export_format: ExportFormat,
    changed_event_ids: frozenset[uuid.UUID],
    context: ExportPlaylist | None = None,
) -> ExportResult:
    """A partial file (``..._update``) carrying only ``changed_event_ids``, for formats that
    have an update message (BXF). Its bytes differ from the full file's, so it is recorded
    (and delivered) as an export of its own."""
    if context is None:
        context = build_context(session, owner=owner, playlist=playlist)
    rendered = render_export(export_format, context, changed_event_ids=changed_event_ids)
    (path,) = write_exports(
        playlists_root,
        owner.operator.slug,
        owner.channel.slug,
        playlist.broadcast_date,
        [rendered],
    )
    return ExportResult(_record(session, playlist, rendered, path), rendered, path)


def _find_record(session: Session, playlist: Playlist, rendered: RenderedExport) -> Export | None:
    query = select(Export).where(
        Export.playlist_id == playlist.id,
        Export.format == rendered.format_key,
        Export.sha256 == rendered.sha256,
    )
    return session.exec(query).first()


def _record(session: Session, playlist: Playlist, rendered: RenderedExport, path: Path) -> Export:
    existing = _find_record(session, playlist, rendered)
    if existing is not None:
        return existing
    assert playlist.id is not None
    row = Export(
        playlist_id=playlist.id,
        format=rendered.format_key,
        file_name=rendered.file_name,
        media_type=rendered.media_type,
        path=str(path),
        sha256=rendered.sha256,
        size_bytes=len(rendered.content),
    )
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        # A concurrent export of the same bytes recorded it first; that row is the record.
        found = _find_record(session, playlist, rendered)
        assert found is not None
        return found
    return row
