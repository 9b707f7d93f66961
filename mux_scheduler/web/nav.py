"""The header navigation, by role. A new screen adds one ``NavItem`` here."""

from __future__ import annotations

from dataclasses import dataclass

from mux_scheduler.auth.models import Role
from mux_scheduler.web.i18n import N_

ALL_ROLES = frozenset(Role)


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str  # an English message id, translated when rendered
    href: str
    roles: frozenset[Role] = ALL_ROLES


NAV: tuple[NavItem, ...] = (
    NavItem("dashboard", N_("Dashboard"), "/"),
    NavItem("campaigns", N_("Campaigns"), "/campaigns"),
    NavItem("profiles", N_("Technical profiles"), "/profiles"),
    NavItem("library", N_("Library"), "/library"),
    NavItem(
        "exports",
        N_("Exports"),
        "/exports",
        frozenset({Role.ADMIN, Role.PROGRAMMER, Role.OPERATOR}),
    ),
    NavItem("reports", N_("Reports"), "/reports"),
    NavItem("admin", N_("Administration"), "/admin", frozenset({Role.ADMIN})),
)


def nav_for(role: Role) -> list[NavItem]:
    return [item for item in NAV if role in item.roles]
