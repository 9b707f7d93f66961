"""The facts of one violation formatted for a locale: times on the channel's clock, lengths
in words, and the names of agencies, rules and campaigns the viewer may see.

``violation_text`` builds its sentences from these; a fact the stored report lacks raises
``KeyError`` so the caller can fall back to the engine's English message.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import time
from fractions import Fraction
from typing import Any, Protocol

from babel.dates import format_time
from babel.numbers import format_percent

from mux_scheduler.core.timecode import BroadcastDay, frames_to_seconds
from mux_scheduler.web.i18n import N_, Formatter, translations

SECONDS_PATTERNS = {"id": "HH.mm.ss", "en": "HH:mm:ss"}
LOCKED_PREFIX = "locked@"  # how the engine labels a manual edit (``locked@<start frame>``)


def length_text(frames: int, rate: Fraction, locale: str) -> str:
    """A duration as people say it: "1 jam 5 menit", "40 detik", "3 frame" (whole seconds)."""
    ngettext = translations(locale).ngettext
    frames = max(0, frames)
    total = int(frames_to_seconds(frames, rate))
    if frames and not total:
        return ngettext("%(count)s frame", "%(count)s frames", frames) % {"count": frames}
    hours, rest = divmod(total, 3600)
    minutes, seconds = divmod(rest, 60)
    parts = []
    if hours:
        parts.append(ngettext("%(count)s hour", "%(count)s hours", hours) % {"count": hours})
    if minutes:
        parts.append(
            ngettext("%(count)s minute", "%(count)s minutes", minutes) % {"count": minutes}
        )
    if seconds or not parts:
        parts.append(
            ngettext("%(count)s second", "%(count)s seconds", seconds) % {"count": seconds}
        )
    return " ".join(parts)


@dataclass(frozen=True)
class Sentence:
    text: str
    lang: str
    """The language ``text`` is in: the viewer's, or ``en`` when the engine's message is shown."""


class PlacedItem(Protocol):
    @property
    def title(self) -> str: ...

    @property
    def start_frames(self) -> int: ...


@dataclass(frozen=True)
class Names:
    """Display names the viewer may see, by the ids the engine reports."""

    agencies: Mapping[int, str] = field(default_factory=dict)
    rules: Mapping[str, str] = field(default_factory=dict)
    campaigns: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ReportContext:
    """What a report is read against: its channel-day, and the playlist when at hand."""

    day: BroadcastDay
    items: Sequence[PlacedItem] = ()
    names: Names = field(default_factory=Names)


class Facts:
    """One violation's parameters, formatted for ``locale``; a missing one raises KeyError."""

    def __init__(self, violation: Mapping[str, Any], context: ReportContext, locale: str) -> None:
        self.params: Mapping[str, Any] = violation.get("params") or {}
        self.item_index = violation.get("item_index")
        self.context = context
        self.locale = locale
        self.fmt = Formatter(locale)
        self._translations = translations(locale)

    def t(self, message: str, **values: object) -> str:
        return self._translations.gettext(message) % values

    def __getitem__(self, name: str) -> Any:
        return self.params[name]

    def _item(self) -> PlacedItem:
        if self.item_index is None:
            raise KeyError("item_index")
        return self.context.items[int(self.item_index)]

    def title(self) -> str:
        """The item's title: from the report, else from the playlist it was made for."""
        title = self.params.get("title") or self._item().title
        return str(title)

    def start(self) -> int:
        start = self.params.get("start_frames")
        return int(start) if start is not None else self._item().start_frames

    def at(self, frames: int | None = None, *, seconds: bool = False) -> str:
        """A frame offset as the channel's wall-clock time: "22.15 WIB" (or 22:15 in English)."""
        day = self.context.day
        local = day.local_at(self.start() if frames is None else frames)
        clock = format_time(local, SECONDS_PATTERNS[self.locale], locale=self.locale)
        return f"{clock if seconds else self.fmt.time(local)} {day.zone_label}"

    def length(self, frames: int) -> str:
        return length_text(frames, self.context.day.rate, self.locale)

    def hours(self, windows: str) -> str:
        """``"22:00-03:00,05:00-06:00"`` as "22.00-03.00 atau 05.00-06.00 WIB" (with en dashes)."""
        spans = []
        for window in windows.split(","):
            start, end = window.split("-")
            spans.append(
                f"{self.fmt.time(time.fromisoformat(start))}–{self.fmt.time(time.fromisoformat(end))}"  # noqa: RUF001
            )
        text = spans[-1]
        if len(spans) > 1:
            text = self.t(N_("%(earlier)s or %(last)s"), earlier=", ".join(spans[:-1]), last=text)
        return f"{text} {self.context.day.zone_label}"

    def percent(self, frames: int) -> str:
        """A share of the day: "40%", or "1,4%" where whole percents would hide a breach."""
        share = frames / self.context.day.frames
        return format_percent(share, "#,##0.#%", locale=self.locale)

    def agency(self) -> str:
        agency_id = int(self["agency_id"])
        name = self.context.names.agencies.get(agency_id)
        return name or self.t(N_("agency #%(id)s"), id=agency_id)

    def rule(self, label: str) -> str:
        """A rule id as the engine reports it ("12", "12.0" inside a date override, or a
        manual edit's ``locked@<frame>``) in words."""
        if label.startswith(LOCKED_PREFIX):
            at = self.at(int(label.removeprefix(LOCKED_PREFIX)))
            return self.t(N_("the manual edit at %(at)s"), at=at)
        name = self.context.names.rules.get(label.split(".")[0])
        if name:
            return self.t(N_("rule “%(name)s”"), name=name)
        return self.t(N_("rule #%(id)s"), id=label)

    def campaign(self) -> str:
        campaign_id = str(self["campaign_id"])
        name = self.context.names.campaigns.get(campaign_id)
        if name:
            return self.t(N_("campaign “%(name)s”"), name=name)
        return self.t(N_("campaign #%(id)s"), id=campaign_id)
