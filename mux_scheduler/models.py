"""Every table, imported in one place so metadata (and Alembic) sees them all."""

from mux_scheduler.agencies.models import Agency
from mux_scheduler.auth.models import ApiToken, User
from mux_scheduler.channels.models import (
    Channel,
    ChannelLease,
    Multiplex,
    Operator,
    TechnicalProfile,
)
from mux_scheduler.core.audit import AuditLog

__all__ = [
    "Agency",
    "ApiToken",
    "AuditLog",
    "Channel",
    "ChannelLease",
    "Multiplex",
    "Operator",
    "TechnicalProfile",
    "User",
]
