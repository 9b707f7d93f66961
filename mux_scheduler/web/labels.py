"""Names of domain values as people read them (English message ids, translated when shown)."""

from __future__ import annotations

from mux_scheduler.web.i18n import N_

ITEM_TYPES = ("programme", "ilm", "filler", "station_id", "bumper", "promo", "live", "slate")
TYPE_LABELS = {
    "programme": N_("Programme"),
    "ilm": N_("Public service announcement (ILM)"),
    "filler": N_("Filler"),
    "station_id": N_("Station ID"),
    "bumper": N_("Bumper"),
    "promo": N_("Promo"),
    "live": N_("Live"),
    "slate": N_("Slate"),
}
CLASSIFICATION_LABELS = {
    "P": N_("Pre-school (P)"),
    "A": N_("Children (A)"),
    "R": N_("Teens (R)"),
    "D": N_("Adults (D)"),
    "SU": N_("All ages (SU)"),
}
STATE_LABELS = {
    "draft": N_("Draft"),
    "published": N_("Published"),
    "locked": N_("Locked"),
    "superseded": N_("Superseded"),
}
VIOLATION_TITLES = {
    "agency_back_to_back": N_("Same agency back to back"),
    "agency_share": N_("Agency share of airtime above its cap"),
    "asset_separation": N_("Same content repeats too soon"),
    "classification_recommended": N_("Outside the recommended hours for its rating"),
    "classification_window": N_("Outside the hours allowed for its rating"),
    "pending_rendition": N_("File not yet converted for this channel"),
    "not_contiguous": N_("Gap or overlap in the day"),
    "day_length": N_("The day is not exactly full"),
    "fixed_conflict": N_("Fixed events overlap"),
    "locked_conflict": N_("Manual edits overlap"),
    "not_approved": N_("Content not approved"),
    "unknown_asset": N_("Content not available on this channel"),
    "expired": N_("Content has expired"),
    "not_yet_valid": N_("Content not valid yet"),
    "zero_duration": N_("Content has no duration"),
    "gap_filled_with_slate": N_("Gap filled with a slate"),
    "overrun_trimmed": N_("Cut short to keep the schedule"),
    "late_start": N_("Starts late"),
    "sequence_stalled": N_("Series waits for its next episode"),
    "campaign_short": N_("Campaign target not met"),
}
FLAG_LABELS = {
    "trimmed": N_("Shortened"),
    "pending_rendition": N_("File not yet converted for this channel"),
    "slate": N_("Slate"),
    "resumed": N_("Resumed after an insert"),
    "rapid_response": N_("Rapid response insert"),
}
