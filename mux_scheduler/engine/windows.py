"""Wall-clock windows as frame spans of one broadcast day.

A wall window such as 22:00-03:00 becomes one or two [start, end) frame spans of the day,
computed through ``BroadcastDay.offset_of_local_time`` so clock changes are honoured. Checks
in the inner loop are then a bisect over a handful of integers.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from datetime import time
from typing import Generic, TypeVar

from mux_scheduler.core.timecode import BroadcastDay
from mux_scheduler.engine.inputs import WallWindow

T = TypeVar("T")


def wall_spans(day: BroadcastDay, start: time, end: time) -> list[tuple[int, int]]:
    """The frame spans of a wall window; a window that passes the day start wraps."""
    frames = day.frames
    if start == end:
        return [(0, frames)]
    s = min(day.offset_of_local_time(start), frames)
    e = min(day.offset_of_local_time(end), frames)
    if s < e:
        return [(s, e)]
    if s == e:  # a clock change swallowed the window
        return []
    spans = [(0, e)] if e > 0 else []
    if s < frames:
        spans.append((s, frames))
    return spans


class Spans:
    """Sorted, disjoint, merged [start, end) frame intervals."""

    __slots__ = ("_ends", "_starts")

    def __init__(self, spans: Iterable[tuple[int, int]]) -> None:
        merged: list[list[int]] = []
        for s, e in sorted(span for span in spans if span[0] < span[1]):
            if merged and s <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], e)
            else:
                merged.append([s, e])
        self._starts = [s for s, _ in merged]
        self._ends = [e for _, e in merged]

    @classmethod
    def of_windows(cls, day: BroadcastDay, windows: Sequence[WallWindow]) -> Spans:
        """No windows means the whole day."""
        if not windows:
            return cls([(0, day.frames)])
        return cls(span for w in windows for span in wall_spans(day, w.start, w.end))

    def covers(self, start: int, end: int) -> bool:
        """True if [start, end) lies entirely inside one span."""
        i = bisect_right(self._starts, start) - 1
        return i >= 0 and self._ends[i] >= end

    def contains(self, offset: int) -> bool:
        return self.covers(offset, offset + 1)

    def pairs(self) -> list[tuple[int, int]]:
        return list(zip(self._starts, self._ends, strict=True))

    @property
    def total(self) -> int:
        return sum(e - s for s, e in zip(self._starts, self._ends, strict=True))


class OwnerMap(Generic[T]):
    """Which block owns each frame; earlier claims (higher priority) win overlaps."""

    def __init__(self) -> None:
        self._runs: list[tuple[int, int, T]] = []
        self._starts: list[int] = []

    def claim(self, spans: Iterable[tuple[int, int]], owner: T) -> None:
        for s, e in spans:
            pieces = [(s, e)]
            for rs, re_, _ in self._runs:
                pieces = [
                    piece
                    for ps, pe in pieces
                    for piece in ((ps, min(pe, rs)), (max(ps, re_), pe))
                    if piece[0] < piece[1]
                ]
            self._runs.extend((ps, pe, owner) for ps, pe in pieces)
        self._runs.sort(key=lambda run: run[0])
        self._starts = [run[0] for run in self._runs]

    def at(self, offset: int, limit: int) -> tuple[T | None, int]:
        """The owner at ``offset`` and where that ownership (or the unowned stretch) ends."""
        i = bisect_right(self._starts, offset) - 1
        if i >= 0 and self._runs[i][1] > offset:
            return self._runs[i][2], min(self._runs[i][1], limit)
        nxt = self._runs[i + 1][0] if i + 1 < len(self._runs) else limit
        return None, min(nxt, limit)

    def runs(self) -> list[tuple[int, int, T]]:
        return list(self._runs)
