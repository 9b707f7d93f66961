"""What the engine is given: immutable values the scheduling service maps database rows onto.

Everything is a frozen, keyword-only dataclass so a build is a pure function of its inputs:
the same values always give the same playlist. Wall-clock times are local to the channel's
zone and belong to the *broadcast* date (with a 05:00 day start, 02:00 is the end of the
broadcast day, i.e. the next calendar morning). Durations are integer frames at the channel's
rate.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Literal, TypeAlias

from mux_scheduler.core.errors import ScheduleError
from mux_scheduler.core.timecode import BroadcastDay

if TYPE_CHECKING:
    from mux_scheduler.engine.items import PlaylistItem

AssetKind = Literal["programme", "ilm", "filler", "station_id", "bumper", "promo", "live"]
Classification = Literal["P", "A", "R", "D", "SU"]
StartMode = Literal["fixed", "follow"]
PoolOrder = Literal["sequential", "shuffle", "lru"]

FILL_KINDS: tuple[AssetKind, ...] = ("filler", "station_id", "bumper")
"""Kinds used to pad gaps; exempt from asset separation and agency back-to-back checks."""


class EngineInputError(ScheduleError):
    """An input value that cannot describe a schedule (e.g. a fixed event with no content)."""


@dataclass(frozen=True, kw_only=True, slots=True)
class LibraryAsset:
    """One playable asset as the engine sees it.

    ``duration_frames`` is the rendition's length for this channel's profile (or the source's
    while the rendition is not ready; ``rendition_ready`` then flags it). ``som_frames`` is the
    in point. ``trimmable`` marks a filler whose out point may be cut to close a gap exactly
    (a loop or scenic filler), used before falling back to a slate.
    """

    asset_id: int
    house_id: str
    title: str
    kind: AssetKind
    duration_frames: int
    agency_id: int | None = None
    classification: Classification = "SU"
    tags: tuple[str, ...] = ()
    valid_from: date | None = None
    valid_until: date | None = None
    approved: bool = True
    rendition_ready: bool = True
    priority: int = 0
    som_frames: int = 0
    trimmable: bool = False

    def valid_on(self, day: date) -> bool:
        if self.valid_from is not None and day < self.valid_from:
            return False
        return self.valid_until is None or day <= self.valid_until


@dataclass(frozen=True, kw_only=True, slots=True)
class PoolFilter:
    """Which assets a block, break or filler pool draws from.

    Every non-empty criterion must hold (AND); inside one criterion any value matches (OR).
    An empty criterion does not restrict. ``asset_ids`` also fixes the sequential order.
    """

    kinds: tuple[AssetKind, ...] = ()
    tags: tuple[str, ...] = ()
    campaign_id: str | None = None
    agency_ids: tuple[int, ...] = ()
    asset_ids: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class WallWindow:
    """A local wall-clock window; ``end`` before ``start`` runs past midnight (22:00-03:00)."""

    start: time
    end: time


@dataclass(frozen=True, kw_only=True, slots=True)
class BreakPattern:
    """Interstitial breaks inside a block.

    With ``every_minutes`` a break is due every N minutes from the block start; it is placed at
    the first programme boundary once due (programmes are never split: the engine does not
    know segment markers). Without it, a break follows every programme.
    """

    break_frames: int
    every_minutes: int | None = None
    pool: PoolFilter = PoolFilter(kinds=("ilm",))
    order: PoolOrder = "lru"


@dataclass(frozen=True, kw_only=True, slots=True)
class LivePlaceholder:
    """A live feed (press briefing) with no file: only a title and a planned duration."""

    title: str
    duration_frames: int
    house_id: str = "LIVE"
    agency_id: int | None = None
    classification: Classification = "SU"


@dataclass(frozen=True, kw_only=True, slots=True)
class RuleBase:
    """When a rule applies: inside [valid_from, valid_until], on its ``dates`` or its RRULE.

    With neither ``rrule`` nor ``dates`` the rule applies every day of its validity. The RRULE
    (RFC 5545, e.g. ``FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR``) is evaluated on broadcast dates and
    anchored at ``valid_from`` (or 2000-01-03 when open-ended), which matters for INTERVAL.
    """

    rule_id: str
    priority: int = 0
    valid_from: date | None = None
    valid_until: date | None = None
    rrule: str | None = None
    dates: tuple[date, ...] = ()


@dataclass(frozen=True, kw_only=True, slots=True)
class FixedEvent(RuleBase):
    """One item at a wall time: an asset or a live placeholder.

    ``fixed``: starts exactly at ``at``; an earlier item still running is trimmed.
    ``follow``: starts when the item playing at ``at`` ends; lateness is reported.
    """

    at: time
    asset_id: int | None = None
    live: LivePlaceholder | None = None
    start_mode: StartMode = "fixed"

    def __post_init__(self) -> None:
        if (self.asset_id is None) == (self.live is None):
            raise EngineInputError(f"fixed event {self.rule_id!r} needs an asset or a live feed")


@dataclass(frozen=True, kw_only=True, slots=True)
class Block(RuleBase):
    """A wall-time window filled from a pool; ``end`` may pass midnight and the day start.

    ``sequential`` continues after the history's cursor for this rule (never skipping an
    episode), ``shuffle`` does not repeat until the pool is exhausted, ``lru`` prefers the
    least recently aired.
    """

    start: time
    end: time
    pool: PoolFilter
    order: PoolOrder = "sequential"
    breaks: BreakPattern | None = None


@dataclass(frozen=True, kw_only=True, slots=True)
class FillerPool(RuleBase):
    """Station IDs, bumpers and fillers used to close gaps exactly.

    All filler pools active on the day are combined; with none, every eligible asset of a
    ``FILL_KINDS`` kind is used.
    """

    pool: PoolFilter = PoolFilter(kinds=FILL_KINDS)


@dataclass(frozen=True, kw_only=True, slots=True)
class DateOverride(RuleBase):
    """A special day (17 August): its fixed events and blocks replace the weekly pattern.

    Filler pools of the override replace the regular ones only if it has any. Mandatory items,
    campaigns and locked items still apply. Give ``dates`` or a yearly ``rrule``; an override
    with neither applies on no day.
    """

    rules: tuple[FixedEvent | Block | FillerPool, ...] = ()


@dataclass(frozen=True, kw_only=True, slots=True)
class MandatoryItem(RuleBase):
    """An item every day at a fixed wall time with top priority (Indonesia Raya at 06:00)."""

    asset_id: int
    at: time = time(6, 0)


Rule: TypeAlias = FixedEvent | Block | FillerPool | DateOverride | MandatoryItem


def indonesia_raya(asset_id: int, *, at: time = time(6, 0)) -> MandatoryItem:
    """The national anthem that 24-hour channels carry daily."""
    return MandatoryItem(rule_id="indonesia-raya", asset_id=asset_id, at=at)


@dataclass(frozen=True, kw_only=True, slots=True)
class Campaign:
    """Agenda setting: spots from ``asset_ids`` aired ``target_per_day`` times inside windows.

    No ``windows`` means the whole broadcast day.
    """

    campaign_id: str
    asset_ids: tuple[int, ...]
    target_per_day: int
    valid_from: date | None = None
    valid_until: date | None = None
    windows: tuple[WallWindow, ...] = ()
    priority: int = 0

    def active_on(self, day: date) -> bool:
        if self.valid_from is not None and day < self.valid_from:
            return False
        return self.valid_until is None or day <= self.valid_until


@dataclass(frozen=True, kw_only=True, slots=True)
class LockedItem:
    """A manual edit kept exactly (offset, duration, in point) across rebuilds.

    With an ``asset_id`` the asset's metadata (title, house ID, agency, classification) is
    taken from the library; a placeholder (no asset) uses its own fields.
    """

    start_frames: int
    duration_frames: int
    asset_id: int | None = None
    title: str = ""
    house_id: str = ""
    item_type: str = "programme"
    som_frames: int = 0
    agency_id: int | None = None
    classification: Classification = "SU"

    @classmethod
    def from_item(cls, item: PlaylistItem) -> LockedItem:
        """Lock an item of a built playlist where it is."""
        return cls(
            start_frames=item.start_frames,
            duration_frames=item.duration_frames,
            asset_id=item.asset_id,
            title=item.title,
            house_id=item.house_id,
            item_type=item.item_type,
            som_frames=item.som_frames,
            agency_id=item.agency_id,
            classification=item.classification,
        )


@dataclass(frozen=True, kw_only=True, slots=True)
class History:
    """What earlier days left behind; also the ``state`` a build hands to the next day.

    ``last_aired_end_at``: UTC instant each asset last finished airing (separation across the
    day boundary and least-recently-aired order). ``block_cursors``: last asset a sequential
    block aired. ``shuffle_played``: assets a shuffle block aired in its current cycle.
    """

    last_aired_end_at: Mapping[int, datetime] = field(default_factory=dict)
    block_cursors: Mapping[str, int] = field(default_factory=dict)
    shuffle_played: Mapping[str, tuple[int, ...]] = field(default_factory=dict)


def _default_hard_windows() -> dict[str, tuple[WallWindow, ...]]:
    return {"D": (WallWindow(time(22, 0), time(3, 0)),)}


def _default_recommended_windows() -> dict[str, tuple[WallWindow, ...]]:
    return {"P": (WallWindow(time(7, 0), time(9, 0)), WallWindow(time(15, 0), time(18, 0)))}


@dataclass(frozen=True, kw_only=True, slots=True)
class Constraints:
    """Per-channel rules of the KPI P3SPS and of the lease; defaults are the usual ones.

    ``hard_windows``: a classification may only air entirely inside its windows (D); an empty
    tuple means never. ``recommended_windows``: preferred, outside is a warning (P).
    Separation is measured from the end of an airing to the start of the next one.
    """

    hard_windows: Mapping[str, tuple[WallWindow, ...]] = field(
        default_factory=_default_hard_windows
    )
    recommended_windows: Mapping[str, tuple[WallWindow, ...]] = field(
        default_factory=_default_recommended_windows
    )
    asset_separation_minutes: int = 60
    separation_exempt_kinds: tuple[AssetKind, ...] = FILL_KINDS
    avoid_agency_back_to_back: bool = True
    max_agency_share_percent: int | None = 40


@dataclass(frozen=True, kw_only=True, slots=True)
class DayContext:
    """The channel-day being built. ``seed`` defaults to one derived from channel and date."""

    channel_id: int | str
    day: BroadcastDay
    constraints: Constraints = field(default_factory=Constraints)
    seed: int | None = None

    @property
    def rng_seed(self) -> int:
        if self.seed is not None:
            return self.seed
        return stable_seed(str(self.channel_id), self.day.broadcast_date.isoformat())


def stable_seed(*parts: str) -> int:
    """A seed independent of ``PYTHONHASHSEED`` (``hash()`` of a str is not)."""
    digest = hashlib.sha256("\x1f".join(parts).encode()).digest()
    return int.from_bytes(digest[:8], "big")
