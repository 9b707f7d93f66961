"""``build_day``: rules + library + constraints + day -> playlist, report and next state.

The build is one chronological walk. Anchors (locked edits, mandatory items, fixed events)
are resolved first; the walk then fills the time before each anchor: follow-mode events when
their time has come, the owning block's pool (with its breaks) inside block windows, and an
exact filler fill everywhere else and after each block's last programme. Because items are
only ever appended at the current end, the result is gap-free and overlap-free by
construction, and sums to ``BroadcastDay.frames``.
"""

from __future__ import annotations

from collections.abc import Sequence

from mux_scheduler.core.timecode import nominal_fps, seconds_to_frames
from mux_scheduler.engine import anchors as anchor_rules
from mux_scheduler.engine.campaigns import CampaignDesk, SpotJudge
from mux_scheduler.engine.constraints import ChannelRules, Checker, audit
from mux_scheduler.engine.fill import GapFiller
from mux_scheduler.engine.inputs import (
    FILL_KINDS,
    Block,
    BreakPattern,
    Campaign,
    DayContext,
    History,
    LibraryAsset,
    LockedItem,
    PoolFilter,
    Rule,
)
from mux_scheduler.engine.items import BuildResult
from mux_scheduler.engine.library import Library
from mux_scheduler.engine.placing import place_anchor, place_follow
from mux_scheduler.engine.pools import Pool, make_pool
from mux_scheduler.engine.report import build_report, next_state
from mux_scheduler.engine.rules import rules_for_day
from mux_scheduler.engine.timeline import Timeline
from mux_scheduler.engine.windows import OwnerMap, wall_spans

RETRY_SECONDS = 120
"""How long a block waits (on fillers) before it asks its pool again."""


def build_day(
    context: DayContext,
    *,
    library: Sequence[LibraryAsset],
    rules: Sequence[Rule],
    campaigns: Sequence[Campaign] = (),
    locked: Sequence[LockedItem] = (),
    history: History | None = None,
) -> BuildResult:
    """Build one channel-day. Pure and deterministic: same inputs, same result."""
    return _DayBuild(context, library, rules, campaigns, locked, history or History()).run()


class _DayBuild:
    def __init__(
        self,
        context: DayContext,
        library: Sequence[LibraryAsset],
        rules: Sequence[Rule],
        campaigns: Sequence[Campaign],
        locked: Sequence[LockedItem],
        history: History,
    ) -> None:
        day = context.day
        self.day = day
        self.seed = context.rng_seed
        self.history = history
        self.library = Library(library, day.broadcast_date, campaigns)
        self.day_rules = rules_for_day(rules, day.broadcast_date)
        self.rules = ChannelRules(day, context.constraints)
        self.timeline = Timeline(day, history.last_aired_end_at, self.rules.exempt)
        candidates, self.follows = anchor_rules.collect(
            day, self.day_rules, locked, self.library, self.timeline
        )
        self.anchors = anchor_rules.resolve(candidates, day.frames, self.timeline)
        self.checker = Checker(self.rules, self.timeline, self._anchor_starts())
        self.filler = GapFiller(self._filler_assets(), min_trim_frames=nominal_fps(day.rate))
        self.desk = CampaignDesk(
            campaigns,
            library=self.library,
            day=day,
            last_aired=history.last_aired_end_at,
            seed=self.seed,
        )
        self.timeline.listeners.append(self.desk.on_item)
        self.owners: OwnerMap[Block] = OwnerMap()
        for block in self.day_rules.blocks:
            self.owners.claim(wall_spans(day, block.start, block.end), block)
        self.block_pools: dict[str, Pool] = {}
        self.break_pools: dict[tuple[PoolFilter, str], Pool] = {}
        self.next_follow = 0
        self.stalled: set[str] = set()
        self.retry_frames = seconds_to_frames(RETRY_SECONDS, day.rate)

    def run(self) -> BuildResult:
        for anchor in self.anchors:
            self._walk(anchor.start)
            place_anchor(self.timeline, anchor)
        self._walk(self.day.frames)
        self._note_leftovers()
        items = tuple(self.timeline.items)
        violations = self.timeline.notes + audit(
            items,
            rules=self.rules,
            library=self.library,
            last_aired_end_at=self.history.last_aired_end_at,
        )
        report = build_report(items, violations, self.desk.fulfilment(), self.day.frames)
        state = next_state(
            self.day,
            self.history,
            self.timeline.aired_today(),
            self.block_pools,
            {b.rule_id: b for b in self.day_rules.blocks},
        )
        return BuildResult(items=items, report=report, state=state)

    # -- setup -------------------------------------------------------------------------

    def _anchor_starts(self) -> dict[int, list[int]]:
        starts: dict[int, list[int]] = {}
        for anchor in self.anchors:
            if anchor.asset is not None:
                starts.setdefault(anchor.asset.asset_id, []).append(anchor.start)
        return starts

    def _filler_assets(self) -> list[LibraryAsset]:
        filters = [p.pool for p in self.day_rules.filler_pools] or [PoolFilter(kinds=FILL_KINDS)]
        chosen = {a.asset_id: a for f in filters for a in self.library.select(f)}
        # a gap can be at any hour: fillers restricted to some hours (D) are never used
        return [
            chosen[aid]
            for aid in sorted(chosen)
            if chosen[aid].classification not in self.rules.hard
        ]

    def _block_pool(self, block: Block) -> Pool:
        pool = self.block_pools.get(block.rule_id)
        if pool is None:
            cursor_id = self.history.block_cursors.get(block.rule_id)
            pool = make_pool(
                self.library.select(block.pool),
                order=block.order,
                key=block.rule_id,
                seed=self.seed,
                last_aired=self.history.last_aired_end_at,
                cursor=None if cursor_id is None else self.library.by_id.get(cursor_id),
                explicit_order=block.pool.asset_ids,
                played=self.history.shuffle_played.get(block.rule_id, ()),
            )
            self.block_pools[block.rule_id] = pool
        return pool

    def _break_pool(self, pattern: BreakPattern) -> Pool:
        key = (pattern.pool, pattern.order)
        pool = self.break_pools.get(key)
        if pool is None:
            pool = make_pool(
                self.library.select(pattern.pool),
                order=pattern.order,
                key=f"break:{pattern.pool!r}:{pattern.order}",
                seed=self.seed,
                last_aired=self.history.last_aired_end_at,
            )
            self.break_pools[key] = pool
        return pool

    # -- the walk ----------------------------------------------------------------------

    def _walk(self, until: int) -> None:
        """Fill [current end, until) completely."""
        timeline = self.timeline
        while timeline.end < until:
            follow = (
                self.follows[self.next_follow] if self.next_follow < len(self.follows) else None
            )
            if follow is not None and follow.nominal <= timeline.end:
                self.next_follow += 1
                place_follow(self.timeline, follow, until, self.rules.timecode)
                continue
            limit = until if follow is None else min(until, follow.nominal)
            owner, stop = self.owners.at(timeline.end, limit)
            if owner is not None:
                self._fill_block(owner, stop)
            self._fill_gap(stop)

    def _fill_block(self, block: Block, stop: int) -> None:
        timeline = self.timeline
        pool = self._block_pool(block)
        pattern = block.breaks
        every = None
        if pattern is not None and pattern.every_minutes is not None:
            every = max(1, seconds_to_frames(60 * pattern.every_minutes, self.day.rate))
        next_break = None if every is None else timeline.end + every
        source = f"rule:{block.rule_id}"
        while timeline.end < stop:
            if pattern is not None and next_break is not None and timeline.end >= next_break:
                next_break = timeline.end + (every or 0)
                self._fill_break(pattern, stop, source)
                continue
            asset = pool.pick(timeline.end, stop - timeline.end, self.checker)
            if asset is None:
                self._note_stall(block, pool, stop)
                if pool.held_back and self._wait(stop):
                    continue
                return
            timeline.place_asset(asset, source=source)
            if pattern is not None and every is None:
                self._fill_break(pattern, stop, source)

    def _wait(self, stop: int) -> bool:
        """Fill a short step with fillers so that held-back content can become allowed
        (separation runs out, a classification window opens) instead of giving up on the
        rest of the block. False when no filler can make progress."""
        fillers = self.filler.top_up(min(self.retry_frames, stop - self.timeline.end))
        for asset in fillers:
            self.timeline.place_asset(asset, source="fill")
        return bool(fillers)

    def _note_stall(self, block: Block, pool: Pool, stop: int) -> None:
        """A sequential block whose next episode fits but may not air yet waits for it
        (episodes are never skipped); say so once, or long filler runs look like a bug."""
        head = pool.peek()
        room = stop - self.timeline.end
        if block.order != "sequential" or head is None or head.duration_frames > room:
            return
        if block.rule_id in self.stalled:
            return
        self.stalled.add(block.rule_id)
        self.timeline.note(
            "sequence_stalled",
            "warning",
            f"block {block.rule_id!r} waits at {self.rules.timecode(self.timeline.end)}: its "
            f"next episode {head.title!r} may not air there yet (classification window or "
            "separation); fillers run until it may",
            rule_id=block.rule_id,
            asset_id=head.asset_id,
            title=head.title,
            start_frames=self.timeline.end,
        )

    def _fill_break(self, pattern: BreakPattern, stop: int, source: str) -> None:
        timeline = self.timeline
        end = min(timeline.end + pattern.break_frames, stop)
        self._place_spots(end, closing=False)
        pool = self._break_pool(pattern)
        while timeline.end < end:
            asset = pool.pick(timeline.end, end - timeline.end, self.checker)
            if asset is None:
                break
            timeline.place_asset(asset, source=source)
        for asset in self.filler.top_up(end - timeline.end):
            timeline.place_asset(asset, source="fill")

    def _fill_gap(self, stop: int) -> None:
        timeline = self.timeline
        if timeline.end >= stop:
            return
        self._place_spots(stop, closing=True)
        plan = self.filler.close(stop - timeline.end)
        for asset in plan.assets:
            timeline.place_asset(asset, source="fill")
        if plan.trimmed is not None:
            asset, length = plan.trimmed
            timeline.place_asset(asset, source="fill", duration_frames=length)
        if plan.slate_frames:
            timeline.place_slate(plan.slate_frames, "no combination of fillers fits")

    def _place_spots(self, end: int, *, closing: bool) -> None:
        """Due campaign spots first, one per campaign per round, while there is room."""
        timeline = self.timeline
        placed = True
        while placed and timeline.end < end:
            placed = False
            for entry in self.desk.due(timeline.end):
                judge = SpotJudge(
                    self.checker,
                    entry.spans,
                    gap_end=end if closing else None,
                    can_close=self.filler.can_close if closing else None,
                )
                asset = entry.pool.pick(timeline.end, end - timeline.end, judge)
                if asset is not None:
                    timeline.place_asset(asset, source=entry.source)
                    placed = True

    def _note_leftovers(self) -> None:
        for follow in self.follows[self.next_follow :]:
            self.timeline.note(
                "fixed_conflict",
                "error",
                f"{follow.label!r} could not follow anything before the end of the day",
                rule_id=follow.label,
                reason="no_room_to_follow",
                start_frames=follow.nominal,
                title=follow.title,
            )
        for entry in self.desk.entries:
            if entry.placed < entry.campaign.target_per_day:
                self.timeline.note(
                    "campaign_short",
                    "warning",
                    f"campaign {entry.campaign.campaign_id!r} airs {entry.placed} of "
                    f"{entry.campaign.target_per_day} spots",
                    campaign_id=entry.campaign.campaign_id,
                    target=entry.campaign.target_per_day,
                    placed=entry.placed,
                )
