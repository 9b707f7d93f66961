"""Schedule rules and campaigns: validated specs stored per channel. Callers commit."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from mux_scheduler.assets import coverage as asset_coverage
from mux_scheduler.auth.access import Principal, channel_filter, get_visible
from mux_scheduler.auth.models import Role
from mux_scheduler.channels.models import Channel
from mux_scheduler.core import audit
from mux_scheduler.core.db import utcnow
from mux_scheduler.core.errors import NotFound, ValidationFailed
from mux_scheduler.core.settings import Settings
from mux_scheduler.scheduling.library import referenced_asset_ids
from mux_scheduler.scheduling.models import Campaign, CampaignChannel, ScheduleRule
from mux_scheduler.scheduling.schemas import (
    CampaignCreate,
    CampaignPublic,
    CampaignUpdate,
    RuleCreate,
    RulePublic,
    RuleUpdate,
)

PLANNERS = (Role.ADMIN, Role.PROGRAMMER)


def rule_public(row: ScheduleRule) -> RulePublic:
    assert row.id is not None
    return RulePublic(
        id=row.id,
        channel_id=row.channel_id,
        kind=row.kind,
        name=row.name,
        priority=row.priority,
        valid_from=row.valid_from,
        valid_until=row.valid_until,
        rrule=row.rrule,
        dates=[date.fromisoformat(d) for d in row.dates],
        enabled=row.enabled,
        spec=row.spec,
    )


def list_rules(session: Session, *, channel: Channel) -> list[ScheduleRule]:
    query = select(ScheduleRule).where(ScheduleRule.channel_id == channel.id)
    return list(
        session.exec(query.order_by(col(ScheduleRule.priority).desc(), col(ScheduleRule.id)))
    )


def get_rule(session: Session, *, channel: Channel, rule_id: int) -> ScheduleRule:
    row = session.get(ScheduleRule, rule_id)
    if row is None or row.channel_id != channel.id:
        raise NotFound(f"Rule {rule_id} does not exist on channel {channel.id}.")
    return row


def create_rule(
    session: Session,
    *,
    channel: Channel,
    data: RuleCreate,
    principal: Principal,
    settings: Settings,
) -> ScheduleRule:
    principal.require(*PLANNERS)
    assert channel.id is not None
    row = ScheduleRule(
        channel_id=channel.id,
        kind=data.spec.kind,
        name=data.name,
        priority=data.priority,
        valid_from=data.valid_from,
        valid_until=data.valid_until,
        rrule=data.rrule,
        dates=[d.isoformat() for d in data.dates],
        enabled=data.enabled,
        spec=data.spec.model_dump(mode="json"),
    )
    session.add(row)
    session.flush()
    audit.record_by(
        session, principal, "create", "ScheduleRule", row.id, data.model_dump(mode="json")
    )
    _cover(session, settings, row.spec, [row.channel_id])
    return row


def update_rule(
    session: Session,
    *,
    rule: ScheduleRule,
    data: RuleUpdate,
    principal: Principal,
    settings: Settings,
) -> ScheduleRule:
    principal.require(*PLANNERS)
    changes = data.model_dump(mode="json", exclude_unset=True)
    if data.spec is not None:
        rule.kind = data.spec.kind
    # JSON columns (dates, spec) take the JSON form; date columns take dates, not their text.
    dates: dict[str, Any] = {
        n: getattr(data, n) for n in ("valid_from", "valid_until") if n in changes
    }
    rule.sqlmodel_update({**changes, **dates})
    rule.updated_at = utcnow()
    session.add(rule)
    audit.record_by(session, principal, "update", "ScheduleRule", rule.id, changes)
    _cover(session, settings, rule.spec, [rule.channel_id])
    return rule


def delete_rule(session: Session, *, rule: ScheduleRule, principal: Principal) -> None:
    principal.require(*PLANNERS)
    audit.record_by(session, principal, "delete", "ScheduleRule", rule.id, {"name": rule.name})
    session.delete(rule)


def _campaign_channels(session: Session, campaign_ids: list[int]) -> dict[int, list[int]]:
    links = session.exec(
        select(CampaignChannel).where(col(CampaignChannel.campaign_id).in_(campaign_ids))
    )
    result: dict[int, list[int]] = {cid: [] for cid in campaign_ids}
    for link in links:
        result[link.campaign_id].append(link.channel_id)
    return {cid: sorted(ids) for cid, ids in result.items()}


def campaigns_public(session: Session, rows: list[Campaign]) -> list[CampaignPublic]:
    channels = _campaign_channels(session, [r.id for r in rows if r.id is not None])
    return [
        CampaignPublic.model_validate({**row.model_dump(), "channel_ids": channels[row.id or 0]})
        for row in rows
    ]


def visible_campaigns(principal: Principal) -> SelectOfScalar[Campaign]:
    """Campaigns running on at least one channel the user may see."""
    visible_channels = select(Channel.id).where(channel_filter(principal))
    linked = select(CampaignChannel.campaign_id).where(
        col(CampaignChannel.channel_id).in_(visible_channels)
    )
    return select(Campaign).where(col(Campaign.id).in_(linked))


def get_campaign(session: Session, *, campaign_id: int, principal: Principal) -> Campaign:
    row = session.exec(visible_campaigns(principal).where(col(Campaign.id) == campaign_id)).first()
    if row is None:
        raise NotFound(f"Campaign {campaign_id} does not exist or is not yours to see.")
    return row


def _link_channels(
    session: Session, campaign: Campaign, channel_ids: list[int], principal: Principal
) -> None:
    for channel_id in channel_ids:
        get_visible(session, Channel, channel_id, principal)
    for link in session.exec(
        select(CampaignChannel).where(CampaignChannel.campaign_id == campaign.id)
    ):
        session.delete(link)
    session.flush()
    assert campaign.id is not None
    for channel_id in sorted(set(channel_ids)):
        session.add(CampaignChannel(campaign_id=campaign.id, channel_id=channel_id))


def create_campaign(
    session: Session, *, data: CampaignCreate, principal: Principal, settings: Settings
) -> Campaign:
    principal.require(*PLANNERS)
    fields = data.model_dump(mode="json", exclude={"channel_ids"})
    row = Campaign.model_validate(
        {**fields, "valid_from": data.valid_from, "valid_until": data.valid_until}
    )
    session.add(row)
    session.flush()
    _link_channels(session, row, data.channel_ids, principal)
    audit.record_by(session, principal, "create", "Campaign", row.id, data.model_dump(mode="json"))
    _cover(session, settings, {"asset_ids": row.asset_ids}, data.channel_ids)
    return row


def update_campaign(
    session: Session,
    *,
    campaign: Campaign,
    data: CampaignUpdate,
    principal: Principal,
    settings: Settings,
) -> Campaign:
    principal.require(*PLANNERS)
    changes = data.model_dump(mode="json", exclude_unset=True, exclude={"channel_ids"})
    # date columns take dates, not their JSON text
    changes |= {n: getattr(data, n) for n in ("valid_from", "valid_until") if n in changes}
    if changes.get("valid_until", campaign.valid_until) < changes.get(
        "valid_from", campaign.valid_from
    ):
        raise ValidationFailed("valid_until is before valid_from")
    campaign.sqlmodel_update(changes)
    session.add(campaign)
    if data.channel_ids is not None:
        _link_channels(session, campaign, data.channel_ids, principal)
    linked = _campaign_channels(session, [campaign.id or 0])[campaign.id or 0]
    _cover(session, settings, {"asset_ids": campaign.asset_ids}, data.channel_ids or linked)
    audit.record_by(
        session,
        principal,
        "update",
        "Campaign",
        campaign.id,
        data.model_dump(mode="json", exclude_unset=True),
    )
    return campaign


def campaigns_for_channel(session: Session, *, channel_id: int) -> list[Campaign]:
    linked = select(CampaignChannel.campaign_id).where(CampaignChannel.channel_id == channel_id)
    return list(
        session.exec(
            select(Campaign).where(col(Campaign.id).in_(linked)).order_by(col(Campaign.id))
        )
    )


ANTHEM_TAG = "indonesia-raya"


def seed_default_rules(session: Session, channel: Channel) -> None:
    """24-hour channels carry Indonesia Raya at 06:00 local every day, from day one."""
    if not channel.is_24h or channel.id is None:
        return
    session.add(
        ScheduleRule(
            channel_id=channel.id,
            kind="mandatory",
            name="Indonesia Raya",
            priority=1000,
            spec={"kind": "mandatory", "tag": ANTHEM_TAG, "at": "06:00:00"},
        )
    )


def _cover(session: Session, settings: Settings, spec: Any, channel_ids: list[int]) -> None:
    """Assets a rule or campaign names get renditions for those channels' profiles."""
    session.flush()
    asset_coverage.ensure_renditions(
        session, settings=settings, asset_ids=referenced_asset_ids(spec), channel_ids=channel_ids
    )
