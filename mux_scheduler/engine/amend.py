"""Same-day amendments: put urgent items into a published day without moving what aired.

The day keeps its exact frame length. Time for an insert is taken, in order, from fillers
(station IDs, bumpers, fillers), then interstitial breaks (ILM, promos), then by trimming or
dropping the lowest-priority programmes, always inside the segment that ends at the next
fixed-time item, so fixed events (the 19:00 news, Indonesia Raya) stay on time. Every change
is listed so the programmer and the operator can see exactly what moved.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

from mux_scheduler.core.errors import ScheduleError
from mux_scheduler.engine.items import PlaylistItem

ABSORB_ORDER: tuple[tuple[str, ...], ...] = (
    ("filler", "station_id", "bumper", "slate"),
    ("promo", "ilm"),
    ("programme",),
)
TRIMMABLE_TYPES = ("filler", "slate")


class InsertDoesNotFit(ScheduleError):
    """The insert cannot be placed where asked; the message says why in English, ``reason``
    and ``params`` say it again for a UI that words it in another language."""

    def __init__(self, detail: str, *, reason: str, **params: int) -> None:
        super().__init__(detail)
        self.reason = reason
        self.params = params


@dataclass(frozen=True, kw_only=True, slots=True)
class Insertion:
    """One urgent item to put on air at ``at_frames`` (an offset in the broadcast day)."""

    at_frames: int
    duration_frames: int
    asset_id: int
    house_id: str
    title: str
    item_type: str
    source: str
    agency_id: int | None = None
    classification: Literal["P", "A", "R", "D", "SU"] = "SU"


@dataclass(frozen=True, kw_only=True, slots=True)
class Change:
    """What an amendment did to one item, in words a programmer reads."""

    action: Literal["inserted", "removed", "trimmed", "cut", "moved"]
    """``cut``: a programme interrupted by the insert (``frames`` aired before it resumes)."""
    title: str
    house_id: str
    before_start_frames: int | None
    after_start_frames: int | None
    frames: int


@dataclass(frozen=True, kw_only=True, slots=True)
class Amendment:
    items: tuple[PlaylistItem, ...]
    changes: tuple[Change, ...]


def next_break_offset(items: tuple[PlaylistItem, ...], *, not_before: int) -> int:
    """The first interstitial boundary at or after ``not_before`` (else the next item start)."""
    interstitial = {t for group in ABSORB_ORDER[:2] for t in group}
    boundaries = [i.start_frames for i in items if i.start_frames >= not_before]
    for item in items:
        if item.start_frames >= not_before and item.item_type in interstitial:
            return item.start_frames
    if not boundaries:
        raise InsertDoesNotFit(
            "No item starts after the safety margin: the day is nearly over.",
            reason="day_nearly_over",
        )
    return boundaries[0]


def amend(
    items: tuple[PlaylistItem, ...],
    insertion: Insertion,
    *,
    frozen_until: int,
    anchors: frozenset[int],
) -> Amendment:
    """Insert one item; ``anchors`` are start offsets of fixed-time items that must not move."""
    if insertion.at_frames < frozen_until:
        raise InsertDoesNotFit(
            "The requested time is already on air or inside the safety margin; "
            "choose a later time or 'next break'.",
            reason="too_soon",
        )
    day_frames = items[-1].end_frames if items else 0
    if insertion.at_frames >= day_frames:
        raise InsertDoesNotFit(
            "The requested time is after the end of the broadcast day.", reason="after_day_end"
        )
    before, cut_change, running = _split_at(items, insertion.at_frames)
    segment_end = next((a for a in sorted(anchors) if a > insertion.at_frames), day_frames)
    if segment_end - insertion.at_frames < insertion.duration_frames:
        raise InsertDoesNotFit(
            f"Only {segment_end - insertion.at_frames} frames remain before the next fixed-time "
            f"item; the insert needs {insertion.duration_frames}.",
            reason="no_room",
            remaining_frames=segment_end - insertion.at_frames,
            needed_frames=insertion.duration_frames,
        )
    segment = [*running, *(i for i in items if insertion.at_frames <= i.start_frames < segment_end)]
    after = [i for i in items if i.start_frames >= segment_end]
    kept, absorbed = _absorb(segment, insertion.duration_frames)
    inserted = _as_item(insertion)
    laid = _lay_out([*before, inserted, *kept, *after])
    moves = _moves(kept, laid, len(before) + 1)
    changes = [*cut_change, _inserted_change(inserted), *absorbed, *moves]
    if laid[-1].end_frames != day_frames:
        raise AssertionError("amendment changed the day length")  # a bug, never user input
    return Amendment(items=tuple(laid), changes=tuple(changes))


def _split_at(
    items: tuple[PlaylistItem, ...], at: int
) -> tuple[list[PlaylistItem], list[Change], list[PlaylistItem]]:
    """Items wholly before ``at``; an item running across ``at`` is interrupted there and its
    remainder resumes after the insert (a cut-in loses nothing of the programme)."""
    before: list[PlaylistItem] = []
    for item in items:
        if item.end_frames <= at:
            before.append(item)
        elif item.start_frames < at:
            head = at - item.start_frames
            before.append(replace(item, duration_frames=head, eom_frames=item.som_frames + head))
            remainder = replace(
                item,
                start_frames=at,
                duration_frames=item.duration_frames - head,
                som_frames=item.som_frames + head,
                flags=(*item.flags, "resumed"),
            )
            change = Change(
                action="cut",
                title=item.title,
                house_id=item.house_id,
                before_start_frames=item.start_frames,
                after_start_frames=item.start_frames,
                frames=head,
            )
            return before, [change], [remainder]
    return before, [], []


def _absorb(segment: list[PlaylistItem], needed: int) -> tuple[list[PlaylistItem], list[Change]]:
    """Remove or trim items worth exactly ``needed`` frames: cheapest kinds first and, within a
    kind, the nearest to the insert, so as few items as possible change their start."""
    kept = list(segment)
    changes: list[Change] = []
    for kinds in ABSORB_ORDER:
        for item in sorted((i for i in kept if i.item_type in kinds), key=lambda i: i.start_frames):
            if needed == 0:
                return kept, changes
            if item.locked:
                continue
            if item.duration_frames <= needed:
                kept.remove(item)
                needed -= item.duration_frames
                changes.append(_change("removed", item, item.duration_frames))
            elif item.item_type in TRIMMABLE_TYPES or kinds == ("programme",):
                index = kept.index(item)
                kept[index] = replace(
                    item,
                    duration_frames=item.duration_frames - needed,
                    eom_frames=item.eom_frames - needed,
                    flags=(*item.flags, "trimmed"),
                )
                changes.append(_change("trimmed", item, needed))
                needed = 0
    if needed:
        raise InsertDoesNotFit(
            "Nothing between the insert point and the next fixed-time item can give way; "
            "choose another time.",
            reason="nothing_gives_way",
        )
    return kept, changes


def _lay_out(items: list[PlaylistItem]) -> list[PlaylistItem]:
    position = 0
    laid = []
    for item in items:
        laid.append(item if item.start_frames == position else replace(item, start_frames=position))
        position += item.duration_frames
    return laid


def _moves(kept: list[PlaylistItem], laid: list[PlaylistItem], first: int) -> list[Change]:
    """Kept items still carry their old start; ``laid[first:]`` holds them re-timed."""
    return [
        Change(
            action="moved",
            title=old.title,
            house_id=old.house_id,
            before_start_frames=old.start_frames,
            after_start_frames=new.start_frames,
            frames=new.start_frames - old.start_frames,
        )
        for old, new in zip(kept, laid[first:], strict=False)
        if new.start_frames != old.start_frames
    ]


def _as_item(insertion: Insertion) -> PlaylistItem:
    return PlaylistItem(
        start_frames=insertion.at_frames,
        duration_frames=insertion.duration_frames,
        som_frames=0,
        eom_frames=insertion.duration_frames,
        item_type=insertion.item_type,
        asset_id=insertion.asset_id,
        house_id=insertion.house_id,
        title=insertion.title,
        source=insertion.source,
        agency_id=insertion.agency_id,
        classification=insertion.classification,
        locked=True,
        flags=("rapid_response",),
    )


def _inserted_change(item: PlaylistItem) -> Change:
    return Change(
        action="inserted",
        title=item.title,
        house_id=item.house_id,
        before_start_frames=None,
        after_start_frames=item.start_frames,
        frames=item.duration_frames,
    )


def _change(action: Literal["removed", "trimmed"], item: PlaylistItem, frames: int) -> Change:
    return Change(
        action=action,
        title=item.title,
        house_id=item.house_id,
        before_start_frames=item.start_frames,
        after_start_frames=None,
        frames=frames,
    )
