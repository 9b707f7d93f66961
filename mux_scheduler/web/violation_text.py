"""Schedule violations and build notes as sentences in the viewer's language.

The engine words its report in English for the REST API; the UI words it again here from the
violation's ``code`` and structured ``params``, with times on the channel's clock (WIB, WITA,
WIT) and lengths in hours, minutes and seconds instead of frames. A code without a wording, or
a report stored before a parameter existed, falls back to the engine's English ``message``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from mux_scheduler.web.i18n import N_
from mux_scheduler.web.report_words import Facts, ReportContext, Sentence


def describe(violation: Mapping[str, Any], context: ReportContext, locale: str) -> Sentence:
    """One violation (as stored in a playlist report) in ``locale``; never raises."""
    message = str(violation.get("message") or violation.get("code") or "")
    wording = WORDINGS.get(str(violation.get("code")))
    if wording is None:
        return Sentence(message, "en")
    try:
        return Sentence(wording(Facts(violation, context, locale)), locale)
    except (KeyError, TypeError, ValueError, IndexError, AttributeError, OverflowError):
        return Sentence(message, "en")  # a report from before a parameter existed, or odd data


Wording = Callable[[Facts], str]


def _rated(f: Facts, *, nowhere: str, during: str) -> str:
    """A rating-window sentence: ``nowhere`` when the rating has no hours, else ``during``."""
    facts = {"title": f.title(), "at": f.at(), "rating": f["classification"]}
    if not f["hours"]:
        return f.t(nowhere, **facts)
    return f.t(during, **facts, hours=f.hours(f["hours"]))


def _rating_window(f: Facts) -> str:
    return _rated(
        f,
        nowhere=N_("“%(title)s” at %(at)s is rated %(rating)s, which may not air on this channel."),
        during=N_(
            "“%(title)s” at %(at)s is rated %(rating)s: content rated %(rating)s may only air "
            "during %(hours)s."
        ),
    )


def _rating_recommended(f: Facts) -> str:
    return _rated(
        f,
        nowhere=N_(
            "“%(title)s” at %(at)s is rated %(rating)s, which is not recommended at any time."
        ),
        during=N_(
            "“%(title)s” at %(at)s is rated %(rating)s: content rated %(rating)s is recommended "
            "during %(hours)s."
        ),
    )


def _separation(f: Facts) -> str:
    return f.t(
        N_(
            "“%(title)s” repeats at %(at)s, only %(gap)s after its previous airing "
            "(at least %(minimum)s apart)."
        ),
        title=f.title(),
        at=f.at(),
        gap=f.length(int(f["gap_frames"])),
        minimum=f.length(int(f["separation_frames"])),
    )


def _back_to_back(f: Facts) -> str:
    return f.t(
        N_("Same agency back to back at %(at)s: “%(title)s” follows another item of %(agency)s."),
        at=f.at(),
        title=f.title(),
        agency=f.agency(),
    )


def _share(f: Facts) -> str:
    return f.t(
        N_("Airtime above the cap: %(agency)s has %(percent)s of the day (cap %(cap)s)."),
        agency=f.agency(),
        percent=f.percent(int(f["frames"])),
        cap=f.percent(int(f["cap_frames"])),
    )


def _pending(f: Facts) -> str:
    return f.t(
        N_(
            "“%(title)s” at %(at)s has no file converted for this channel yet; the day cannot "
            "be published until it has."
        ),
        title=f.title(),
        at=f.at(),
    )


CANNOT_AIR = {
    "not_approved": N_("the content is not approved"),
    "expired": N_("the content's validity has ended"),
    "not_yet_valid": N_("the content is not valid yet on this date"),
    "zero_duration": N_("the content has no duration"),
    "unknown_asset": N_("the content is not in this channel's library"),
}


def _cannot_air(code: str) -> Wording:
    """An unusable asset: on an item of the day, or named by a rule (its slot filled otherwise)."""

    def wording(f: Facts) -> str:
        reason = f.t(CANNOT_AIR[code])
        if "rule_id" not in f.params:
            return f.t(
                N_("“%(title)s” at %(at)s cannot air: %(reason)s."),
                title=f.title(),
                at=f.at(),
                reason=reason,
            )
        rule = f.rule(str(f["rule_id"]))
        if not int(f["asset_id"]):
            return f.t(
                N_(
                    "Not aired at %(at)s: %(rule)s names no content yet (no approved content "
                    "carries its tag); its slot is filled with other content."
                ),
                at=f.at(),
                rule=rule,
            )
        title = f.params.get("title")
        content = (
            f.t(N_("“%(title)s”"), title=title)
            if title
            else f.t(N_("content #%(id)s"), id=f["asset_id"])
        )
        return f.t(
            N_(
                "Not aired at %(at)s: %(content)s for %(rule)s, because %(reason)s; its slot "
                "is filled with other content."
            ),
            at=f.at(),
            content=content,
            rule=rule,
            reason=reason,
        )

    return wording


DROP_REASONS = {
    "outside_day": N_("it lies outside the broadcast day or has no duration"),
    "past_day_end": N_("it would run past the end of the broadcast day"),
    "starts_inside": N_("it would start in the middle of %(other)s"),
    "runs_into": N_("it would run into %(other)s"),
}


def _drop_reason(f: Facts) -> str:
    other = str(f.params.get("other_rule_id") or "")
    return f.t(DROP_REASONS[f["reason"]], other=f.rule(other) if other else "")


def _fixed_conflict(f: Facts) -> str:
    rule = f.rule(str(f["rule_id"]))
    if f["reason"] == "no_room_to_follow":
        return f.t(
            N_(
                "Not placed: %(rule)s, planned at %(at)s, could not follow any item before "
                "the end of the broadcast day."
            ),
            rule=rule,
            at=f.at(),
        )
    return f.t(
        N_("Not placed: %(rule)s at %(at)s, because %(reason)s."),
        rule=rule,
        at=f.at(),
        reason=_drop_reason(f),
    )


def _locked_conflict(f: Facts) -> str:
    if f.params.get("title"):
        return f.t(
            N_("Manual edit not placed: “%(title)s” at %(at)s, because %(reason)s."),
            title=f["title"],
            at=f.at(),
            reason=_drop_reason(f),
        )
    return f.t(
        N_("Manual edit not placed at %(at)s, because %(reason)s."),
        at=f.at(),
        reason=_drop_reason(f),
    )


def _not_contiguous(f: Facts) -> str:
    number = int(f.item_index if f.item_index is not None else -1) + 1
    if number < 1:
        raise KeyError("item_index")
    start, expected = int(f["start_frames"]), int(f["expected_frames"])
    if start == expected:
        return f.t(
            N_("Item %(number)s at %(at)s has no duration."),
            number=number,
            at=f.at(start, seconds=True),
        )
    return f.t(
        N_(
            "Item %(number)s starts at %(at)s but should start at %(expected)s: there is a gap "
            "or an overlap before it."
        ),
        number=number,
        at=f.at(start, seconds=True),
        expected=f.at(expected, seconds=True),
    )


def _day_length(f: Facts) -> str:
    filled, total = int(f["filled_frames"]), int(f["day_frames"])
    message = (
        N_("The day holds %(filled)s, %(difference)s less than the %(total)s it must hold.")
        if filled < total
        else N_("The day holds %(filled)s, %(difference)s more than the %(total)s it must hold.")
    )
    return f.t(
        message,
        filled=f.length(filled),
        difference=f.length(abs(total - filled)),
        total=f.length(total),
    )


def _slate(f: Facts) -> str:
    return f.t(
        N_(
            "At %(at)s, %(length)s could not be filled exactly from the filler pool; a slate "
            "covers it."
        ),
        at=f.at(),
        length=f.length(int(f["frames"])),
    )


def _trimmed(f: Facts) -> str:
    values = {"title": f.title(), "at": f.at(), "length": f.length(int(f["trimmed_frames"]))}
    cut_for = f["cut_for"]
    if cut_for == "day_end":
        return f.t(
            N_("“%(title)s” at %(at)s was cut short by %(length)s because the broadcast day ends."),
            **values,
        )
    if cut_for == "next_item":
        return f.t(
            N_("“%(title)s” at %(at)s was cut short by %(length)s for the next fixed-time item."),
            **values,
        )
    return f.t(
        N_("“%(title)s” at %(at)s was cut short by %(length)s so that %(other)s starts on time."),
        other=f.rule(str(f["other_rule_id"])),
        **values,
    )


def _late(f: Facts) -> str:
    late = int(f["late_frames"])
    return f.t(
        N_(
            "“%(title)s” starts at %(at)s, %(late)s after its planned %(planned)s, because the "
            "item before it ran on."
        ),
        title=f.title(),
        at=f.at(),
        late=f.length(late),
        planned=f.at(f.start() - late),
    )


def _stalled(f: Facts) -> str:
    return f.t(
        N_(
            "Series waits at %(at)s: the next episode of %(rule)s, “%(title)s”, may not air "
            "there yet (rating hours or repeat spacing); fillers run until it may."
        ),
        at=f.at(),
        rule=f.rule(str(f["rule_id"])),
        title=f["title"],
    )


def _campaign_short(f: Facts) -> str:
    return f.t(
        N_("Target not met: %(campaign)s airs %(placed)s of %(target)s times on this day."),
        campaign=f.campaign(),
        placed=int(f["placed"]),
        target=int(f["target"]),
    )


WORDINGS: dict[str, Wording] = {
    "classification_window": _rating_window,
    "classification_recommended": _rating_recommended,
    "asset_separation": _separation,
    "agency_back_to_back": _back_to_back,
    "agency_share": _share,
    "pending_rendition": _pending,
    **{code: _cannot_air(code) for code in CANNOT_AIR},
    "fixed_conflict": _fixed_conflict,
    "locked_conflict": _locked_conflict,
    "not_contiguous": _not_contiguous,
    "day_length": _day_length,
    "gap_filled_with_slate": _slate,
    "overrun_trimmed": _trimmed,
    "late_start": _late,
    "sequence_stalled": _stalled,
    "campaign_short": _campaign_short,
}
