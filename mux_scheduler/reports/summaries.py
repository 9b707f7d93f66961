"""Per-agency and per-campaign totals over the report's rows."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from fractions import Fraction

from mux_scheduler.asrun.presenters import NO_AS_RUN
from mux_scheduler.asrun.reconcile import Status
from mux_scheduler.reports.collect import ChannelDay, ReportInput
from mux_scheduler.reports.figures import Airing, duration
from mux_scheduler.reports.schemas import AgencySummary, CampaignDay, CampaignSummary
from mux_scheduler.scheduling.models import Campaign

ILM = "ilm"
NO_AGENCY = "(no agency)"


def _count(rows: Sequence[Airing], status: str) -> int:
    return sum(1 for a in rows if a.status == status)


def _agency(
    agency_id: int | None, name: str, rows: Sequence[Airing], rate: Fraction
) -> AgencySummary:
    aired = sum((a.aired_seconds for a in rows), Fraction(0))
    ilm = sum((a.aired_seconds for a in rows if a.item_type == ILM), Fraction(0))
    pending = [a for a in rows if a.status == NO_AS_RUN]
    return AgencySummary(
        agency_id=agency_id,
        agency=name,
        planned_count=len(rows),
        planned=duration(sum((a.planned_seconds for a in rows), Fraction(0)), rate),
        aired_count=sum(1 for a in rows if a.delivered),
        late_count=_count(rows, Status.LATE.value),
        short_count=_count(rows, Status.SHORT.value),
        missed_count=_count(rows, Status.MISSED.value),
        unconfirmed_count=len(pending),
        aired=duration(aired, rate),
        unconfirmed=duration(sum((a.planned_seconds for a in pending), Fraction(0)), rate),
        ilm_aired=duration(ilm, rate),
        ilm_share_percent=round(float(100 * ilm / aired), 2) if aired else None,
    )


def agency_summaries(
    rows: Sequence[Airing], names: dict[int, str], rate: Fraction
) -> list[AgencySummary]:
    grouped: dict[int | None, list[Airing]] = defaultdict(list)
    for airing in rows:
        grouped[airing.agency_id].append(airing)
    summaries = [
        _agency(agency_id, names.get(agency_id, NO_AGENCY) if agency_id else NO_AGENCY, group, rate)
        for agency_id, group in grouped.items()
    ]
    return sorted(summaries, key=lambda s: s.agency)


def _applies(campaign: Campaign, cday: ChannelDay, data: ReportInput) -> bool:
    return (
        cday.playlist is not None
        and cday.channel.id in data.campaign_channels.get(campaign.id or 0, set())
        and campaign.valid_from <= cday.broadcast_date <= campaign.valid_until
    )


def _campaign_day(campaign: Campaign, cday: ChannelDay, rows: Sequence[Airing]) -> CampaignDay:
    aired = sum(1 for a in rows if a.delivered)
    if cday.result is None:
        status, met = NO_AS_RUN, None
    else:
        met = aired >= campaign.target_per_day
        status = "target met" if met else "target not met"
    return CampaignDay(
        channel=cday.channel.slug,
        broadcast_date=cday.broadcast_date,
        target_per_day=campaign.target_per_day,
        planned=len(rows),
        aired=aired,
        status=status,
        target_met=met,
    )


def _campaign(campaign: Campaign, rows: Sequence[Airing], data: ReportInput) -> CampaignSummary:
    cid = campaign.id or 0
    by_day: dict[tuple[int, object], list[Airing]] = defaultdict(list)
    for airing in rows:
        if cid in airing.row.campaign_ids:
            by_day[(airing.channel_id, airing.broadcast_date)].append(airing)
    days = [
        _campaign_day(campaign, cday, by_day.get((cday.channel.id or 0, cday.broadcast_date), []))
        for cday in data.days
        if (cday.channel.id or 0, cday.broadcast_date) in by_day
        or (data.agency_id is None and _applies(campaign, cday, data))
    ]
    return CampaignSummary(
        campaign_id=cid,
        name=campaign.name,
        target_per_day=campaign.target_per_day,
        days=days,
        days_met=sum(1 for d in days if d.target_met is True),
        days_missed=sum(1 for d in days if d.target_met is False),
        days_unconfirmed=sum(1 for d in days if d.target_met is None),
    )


def campaign_summaries(rows: Sequence[Airing], data: ReportInput) -> list[CampaignSummary]:
    summaries = [_campaign(c, rows, data) for c in data.campaigns]
    return [s for s in summaries if s.days]
