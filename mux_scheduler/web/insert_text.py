"""Why a rapid-response insert failed on a channel, in the viewer's language.

The insert service stores the English ``error`` for the API and an ``error_code`` with
``error_params`` (frame counts) beside it; a result stored without a code keeps its English.
"""

from __future__ import annotations

from fractions import Fraction

from mux_scheduler.scheduling.schemas import InsertChannelResult
from mux_scheduler.web.i18n import N_, Formatter, translations
from mux_scheduler.web.report_words import Sentence, length_text

INSERT_ERRORS = {
    "day_nearly_over": N_(
        "No item starts after the safety margin: the broadcast day is nearly over."
    ),
    "too_soon": N_(
        "The requested time is already on air or inside the safety margin; choose a later time "
        "or “next break”."
    ),
    "after_day_end": N_("The requested time is after the end of the broadcast day."),
    "outside_day": N_("The requested time is not in today's broadcast day."),
    "no_room": N_(
        "Only %(remaining)s remain before the next fixed-time item; the insert needs %(needed)s."
    ),
    "nothing_gives_way": N_(
        "Nothing between the insert point and the next fixed-time item can give way; choose "
        "another time."
    ),
    "not_published": N_(
        "There is no published playlist for %(date)s on %(channel)s: publish the day first."
    ),
    "no_rendition": N_(
        "The content has no ready file for the technical profile of %(channel)s yet."
    ),
}


def insert_error(
    result: InsertChannelResult, channel_name: str, rate: Fraction | None, locale: str
) -> Sentence:
    """The failure of one channel's insert; the stored English when it cannot be worded."""
    message = INSERT_ERRORS.get(result.error_code or "")
    english = Sentence(result.error or "", "en")
    if message is None:
        return english
    params = result.error_params
    values: dict[str, object] = {"channel": channel_name}
    if result.broadcast_date is not None:
        values["date"] = Formatter(locale).date(result.broadcast_date, "long")
    if rate is not None:
        values.update(
            {
                name.removesuffix("_frames"): length_text(v, rate, locale)
                for name, v in params.items()
            }
        )
    try:
        return Sentence(translations(locale).gettext(message) % values, locale)
    except KeyError:
        return english
