"""Who may see what: one place for per-role and per-agency visibility.

Every list and lookup goes through ``scope`` so an agency editor can never read another agency's
rows and operator staff only see what runs on their own multiplexes. Rows outside a user's scope
are reported as not found, which does not reveal that they exist.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, false, true
from sqlmodel import Session, SQLModel, col, select
from sqlmodel.sql.expression import SelectOfScalar

from mux_scheduler.agencies.models import Agency
from mux_scheduler.auth.models import Role, User
from mux_scheduler.channels.models import (
    Channel,
    ChannelLease,
    Multiplex,
    Operator,
    TechnicalProfile,
)
from mux_scheduler.core.errors import Forbidden, NotFound

M = TypeVar("M", bound=SQLModel)


@dataclass(frozen=True)
class Principal:
    user_id: int
    username: str
    role: Role
    agency_id: int | None
    operator_id: int | None

    @classmethod
    def of(cls, user: User) -> Principal:
        assert user.id is not None
        return cls(user.id, user.username, Role(user.role), user.agency_id, user.operator_id)

    @property
    def is_staff(self) -> bool:
        """Admins and programmers coordinate every agency's content."""
        return self.role in (Role.ADMIN, Role.PROGRAMMER)

    def require(self, *roles: Role) -> None:
        if self.role not in roles:
            allowed = ", ".join(role.value for role in roles)
            raise Forbidden(f"This action needs one of the roles: {allowed}.")


def _operator_mux_ids(principal: Principal) -> Any:
    return select(Multiplex.id).where(Multiplex.operator_id == principal.operator_id)


def _operator_channel_ids(principal: Principal) -> Any:
    return select(Channel.id).where(col(Channel.multiplex_id).in_(_operator_mux_ids(principal)))


def _agency_channel_ids(principal: Principal) -> Any:
    return select(ChannelLease.channel_id).where(ChannelLease.agency_id == principal.agency_id)


def channel_filter(principal: Principal) -> ColumnElement[bool]:
    if principal.is_staff:
        return true()
    if principal.role == Role.OPERATOR:
        return col(Channel.id).in_(_operator_channel_ids(principal))
    return col(Channel.id).in_(_agency_channel_ids(principal))


def _multiplex_filter(principal: Principal) -> ColumnElement[bool]:
    if principal.is_staff:
        return true()
    if principal.role == Role.OPERATOR:
        return col(Multiplex.operator_id) == principal.operator_id
    carrying = select(Channel.multiplex_id).where(
        col(Channel.id).in_(_agency_channel_ids(principal))
    )
    return col(Multiplex.id).in_(carrying)


def _operator_filter(principal: Principal) -> ColumnElement[bool]:
    if principal.is_staff:
        return true()
    if principal.role == Role.OPERATOR:
        return col(Operator.id) == principal.operator_id
    muxes = select(Multiplex.operator_id).where(_multiplex_filter(principal))
    return col(Operator.id).in_(muxes)


def _lease_filter(principal: Principal) -> ColumnElement[bool]:
    if principal.is_staff:
        return true()
    if principal.role == Role.OPERATOR:
        return col(ChannelLease.channel_id).in_(_operator_channel_ids(principal))
    return col(ChannelLease.agency_id) == principal.agency_id


def _agency_filter(principal: Principal) -> ColumnElement[bool]:
    if principal.is_staff:
        return true()
    if principal.role == Role.OPERATOR:
        leasing = select(ChannelLease.agency_id).where(
            col(ChannelLease.channel_id).in_(_operator_channel_ids(principal))
        )
        return col(Agency.id).in_(leasing)
    return col(Agency.id) == principal.agency_id


def _user_filter(principal: Principal) -> ColumnElement[bool]:
    if principal.is_staff:
        return true()
    if principal.role == Role.OPERATOR:
        return col(User.operator_id) == principal.operator_id
    if principal.agency_id is None:
        return false()
    return col(User.agency_id) == principal.agency_id


def _everyone(_principal: Principal) -> ColumnElement[bool]:
    return true()


_FILTERS: dict[type[SQLModel], Callable[[Principal], ColumnElement[bool]]] = {
    Agency: _agency_filter,
    Channel: channel_filter,
    ChannelLease: _lease_filter,
    Multiplex: _multiplex_filter,
    Operator: _operator_filter,
    TechnicalProfile: _everyone,
    User: _user_filter,
}


def register_scope(model: type[SQLModel], rule: Callable[[Principal], ColumnElement[bool]]) -> None:
    """Let other domains (assets, playlists...) declare their visibility rule here."""
    _FILTERS[model] = rule


def scope(model: type[M], principal: Principal) -> SelectOfScalar[M]:
    return select(model).where(_FILTERS[model](principal))


def get_visible(session: Session, model: type[M], row_id: int, principal: Principal) -> M:
    primary_key = model.__table__.primary_key.columns.values()[0]  # type: ignore[attr-defined]
    row = session.exec(scope(model, principal).where(primary_key == row_id)).first()
    if row is None:
        raise NotFound(f"{model.__name__} {row_id} does not exist or is not yours to see.")
    return row
