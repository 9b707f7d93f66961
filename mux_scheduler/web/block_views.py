"""Block windows drawn on the channel-day timeline, and a refused resize in plain words.

The bands come from ``scheduling.blocks.blocks_on_day`` (the rules the engine uses that day);
positions are percent of the day and minutes from the day start, for timeline.js and
blocks.js. Nothing here decides whether a window is valid: the service does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from fractions import Fraction

from sqlmodel import Session

from mux_scheduler.channels.models import Channel
from mux_scheduler.core.errors import AppError
from mux_scheduler.core.timecode import BroadcastDay, frames_to_seconds
from mux_scheduler.scheduling.blocks import DayBlock, ResizeRefused, blocks_on_day
from mux_scheduler.web.i18n import N_, Formatter, translations
from mux_scheduler.web.report_words import Sentence
from mux_scheduler.web.rule_text import Describer

REFUSALS = {
    "equal": N_("Start and end are both %(start)s: a block needs a window."),
    "end_before_start": N_("The end %(end)s comes before the start %(start)s."),
    "crosses_day_start": N_(
        "%(start)s–%(end)s would cross the start of the broadcast day at %(day_start)s. "  # noqa: RUF001
        "A window changed here must lie inside one broadcast day; change this one on the "
        "rules page."
    ),
    "outside_day": N_("%(start)s–%(end)s does not lie inside this broadcast day."),  # noqa: RUF001
    "unchanged": N_("The block already runs %(start)s–%(end)s; nothing was changed."),  # noqa: RUF001
    "day_locked": N_(
        "This day is locked, so it cannot be rebuilt; the block was not changed. "
        "Change the rule on the rules page."
    ),
    "not_on_day": N_("“%(name)s” is not a block rule in force on this day."),
    "unreadable": N_("Enter the start and the end as times, for example 19:00."),
    "not_confirmed": N_(
        "Tick the confirmation: the new window applies to every day the rule covers."
    ),
}
VALIDITY = N_("%(when)s, %(from)s to %(until)s")


@dataclass(frozen=True)
class BandPiece:
    left_percent: float
    width_percent: float


@dataclass(frozen=True)
class BlockBand:
    """One block rule's window on the day. ``editable``: the form may change it (a rule of
    its own, not a block inside a date override); ``handles``: it can also be dragged (it
    lies inside the day, so one band with a start and an end)."""

    rule_id: int
    name: str
    start: time
    end: time
    pieces: tuple[BandPiece, ...]
    row: int
    start_minutes: int
    end_minutes: int
    editable: bool
    handles: bool
    nested: bool
    rrule: str | None
    dates: tuple[date, ...]
    valid_from: date | None
    valid_until: date | None
    rate: Fraction
    day_minutes: int

    @property
    def start_value(self) -> str:
        """The window as ``<input type="time">`` values (HH:MM, seconds only when set)."""
        return _input_value(self.start)

    @property
    def end_value(self) -> str:
        return _input_value(self.end)

    def coverage(self, locale: str) -> str:
        """The days the rule covers, e.g. "Every weekday" or "On 9 Feb 2027"."""
        describe = Describer(translations(locale).gettext, Formatter(locale), self.rate, {})
        when = describe.when(self.rrule, list(self.dates))
        if self.valid_from is None and self.valid_until is None:
            return when
        fmt = describe.fmt
        return translations(locale).gettext(VALIDITY) % {
            "when": when,
            "from": fmt.date(self.valid_from) if self.valid_from else "…",
            "until": fmt.date(self.valid_until) if self.valid_until else "…",
        }


def _input_value(wall: time) -> str:
    return wall.isoformat(timespec="seconds" if wall.second else "minutes")


def _minutes(frames: int, day: BroadcastDay) -> int:
    return round(frames_to_seconds(frames, day.rate) / 60)


def _rows(blocks: list[DayBlock]) -> list[int]:
    """A row per band so that overlapping windows are drawn one above the other."""
    taken: list[list[tuple[int, int]]] = []
    rows = []
    for block in blocks:
        for index, spans in enumerate(taken):
            if all(e <= s2 or e2 <= s for s, e in block.spans for s2, e2 in spans):
                spans.extend(block.spans)
                rows.append(index)
                break
        else:
            taken.append(list(block.spans))
            rows.append(len(taken) - 1)
    return rows


def block_bands(
    session: Session, channel: Channel, broadcast_date: date, day: BroadcastDay, *, can_edit: bool
) -> list[BlockBand]:
    blocks = [
        b for b in blocks_on_day(session, channel=channel, broadcast_date=broadcast_date) if b.spans
    ]
    total = day.frames or 1
    bands = []
    for block, row in zip(blocks, _rows(blocks), strict=True):
        rule = block.rule
        assert rule.id is not None
        first = block.spans[0]  # the handles' span: a band with handles has only one
        editable = can_edit and not block.nested
        bands.append(
            BlockBand(
                rule_id=rule.id,
                name=block.name,
                start=block.start,
                end=block.end,
                pieces=tuple(
                    BandPiece(100 * s / total, 100 * (e - s) / total) for s, e in block.spans
                ),
                row=row,
                start_minutes=_minutes(first[0], day),
                end_minutes=_minutes(first[1], day),
                editable=editable,
                handles=editable and not block.crosses_day_start,
                nested=block.nested,
                rrule=rule.rrule,
                dates=tuple(date.fromisoformat(d) for d in rule.dates),
                valid_from=rule.valid_from,
                valid_until=rule.valid_until,
                rate=day.rate,
                day_minutes=_minutes(day.frames, day),
            )
        )
    return bands


@dataclass(frozen=True)
class ResizeOutcome:
    """What a resize post did, for the page it answers with: the rule, and either why it was
    refused (with the times sent, shown again in that block's form) or that it was done."""

    rule_id: int
    refusal: Sentence | None = None
    start: str = ""
    end: str = ""

    def start_for(self, band: BlockBand) -> str:
        return self.start if self.refusal and band.rule_id == self.rule_id else band.start_value

    def end_for(self, band: BlockBand) -> str:
        return self.end if self.refusal and band.rule_id == self.rule_id else band.end_value


def refusal_text(error: AppError, locale: str) -> Sentence:
    """Why a resize was refused, in the viewer's language (the service's English otherwise)."""
    if not isinstance(error, ResizeRefused) or error.reason not in REFUSALS:
        return Sentence(error.detail, "en")
    fmt = Formatter(locale)
    values = {
        key: fmt.time(value) if isinstance(value, time) else str(value)
        for key, value in error.params.items()
    }
    return Sentence(translations(locale).gettext(REFUSALS[error.reason]) % values, locale)
