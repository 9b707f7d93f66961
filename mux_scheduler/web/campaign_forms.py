"""The campaign form -> ``CampaignCreate`` (new) or ``CampaignUpdate`` (edit), and back.

One form serves both: an edit is checked as strictly as a new campaign (a whole date range,
at least one asset and channel) and then sent as the API's ``CampaignUpdate``.
"""

from __future__ import annotations

from datetime import time
from typing import Any

from pydantic import ValidationError
from starlette.datastructures import FormData

from mux_scheduler.scheduling.schemas import CampaignCreate, CampaignPublic, CampaignUpdate
from mux_scheduler.web.i18n import N_
from mux_scheduler.web.rule_forms import FormErrors

LIST_FIELDS = ("asset_ids", "channel_ids", "window_start", "window_end")


def _windows(form: FormData) -> list[dict[str, str]]:
    """Each (from, until) pair of time inputs that is not left empty."""
    starts = [str(v).strip() for v in form.getlist("window_start")]
    ends = [str(v).strip() for v in form.getlist("window_end")]
    return [{"start": s, "end": e} for s, e in zip(starts, ends, strict=False) if s or e]


def posted_values(form: FormData) -> dict[str, Any]:
    """What the user sent, to show again next to the errors."""
    text = {k: str(form.get(k) or "").strip() for k in form if k not in LIST_FIELDS}
    return {
        **text,
        "asset_ids": [str(v) for v in form.getlist("asset_ids")],
        "channel_ids": [str(v) for v in form.getlist("channel_ids")],
        "windows": _windows(form),
    }


def _errors(exc: ValidationError) -> dict[str, str]:
    errors: dict[str, str] = {}
    for error in exc.errors():
        field = str(error["loc"][0]) if error["loc"] else "form"
        errors.setdefault(field, str(error["msg"]).removeprefix("Value error, "))
    return errors


def campaign_from_form(form: FormData) -> CampaignCreate:
    """Build the service's ``CampaignCreate``; raises ``FormErrors`` keyed by form field."""
    values = posted_values(form)
    windows = values["windows"]
    if any(not (w["start"] and w["end"]) for w in windows):
        raise FormErrors({"windows": N_("Give both ends of each time window.")})
    data = {
        "name": values.get("name", ""),
        "description": values.get("description", ""),
        "asset_ids": values["asset_ids"],
        "channel_ids": values["channel_ids"],
        "valid_from": values.get("valid_from") or None,
        "valid_until": values.get("valid_until") or None,
        "target_per_day": values.get("target_per_day") or None,
        "priority": values.get("priority") or 0,
        "windows": windows,
    }
    try:
        return CampaignCreate.model_validate(data)
    except ValidationError as exc:
        raise FormErrors(_errors(exc)) from exc


def campaign_update_from_form(form: FormData) -> CampaignUpdate:
    """Every field of the form as the API's ``CampaignUpdate`` (the form shows them all)."""
    create = campaign_from_form(form)
    return CampaignUpdate.model_validate(create.model_dump())


def _clock(value: time) -> str:
    return value.isoformat(timespec="seconds" if value.second else "minutes")


def form_values(campaign: CampaignPublic) -> dict[str, Any]:
    """The form's fields filled from a stored campaign, as ``posted_values`` would give them."""
    return {
        "name": campaign.name,
        "description": campaign.description,
        "valid_from": campaign.valid_from.isoformat(),
        "valid_until": campaign.valid_until.isoformat(),
        "target_per_day": str(campaign.target_per_day),
        "priority": str(campaign.priority),
        "asset_ids": [str(a) for a in campaign.asset_ids],
        "channel_ids": [str(c) for c in campaign.channel_ids],
        "windows": [{"start": _clock(w.start), "end": _clock(w.end)} for w in campaign.windows],
    }
