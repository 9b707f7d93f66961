"""The playlist engine: a pure, deterministic function from rules to a channel-day playlist.

``build_day(context, library=..., rules=..., campaigns=..., locked=..., history=...)`` returns
``BuildResult(items, report, state)``. No database, no I/O, integer frames only; any
randomness is seeded from the channel and the broadcast date, so the same inputs always give
the same playlist and the UI can preview a build cheaply.

Modules: ``inputs`` (what the service passes in), ``items`` (what comes out), ``rules``
(which rules apply on a date: RRULEs, overrides), ``windows`` (wall windows as frame spans),
``library`` (eligibility and pool selection), ``anchors`` / ``placing`` (locked, mandatory and
fixed items), ``pools`` (sequential / shuffle / least-recently-aired rotations), ``fill``
(exact gap filling), ``campaigns``, ``constraints`` (selection checks and the final audit),
``timeline`` (the gap-free item list), ``builder`` (the walk), ``report`` (report and state),
``clock`` (fast frame/instant conversions).
"""

from mux_scheduler.engine.builder import build_day
from mux_scheduler.engine.inputs import (
    FILL_KINDS,
    AssetKind,
    Block,
    BreakPattern,
    Campaign,
    Classification,
    Constraints,
    DateOverride,
    DayContext,
    EngineInputError,
    FillerPool,
    FixedEvent,
    History,
    LibraryAsset,
    LivePlaceholder,
    LockedItem,
    MandatoryItem,
    PoolFilter,
    PoolOrder,
    Rule,
    StartMode,
    WallWindow,
    indonesia_raya,
)
from mux_scheduler.engine.items import (
    BuildResult,
    CampaignFulfilment,
    PlaylistItem,
    Report,
    Severity,
    Violation,
)
from mux_scheduler.engine.validate import validate_day

__all__ = [
    "FILL_KINDS",
    "AssetKind",
    "Block",
    "BreakPattern",
    "BuildResult",
    "Campaign",
    "CampaignFulfilment",
    "Classification",
    "Constraints",
    "DateOverride",
    "DayContext",
    "EngineInputError",
    "FillerPool",
    "FixedEvent",
    "History",
    "LibraryAsset",
    "LivePlaceholder",
    "LockedItem",
    "MandatoryItem",
    "PlaylistItem",
    "PoolFilter",
    "PoolOrder",
    "Report",
    "Rule",
    "Severity",
    "StartMode",
    "Violation",
    "WallWindow",
    "build_day",
    "indonesia_raya",
    "validate_day",
]
