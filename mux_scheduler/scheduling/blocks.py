"""Block windows on one broadcast day, and resizing a block from that day's timeline.

A resize changes the rule itself (every day it covers), through ``rules_service.update_rule``
as the REST API does, then rebuilds this day as a new draft version like any manual edit: a
published version stays as it was until the new draft is published; a locked day is refused.
Callers commit; on a refusal nothing has been written.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from typing import Any

from sqlmodel import Session, col, select

from mux_scheduler.auth.access import Principal
from mux_scheduler.channels.models import Channel
from mux_scheduler.core.errors import ValidationFailed
from mux_scheduler.core.settings import Settings
from mux_scheduler.core.timecode import BroadcastDay
from mux_scheduler.engine.rules import rules_for_day
from mux_scheduler.engine.windows import wall_spans
from mux_scheduler.scheduling import mapping, playlists, rules_service
from mux_scheduler.scheduling.models import Playlist, ScheduleRule
from mux_scheduler.scheduling.schemas import RuleUpdate


class ResizeRefused(ValidationFailed):
    """A proposed block window this day cannot take; ``reason`` says which check failed."""

    code = "block-resize-refused"

    def __init__(self, reason: str, detail: str, **params: Any) -> None:
        super().__init__(detail)
        self.reason = reason
        self.params = params


@dataclass(frozen=True)
class DayBlock:
    """A block in force on the day: its rule row, wall window and frame spans in the day.

    ``nested`` marks a block inside a date override, which is changed on the rules page.
    """

    rule: ScheduleRule
    name: str
    start: time
    end: time
    spans: tuple[tuple[int, int], ...]
    nested: bool = False

    @property
    def crosses_day_start(self) -> bool:
        return len(self.spans) > 1


def blocks_on_day(session: Session, *, channel: Channel, broadcast_date: date) -> list[DayBlock]:
    """The blocks the engine uses on this date (date overrides and RRULEs applied)."""
    rows = {
        str(row.id): row
        for row in session.exec(
            select(ScheduleRule).where(
                ScheduleRule.channel_id == channel.id, col(ScheduleRule.enabled).is_(True)
            )
        )
    }
    day = playlists.channel_day(session, channel, broadcast_date)
    in_force = rules_for_day([mapping.rule_to_engine(row) for row in rows.values()], broadcast_date)
    found = []
    for block in in_force.blocks:
        row_id, _, index = block.rule_id.partition(".")
        row = rows[row_id]
        name = row.name
        if index:
            name = row.spec["rules"][int(index)].get("name") or row.name
        spans = tuple(wall_spans(day, block.start, block.end))
        found.append(DayBlock(row, name, block.start, block.end, spans, nested=bool(index)))
    return sorted(found, key=lambda b: (b.spans[0][0] if b.spans else 0, b.name))


def day_window(day: BroadcastDay, start: time, end: time) -> tuple[int, int]:
    """[start, end) frames of a window that must lie inside this one broadcast day.

    An end at the day start is the end of the day. The engine would read an end before the
    start as running past the day start; from one day's timeline that is refused instead.
    """
    clock = {"start": start, "end": end, "day_start": day.day_start}
    if start == end:
        raise ResizeRefused("equal", "Start and end are equal: a block needs a window.", **clock)
    start_frames = day.offset_of_local_time(start)
    end_frames = day.offset_of_local_time(end) if end != day.day_start else day.frames
    if max(start_frames, end_frames) > day.frames:
        raise ResizeRefused(
            "outside_day", "The window does not lie inside this broadcast day.", **clock
        )
    if end_frames <= start_frames:
        if start < end:  # e.g. 04:00-06:00 around a 05:00 day start
            raise ResizeRefused(
                "crosses_day_start",
                f"{start}-{end} would cross the start of the broadcast day at {day.day_start}.",
                **clock,
            )
        raise ResizeRefused(
            "end_before_start", f"The end {end} comes before the start {start}.", **clock
        )
    return start_frames, end_frames


def resize_block(
    session: Session,
    *,
    channel: Channel,
    broadcast_date: date,
    rule_id: int,
    start: time,
    end: time,
    principal: Principal,
    settings: Settings,
) -> Playlist:
    """Give a block rule a new window, then build this day's new draft version."""
    principal.require(*rules_service.PLANNERS)
    assert channel.id is not None
    rule = rules_service.get_rule(session, channel=channel, rule_id=rule_id)
    block = _block_in_force(session, channel, broadcast_date, rule)
    current = playlists.latest(session, channel_id=channel.id, broadcast_date=broadcast_date)
    if current is not None and current.state == "locked":
        raise ResizeRefused("day_locked", f"{broadcast_date} is locked; it cannot be rebuilt.")
    if (start, end) == (block.start, block.end):
        raise ResizeRefused("unchanged", "The block already has this window.", start=start, end=end)
    day_window(playlists.channel_day(session, channel, broadcast_date), start, end)
    spec = {**rule.spec, "start": start.isoformat(), "end": end.isoformat()}
    update = RuleUpdate.model_validate({"spec": spec})
    rules_service.update_rule(
        session, rule=rule, data=update, principal=principal, settings=settings
    )
    return playlists.build(
        session, channel=channel, broadcast_date=broadcast_date, principal=principal
    )


def _block_in_force(
    session: Session, channel: Channel, broadcast_date: date, rule: ScheduleRule
) -> DayBlock:
    for block in blocks_on_day(session, channel=channel, broadcast_date=broadcast_date):
        if block.rule.id == rule.id and not block.nested:
            return block
    raise ResizeRefused(
        "not_on_day",
        f"Rule {rule.name!r} is not a block in force on {broadcast_date}.",
        name=rule.name,
    )
