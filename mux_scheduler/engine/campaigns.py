"""Campaign spots: spread over the allowed windows and counted wherever they air.

Each campaign's target airings are given due offsets spaced evenly over its windows; a spot
is placed in the first break or gap at or after its due offset (the desk catches up if a
stretch had no room). Any airing of a campaign asset inside its windows counts, including
ones a block placed from a campaign pool, so the report matches what goes on air.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from mux_scheduler.core.timecode import BroadcastDay
from mux_scheduler.engine.inputs import Campaign, LibraryAsset
from mux_scheduler.engine.items import CampaignFulfilment, PlaylistItem
from mux_scheduler.engine.library import Library
from mux_scheduler.engine.pools import Judge, Pool, make_pool
from mux_scheduler.engine.windows import Spans


@dataclass(slots=True)
class CampaignEntry:
    campaign: Campaign
    spans: Spans
    due: list[int]
    pool: Pool
    placed: int = 0

    @property
    def source(self) -> str:
        return f"campaign:{self.campaign.campaign_id}"


def _due_offsets(spans: Spans, count: int) -> list[int]:
    """``count`` offsets spaced evenly over the window time of ``spans``."""
    pairs = spans.pairs()
    total = spans.total
    offsets = []
    for i in range(count):
        position = total * i // count
        for s, e in pairs:
            if position < e - s:
                offsets.append(s + position)
                break
            position -= e - s
    return offsets


class CampaignDesk:
    def __init__(
        self,
        campaigns: Sequence[Campaign],
        *,
        library: Library,
        day: BroadcastDay,
        last_aired: Mapping[int, datetime],
        seed: int,
    ) -> None:
        active = sorted(
            (c for c in campaigns if c.active_on(day.broadcast_date)),
            key=lambda c: (-c.priority, c.campaign_id),
        )
        self.entries: list[CampaignEntry] = []
        self._by_asset: dict[int, list[CampaignEntry]] = {}
        for campaign in active:
            spans = Spans.of_windows(day, campaign.windows)
            assets = [
                a
                for a in (library.eligible(i) for i in dict.fromkeys(campaign.asset_ids))
                if a is not None
            ]
            pool = make_pool(
                assets,
                order="lru",
                key=f"campaign:{campaign.campaign_id}",
                seed=seed,
                last_aired=last_aired,
            )
            entry = CampaignEntry(
                campaign, spans, _due_offsets(spans, max(0, campaign.target_per_day)), pool
            )
            self.entries.append(entry)
            for aid in dict.fromkeys(campaign.asset_ids):
                self._by_asset.setdefault(aid, []).append(entry)

    def on_item(self, item: PlaylistItem) -> None:
        if item.asset_id is None:
            return
        for entry in self._by_asset.get(item.asset_id, ()):
            if entry.spans.covers(item.start_frames, item.end_frames):
                entry.placed += 1

    def due(self, offset: int) -> list[CampaignEntry]:
        return [
            e
            for e in self.entries
            if e.placed < len(e.due) and e.due[e.placed] <= offset and e.spans.contains(offset)
        ]

    def fulfilment(self) -> tuple[CampaignFulfilment, ...]:
        return tuple(
            CampaignFulfilment(
                campaign_id=e.campaign.campaign_id,
                target_per_day=e.campaign.target_per_day,
                placed=e.placed,
            )
            for e in self.entries
        )


class SpotJudge:
    """The channel checks plus: the spot stays inside the campaign window and, in a gap,
    leaves a remainder the filler pool can still close exactly."""

    def __init__(
        self,
        base: Judge,
        spans: Spans,
        *,
        gap_end: int | None = None,
        can_close: Callable[[int], bool] | None = None,
    ) -> None:
        self._base = base
        self._spans = spans
        self._gap_end = gap_end
        self._can_close = can_close

    def allowed(self, asset: LibraryAsset, start: int, end: int) -> bool:
        if not self._spans.covers(start, end) or not self._base.allowed(asset, start, end):
            return False
        if self._gap_end is None or self._can_close is None:
            return True
        return self._can_close(self._gap_end - end)

    def penalty(self, asset: LibraryAsset, start: int, end: int) -> int:
        return self._base.penalty(asset, start, end)

    def parks(self, classification: str, start: int) -> bool:
        return self._base.parks(classification, start)
