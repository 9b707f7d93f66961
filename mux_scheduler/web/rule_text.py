"""Schedule rules in plain words ("Every weekday at 07.00: Press briefing (live, 30 minutes)").

Also the RRULE presets the rules form offers, so people never type RFC 5545 themselves.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, time
from fractions import Fraction
from typing import Any

from mux_scheduler.core.timecode import frames_to_seconds
from mux_scheduler.web.i18n import N_, Formatter
from mux_scheduler.web.labels import TYPE_LABELS

WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
DAY_NAMES = {
    "MO": N_("Monday"),
    "TU": N_("Tuesday"),
    "WE": N_("Wednesday"),
    "TH": N_("Thursday"),
    "FR": N_("Friday"),
    "SA": N_("Saturday"),
    "SU": N_("Sunday"),
}
PRESETS = {
    "daily": (N_("Every day"), ()),
    "weekdays": (N_("Every weekday"), ("MO", "TU", "WE", "TH", "FR")),
    "weekends": (N_("Every weekend"), ("SA", "SU")),
    "custom": (N_("On chosen days"), ()),
}
ORDER_LABELS = {
    "sequential": N_("in order"),
    "shuffle": N_("shuffled"),
    "lru": N_("least recently aired first"),
}


def rrule_for(preset: str, days: list[str]) -> str | None:
    """The RRULE of a preset; ``None`` means every day (the engine's default)."""
    chosen = PRESETS.get(preset, PRESETS["daily"])[1] or tuple(d for d in WEEKDAYS if d in days)
    if preset == "daily" or not chosen:
        return None
    return "FREQ=WEEKLY;BYDAY=" + ",".join(chosen)


def preset_of(rrule: str | None) -> tuple[str, list[str]]:
    """The preset and weekdays of a stored RRULE (custom when it is no preset)."""
    days = _byday(rrule)
    for name, (_label, preset_days) in PRESETS.items():
        if preset_days and tuple(days) == preset_days:
            return name, days
    return ("daily", []) if not days else ("custom", days)


def _byday(rrule: str | None) -> list[str]:
    for part in (rrule or "").upper().split(";"):
        key, _, value = part.partition("=")
        if key == "BYDAY":
            return [d for d in WEEKDAYS if d in value.split(",")]
    return []


@dataclass(frozen=True)
class Describer:
    """Turns a rule into one sentence in the viewer's language."""

    gettext: Callable[[str], str]
    fmt: Formatter
    rate: Fraction
    asset_titles: Mapping[int, str]

    def when(self, rrule: str | None, dates: list[date]) -> str:
        _ = self.gettext
        if dates:
            return _("On %(dates)s") % {"dates": ", ".join(self.fmt.date(d) for d in dates)}
        preset, days = preset_of(rrule)
        if preset != "custom":
            return _(PRESETS[preset][0])
        names = ", ".join(_(DAY_NAMES[d]) for d in days)
        return _("Every %(days)s") % {"days": names}

    def minutes(self, frames: int) -> str:
        seconds = frames_to_seconds(frames, self.rate)
        if seconds % 60:
            return self.gettext("%(n)s seconds") % {"n": self.fmt.number(float(seconds))}
        return self.gettext("%(n)s minutes") % {"n": self.fmt.number(float(seconds / 60))}

    def clock(self, value: str) -> str:
        return self.fmt.time(time.fromisoformat(value))

    def content(self, spec: Mapping[str, Any]) -> str:
        if spec.get("live"):
            live = spec["live"]
            return self.gettext("%(title)s (live broadcast, %(length)s)") % {
                "title": live["title"],
                "length": self.minutes(live["duration_frames"]),
            }
        asset_id = spec.get("asset_id")
        return self.asset_titles.get(asset_id or 0, f"#{asset_id}")

    def pool(self, pool: Mapping[str, Any]) -> str:
        _ = self.gettext
        parts = [_(TYPE_LABELS.get(k, k)) for k in pool.get("kinds", [])]
        parts += [_("tag “%(tag)s”") % {"tag": t} for t in pool.get("tags", [])]
        parts += [self.asset_titles.get(a, f"#{a}") for a in pool.get("asset_ids", [])]
        return ", ".join(parts) or _("any content")

    def block(self, spec: Mapping[str, Any]) -> str:
        _ = self.gettext
        text = _("%(start)s–%(end)s: %(pool)s, %(order)s") % {  # noqa: RUF001
            "start": self.clock(spec["start"]),
            "end": self.clock(spec["end"]),
            "pool": self.pool(spec.get("pool", {})),
            "order": _(ORDER_LABELS.get(spec.get("order", "sequential"), "")),
        }
        breaks = spec.get("breaks")
        if breaks and breaks.get("every_minutes"):
            text += _("; a %(length)s ILM break every %(every)s minutes") % {
                "length": self.minutes(breaks["break_frames"]),
                "every": breaks["every_minutes"],
            }
        return text

    def describe(
        self, kind: str, spec: Mapping[str, Any], rrule: str | None, dates: list[date]
    ) -> str:
        _ = self.gettext
        when = self.when(rrule, dates)
        if kind in ("fixed_event", "mandatory"):
            return _("%(when)s at %(time)s: %(what)s") % {
                "when": when,
                "time": self.clock(spec["at"]),
                "what": self.content(spec),
            }
        if kind == "block":
            return f"{when} {self.block(spec)}"
        if kind == "filler_pool":
            return _("Gaps are filled with: %(pool)s") % {"pool": self.pool(spec.get("pool", {}))}
        if kind == "date_override":
            inner = [
                self.block(r["spec"]) if r["spec"]["kind"] == "block" else r.get("name", "")
                for r in spec.get("rules", [])
            ]
            return _("%(when)s, instead of the usual rules: %(rules)s") % {
                "when": when,
                "rules": "; ".join(inner) or _("nothing"),
            }
        return kind
