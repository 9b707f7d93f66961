"""Ids of the seeded installation, per role: its own objects, another operator's, and (for
agency editors) another agency's on the same mux; and how path parameters name them."""

from __future__ import annotations

from typing import Any

from tests.security.seed import (
    DAY,
    EDITORS,
    HOME_CHANNEL,
    NEIGHBOUR,
    SULSEL,
    UNLEASED_CHANNEL,
    Installation,
)

Ids = dict[str, Any]

# ``/{resource}/{row_id}`` of the generic reference-data routers.
ROW_RESOURCES = {
    "agencies": "agency",
    "channels": "channel",
    "leases": "lease",
    "multiplexes": "mux",
    "operators": "operator",
    "profiles": "profile",
}
PATH_KEYS = {
    "user_id": "user",
    "asset_id": "asset",
    "profile_id": "profile",
    "alert_id": "alert",
    "campaign_id": "campaign",
    "channel_id": "channel",
    "rule_id": "rule",
    "item_id": "item",
    "insert_id": "insert",
    "job_id": "job",
    "token_id": "token",
    "multiplex_id": "mux",
    "upload_id": "upload",
}


def _agency_ids(found: Installation, short: str) -> Ids:
    objects = found.agencies[short]
    return {
        "agency": objects.agency,
        "user": objects.user,
        "lease": objects.lease,
        "asset": objects.assets[0],
        "job": objects.job,
        "upload": objects.upload,
        "token": objects.token,
    }


def _channel_ids(found: Installation, slug: str) -> Ids:
    objects = found.channels[slug]
    return {
        "channel": objects.channel,
        "profile": objects.profile,
        "rule": objects.rule,
        "campaign": objects.campaign,
        "item": objects.item,
        "alert": objects.alert,
    }


def _common() -> Ids:
    return {"broadcast_date": DAY.isoformat(), "format_key": "bxf", "key": "bxf", "insert": 1}


def own_ids(found: Installation, role: str) -> Ids:
    short = EDITORS.get(role, "KOMDIGI")
    ids = {
        **_common(),
        **_agency_ids(found, short),
        **_channel_ids(found, HOME_CHANNEL[short]),
        "mux": found.tvri_mux,
        "operator": found.tvri_operator,
    }
    if role in found.staff_tokens:
        ids["token"] = found.staff_tokens[role]
    if role in ("admin", "programmer"):
        ids["user"] = found.agencies["PEMPROV DKI"].user  # never deactivate the caller
    return ids


def foreign_ids(found: Installation) -> Ids:
    """Everything on the other operator's mux, leased by an agency nobody else belongs to."""
    return {
        **_common(),
        **_agency_ids(found, SULSEL),
        **_channel_ids(found, "kanal-sulsel"),
        "mux": found.other_mux,
        "operator": found.world.other_operator_id,
    }


def neighbour_ids(found: Installation, role: str) -> Ids:
    """Another agency on the editor's own mux, and a channel their agency does not lease."""
    short = EDITORS[role]
    return {
        **foreign_ids(found),
        **_agency_ids(found, NEIGHBOUR[short]),
        **_channel_ids(found, UNLEASED_CHANNEL[short]),
    }
