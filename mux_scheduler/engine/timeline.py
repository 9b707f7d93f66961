"""The playlist as it grows: items are appended strictly in time order, gap-free.

Appending in order is what makes the gap-free invariant cheap to guarantee (each item starts
where the previous ended) and lets violations carry their final item index immediately. The
running per-asset and per-agency figures here are what the selection checks read, so no
check ever scans the playlist.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime

from mux_scheduler.core.timecode import BroadcastDay
from mux_scheduler.engine.clock import offset_at
from mux_scheduler.engine.inputs import Classification, LibraryAsset
from mux_scheduler.engine.items import SLATE_TYPE, PlaylistItem, Severity, Violation


class Timeline:
    def __init__(
        self,
        day: BroadcastDay,
        last_aired_end_at: Mapping[int, datetime],
        exempt_kinds: frozenset[str],
    ) -> None:
        self.day = day
        self.items: list[PlaylistItem] = []
        self.notes: list[Violation] = []
        self.end = 0
        self.prev_agency: int | None = None
        self.agency_frames: dict[int, int] = {}
        self.listeners: list[Callable[[PlaylistItem], None]] = []
        self._history = last_aired_end_at
        self._history_offsets: dict[int, int] = {}
        self._today: dict[int, int] = {}
        self._exempt = exempt_kinds

    def last_end(self, asset_id: int) -> int | None:
        """Offset where ``asset_id`` last finished (negative: an earlier day), or None."""
        found = self._today.get(asset_id)
        if found is not None:
            return found
        found = self._history_offsets.get(asset_id)
        if found is None and asset_id in self._history:
            found = offset_at(self.day, self._history[asset_id])
            self._history_offsets[asset_id] = found
        return found

    def aired_today(self) -> dict[int, int]:
        """End offset of each asset's last airing today."""
        return dict(self._today)

    def note(
        self,
        code: str,
        severity: Severity,
        message: str,
        *,
        item_index: int | None = None,
        blocks_publish: bool = False,
        **params: str | int,
    ) -> None:
        self.notes.append(
            Violation(
                code=code,
                severity=severity,
                message=message,
                item_index=item_index,
                params=params,
                blocks_publish=blocks_publish,
            )
        )

    def place_asset(
        self,
        asset: LibraryAsset,
        *,
        source: str,
        duration_frames: int | None = None,
        locked: bool = False,
        som_frames: int | None = None,
        extra_flags: tuple[str, ...] = (),
    ) -> int:
        duration = asset.duration_frames if duration_frames is None else duration_frames
        som = asset.som_frames if som_frames is None else som_frames
        flags = extra_flags
        if duration < asset.duration_frames and not locked and "trimmed" not in flags:
            flags += ("trimmed",)
        if not asset.rendition_ready:
            flags += ("pending_rendition",)
        return self._append(
            PlaylistItem(
                start_frames=self.end,
                duration_frames=duration,
                som_frames=som,
                eom_frames=som + duration,
                item_type=asset.kind,
                asset_id=asset.asset_id,
                house_id=asset.house_id,
                title=asset.title,
                source=source,
                agency_id=asset.agency_id,
                classification=asset.classification,
                locked=locked,
                flags=flags,
            )
        )

    def place_other(
        self,
        *,
        duration_frames: int,
        item_type: str,
        title: str,
        house_id: str,
        source: str,
        asset_id: int | None = None,
        agency_id: int | None = None,
        classification: Classification = "SU",
        som_frames: int = 0,
        locked: bool = False,
        flags: tuple[str, ...] = (),
    ) -> int:
        """A live placeholder, a slate, or a locked item whose asset the library lacks."""
        return self._append(
            PlaylistItem(
                start_frames=self.end,
                duration_frames=duration_frames,
                som_frames=som_frames,
                eom_frames=som_frames + duration_frames,
                item_type=item_type,
                asset_id=asset_id,
                house_id=house_id,
                title=title,
                source=source,
                agency_id=agency_id,
                classification=classification,
                locked=locked,
                flags=flags,
            )
        )

    def place_slate(self, duration_frames: int, reason: str) -> int:
        index = self.place_other(
            duration_frames=duration_frames,
            item_type=SLATE_TYPE,
            title="Slate",
            house_id="SLATE",
            source="slate",
            flags=("slate",),
        )
        self.note(
            "gap_filled_with_slate",
            "warning",
            f"{duration_frames} frames could not be filled exactly from the filler pool "
            f"({reason}); a slate covers them",
            item_index=index,
            frames=duration_frames,
            start_frames=self.items[index].start_frames,
        )
        return index

    def _append(self, item: PlaylistItem) -> int:
        if item.duration_frames <= 0:
            raise AssertionError(f"non-positive duration at {item.start_frames}")
        self.items.append(item)
        self.end = item.start_frames + item.duration_frames
        if item.asset_id is not None:
            self._today[item.asset_id] = self.end
        if item.agency_id is not None:
            self.agency_frames[item.agency_id] = (
                self.agency_frames.get(item.agency_id, 0) + item.duration_frames
            )
        if item.item_type not in self._exempt and item.item_type != SLATE_TYPE:
            self.prev_agency = item.agency_id
        for listener in self.listeners:
            listener(item)
        return len(self.items) - 1
