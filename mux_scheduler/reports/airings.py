"""Aggregate reconciled days into the proof-of-airing report (pure: no queries, no I/O).

Only what an as-run confirms counts as aired; a day without an as-run is reported as
"planned (no as-run yet)", never as aired. ``aired`` and ``late`` airings are delivered (they
count towards a campaign's target); ``short`` ones are reported but not counted.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, time
from fractions import Fraction

from mux_scheduler.asrun.presenters import NO_AS_RUN, RECONCILED
from mux_scheduler.asrun.reconcile import Outcome
from mux_scheduler.asrun.service import playlist_day, playlist_rate
from mux_scheduler.core.timecode import (
    BroadcastDay,
    format_rate,
    frames_to_seconds,
    frames_to_timecode,
)
from mux_scheduler.engine.inputs import WallWindow
from mux_scheduler.engine.windows import Spans
from mux_scheduler.reports.collect import ChannelDay, ReportInput
from mux_scheduler.reports.figures import Airing
from mux_scheduler.reports.schemas import AiringRow, AiringsReport, DayStatus, WindowCompliance
from mux_scheduler.reports.summaries import agency_summaries, campaign_summaries
from mux_scheduler.scheduling.models import Campaign, PlaylistItem

NO_PLAYLIST = "no published playlist"
INSERT_PREFIX = "insert:"
DEFAULT_RATE = Fraction(25)


def _windows(raw: Iterable[dict[str, str]]) -> tuple[WallWindow, ...]:
    return tuple(
        WallWindow(time.fromisoformat(w["start"]), time.fromisoformat(w["end"])) for w in raw
    )


class _Context:
    """Per-report caches of frame spans (windows resolve once per channel-day)."""

    def __init__(self, data: ReportInput) -> None:
        self.data = data
        self._spans: dict[tuple[object, ...], Spans] = {}

    def spans(
        self, key: tuple[object, ...], day: BroadcastDay, windows: tuple[WallWindow, ...]
    ) -> Spans:
        if key not in self._spans:
            self._spans[key] = Spans.of_windows(day, windows)
        return self._spans[key]

    def campaign_ids(self, cday: ChannelDay, day: BroadcastDay, item: PlaylistItem) -> list[int]:
        return [c.id or 0 for c in self.data.campaigns if self._in_campaign(c, cday, day, item)]

    def _in_campaign(
        self, campaign: Campaign, cday: ChannelDay, day: BroadcastDay, item: PlaylistItem
    ) -> bool:
        if item.source == f"campaign:{campaign.id}":
            return True
        if item.asset_id is None or item.asset_id not in campaign.asset_ids:
            return False
        if cday.channel.id not in self.data.campaign_channels.get(campaign.id or 0, set()):
            return False
        if not campaign.valid_from <= cday.broadcast_date <= campaign.valid_until:
            return False
        key = ("campaign", campaign.id, cday.channel.id, cday.broadcast_date)
        return self.spans(key, day, _windows(campaign.windows)).contains(item.start_frames)

    def window_ok(
        self, cday: ChannelDay, day: BroadcastDay, item: PlaylistItem, outcome: Outcome
    ) -> bool:
        hard = self.data.constraints[cday.channel.id or 0].hard_windows
        windows = hard.get(item.classification)
        if windows is None:
            return True
        key = ("class", cday.channel.id, cday.broadcast_date, item.classification)
        spans = self.spans(key, day, windows) if windows else Spans([])
        start = item.start_frames + outcome.offset_frames
        return spans.covers(start, start + outcome.aired_frames)


def _airing(
    ctx: _Context, cday: ChannelDay, day: BroadcastDay, item: PlaylistItem, outcome: Outcome | None
) -> Airing:
    rate = day.rate
    row = AiringRow(
        channel=cday.channel.slug,
        broadcast_date=cday.broadcast_date,
        position=item.position,
        planned_start_at=day.local_at(item.start_frames),
        house_id=item.house_id,
        title=item.title,
        agency=ctx.data.agencies.get(item.agency_id or 0, ""),
        item_type=item.item_type,
        classification=item.classification,
        source=item.source,
        campaign_ids=ctx.campaign_ids(cday, day, item),
        planned_duration=frames_to_timecode(item.duration_frames, rate),
        status=outcome.status.value if outcome else NO_AS_RUN,
    )
    aired_seconds = Fraction(0)
    if outcome is not None and outcome.aired_key is not None:
        event = cday.events[outcome.aired_key]
        aired_seconds = frames_to_seconds(outcome.aired_frames, rate)
        row = row.model_copy(
            update={
                "aired_at": event.aired_at.astimezone(day.local_at(0).tzinfo),
                "aired_duration": frames_to_timecode(outcome.aired_frames, rate),
                "offset_frames": outcome.offset_frames,
                "shortfall_frames": outcome.shortfall_frames,
                "window_compliant": ctx.window_ok(cday, day, item, outcome),
            }
        )
    return Airing(
        row=row,
        channel_id=cday.channel.id or 0,
        broadcast_date=cday.broadcast_date,
        agency_id=item.agency_id,
        item_type=item.item_type,
        status=row.status,
        planned_seconds=frames_to_seconds(item.duration_frames, rate),
        aired_seconds=aired_seconds,
    )


def _wanted(data: ReportInput, item: PlaylistItem, airing_campaigns: list[int]) -> bool:
    if data.agency_id is not None and item.agency_id != data.agency_id:
        return False
    return data.campaign is None or (data.campaign.id or 0) in airing_campaigns


def airings(data: ReportInput) -> list[Airing]:
    ctx = _Context(data)
    found = []
    for cday in data.days:
        if cday.playlist is None:
            continue
        day = playlist_day(cday.playlist, cday.channel)
        outcomes = {o.planned_key: o for o in cday.result.outcomes} if cday.result else {}
        for item in cday.items:
            if data.agency_id is not None and item.agency_id != data.agency_id:
                continue
            airing = _airing(ctx, cday, day, item, outcomes.get(item.id or 0))
            if _wanted(data, item, airing.row.campaign_ids):
                found.append(airing)
    return found


def _day_status(cday: ChannelDay) -> DayStatus:
    if cday.playlist is None:
        status = NO_PLAYLIST
    else:
        status = RECONCILED if cday.result is not None else NO_AS_RUN
    return DayStatus(
        channel=cday.channel.slug,
        broadcast_date=cday.broadcast_date,
        status=status,
        playlist_version=cday.playlist.version if cday.playlist else None,
    )


def report_rate(data: ReportInput) -> Fraction:
    """One rate for summed durations: the channels' common rate (25/1 if they differ)."""
    rates = {playlist_rate(d.playlist) for d in data.days if d.playlist is not None}
    return rates.pop() if len(rates) == 1 else DEFAULT_RATE


def build_report(data: ReportInput, *, generated_at: datetime) -> AiringsReport:
    found = airings(data)
    rate = report_rate(data)
    rows = [a.row for a in found]
    checked = [r for r in rows if r.window_compliant is not None]
    return AiringsReport(
        date_from=data.date_from,
        date_to=data.date_to,
        agency_id=data.agency_id,
        campaign_id=data.campaign.id if data.campaign else None,
        generated_at=generated_at,
        frame_rate=format_rate(rate),
        agencies=agency_summaries(found, data.agencies, rate),
        campaigns=campaign_summaries(found, data),
        days=[_day_status(d) for d in data.days],
        classification=WindowCompliance(
            checked=len(checked),
            compliant=sum(1 for r in checked if r.window_compliant),
            violations=[r for r in checked if not r.window_compliant],
        ),
        inserts=[r for r in rows if r.source.startswith(INSERT_PREFIX)],
        items=rows,
    )
