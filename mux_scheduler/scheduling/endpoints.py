"""REST routes: channel rules, campaigns, playlists (build, publish, lock, edits), mux view."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, status
from sqlmodel import col

from mux_scheduler.auth.access import get_visible, scope
from mux_scheduler.channels.models import Channel, Multiplex
from mux_scheduler.core.crud import commit_or_conflict, paginate
from mux_scheduler.core.deps import CurrentPrincipal, PageDep, SessionDep, SettingsDep
from mux_scheduler.core.errors import NotFound
from mux_scheduler.scheduling import edits, inserts, playlists, rules_service
from mux_scheduler.scheduling.models import Campaign
from mux_scheduler.scheduling.presenters import playlist_public
from mux_scheduler.scheduling.schemas import (
    CampaignCreate,
    CampaignPublic,
    CampaignUpdate,
    InsertCreate,
    InsertPublic,
    ItemEdit,
    PlaylistPublic,
    RuleCreate,
    RulePublic,
    RuleUpdate,
)

router = APIRouter()


def visible_channel(channel_id: int, session: SessionDep, principal: CurrentPrincipal) -> Channel:
    return get_visible(session, Channel, channel_id, principal)


ChannelDep = Annotated[Channel, Depends(visible_channel)]


@router.get("/channels/{channel_id}/rules", response_model=list[RulePublic], tags=["rules"])
def list_rules(channel: ChannelDep, session: SessionDep) -> list[RulePublic]:
    return [
        rules_service.rule_public(r) for r in rules_service.list_rules(session, channel=channel)
    ]


@router.post(
    "/channels/{channel_id}/rules",
    response_model=RulePublic,
    status_code=status.HTTP_201_CREATED,
    tags=["rules"],
)
def create_rule(
    data: RuleCreate,
    channel: ChannelDep,
    session: SessionDep,
    principal: CurrentPrincipal,
    settings: SettingsDep,
) -> RulePublic:
    row = rules_service.create_rule(
        session, channel=channel, data=data, principal=principal, settings=settings
    )
    commit_or_conflict(session, "Rule")
    return rules_service.rule_public(row)


@router.get("/channels/{channel_id}/rules/{rule_id}", response_model=RulePublic, tags=["rules"])
def get_rule(rule_id: int, channel: ChannelDep, session: SessionDep) -> RulePublic:
    return rules_service.rule_public(
        rules_service.get_rule(session, channel=channel, rule_id=rule_id)
    )


@router.patch("/channels/{channel_id}/rules/{rule_id}", response_model=RulePublic, tags=["rules"])
def update_rule(
    rule_id: int,
    data: RuleUpdate,
    channel: ChannelDep,
    session: SessionDep,
    principal: CurrentPrincipal,
    settings: SettingsDep,
) -> RulePublic:
    rule = rules_service.get_rule(session, channel=channel, rule_id=rule_id)
    rules_service.update_rule(session, rule=rule, data=data, principal=principal, settings=settings)
    commit_or_conflict(session, "Rule")
    return rules_service.rule_public(rule)


@router.delete(
    "/channels/{channel_id}/rules/{rule_id}", status_code=status.HTTP_204_NO_CONTENT, tags=["rules"]
)
def delete_rule(
    rule_id: int, channel: ChannelDep, session: SessionDep, principal: CurrentPrincipal
) -> None:
    rule = rules_service.get_rule(session, channel=channel, rule_id=rule_id)
    rules_service.delete_rule(session, rule=rule, principal=principal)
    commit_or_conflict(session, "Rule")


@router.get("/campaigns", response_model=list[CampaignPublic], tags=["campaigns"])
def list_campaigns(
    session: SessionDep, principal: CurrentPrincipal, page: PageDep
) -> list[CampaignPublic]:
    query = rules_service.visible_campaigns(principal).order_by(col(Campaign.id))
    return rules_service.campaigns_public(session, paginate(session, query, page))


@router.post(
    "/campaigns",
    response_model=CampaignPublic,
    status_code=status.HTTP_201_CREATED,
    tags=["campaigns"],
)
def create_campaign(
    data: CampaignCreate, session: SessionDep, principal: CurrentPrincipal, settings: SettingsDep
) -> CampaignPublic:
    row = rules_service.create_campaign(session, data=data, principal=principal, settings=settings)
    commit_or_conflict(session, "Campaign")
    return rules_service.campaigns_public(session, [row])[0]


@router.get("/campaigns/{campaign_id}", response_model=CampaignPublic, tags=["campaigns"])
def get_campaign(
    campaign_id: int, session: SessionDep, principal: CurrentPrincipal
) -> CampaignPublic:
    row = rules_service.get_campaign(session, campaign_id=campaign_id, principal=principal)
    return rules_service.campaigns_public(session, [row])[0]


@router.patch("/campaigns/{campaign_id}", response_model=CampaignPublic, tags=["campaigns"])
def update_campaign(
    campaign_id: int,
    data: CampaignUpdate,
    session: SessionDep,
    principal: CurrentPrincipal,
    settings: SettingsDep,
) -> CampaignPublic:
    row = rules_service.get_campaign(session, campaign_id=campaign_id, principal=principal)
    rules_service.update_campaign(
        session, campaign=row, data=data, principal=principal, settings=settings
    )
    commit_or_conflict(session, "Campaign")
    return rules_service.campaigns_public(session, [row])[0]


@router.get(
    "/channels/{channel_id}/playlists/{broadcast_date}",
    response_model=PlaylistPublic,
    tags=["playlists"],
)
def get_playlist(
    broadcast_date: date,
    channel: ChannelDep,
    session: SessionDep,
    principal: CurrentPrincipal,
    version: Annotated[int | None, Query(ge=1)] = None,
) -> PlaylistPublic:
    row = playlists.readable_playlist(
        session,
        channel=channel,
        broadcast_date=broadcast_date,
        principal=principal,
        version=version,
    )
    return playlist_public(session, channel, row)


@router.post(
    "/channels/{channel_id}/playlists/{broadcast_date}/build",
    response_model=PlaylistPublic,
    status_code=status.HTTP_201_CREATED,
    tags=["playlists"],
)
def build_playlist(
    broadcast_date: date, channel: ChannelDep, session: SessionDep, principal: CurrentPrincipal
) -> PlaylistPublic:
    row = playlists.build(
        session, channel=channel, broadcast_date=broadcast_date, principal=principal
    )
    commit_or_conflict(session, "Playlist")
    return playlist_public(session, channel, row)


@router.post(
    "/channels/{channel_id}/playlists/{broadcast_date}/publish",
    response_model=PlaylistPublic,
    tags=["playlists"],
)
def publish_playlist(
    broadcast_date: date, channel: ChannelDep, session: SessionDep, principal: CurrentPrincipal
) -> PlaylistPublic:
    row = playlists.publish(
        session, channel=channel, broadcast_date=broadcast_date, principal=principal
    )
    commit_or_conflict(session, "Playlist")
    return playlist_public(session, channel, row)


@router.post(
    "/channels/{channel_id}/playlists/{broadcast_date}/lock",
    response_model=PlaylistPublic,
    tags=["playlists"],
)
def lock_playlist(
    broadcast_date: date, channel: ChannelDep, session: SessionDep, principal: CurrentPrincipal
) -> PlaylistPublic:
    row = playlists.lock(
        session, channel=channel, broadcast_date=broadcast_date, principal=principal
    )
    commit_or_conflict(session, "Playlist")
    return playlist_public(session, channel, row)


@router.get("/channels/{channel_id}/playlists/{broadcast_date}/report", tags=["playlists"])
def playlist_report(
    broadcast_date: date,
    channel: ChannelDep,
    session: SessionDep,
    principal: CurrentPrincipal,
    version: Annotated[int | None, Query(ge=1)] = None,
) -> dict[str, object]:
    row = playlists.readable_playlist(
        session,
        channel=channel,
        broadcast_date=broadcast_date,
        principal=principal,
        version=version,
    )
    return {"version": row.version, "state": row.state, **row.report}


@router.patch(
    "/channels/{channel_id}/playlists/{broadcast_date}/items/{item_id}",
    response_model=PlaylistPublic,
    tags=["playlists"],
)
def edit_item(
    broadcast_date: date,
    item_id: int,
    data: ItemEdit,
    channel: ChannelDep,
    session: SessionDep,
    principal: CurrentPrincipal,
) -> PlaylistPublic:
    """Move, replace, insert or remove; the edit is kept as a locked item across rebuilds."""
    row = edits.apply_edit(
        session,
        channel=channel,
        broadcast_date=broadcast_date,
        item_id=item_id,
        edit=data,
        principal=principal,
    )
    commit_or_conflict(session, "Playlist")
    return playlist_public(session, channel, row)


@router.get("/multiplexes/{multiplex_id}/schedule", tags=["playlists"])
def mux_schedule(
    multiplex_id: int,
    session: SessionDep,
    principal: CurrentPrincipal,
    broadcast_date: Annotated[date, Query(alias="date")],
) -> dict[str, object]:
    """All channels of a multiplex for one broadcast day (the ones this user may see)."""
    mux = get_visible(session, Multiplex, multiplex_id, principal)
    channels = session.exec(
        scope(Channel, principal)
        .where(col(Channel.multiplex_id) == mux.id)
        .order_by(col(Channel.lcn))
    ).all()
    result: list[dict[str, object]] = []
    for channel in channels:
        try:
            row = playlists.readable_playlist(
                session, channel=channel, broadcast_date=broadcast_date, principal=principal
            )
        except NotFound:
            result.append(
                {
                    "channel_id": channel.id,
                    "name": channel.name,
                    "lcn": channel.lcn,
                    "playlist": None,
                }
            )
            continue
        public = playlist_public(session, channel, row)
        result.append(
            {"channel_id": channel.id, "name": channel.name, "lcn": channel.lcn, "playlist": public}
        )
    return {"multiplex_id": mux.id, "date": broadcast_date.isoformat(), "channels": result}


@router.post(
    "/inserts", response_model=InsertPublic, status_code=status.HTTP_201_CREATED, tags=["inserts"]
)
def create_insert(
    data: InsertCreate, request: Request, session: SessionDep, principal: CurrentPrincipal
) -> InsertPublic:
    """Rapid response: put an approved asset into today's published playlists now."""
    hook = getattr(request.app.state, "insert_delivery_hook", None)
    row = inserts.create_insert(
        session, data=data, principal=principal, now=request.app.state.clock(), delivery_hook=hook
    )
    commit_or_conflict(session, "Insert")
    return InsertPublic.model_validate(row, from_attributes=True)


@router.get("/inserts/{insert_id}", response_model=InsertPublic, tags=["inserts"])
def get_insert(insert_id: int, session: SessionDep, principal: CurrentPrincipal) -> InsertPublic:
    return InsertPublic.model_validate(
        inserts.get_insert(session, insert_id, principal), from_attributes=True
    )
