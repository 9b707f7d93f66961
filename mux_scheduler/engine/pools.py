"""Pools: ordered rotations of eligible assets with a bounded look-ahead.

A pool is a queue: taking an asset moves it behind everything not yet aired, so a rotation
never repeats while something else fits. Orders are produced lazily (a lazy Fisher-Yates for
shuffle, a heap for least-recently-aired), so a build pays for the assets it looks at, not
for the size of the library. The look-ahead bounds each pick; a pool that cannot offer a
fitting, allowed asset within it yields nothing and the gap is filled instead.
"""

from __future__ import annotations

import heapq
import random
from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime
from itertools import chain
from typing import Protocol

from mux_scheduler.engine.inputs import LibraryAsset, PoolOrder, stable_seed

LOOK_AHEAD = 48


class Judge(Protocol):
    def allowed(self, asset: LibraryAsset, start: int, end: int) -> bool: ...

    def penalty(self, asset: LibraryAsset, start: int, end: int) -> int: ...

    def parks(self, classification: str, start: int) -> bool:
        """True while ``classification`` may not air (or is not recommended) at ``start``."""
        ...


class RotationQueue:
    """Assets in rotation order; a taken asset goes behind all the others.

    Only the assets looked at so far are materialised from the (lazy) source; taken ones wait
    in ``_recycled`` until the source is exhausted, so they come back after every asset that
    has not aired yet.
    """

    def __init__(self, source: Iterator[LibraryAsset]) -> None:
        self._source = source
        self._buffer: list[LibraryAsset] = []
        self._recycled: list[LibraryAsset] = []

    def get(self, position: int) -> LibraryAsset | None:
        """The asset at ``position`` in rotation order (None past the end)."""
        while position >= len(self._buffer):
            if not self._refill():
                return None
        return self._buffer[position]

    def take(self, position: int) -> LibraryAsset:
        asset = self._buffer.pop(position)
        self._recycled.append(asset)
        return asset

    def remove(self, position: int) -> LibraryAsset:
        return self._buffer.pop(position)

    def recycle(self, asset: LibraryAsset) -> None:
        self._recycled.append(asset)

    def _refill(self) -> bool:
        nxt = next(self._source, None)
        if nxt is not None:
            self._buffer.append(nxt)
            return True
        if self._recycled:
            self._buffer.extend(self._recycled)
            self._recycled = []
            return True
        return False


class Pool:
    """Picks the first asset that fits and is allowed, preferring one with no soft penalty.

    Assets whose classification is out of its window at the current time (P outside the
    recommended hours, D before 22:00) are *parked*: moved aside, in order, so they do not
    block the head of the rotation, and offered first again once their window opens (they
    are the ones that waited longest). Without parking every pick would rescan them.
    Sequential pools never park: episodes keep their order.
    """

    def __init__(
        self, assets: Sequence[LibraryAsset], source: Iterator[LibraryAsset], look_ahead: int
    ) -> None:
        self.size = len(assets)
        self.min_frames = min(map(_duration, assets), default=0)
        self._assets = assets
        self.taken: list[int] = []
        self._queue = RotationQueue(source)
        self._look_ahead = look_ahead
        self._parks = look_ahead > 1
        self.held_back = False
        self._parked: dict[str, list[LibraryAsset]] = {}

    def pick(self, start: int, room: int, judge: Judge) -> LibraryAsset | None:
        """The next asset for [start, start + room); None if nothing fits and is allowed.

        After a None, ``held_back`` says whether something would have fitted but a rule
        (separation, classification window) held it back, i.e. whether waiting can help.
        """
        self.held_back = False
        if self.size == 0 or room < self.min_frames:
            return None
        best: tuple[int, str | None, int] | None = None  # (penalty, parked class, position)
        for cls in sorted(self._parked):
            if self._parked[cls] and not judge.parks(cls, start):
                found = self._scan_parked(cls, start, room, judge)
                if found is not None and found[0] == 0:
                    return self._take(cls, found[2])
                best = _better(best, found)
        found = self._scan_queue(start, room, judge)
        if found is not None and found[0] == 0:
            return self._take(None, found[2])
        best = _better(best, found)
        if best is None:
            for cls in sorted(self._parked):
                if self._parked[cls] and judge.parks(cls, start):
                    best = _better(best, self._scan_parked(cls, start, room, judge))
        return None if best is None else self._take(best[1], best[2])

    def _scan_queue(
        self, start: int, room: int, judge: Judge
    ) -> tuple[int, str | None, int] | None:
        queue, best = self._queue, None
        position = seen = 0
        while seen < self._look_ahead:
            asset = queue.get(position)
            if asset is None:
                break
            if self._parks and judge.parks(asset.classification, start):
                self._parked.setdefault(asset.classification, []).append(queue.remove(position))
                continue
            seen += 1
            end = start + asset.duration_frames
            if asset.duration_frames <= room and not judge.allowed(asset, start, end):
                self.held_back = True
            elif asset.duration_frames <= room:
                penalty = judge.penalty(asset, start, end)
                if penalty == 0:
                    return (0, None, position)
                best = _better(best, (penalty, None, position))
            position += 1
        return best

    def _scan_parked(
        self, cls: str, start: int, room: int, judge: Judge
    ) -> tuple[int, str | None, int] | None:
        best = None
        for position, asset in enumerate(self._parked[cls][: self._look_ahead]):
            end = start + asset.duration_frames
            if asset.duration_frames <= room and not judge.allowed(asset, start, end):
                self.held_back = True
            elif asset.duration_frames <= room:
                penalty = judge.penalty(asset, start, end)
                if penalty == 0:
                    return (0, cls, position)
                best = _better(best, (penalty, cls, position))
        return best

    @property
    def ids(self) -> frozenset[int]:
        return frozenset(a.asset_id for a in self._assets)

    def peek(self) -> LibraryAsset | None:
        """The asset the rotation would offer first."""
        return self._queue.get(0)

    def _take(self, parked: str | None, position: int) -> LibraryAsset:
        if parked is None:
            asset = self._queue.take(position)
        else:
            asset = self._parked[parked].pop(position)
            self._queue.recycle(asset)
        self.taken.append(asset.asset_id)
        return asset


def _better(
    best: tuple[int, str | None, int] | None, other: tuple[int, str | None, int] | None
) -> tuple[int, str | None, int] | None:
    """The lower penalty; on a tie the one found first."""
    if other is None or (best is not None and best[0] <= other[0]):
        return best
    return other


def _lazy_shuffle(assets: Sequence[LibraryAsset], rng: random.Random) -> Iterator[LibraryAsset]:
    """Fisher-Yates one draw at a time: only the assets actually looked at cost anything."""
    order = list(assets)
    for i in range(len(order)):
        j = rng.randrange(i, len(order))
        order[i], order[j] = order[j], order[i]
        yield order[i]


def _least_recent(
    assets: Sequence[LibraryAsset], last_aired: Mapping[int, datetime]
) -> Iterator[LibraryAsset]:
    """Never aired first (in library order), then oldest airing first; assets waiting for a
    rendition after all others. Only the aired ones need a heap."""
    ready = [a for a in assets if a.rendition_ready]
    pending = [a for a in assets if not a.rendition_ready]
    for group in (ready, pending):
        yield from (a for a in group if a.asset_id not in last_aired)
        heap = [
            (last_aired[a.asset_id], a.house_id, a.asset_id, i)
            for i, a in enumerate(group)
            if a.asset_id in last_aired
        ]
        heapq.heapify(heap)
        while heap:
            yield group[heapq.heappop(heap)[3]]


def _duration(asset: LibraryAsset) -> int:
    return asset.duration_frames


def _sequence_key(asset: LibraryAsset) -> tuple[str, int]:
    return (asset.house_id, asset.asset_id)


def _sequential(
    assets: Sequence[LibraryAsset],
    *,
    explicit_order: Sequence[int],
    cursor: LibraryAsset | None,
) -> Iterator[LibraryAsset]:
    """Episodes in order, starting after the one the cursor names (wrapping around)."""
    if explicit_order:
        rank = {aid: i for i, aid in enumerate(dict.fromkeys(explicit_order))}
        ordered = sorted(assets, key=lambda a: rank[a.asset_id])
        keys: list[tuple[int, ...] | tuple[str, int]] = [(rank[a.asset_id],) for a in ordered]
        cursor_key: tuple[int, ...] | tuple[str, int] | None = (
            (rank[cursor.asset_id],) if cursor is not None and cursor.asset_id in rank else None
        )
    else:
        ordered = sorted(assets, key=_sequence_key)
        keys = [_sequence_key(a) for a in ordered]
        cursor_key = None if cursor is None else _sequence_key(cursor)
    start = 0
    if cursor_key is not None:
        start = next((i for i, key in enumerate(keys) if key > cursor_key), 0)
    return chain(ordered[start:], ordered[:start])


def make_pool(
    assets: Sequence[LibraryAsset],
    *,
    order: PoolOrder,
    key: str,
    seed: int,
    last_aired: Mapping[int, datetime],
    cursor: LibraryAsset | None = None,
    explicit_order: Sequence[int] = (),
    played: Sequence[int] = (),
) -> Pool:
    """A pool in ``order``; ``key`` (the rule id) separates random streams and state.

    Outside sequential order, assets still waiting for a rendition come last: they are only
    taken when nothing else fits, and they do not clog the head of the rotation.
    """
    if order == "sequential":
        source = _sequential(assets, explicit_order=explicit_order, cursor=cursor)
        return Pool(assets, source, look_ahead=1)
    if order == "lru":
        return Pool(assets, _least_recent(assets, last_aired), LOOK_AHEAD)
    rng = random.Random(stable_seed(str(seed), key))  # noqa: S311 - scheduling, not security
    played_ids = frozenset(played)
    ready = [a for a in assets if a.rendition_ready]
    fresh = [a for a in ready if a.asset_id not in played_ids]
    seen = [a for a in ready if a.asset_id in played_ids]
    pending = [a for a in assets if not a.rendition_ready]
    source = chain(_lazy_shuffle(fresh, rng), _lazy_shuffle(seen, rng), pending)
    return Pool(assets, source, LOOK_AHEAD)


def shuffle_state(pool: Pool, played: Sequence[int]) -> tuple[int, ...]:
    """Assets aired in the current shuffle cycle; a cycle ends when all have aired."""
    members = pool.ids
    cycle = [aid for aid in dict.fromkeys(played) if aid in members]
    in_cycle = set(cycle)
    for aid in pool.taken:
        if aid in in_cycle:
            continue
        cycle.append(aid)
        in_cycle.add(aid)
        if len(cycle) >= pool.size:
            cycle, in_cycle = [], set()
    return tuple(cycle)
