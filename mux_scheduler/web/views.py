"""Read models for the channel pages, loaded in a few scoped queries (no query per row)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from fractions import Fraction
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from mux_scheduler.agencies.models import Agency
from mux_scheduler.auth.access import Principal, get_visible, scope
from mux_scheduler.channels.models import (
    Channel,
    ChannelLease,
    Multiplex,
    Operator,
    TechnicalProfile,
)
from mux_scheduler.core.timecode import broadcast_date_of, broadcast_day, zone_label
from mux_scheduler.scheduling.models import Playlist
from mux_scheduler.scheduling.playlists import READABLE_STATES
from mux_scheduler.scheduling.rules_service import PLANNERS


@dataclass(frozen=True)
class LeaseView:
    agency: Agency
    share_percent: int
    valid_from: date
    valid_until: date | None

    def is_current(self, on: date) -> bool:
        return self.valid_from <= on and (self.valid_until is None or on <= self.valid_until)


@dataclass(frozen=True)
class DayView:
    """One broadcast day of a channel, with its local start and end."""

    broadcast_date: date
    starts_at: datetime
    ends_at: datetime
    is_today: bool


@dataclass(frozen=True)
class ChannelCard:
    channel: Channel
    multiplex: Multiplex | None
    operator: Operator | None
    profile: TechnicalProfile | None
    leases: list[LeaseView]
    days: list[DayView]
    playlists: dict[date, Playlist] = field(default_factory=dict)

    def playlist_on(self, broadcast_date: date) -> Playlist | None:
        """The newest version of that day this viewer may see (None: nothing to show yet)."""
        return self.playlists.get(broadcast_date)

    @property
    def zone_label(self) -> str:
        return zone_label(self.channel.time_zone)

    @property
    def current_leases(self) -> list[LeaseView]:
        return [lease for lease in self.leases if lease.is_current(self.days[0].broadcast_date)]


def broadcast_days(channel: Channel, *, now: datetime, count: int = 2) -> list[DayView]:
    """Today's broadcast day in the channel's zone (before the day start it is yesterday's)."""
    first = broadcast_date_of(now, zone=channel.time_zone, day_start=channel.day_start)
    zone = ZoneInfo(channel.time_zone)
    days = []
    for index in range(count):
        day = broadcast_day(
            first + timedelta(days=index),
            zone=channel.time_zone,
            day_start=channel.day_start,
            rate=Fraction(1),
        )
        days.append(
            DayView(
                day.broadcast_date,
                day.start_at.astimezone(zone),
                day.end_at.astimezone(zone),
                index == 0,
            )
        )
    return days


def channel_cards(
    session: Session, principal: Principal, channels: Sequence[Channel], *, now: datetime
) -> list[ChannelCard]:
    mux_ids = {c.multiplex_id for c in channels}
    muxes = {
        m.id: m
        for m in session.exec(scope(Multiplex, principal).where(col(Multiplex.id).in_(mux_ids)))
    }
    operator_ids = {m.operator_id for m in muxes.values()}
    operators = {
        o.id: o
        for o in session.exec(scope(Operator, principal).where(col(Operator.id).in_(operator_ids)))
    }
    profile_ids = {c.profile_id for c in channels}
    profiles = {
        p.id: p
        for p in session.exec(
            scope(TechnicalProfile, principal).where(col(TechnicalProfile.id).in_(profile_ids))
        )
    }
    leases = _leases(session, principal, [c.id for c in channels if c.id is not None])
    days = {c.id: broadcast_days(c, now=now) for c in channels}
    latest = latest_playlists(session, principal, days)
    cards = []
    for channel in channels:
        mux = muxes.get(channel.multiplex_id)
        cards.append(
            ChannelCard(
                channel=channel,
                multiplex=mux,
                operator=operators.get(mux.operator_id) if mux else None,
                profile=profiles.get(channel.profile_id),
                leases=leases.get(channel.id, []),
                days=days[channel.id],
                playlists={
                    d.broadcast_date: latest[(channel.id or 0, d.broadcast_date)]
                    for d in days[channel.id]
                    if (channel.id or 0, d.broadcast_date) in latest
                },
            )
        )
    return cards


def latest_playlists(
    session: Session, principal: Principal, days: dict[int | None, list[DayView]]
) -> dict[tuple[int, date], Playlist]:
    """Newest readable version per channel-day, in one query (drafts are for planners only)."""
    dates = {d.broadcast_date for views in days.values() for d in views}
    query = select(Playlist).where(
        col(Playlist.channel_id).in_([c for c in days if c is not None]),
        col(Playlist.broadcast_date).in_(dates),
        col(Playlist.state) != "superseded",
    )
    if principal.role not in PLANNERS:
        query = query.where(col(Playlist.state).in_(READABLE_STATES))
    latest: dict[tuple[int, date], Playlist] = {}
    for row in session.exec(query.order_by(col(Playlist.version))):
        latest[(row.channel_id, row.broadcast_date)] = row
    return latest


def _leases(
    session: Session, principal: Principal, channel_ids: list[int]
) -> dict[int | None, list[LeaseView]]:
    """Each channel's leases the viewer may see, largest share first."""
    query = (
        scope(ChannelLease, principal)
        .where(col(ChannelLease.channel_id).in_(channel_ids))
        .order_by(col(ChannelLease.share_percent).desc(), col(ChannelLease.valid_from))
    )
    leases = list(session.exec(query))
    agency_ids = {lease.agency_id for lease in leases}
    agencies = {
        a.id: a
        for a in session.exec(scope(Agency, principal).where(col(Agency.id).in_(agency_ids)))
    }
    by_channel: dict[int | None, list[LeaseView]] = {}
    for lease in leases:
        agency = agencies.get(lease.agency_id)
        if agency is not None:
            view = LeaseView(agency, lease.share_percent, lease.valid_from, lease.valid_until)
            by_channel.setdefault(lease.channel_id, []).append(view)
    return by_channel


def visible_channel_cards(
    session: Session, principal: Principal, *, now: datetime
) -> list[ChannelCard]:
    query = scope(Channel, principal).order_by(col(Channel.lcn), col(Channel.name))
    return channel_cards(session, principal, list(session.exec(query)), now=now)


def channel_card(
    session: Session, principal: Principal, channel_id: int, *, now: datetime
) -> ChannelCard:
    """One channel's card; ``NotFound`` when it is outside the viewer's scope."""
    channel = get_visible(session, Channel, channel_id, principal)
    return channel_cards(session, principal, [channel], now=now)[0]
