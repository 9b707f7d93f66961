"""Exact gap filling from the filler pool.

A gap is closed with a combination of filler durations that sums to it exactly (unbounded
coin change, fewest items), in units of the durations' greatest common divisor. The
reachable sums are one bitset (a Python int) built once per build by shift-and-or, so
"largest reachable amount <= x" is a mask and a ``bit_length``; the fewest-items combination
is a breadth-first search over bitset layers (sums of exactly n fillers), then a walk back.
Long gaps are first brought down to the bitset's window by cycling through the pool (past the
Frobenius bound every multiple of the unit is reachable, so the window only needs to cover
the last stretch). Assets of one duration take turns. What no combination can reach is covered by a
trimmable filler cut to length, and only then by a slate of the exact remaining length.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from math import gcd

from mux_scheduler.engine.inputs import LibraryAsset

MAX_DISTINCT_DURATIONS = 64
WINDOW_CAP_UNITS = 50_000


@dataclass(frozen=True, slots=True)
class FillPlan:
    assets: tuple[LibraryAsset, ...]
    trimmed: tuple[LibraryAsset, int] | None
    slate_frames: int

    @property
    def frames(self) -> int:
        whole = sum(a.duration_frames for a in self.assets)
        return whole + (self.trimmed[1] if self.trimmed else 0) + self.slate_frames


def _house_order(asset: LibraryAsset) -> tuple[str, int]:
    return (asset.house_id, asset.asset_id)


class GapFiller:
    def __init__(self, assets: Sequence[LibraryAsset], *, min_trim_frames: int) -> None:
        by_duration: dict[int, list[LibraryAsset]] = {}
        for asset in sorted(assets, key=_house_order):
            by_duration.setdefault(asset.duration_frames, []).append(asset)
        durations = sorted(by_duration)[:MAX_DISTINCT_DURATIONS]
        self._by_duration = {d: by_duration[d] for d in durations}
        self._turn = dict.fromkeys(durations, 0)
        self._unit = gcd(*durations) if durations else 1
        self._coins = sorted((d // self._unit for d in durations), reverse=True)
        largest = max(self._coins, default=0)
        smallest = min(self._coins, default=0)
        self._window = min(WINDOW_CAP_UNITS, smallest * largest + 2 * largest)
        self._cycle = sorted((d for d in durations for _ in by_duration[d]), key=lambda d: -d) or [
            0
        ]
        self._cycle_at = 0
        self._reachable = _closure(self._coins, self._window)
        self._trimmable = sorted((a for a in assets if a.trimmable), key=_house_order)
        self._trim_max = max((a.duration_frames for a in self._trimmable), default=0)
        self._trim_turn = 0
        self._min_trim = min_trim_frames

    def can_close(self, frames: int) -> bool:
        return frames == 0 or self._plan(frames, trim=True)[2] == 0

    def close(self, frames: int) -> FillPlan:
        """Exactly ``frames``: fillers, then a trimmed filler, then a slate."""
        durations, trim, slate, self._cycle_at = self._plan(frames, trim=True)
        trimmed = None
        if trim:
            candidates = [a for a in self._trimmable if a.duration_frames >= trim]
            trimmed = (candidates[self._trim_turn % len(candidates)], trim)
            self._trim_turn += 1
        return FillPlan(self._assign(durations), trimmed, slate)

    def top_up(self, frames: int) -> tuple[LibraryAsset, ...]:
        """As much of ``frames`` as whole fillers can cover (for breaks: no trim, no slate)."""
        durations, _, _, self._cycle_at = self._plan(frames, trim=False)
        return self._assign(durations)

    def _plan(self, frames: int, *, trim: bool) -> tuple[list[int], int, int, int]:
        """Durations, trimmed length, slate length and the new cycle position."""
        if not self._coins:
            return [], 0, frames, self._cycle_at
        unit = self._unit
        durations: list[int] = []
        remaining = frames
        at = self._cycle_at
        while remaining > self._window * unit:
            d = self._cycle[at % len(self._cycle)]
            at += 1
            durations.append(d)
            remaining -= d
        target = self._reach(remaining // unit)
        cut = 0
        if trim and target * unit != remaining and self._trim_max:
            # prefer leaving at least ``min_trim`` for the loop: never a few frames of it
            options = [target]
            if remaining >= self._min_trim:
                options.insert(0, self._reach((remaining - self._min_trim) // unit))
            for option in options:
                rest = remaining - option * unit
                if 0 < rest <= self._trim_max:
                    target, cut = option, rest
                    break
        durations.extend(self._combination(target))
        return durations, cut, remaining - target * unit - cut, at

    def _reach(self, units: int) -> int:
        """The largest reachable amount not above ``units``."""
        if units <= 0:
            return 0
        return (self._reachable & ((1 << (units + 1)) - 1)).bit_length() - 1

    def _combination(self, units: int) -> list[int]:
        """Fewest coins summing to ``units`` (which must be reachable), largest first."""
        if units <= 0:
            return []
        mask = (1 << (units + 1)) - 1
        layers = [1]  # layers[n]: the sums of exactly n coins
        while not (layers[-1] >> units) & 1:
            previous, layer = layers[-1], 0
            for coin in self._coins:
                layer |= previous << coin
            layers.append(layer & mask)
        picked: list[int] = []
        for previous in reversed(layers[:-1]):
            coin = next(c for c in self._coins if c <= units and (previous >> (units - c)) & 1)
            picked.append(coin * self._unit)
            units -= coin
        return sorted(picked, reverse=True)

    def _assign(self, durations: list[int]) -> tuple[LibraryAsset, ...]:
        chosen = []
        for d in durations:
            group = self._by_duration[d]
            chosen.append(group[self._turn[d] % len(group)])
            self._turn[d] += 1
        return tuple(chosen)


def _closure(coins: Sequence[int], limit: int) -> int:
    """Bit n is set iff n (<= limit) is a sum of any number of ``coins``.

    Per coin, shifting by c, 2c, 4c, ... adds 0..(2^k - 1) copies of it: exact in log steps.
    """
    mask = (1 << (limit + 1)) - 1
    reach = 1
    for coin in coins:
        step = coin
        while step <= limit:
            reach |= (reach << step) & mask
            step <<= 1
    return reach
