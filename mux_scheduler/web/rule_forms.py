"""The rules form: plain fields (times, minutes, day checkboxes) -> ``RuleCreate``.

Field errors, whether from parsing or from the scheduling schemas, come back keyed by form
field so the page can show each next to its input. The same form edits a stored rule
(``rule_edits``).
"""

from __future__ import annotations

from datetime import date, time
from fractions import Fraction
from typing import Any

from pydantic import ValidationError
from starlette.datastructures import FormData

from mux_scheduler.core.timecode import seconds_to_frames
from mux_scheduler.scheduling.schemas import RuleCreate
from mux_scheduler.web.i18n import N_
from mux_scheduler.web.rule_text import rrule_for

RULE_KINDS = ("fixed_event", "block", "filler_pool", "mandatory", "date_override")
# schema field name (last part of a pydantic error location) -> form field
SCHEMA_FIELDS = {
    "name": "name",
    "at": "at",
    "start": "start",
    "end": "end",
    "title": "live_title",
    "duration_frames": "live_minutes",
    "break_frames": "break_seconds",
    "every_minutes": "break_every",
    "asset_id": "asset_id",
    "rrule": "days",
    "dates": "date",
    "priority": "priority",
    "valid_from": "valid_from",
    "valid_until": "valid_until",
    "start_mode": "start_mode",
}
# fields the form posts more than once (checkboxes; a special day's dates)
LIST_FIELDS = ("days", "kinds", "date")
RRULE_PRESET = "rrule"  # "another repetition": the RRULE typed as it is


class FormErrors(Exception):
    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(errors)
        self.errors = errors


def _text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


def _list(form: FormData, name: str) -> list[str]:
    return [v for v in form.getlist(name) if isinstance(v, str) and v]


class _Reader:
    """Reads typed values from the form, collecting an error per bad field."""

    def __init__(self, form: FormData) -> None:
        self.form = form
        self.errors: dict[str, str] = {}

    def time(self, name: str) -> str | None:
        raw = _text(self.form, name)
        try:
            return time.fromisoformat(raw).isoformat(timespec="seconds")
        except ValueError:
            self.errors[name] = N_("Enter a time as HH:MM.")
            return None

    def number(self, name: str, *, required: bool = True) -> int | None:
        raw = _text(self.form, name)
        if not raw and not required:
            return None
        if not raw.isdigit():
            self.errors[name] = N_("Enter a whole number.")
            return None
        return int(raw)

    def day(self, name: str, *, required: bool = True) -> date | None:
        raw = _text(self.form, name)
        if not raw and not required:
            return None
        try:
            return date.fromisoformat(raw)
        except ValueError:
            self.errors[name] = N_("Enter a date.")
            return None

    def days(self, name: str) -> list[date]:
        chosen = []
        for raw in _list(self.form, name) or [""]:
            try:
                chosen.append(date.fromisoformat(raw.strip()))
            except ValueError:
                self.errors[name] = N_("Enter a date.")
        return chosen


def _pool(form: FormData) -> dict[str, Any]:
    tags = [t.strip() for t in _text(form, "tags").split(",") if t.strip()]
    agency = _text(form, "agency_id")
    return {
        "kinds": _list(form, "kinds"),
        "tags": tags,
        "agency_ids": [int(agency)] if agency.isdigit() else [],
    }


def _block(read: _Reader, rate: Fraction) -> dict[str, Any]:
    spec: dict[str, Any] = {
        "kind": "block",
        "start": read.time("start"),
        "end": read.time("end"),
        "pool": _pool(read.form),
        "order": _text(read.form, "order") or "sequential",
    }
    every = read.number("break_every", required=False)
    if every:
        seconds = read.number("break_seconds") or 0
        spec["breaks"] = {
            "every_minutes": every,
            "break_frames": seconds_to_frames(seconds, rate),
        }
    return spec


def _spec(kind: str, read: _Reader, rate: Fraction) -> dict[str, Any]:
    form = read.form
    if kind == "fixed_event":
        spec: dict[str, Any] = {"kind": kind, "at": read.time("at")}
        spec["start_mode"] = _text(form, "start_mode") or "fixed"
        if _text(form, "asset_id"):
            spec["asset_id"] = read.number("asset_id")
        else:
            minutes = read.number("live_minutes")
            spec["live"] = {
                "title": _text(form, "live_title"),
                "duration_frames": seconds_to_frames(60 * (minutes or 0), rate),
            }
        return spec
    if kind == "block":
        return _block(read, rate)
    if kind == "filler_pool":
        return {"kind": kind, "pool": _pool(form)}
    if kind == "mandatory":
        return _mandatory(read)
    if not (_text(form, "start") or _text(form, "end")):
        return {"kind": "date_override", "rules": []}  # a special day without a block
    inner = {"name": _text(form, "name"), "spec": _block(read, rate)}
    return {"kind": "date_override", "rules": [inner]}


def _mandatory(read: _Reader) -> dict[str, Any]:
    """An asset, or (rules made by the API or the channel's seed) the newest one with a tag."""
    spec: dict[str, Any] = {"kind": "mandatory", "at": read.time("at")}
    tag = _text(read.form, "tag")
    if tag and not _text(read.form, "asset_id"):
        spec["tag"] = tag
    else:
        spec["asset_id"] = read.number("asset_id")
    return spec


def _priority(read: _Reader) -> int:
    raw = _text(read.form, "priority")
    try:
        return int(raw) if raw else 0
    except ValueError:
        read.errors["priority"] = N_("Enter a whole number.")
        return 0


def _rrule(form: FormData) -> str | None:
    preset = _text(form, "preset")
    if preset == RRULE_PRESET:
        return _text(form, "rrule").upper() or None
    return rrule_for(preset, _list(form, "days"))


def rule_from_form(form: FormData, *, rate: Fraction, kind: str | None = None) -> RuleCreate:
    """Build the service's ``RuleCreate``; raises ``FormErrors`` keyed by form field.

    ``kind`` is the stored rule's when editing (an edit never changes what a rule is)."""
    kind = kind or _text(form, "kind")
    if kind not in RULE_KINDS:
        raise FormErrors({"kind": N_("Choose a kind of rule.")})
    read = _Reader(form)
    spec = _spec(kind, read, rate)
    data: dict[str, Any] = {"name": _text(form, "name"), "priority": _priority(read), "spec": spec}
    if kind == "date_override":
        data["dates"] = read.days("date")
        data["priority"] = max(data["priority"], 500)
    else:
        data["valid_from"] = read.day("valid_from", required=False)
        data["valid_until"] = read.day("valid_until", required=False)
    if kind in ("fixed_event", "block"):
        data["rrule"] = _rrule(form)
    if read.errors:
        raise FormErrors(read.errors)
    try:
        return RuleCreate.model_validate(data)
    except ValidationError as exc:
        raise FormErrors(schema_errors(exc)) from exc


def schema_errors(exc: ValidationError) -> dict[str, str]:
    errors: dict[str, str] = {}
    for error in exc.errors():
        names = [str(p) for p in error["loc"] if str(p) in SCHEMA_FIELDS]
        field = SCHEMA_FIELDS[names[-1]] if names else "form"
        errors.setdefault(field, str(error["msg"]).removeprefix("Value error, "))
    return errors


def posted_values(form: FormData) -> dict[str, Any]:
    """What the user sent, to show again next to the errors."""
    values: dict[str, Any] = {k: form.get(k) for k in form if k not in LIST_FIELDS}
    return {**values, **{k: form.getlist(k) for k in LIST_FIELDS}}
