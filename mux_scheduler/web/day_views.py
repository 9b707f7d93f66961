"""Read models for the channel-day and mux screens, built from the scheduling service's shapes.

Nothing here schedules: positions and labels are derived from ``playlist_public`` and the
playlist's stored report, so the UI shows exactly what the REST API returns.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from fractions import Fraction
from typing import Any

from sqlmodel import Session, col, select

from mux_scheduler.agencies.models import Agency
from mux_scheduler.auth.access import Principal, scope
from mux_scheduler.channels.models import Channel
from mux_scheduler.core.errors import NotFound
from mux_scheduler.core.timecode import BroadcastDay, frames_to_seconds, seconds_to_frames
from mux_scheduler.scheduling import playlists
from mux_scheduler.scheduling.library import load_library
from mux_scheduler.scheduling.models import Campaign, Playlist, ScheduleRule
from mux_scheduler.scheduling.presenters import playlist_public
from mux_scheduler.scheduling.rules_service import PLANNERS, visible_campaigns
from mux_scheduler.scheduling.schemas import ItemPublic, PlaylistPublic
from mux_scheduler.web.labels import FLAG_LABELS, TYPE_LABELS, VIOLATION_TITLES
from mux_scheduler.web.report_words import Names, ReportContext, Sentence
from mux_scheduler.web.violation_text import describe


@dataclass(frozen=True)
class ViolationView:
    code: str
    severity: str
    message: str
    item_index: int | None
    blocks_publish: bool
    stored: Mapping[str, Any] = field(default_factory=dict, compare=False)
    context: ReportContext | None = field(default=None, compare=False)

    @property
    def title(self) -> str:
        return VIOLATION_TITLES.get(self.code, self.code.replace("_", " "))

    def sentence(self, locale: str) -> Sentence:
        """What went wrong in the viewer's language (the engine's English without a context)."""
        if self.context is None:
            return Sentence(self.message, "en")
        return describe(self.stored, self.context, locale)

    @property
    def is_error(self) -> bool:
        return self.severity == "error" or self.blocks_publish


@dataclass(frozen=True)
class ItemView:
    item: ItemPublic
    left_percent: float
    width_percent: float
    agency_short: str
    violations: tuple[ViolationView, ...] = ()

    @property
    def type_label(self) -> str:
        return TYPE_LABELS.get(self.item.item_type, self.item.item_type)

    @property
    def flag_labels(self) -> list[str]:
        """The engine's item flags as message ids (an unknown flag as it is)."""
        return [FLAG_LABELS.get(flag, flag) for flag in self.item.flags]

    @property
    def severity(self) -> str:
        if any(v.is_error for v in self.violations):
            return "error"
        return "warning" if self.violations else ""


@dataclass(frozen=True)
class Tick:
    left_percent: float
    local: datetime


def hour_ticks(day: BroadcastDay) -> list[Tick]:
    """One tick per hour of the broadcast day, at its local wall-clock time."""
    hours = int(day.length_seconds // 3600)
    return [
        Tick(
            left_percent=100 * seconds_to_frames(3600 * h, day.rate) / day.frames,
            local=day.local_at(seconds_to_frames(3600 * h, day.rate)),
        )
        for h in range(hours)
    ]


@dataclass
class ChannelDayView:
    channel: Channel
    broadcast_date: date
    playlist: PlaylistPublic | None
    versions: list[Playlist]
    can_edit: bool
    day: BroadcastDay
    items: list[ItemView] = field(default_factory=list)
    violations: list[ViolationView] = field(default_factory=list)
    campaigns: list[dict[str, Any]] = field(default_factory=list)
    is_latest: bool = True
    names: Names = field(default_factory=Names)

    def campaign_label(self, campaign_id: object) -> str:
        return self.names.campaigns.get(str(campaign_id)) or f"#{campaign_id}"

    def refusal_lines(
        self, errors: list[dict[str, Any]], locale: str
    ) -> list[tuple[int | None, Sentence]]:
        """A refused change's error list; publish blockers are this day's own violations, so
        they are worded like the validation list (other errors keep the service's English)."""
        known: dict[tuple[object, ...], ViolationView] = {
            (v.code, v.item_index, v.message): v for v in self.violations
        }
        lines = []
        for error in errors:
            index = error.get("item_index")
            view = known.get((error.get("code"), index, error.get("msg")))
            text = view.sentence(locale) if view else Sentence(str(error.get("msg", "")), "en")
            lines.append((index, text))
        return lines

    @property
    def filled_frames(self) -> int:
        return sum(i.item.duration_frames for i in self.items)

    @property
    def is_exactly_full(self) -> bool:
        return self.playlist is not None and self.filled_frames == self.playlist.day_frames

    @property
    def previous_date(self) -> date:
        return self.broadcast_date - timedelta(days=1)

    @property
    def next_date(self) -> date:
        return self.broadcast_date + timedelta(days=1)

    @property
    def ticks(self) -> list[Tick]:
        return hour_ticks(self.day)

    @property
    def filled_text(self) -> str:
        return clock_text(self.filled_frames, self.day.rate)

    @property
    def day_text(self) -> str:
        return clock_text(self.day.frames, self.day.rate)

    @property
    def errors(self) -> list[ViolationView]:
        return [v for v in self.violations if v.is_error]

    @property
    def warnings(self) -> list[ViolationView]:
        return [v for v in self.violations if not v.is_error]

    @property
    def editable(self) -> bool:
        """Manual edits go to the newest version, and never to a locked day."""
        return (
            self.can_edit
            and self.playlist is not None
            and self.is_latest
            and self.playlist.state != "locked"
        )


def is_planner(principal: Principal) -> bool:
    return principal.role in PLANNERS


def agency_names(session: Session, principal: Principal) -> dict[int, str]:
    return {a.id: a.short_name for a in session.exec(scope(Agency, principal)) if a.id is not None}


def violations_of(
    report: dict[str, Any], context: ReportContext | None = None
) -> list[ViolationView]:
    found = [
        ViolationView(
            code=v["code"],
            severity=v["severity"],
            message=v["message"],
            item_index=v.get("item_index"),
            blocks_publish=bool(v.get("blocks_publish")),
            stored=v,
            context=context,
        )
        for v in report.get("violations", [])
    ]
    return sorted(found, key=lambda v: (not v.is_error, v.item_index or 0))


def report_names(
    session: Session,
    principal: Principal,
    channel: Channel,
    report: Mapping[str, Any],
    agencies: dict[int, str],
) -> Names:
    """Names of the rules and campaigns a report refers to, as far as the viewer may see."""
    rules = session.exec(
        select(ScheduleRule.id, ScheduleRule.name).where(ScheduleRule.channel_id == channel.id)
    )
    wanted = {str(c.get("campaign_id")) for c in report.get("campaigns", [])}
    wanted |= {
        str(v["params"]["campaign_id"])
        for v in report.get("violations", [])
        if "campaign_id" in (v.get("params") or {})
    }
    ids = [int(c) for c in wanted if c.isdigit()]
    campaigns: list[Campaign] = []
    if ids:
        campaigns = list(
            session.exec(visible_campaigns(principal).where(col(Campaign.id).in_(ids)))
        )
    return Names(
        agencies=agencies,
        rules={str(rule_id): name for rule_id, name in rules},
        campaigns={str(c.id): c.name for c in campaigns},
    )


def item_views(
    public: PlaylistPublic, violations: list[ViolationView], agencies: dict[int, str]
) -> list[ItemView]:
    by_index: dict[int, list[ViolationView]] = {}
    for violation in violations:
        if violation.item_index is not None:
            by_index.setdefault(violation.item_index, []).append(violation)
    total = public.day_frames or 1
    return [
        ItemView(
            item=item,
            left_percent=100 * item.start_frames / total,
            width_percent=100 * item.duration_frames / total,
            agency_short=agencies.get(item.agency_id or 0, ""),
            violations=tuple(by_index.get(index, ())),
        )
        for index, item in enumerate(public.items)
    ]


def _versions(
    session: Session, channel: Channel, broadcast_date: date, principal: Principal
) -> list[Playlist]:
    query = select(Playlist).where(
        Playlist.channel_id == channel.id, Playlist.broadcast_date == broadcast_date
    )
    if not is_planner(principal):
        query = query.where(col(Playlist.state).in_(playlists.READABLE_STATES))
    return list(session.exec(query.order_by(col(Playlist.version).desc())))


def day_view(
    session: Session,
    principal: Principal,
    channel: Channel,
    broadcast_date: date,
    *,
    version: int | None = None,
) -> ChannelDayView:
    """The channel-day as this viewer may see it; no playlist yet is an empty day, not a 404."""
    versions = _versions(session, channel, broadcast_date, principal)
    day = playlists.channel_day(session, channel, broadcast_date)
    view = ChannelDayView(
        channel, broadcast_date, None, versions, can_edit=is_planner(principal), day=day
    )
    try:
        row = playlists.readable_playlist(
            session,
            channel=channel,
            broadcast_date=broadcast_date,
            principal=principal,
            version=version,
        )
    except NotFound:
        if version is not None:
            raise
        return view
    view.playlist = playlist_public(session, channel, row)
    agencies = agency_names(session, principal)
    view.names = report_names(session, principal, channel, row.report, agencies)
    context = ReportContext(day, view.playlist.items, view.names)
    view.violations = violations_of(row.report, context)
    view.items = item_views(view.playlist, view.violations, agencies)
    view.campaigns = list(row.report.get("campaigns", []))
    view.is_latest = bool(versions) and versions[0].id == row.id
    return view


@dataclass(frozen=True)
class LibraryEntry:
    asset_id: int
    title: str
    kind: str
    duration_frames: int
    classification: str
    agency_short: str
    usable: bool  # approved and valid on the day
    rendition_ready: bool
    duration_text: str

    @property
    def type_label(self) -> str:
        return TYPE_LABELS.get(self.kind, self.kind)


def clock_text(frames: int, rate: Fraction) -> str:
    """A duration as people read it: 0:45, 25:10 or 1:30:00 (whole seconds, rounded down)."""
    seconds = int(frames_to_seconds(frames, rate))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def library_entries(
    session: Session,
    principal: Principal,
    channel: Channel,
    broadcast_date: date,
    *,
    query: str = "",
    kind: str = "",
) -> list[LibraryEntry]:
    """The assets the engine may use on this channel-day, filtered by title and kind."""
    day = playlists.channel_day(session, channel, broadcast_date)
    agencies = agency_names(session, principal)
    needle = query.strip().casefold()
    return [
        LibraryEntry(
            asset_id=a.asset_id,
            title=a.title,
            kind=a.kind,
            duration_frames=a.duration_frames,
            classification=a.classification,
            agency_short=agencies.get(a.agency_id or 0, ""),
            usable=a.approved and a.valid_on(broadcast_date),
            rendition_ready=a.rendition_ready,
            duration_text=clock_text(a.duration_frames, day.rate),
        )
        for a in load_library(session, channel=channel, day=day)
        if (not needle or needle in a.title.casefold()) and (not kind or a.kind == kind)
    ]
