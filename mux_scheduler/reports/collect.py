"""Load what a proof-of-airing report needs, in a handful of queries, within the caller's scope.

Editors are held to their own agency here, once, so no rendering can leak another agency's
rows; operators and staff see the channels ``scope`` gives them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlmodel import Session, col, select

from mux_scheduler import engine
from mux_scheduler.agencies.models import Agency
from mux_scheduler.asrun import service as asrun_service
from mux_scheduler.asrun.models import AsRunEvent
from mux_scheduler.asrun.reconcile import Result
from mux_scheduler.auth.access import Principal, scope
from mux_scheduler.auth.models import Role
from mux_scheduler.channels.models import Channel
from mux_scheduler.core.errors import Forbidden, NotFound, ValidationFailed
from mux_scheduler.scheduling import mapping
from mux_scheduler.scheduling.models import Campaign, CampaignChannel, Playlist, PlaylistItem

MAX_DAYS = 93


@dataclass
class ChannelDay:
    channel: Channel
    broadcast_date: date
    playlist: Playlist | None = None
    items: list[PlaylistItem] = field(default_factory=list)
    events: dict[int, AsRunEvent] = field(default_factory=dict)
    result: Result | None = None


@dataclass
class ReportInput:
    date_from: date
    date_to: date
    agency_id: int | None
    campaign: Campaign | None
    days: list[ChannelDay]
    agencies: dict[int, str]
    campaigns: list[Campaign]
    campaign_channels: dict[int, set[int]]
    constraints: dict[int, engine.Constraints]


def report_agency(principal: Principal, requested: int | None) -> int | None:
    if principal.role != Role.AGENCY_EDITOR:
        return requested
    if requested is not None and requested != principal.agency_id:
        raise Forbidden("Agency editors can only report on their own agency's airings.")
    if principal.agency_id is None:
        raise Forbidden("Your account is not attached to an agency.")
    return principal.agency_id


def _check_range(date_from: date, date_to: date) -> None:
    if date_to < date_from:
        raise ValidationFailed("'to' is before 'from'.")
    if (date_to - date_from).days >= MAX_DAYS:
        raise ValidationFailed(f"A report covers at most {MAX_DAYS} days; split the period.")


def _days(
    session: Session, channels: list[Channel], date_from: date, date_to: date
) -> list[ChannelDay]:
    ids = [c.id for c in channels if c.id is not None]
    playlists = asrun_service.on_air_playlists(
        session, channel_ids=ids, first=date_from, last=date_to
    )
    items = asrun_service.items_by_playlist(session, [p.id for p in playlists.values() if p.id])
    events = asrun_service.as_run_events(session, channel_ids=ids, first=date_from, last=date_to)
    days = []
    span = (date_to - date_from).days + 1
    for channel in channels:
        for offset in range(span):
            day = ChannelDay(channel, date_from + timedelta(days=offset))
            key = (channel.id or 0, day.broadcast_date)
            day.playlist = playlists.get(key)
            if day.playlist is not None:
                day.items = items.get(day.playlist.id or 0, [])
                aired = events.get(key, [])
                day.events = {e.id or 0: e for e in aired}
                if aired:
                    day.result = asrun_service.reconcile_playlist(day.playlist, day.items, aired)
            days.append(day)
    return days


def _campaigns(
    session: Session, campaign: Campaign | None, date_from: date, date_to: date
) -> tuple[list[Campaign], dict[int, set[int]]]:
    query = select(Campaign).where(
        col(Campaign.valid_from) <= date_to, col(Campaign.valid_until) >= date_from
    )
    if campaign is not None:
        query = query.where(Campaign.id == campaign.id)
    campaigns = list(session.exec(query.order_by(col(Campaign.id))))
    channels: dict[int, set[int]] = defaultdict(set)
    ids = [c.id for c in campaigns]
    for link in session.exec(
        select(CampaignChannel).where(col(CampaignChannel.campaign_id).in_(ids))
    ):
        channels[link.campaign_id].add(link.channel_id)
    return campaigns, channels


def load(
    session: Session,
    *,
    principal: Principal,
    date_from: date,
    date_to: date,
    agency_id: int | None,
    campaign_id: int | None,
) -> ReportInput:
    _check_range(date_from, date_to)
    agency_id = report_agency(principal, agency_id)
    campaign = session.get(Campaign, campaign_id) if campaign_id is not None else None
    if campaign_id is not None and campaign is None:
        raise NotFound(f"Campaign {campaign_id} does not exist.")
    channels = list(session.exec(scope(Channel, principal).order_by(col(Channel.lcn))))
    campaigns, campaign_channels = _campaigns(session, campaign, date_from, date_to)
    agencies = {a.id or 0: a.short_name for a in session.exec(select(Agency))}
    return ReportInput(
        date_from=date_from,
        date_to=date_to,
        agency_id=agency_id,
        campaign=campaign,
        days=_days(session, channels, date_from, date_to),
        agencies=agencies,
        campaigns=campaigns,
        campaign_channels=campaign_channels,
        constraints={c.id or 0: mapping.constraints_from_channel(c.constraints) for c in channels},
    )
