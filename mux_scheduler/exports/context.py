"""The pure export context: everything a format needs, nothing from the database.

A service layer builds an :class:`ExportPlaylist` from a published playlist version; every
export format renders from it alone, so output is a function of this value (``generated_at``
included) and two renders of the same context are byte-identical.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import datetime
from fractions import Fraction
from functools import cached_property
from typing import Literal

from mux_scheduler.core.errors import ValidationFailed
from mux_scheduler.core.timecode import BroadcastDay, frames_to_timecode
from mux_scheduler.exports.timing import day_start_frames, milliseconds, timecode

ItemType = Literal["programme", "ilm", "filler", "station_id", "bumper", "promo", "live", "slate"]
Classification = Literal["P", "A", "R", "D", "SU"]
StartMode = Literal["fixed", "follow"]
PlaylistState = Literal["draft", "published", "locked"]

ITEM_TYPES: tuple[str, ...] = (
    "programme",
    "ilm",
    "filler",
    "station_id",
    "bumper",
    "promo",
    "live",
    "slate",
)
EPG_ITEM_TYPES: frozenset[str] = frozenset({"programme", "live"})
CLASSIFICATIONS: tuple[str, ...] = ("P", "A", "R", "D", "SU")
SLUG_RE = re.compile(r"[a-z0-9-]+")
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def clean_text(value: str) -> str:
    """Drop control characters no XML 1.0 document can carry (escaping cannot save them).

    Applied once when the context is built, so every format (and every custom template)
    sees the same, representable text.
    """
    return _XML_INVALID.sub("", value)


def _clean_fields(instance: object, names: tuple[str, ...]) -> None:
    for name in names:
        value = getattr(instance, name)
        cleaned = clean_text(value)
        if cleaned != value:
            object.__setattr__(instance, name, cleaned)


class ExportContextError(ValidationFailed):
    """The export context is inconsistent (overlapping items, bad slug, wrong rate...)."""

    code = "export-context-invalid"
    title = "Export context invalid"


@dataclass(frozen=True)
class ExportChannel:
    channel_id: int
    name: str
    slug: str
    xmltv_id: str
    lcn: int
    service_id: int
    transport_stream_id: int
    original_network_id: int
    zone: str
    rate: Fraction
    operator_name: str
    operator_slug: str
    media_root: str = "/media/renditions"
    """Where the operator's playout server keeps rendition files (ffplayout ``source``)."""

    def __post_init__(self) -> None:
        _clean_fields(self, ("name", "operator_name", "media_root"))
        for label, slug in (("channel", self.slug), ("operator", self.operator_slug)):
            if SLUG_RE.fullmatch(slug) is None:
                raise ExportContextError(f"{label} slug must match [a-z0-9-]+: {slug!r}")
        for label, value in (
            ("service_id", self.service_id),
            ("transport_stream_id", self.transport_stream_id),
            ("original_network_id", self.original_network_id),
        ):
            if not 0 <= value <= 0xFFFF:
                raise ExportContextError(f"{label} must fit in 16 bits: {value}")


@dataclass(frozen=True)
class ExportItem:
    """One playlist item. Offsets and durations are frames at the channel rate.

    ``som_frames`` is the in point inside the rendition; the out point ``eom_frames`` is
    exclusive (``som + duration``), so a consumer that wants the last frame uses ``eom - 1``.
    """

    event_id: uuid.UUID
    start_offset_frames: int
    duration_frames: int
    som_frames: int
    item_type: ItemType
    house_id: str
    title: str
    description: str
    classification: Classification
    language: str
    agency_name: str
    media_file_name: str
    start_mode: StartMode
    genre: str | None = None
    """EPG genre key (see ``exports.dvb.GENRES``); ``None`` derives one from the item type."""

    def __post_init__(self) -> None:
        _clean_fields(
            self,
            ("house_id", "title", "description", "language", "agency_name", "media_file_name"),
        )

    @property
    def end_offset_frames(self) -> int:
        return self.start_offset_frames + self.duration_frames

    @property
    def eom_frames(self) -> int:
        return self.som_frames + self.duration_frames

    @property
    def is_epg_event(self) -> bool:
        """Programmes and live items are EPG events; interstitials merge into them."""
        return self.item_type in EPG_ITEM_TYPES


@dataclass(frozen=True)
class ExportPlaylist:
    channel: ExportChannel
    day: BroadcastDay
    version: int
    state: PlaylistState
    generated_at: datetime
    items: tuple[ExportItem, ...]

    def __post_init__(self) -> None:
        if self.generated_at.tzinfo is None:
            raise ExportContextError("generated_at must be timezone-aware")
        if self.day.rate != self.channel.rate or self.day.zone != self.channel.zone:
            raise ExportContextError("broadcast day and channel disagree on rate or zone")
        if self.version < 1:
            raise ExportContextError(f"version must be >= 1: {self.version}")
        _check_items(self.items, self.day.frames)

    @property
    def rate(self) -> Fraction:
        return self.channel.rate

    @property
    def duration_frames(self) -> int:
        return sum(item.duration_frames for item in self.items)

    @cached_property
    def timeline(self) -> tuple[ItemTimes, ...]:
        """Per-item timecodes and instants, computed once and shared by every format."""
        origin = day_start_frames(self.day)
        return tuple(_item_times(self, item, origin) for item in self.items)


@dataclass(frozen=True, slots=True)
class ItemTimes:
    start_timecode: str
    """Broadcast-day time-of-day timecode (counts past 24:00 inside the day)."""
    duration_timecode: str
    som_timecode: str
    eom_timecode: str
    start_local: datetime
    start_ms: int
    """Milliseconds from the day start to the item start (rounded once, half up)."""
    end_ms: int
    som_ms: int


def _item_times(playlist: ExportPlaylist, item: ExportItem, origin: int) -> ItemTimes:
    """``origin`` is the day start in frames since local midnight (see ``broadcast_timecode``)."""
    rate = playlist.rate
    return ItemTimes(
        start_timecode=frames_to_timecode(origin + item.start_offset_frames, rate),
        duration_timecode=timecode(item.duration_frames, rate),
        som_timecode=timecode(item.som_frames, rate),
        eom_timecode=timecode(item.eom_frames, rate),
        start_local=playlist.day.local_at(item.start_offset_frames),
        start_ms=milliseconds(item.start_offset_frames, rate),
        end_ms=milliseconds(item.end_offset_frames, rate),
        som_ms=milliseconds(item.som_frames, rate),
    )


def _check_items(items: tuple[ExportItem, ...], day_frames: int) -> None:
    """Items are in start order, do not overlap and stay inside the broadcast day."""
    previous_end = 0
    seen: set[uuid.UUID] = set()
    for item in items:
        if item.item_type not in ITEM_TYPES:
            raise ExportContextError(f"unknown item type {item.item_type!r}")
        if item.classification not in CLASSIFICATIONS:
            raise ExportContextError(f"unknown KPI classification {item.classification!r}")
        if item.duration_frames <= 0 or item.som_frames < 0:
            raise ExportContextError(f"item {item.event_id} has a bad duration or in point")
        if item.start_offset_frames < previous_end:
            raise ExportContextError(f"item {item.event_id} overlaps or is out of order")
        if item.event_id in seen:
            raise ExportContextError(f"duplicate event id {item.event_id}")
        seen.add(item.event_id)
        previous_end = item.end_offset_frames
    if previous_end > day_frames:
        raise ExportContextError(
            f"items run to frame {previous_end}, past the end of the day ({day_frames})"
        )
