"""Planned items against what the as-run log says aired, frame-exact at the channel rate.

Pure: planned slots and aired slots in, one outcome per planned slot plus the extras out.
Offsets are frames from the broadcast-day start of the playlist that was on air.

Matching: first by event id (the ``EventId`` we sent in the BXF schedule comes back in the
as-run), then by house id, pairing the closest start times first across the whole day and
never further apart than ``match_window_frames``. Classification of a matched item: ``short``
if it aired more than the tolerance shorter than planned, else ``late`` if its start is off by
more than the tolerance (either way: a negative offset is early), else ``aired``. Planned
items with no match are ``missed``; as-run events with no planned item are ``extra``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from fractions import Fraction

from mux_scheduler.core.timecode import seconds_to_frames


class Status(StrEnum):
    AIRED = "aired"
    LATE = "late"
    SHORT = "short"
    MISSED = "missed"
    EXTRA = "extra"


DELIVERED = frozenset({Status.AIRED, Status.LATE})


@dataclass(frozen=True, slots=True)
class Slot:
    """A planned item or an as-run event, reduced to what matching needs."""

    key: int
    start_frames: int
    duration_frames: int
    house_id: str = ""
    event_uid: str | None = None


@dataclass(frozen=True, slots=True)
class Tolerance:
    start_frames: int
    duration_frames: int
    match_window_frames: int

    @classmethod
    def default(cls, rate: Fraction) -> Tolerance:
        """+-1 s on the start, 1 s of duration (logs with whole seconds), a 1 h search window."""
        second = seconds_to_frames(1, rate)
        return cls(second, second, seconds_to_frames(3600, rate))


@dataclass(frozen=True, slots=True)
class Outcome:
    planned_key: int
    status: Status
    aired_key: int | None = None
    matched_by: str | None = None
    offset_frames: int = 0
    shortfall_frames: int = 0
    aired_frames: int = 0


@dataclass(frozen=True, slots=True)
class Result:
    outcomes: list[Outcome]
    extras: list[int]
    counts: dict[str, int] = field(default_factory=dict)


def _house(slot: Slot) -> str:
    return slot.house_id.strip().casefold()


def _match_by_uid(planned: Sequence[Slot], aired: Sequence[Slot]) -> dict[int, tuple[Slot, str]]:
    by_uid = {p.event_uid: p for p in planned if p.event_uid}
    pairs: dict[int, tuple[Slot, str]] = {}
    for event in sorted(aired, key=lambda a: a.start_frames):
        target = by_uid.get(event.event_uid) if event.event_uid else None
        if target is not None and target.key not in pairs:
            pairs[target.key] = (event, "event_uid")
    return pairs


def _match_by_house(
    planned: Sequence[Slot], aired: Sequence[Slot], window: int
) -> dict[int, tuple[Slot, str]]:
    by_house: dict[str, list[Slot]] = defaultdict(list)
    for p in planned:
        if _house(p):
            by_house[_house(p)].append(p)
    candidates = [
        (abs(a.start_frames - p.start_frames), a.start_frames, p.key, a)
        for a in aired
        for p in by_house.get(_house(a), ())
        if abs(a.start_frames - p.start_frames) <= window
    ]
    candidates.sort(key=lambda c: (c[0], c[1], c[2]))
    pairs: dict[int, tuple[Slot, str]] = {}
    used: set[int] = set()
    for _, _, planned_key, event in candidates:
        if planned_key in pairs or event.key in used:
            continue
        pairs[planned_key] = (event, "house_id")
        used.add(event.key)
    return pairs


def _classify(item: Slot, event: Slot, matched_by: str, tolerance: Tolerance) -> Outcome:
    offset = event.start_frames - item.start_frames
    shortfall = max(0, item.duration_frames - event.duration_frames)
    if shortfall > tolerance.duration_frames:
        status = Status.SHORT
    elif abs(offset) > tolerance.start_frames:
        status = Status.LATE
    else:
        status = Status.AIRED
    return Outcome(
        planned_key=item.key,
        status=status,
        aired_key=event.key,
        matched_by=matched_by,
        offset_frames=offset,
        shortfall_frames=shortfall,
        aired_frames=event.duration_frames,
    )


def reconcile(planned: Sequence[Slot], aired: Sequence[Slot], tolerance: Tolerance) -> Result:
    pairs = _match_by_uid(planned, aired)
    used = {event.key for event, _ in pairs.values()}
    rest_planned = [p for p in planned if p.key not in pairs]
    rest_aired = [a for a in aired if a.key not in used]
    pairs.update(_match_by_house(rest_planned, rest_aired, tolerance.match_window_frames))
    used = {event.key for event, _ in pairs.values()}
    outcomes = [
        _classify(p, *pairs[p.key], tolerance)
        if p.key in pairs
        else Outcome(planned_key=p.key, status=Status.MISSED)
        for p in planned
    ]
    extras = [a.key for a in sorted(aired, key=lambda a: a.start_frames) if a.key not in used]
    counts = {status.value: 0 for status in Status}
    for outcome in outcomes:
        counts[outcome.status.value] += 1
    counts[Status.EXTRA.value] = len(extras)
    return Result(outcomes=outcomes, extras=extras, counts=counts)
