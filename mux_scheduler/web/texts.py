"""Translating text that is not a template literal: service messages and formatted messages.

Jinja's ``_()`` always applies ``%`` formatting, which breaks on free text that contains a
``%`` (a QC reason, an error from ffmpeg); ``plain`` translates such text as it is.
"""

from __future__ import annotations

from collections.abc import Callable

from mux_scheduler.web.i18n import translations


def plain(locale: str) -> Callable[[str], str]:
    """Translate a message id if the catalog knows it; otherwise return the text unchanged."""
    gettext: Callable[[str], str] = translations(locale).gettext
    return gettext


def translate(locale: str, message: str, **values: object) -> str:
    return translations(locale).gettext(message) % values
