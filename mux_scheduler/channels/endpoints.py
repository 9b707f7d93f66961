"""REST routes for operators, multiplexes, technical profiles, channels and leases."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from sqlalchemy import ColumnElement
from sqlmodel import col

from mux_scheduler.auth.models import Role
from mux_scheduler.channels.models import (
    Channel,
    ChannelLease,
    Multiplex,
    Operator,
    TechnicalProfile,
)
from mux_scheduler.channels.schemas import (
    ChannelCreate,
    ChannelPublic,
    ChannelUpdate,
    LeaseCreate,
    LeasePublic,
    LeaseUpdate,
    MultiplexCreate,
    MultiplexPublic,
    MultiplexUpdate,
    OperatorCreate,
    OperatorPublic,
    OperatorUpdate,
    ProfileCreate,
    ProfilePublic,
    ProfileUpdate,
)
from mux_scheduler.core.crud import Resource, crud_router
from mux_scheduler.core.timecode import format_rate, zone_label
from mux_scheduler.scheduling import rules_service as scheduling_rules


def _multiplex_filters(
    operator_id: Annotated[int | None, Query()] = None,
) -> list[ColumnElement[bool]]:
    return [] if operator_id is None else [col(Multiplex.operator_id) == operator_id]


def _channel_filters(
    multiplex_id: Annotated[int | None, Query()] = None,
) -> list[ColumnElement[bool]]:
    return [] if multiplex_id is None else [col(Channel.multiplex_id) == multiplex_id]


def _lease_filters(
    channel_id: Annotated[int | None, Query()] = None,
    agency_id: Annotated[int | None, Query()] = None,
) -> list[ColumnElement[bool]]:
    filters = []
    if channel_id is not None:
        filters.append(col(ChannelLease.channel_id) == channel_id)
    if agency_id is not None:
        filters.append(col(ChannelLease.agency_id) == agency_id)
    return filters


def _profile_public(row: TechnicalProfile) -> dict[str, Any]:
    return {**row.model_dump(), "frame_rate": format_rate(row.frame_rate)}


def _channel_public(row: Channel) -> dict[str, Any]:
    return {**row.model_dump(), "zone_label": zone_label(row.time_zone)}


router = APIRouter()
router.include_router(
    crud_router(
        Resource(Operator, "/operators", OperatorCreate, OperatorUpdate, OperatorPublic),
        tags=["operators"],
    )
)
router.include_router(
    crud_router(
        Resource(
            Multiplex,
            "/multiplexes",
            MultiplexCreate,
            MultiplexUpdate,
            MultiplexPublic,
            list_filters=_multiplex_filters,
        ),
        tags=["multiplexes"],
    )
)
router.include_router(
    crud_router(
        Resource(
            TechnicalProfile,
            "/profiles",
            ProfileCreate,
            ProfileUpdate,
            ProfilePublic,
            to_public=_profile_public,
        ),
        tags=["profiles"],
    )
)
router.include_router(
    crud_router(
        Resource(
            Channel,
            "/channels",
            ChannelCreate,
            ChannelUpdate,
            ChannelPublic,
            write_roles=(Role.ADMIN,),
            list_filters=_channel_filters,
            to_public=_channel_public,
            after_create=scheduling_rules.seed_default_rules,
        ),
        tags=["channels"],
    )
)
router.include_router(
    crud_router(
        Resource(
            ChannelLease,
            "/leases",
            LeaseCreate,
            LeaseUpdate,
            LeasePublic,
            list_filters=_lease_filters,
        ),
        tags=["leases"],
    )
)
