"""Editing a stored rule with the rules form (``rule_forms``): the form filled from the rule,
and the answer turned into the ``RuleUpdate`` the API takes.

The form shows the common shape of each kind. What it has no field for (a live event's house
id, a break's own pool, several agencies, a special day's other rules, a length that is no
whole number of seconds or minutes) is kept from the stored rule, so saving a form unchanged
changes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import time
from fractions import Fraction
from typing import Any

from pydantic import ValidationError
from starlette.datastructures import FormData

from mux_scheduler.core.timecode import frames_to_seconds
from mux_scheduler.scheduling.models import ScheduleRule
from mux_scheduler.scheduling.schemas import RuleUpdate
from mux_scheduler.web.rule_forms import RRULE_PRESET, FormErrors, rule_from_form, schema_errors
from mux_scheduler.web.rule_text import preset_of, rrule_for


def rule_update_from_form(form: FormData, *, rule: ScheduleRule, rate: Fraction) -> RuleUpdate:
    """The edit form's answer as the API's ``RuleUpdate``, checked as strictly as a new rule.

    Only what the form shows is sent: a rule's switch (enabled) and, for kinds without them,
    its days or dates stay as they are."""
    create = rule_from_form(form, rate=rate, kind=rule.kind)
    fields = create.model_dump(mode="json", exclude_unset=True, exclude={"enabled"})
    fields["spec"] = keep_unshown(rule.spec, fields["spec"], rate=rate)
    try:
        return RuleUpdate.model_validate(fields)
    except ValidationError as exc:
        raise FormErrors(schema_errors(exc)) from exc


def _clock(value: str | None) -> str:
    """A stored wall time as the time input shows it (seconds only when there are any)."""
    if not value:
        return ""
    wall = time.fromisoformat(value)
    return wall.isoformat(timespec="seconds" if wall.second else "minutes")


def _whole(frames: int, rate: Fraction, unit: int = 1) -> str:
    value = frames_to_seconds(frames, rate) / unit
    return str(round(value))


def _pool_values(pool: Mapping[str, Any]) -> dict[str, Any]:
    agencies = pool.get("agency_ids") or []
    return {
        "kinds": list(pool.get("kinds", [])),
        "tags": ", ".join(pool.get("tags", [])),
        "agency_id": str(agencies[0]) if agencies else "",
    }


def _block_values(spec: Mapping[str, Any], rate: Fraction) -> dict[str, Any]:
    values = {
        "start": _clock(spec.get("start")),
        "end": _clock(spec.get("end")),
        "order": spec.get("order", "sequential"),
        **_pool_values(spec.get("pool", {})),
    }
    breaks = spec.get("breaks") or {}
    if breaks.get("every_minutes"):
        values["break_every"] = str(breaks["every_minutes"])
        values["break_seconds"] = _whole(breaks["break_frames"], rate)
    return values


def _first_block(spec: Mapping[str, Any]) -> int | None:
    for index, inner in enumerate(spec.get("rules", [])):
        if inner.get("spec", {}).get("kind") == "block":
            return index
    return None


def _spec_values(kind: str, spec: Mapping[str, Any], rate: Fraction) -> dict[str, Any]:
    if kind == "block":
        return _block_values(spec, rate)
    if kind == "filler_pool":
        return _pool_values(spec.get("pool", {}))
    if kind == "date_override":
        index = _first_block(spec)
        if index is None:
            return {"start": "", "end": ""}
        return _block_values(spec["rules"][index]["spec"], rate)
    values = {"at": _clock(spec.get("at")), "asset_id": str(spec.get("asset_id") or "")}
    if kind == "mandatory":
        return {**values, "tag": spec.get("tag") or ""}
    live = spec.get("live") or {}
    return {
        **values,
        "start_mode": spec.get("start_mode", "fixed"),
        "live_title": live.get("title", ""),
        "live_minutes": _whole(live["duration_frames"], rate, 60) if live else "",
    }


def form_values(rule: ScheduleRule, *, rate: Fraction) -> dict[str, Any]:
    """The form's fields filled from a stored rule, as ``posted_values`` would give them."""
    preset, days = preset_of(rule.rrule)
    if rule.rrule and rrule_for(preset, days) != rule.rrule.upper():
        preset = RRULE_PRESET
    return {
        "kind": rule.kind,
        "name": rule.name,
        "priority": str(rule.priority),
        "valid_from": rule.valid_from.isoformat() if rule.valid_from else "",
        "valid_until": rule.valid_until.isoformat() if rule.valid_until else "",
        "preset": preset,
        "days": days,
        "rrule": rule.rrule or "",
        "date": list(rule.dates),
        **_spec_values(rule.kind, rule.spec, rate),
    }


def _same_shown(old: int, new: int, rate: Fraction, unit: int = 1) -> bool:
    """The form showed ``old`` rounded and the user left it so: keep the exact frames."""
    return _whole(old, rate, unit) == _whole(new, rate, unit)


def _keep_pool(old: Mapping[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    kept = {k: old[k] for k in ("campaign_id", "asset_ids") if old.get(k)}
    agencies = old.get("agency_ids") or []
    if agencies and new.get("agency_ids") == agencies[:1]:
        kept["agency_ids"] = agencies  # the form shows only the first of several
    return {**new, **kept}


def _keep_block(old: Mapping[str, Any], new: dict[str, Any], rate: Fraction) -> dict[str, Any]:
    new = {**new, "pool": _keep_pool(old.get("pool", {}), new.get("pool", {}))}
    old_breaks, new_breaks = old.get("breaks") or {}, new.get("breaks")
    if old_breaks and new_breaks:
        merged = {**new_breaks, **{k: old_breaks[k] for k in ("pool", "order") if k in old_breaks}}
        if _same_shown(old_breaks["break_frames"], new_breaks["break_frames"], rate):
            merged["break_frames"] = old_breaks["break_frames"]
        new["breaks"] = merged
    return new


def _keep_live(old: Mapping[str, Any], new: dict[str, Any], rate: Fraction) -> dict[str, Any]:
    old_live, new_live = old.get("live") or {}, new.get("live")
    if not (old_live and new_live):
        return new
    kept = {k: old_live[k] for k in ("house_id", "agency_id", "classification") if k in old_live}
    merged = {**new_live, **kept}
    if _same_shown(old_live["duration_frames"], new_live["duration_frames"], rate, 60):
        merged["duration_frames"] = old_live["duration_frames"]
    return {**new, "live": merged}


def _keep_override(old: Mapping[str, Any], new: dict[str, Any], rate: Fraction) -> dict[str, Any]:
    """The form edits the special day's first block; its other rules stay."""
    rules = [dict(r) for r in old.get("rules", [])]
    index = _first_block(old)
    if not new["rules"]:  # both block times left empty: no block (any more)
        return {**new, "rules": [r for i, r in enumerate(rules) if i != index]}
    edited = new["rules"][0]
    if index is None:
        return {**new, "rules": [edited, *rules]}
    spec = _keep_block(rules[index]["spec"], edited["spec"], rate)
    rules[index] = {**rules[index], **edited, "spec": spec}
    return {**new, "rules": rules}


def keep_unshown(old: Mapping[str, Any], new: dict[str, Any], *, rate: Fraction) -> dict[str, Any]:
    """``new`` (from the form) with the parts of ``old`` the form has no field for."""
    kind = new.get("kind")
    if kind != old.get("kind"):
        return new
    if kind == "block":
        return _keep_block(old, new, rate)
    if kind == "filler_pool":
        return {**new, "pool": _keep_pool(old.get("pool", {}), new.get("pool", {}))}
    if kind == "fixed_event":
        return _keep_live(old, new, rate)
    if kind == "date_override":
        return _keep_override(old, new, rate)
    return new
