"""Jinja2 rendering for the web UI: one autoescaping environment per language.

Each environment has that language's gettext catalog installed (``{{ _("...") }}`` and
``{% trans %}``), and the locale's date/number formatters as filters, so a template never has
to know which language it is rendered in.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from starlette.responses import HTMLResponse

from mux_scheduler.core.timecode import zone_label
from mux_scheduler.web.i18n import LANGUAGE_NAMES, LOCALES, Formatter, translations
from mux_scheduler.web.labels import CLASSIFICATION_LABELS, STATE_LABELS, TYPE_LABELS

TEMPLATES_DIR = Path(__file__).parent / "templates"

# Pages only load our own scripts and styles; htmx's inline indicator style is turned off.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


CODEC_NAMES = {
    "h264": "H.264",
    "hevc": "HEVC",
    "mpeg2video": "MPEG-2",
    "mp2": "MPEG-1 Layer II",
    "aac": "AAC",
    "ac3": "AC-3",
    "mpegts": "MPEG-TS",
}


def codec_name(value: str) -> str:
    return CODEC_NAMES.get(value, value)


@lru_cache(maxsize=len(LOCALES))
def environment(locale: str) -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=select_autoescape(["html"], default_for_string=True),
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_translations(translations(locale), newstyle=True)  # type: ignore[attr-defined]
    fmt = Formatter(locale)
    env.filters.update(
        date=fmt.date,
        datetime=fmt.datetime,
        time=fmt.time,
        number=fmt.number,
        percent=fmt.percent,
        megabits=fmt.megabits,
        kilobits=fmt.kilobits,
        zone_label=zone_label,
        codec=codec_name,
    )
    env.globals.update(
        locale=locale,
        languages=LANGUAGE_NAMES,
        type_labels=TYPE_LABELS,
        classification_labels=CLASSIFICATION_LABELS,
        state_labels=STATE_LABELS,
    )
    return env


def render(
    template: str,
    context: dict[str, Any],
    *,
    locale: str,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
) -> HTMLResponse:
    html = environment(locale).get_template(template).render(context)
    return HTMLResponse(
        html, status_code=status_code, headers={**SECURITY_HEADERS, **(headers or {})}
    )
