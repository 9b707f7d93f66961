"""Every table, imported in one place so metadata (and Alembic) sees them all."""

from mux_scheduler.agencies.models import Agency
from mux_scheduler.asrun.models import AsRunEvent, AsRunLog
from mux_scheduler.assets.models import Asset, AssetQC, Rendition, Upload
from mux_scheduler.auth.models import ApiToken, User
from mux_scheduler.automation.models import Alert
from mux_scheduler.channels.models import (
    Channel,
    ChannelLease,
    Multiplex,
    Operator,
    TechnicalProfile,
)
from mux_scheduler.core.audit import AuditLog
from mux_scheduler.delivery.models import Delivery, DeliveryAttempt
from mux_scheduler.exports.models import Export, ExportTemplate
from mux_scheduler.jobs.models import Job
from mux_scheduler.scheduling.models import (
    Campaign,
    CampaignChannel,
    Playlist,
    PlaylistEdit,
    PlaylistItem,
    RapidInsert,
    ScheduleRule,
)

__all__ = [
    "Agency",
    "Alert",
    "ApiToken",
    "AsRunEvent",
    "AsRunLog",
    "Asset",
    "AssetQC",
    "AuditLog",
    "Campaign",
    "CampaignChannel",
    "Channel",
    "ChannelLease",
    "Delivery",
    "DeliveryAttempt",
    "Export",
    "ExportTemplate",
    "Job",
    "Multiplex",
    "Operator",
    "Playlist",
    "PlaylistEdit",
    "PlaylistItem",
    "RapidInsert",
    "Rendition",
    "ScheduleRule",
    "TechnicalProfile",
    "Upload",
    "User",
]
