"""The report stored with a playlist version, and the state handed to the next day."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from mux_scheduler.core.timecode import BroadcastDay
from mux_scheduler.engine.clock import instant_at
from mux_scheduler.engine.inputs import Block, History
from mux_scheduler.engine.items import CampaignFulfilment, PlaylistItem, Report, Violation
from mux_scheduler.engine.pools import Pool, shuffle_state

_UNPLACED = 1 << 62


def build_report(
    items: Sequence[PlaylistItem],
    violations: Sequence[Violation],
    campaigns: tuple[CampaignFulfilment, ...],
    total_frames: int,
) -> Report:
    agency: dict[int, int] = {}
    by_type: dict[str, int] = {}
    for item in items:
        by_type[item.item_type] = by_type.get(item.item_type, 0) + item.duration_frames
        if item.agency_id is not None:
            agency[item.agency_id] = agency.get(item.agency_id, 0) + item.duration_frames
    ordered = sorted(
        violations,
        key=lambda v: (_UNPLACED if v.item_index is None else v.item_index, v.code),
    )
    return Report(
        violations=tuple(ordered),
        campaigns=campaigns,
        agency_airtime_frames=dict(sorted(agency.items())),
        frames_by_item_type=dict(sorted(by_type.items())),
        total_frames=total_frames,
        item_count=len(items),
    )


def next_state(
    day: BroadcastDay,
    history: History,
    aired_today: Mapping[int, int],
    block_pools: Mapping[str, Pool],
    blocks: Mapping[str, Block],
) -> History:
    last_aired = dict(history.last_aired_end_at)
    for asset_id, end in aired_today.items():
        last_aired[asset_id] = instant_at(day, end)
    cursors = dict(history.block_cursors)
    played = dict(history.shuffle_played)
    for rule_id, pool in block_pools.items():
        order = blocks[rule_id].order
        if order == "sequential" and pool.taken:
            cursors[rule_id] = pool.taken[-1]
        elif order == "shuffle":
            played[rule_id] = shuffle_state(pool, history.shuffle_played.get(rule_id, ()))
    return History(
        last_aired_end_at=dict(sorted(last_aired.items())),
        block_cursors=dict(sorted(cursors.items())),
        shuffle_played=dict(sorted(played.items())),
    )
