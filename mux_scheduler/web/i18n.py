"""Languages of the web UI: gettext catalogs read from ``.po`` files, and locale formatting.

Message ids are English; ``translations/id`` holds Bahasa Indonesia (the default) and
``translations/en`` may stay empty (gettext falls back to the id). The ``.po`` files are read
with Babel when first needed, so there is no compiled ``.mo`` to build or commit.
"""

from __future__ import annotations

import datetime as dt
import io
from functools import lru_cache
from pathlib import Path
from typing import Final

from babel.dates import format_date, format_datetime, format_time
from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent
from babel.support import Translations

LOCALES: Final = ("id", "en")
DEFAULT_LOCALE: Final = "id"
LANGUAGE_NAMES: Final = {"id": "Bahasa Indonesia", "en": "English"}
TIME_PATTERNS: Final = {"id": "HH.mm", "en": "HH:mm"}
TRANSLATIONS_DIR = Path(__file__).parent / "translations"


def N_(message: str) -> str:  # noqa: N802 - the gettext convention for "no-op"
    """Mark a message id for extraction (``pybabel extract -k N_``); translate where rendered."""
    return message


def normalise_locale(value: str | None, default: str = DEFAULT_LOCALE) -> str:
    """A supported locale code from user input (``en-US`` -> ``en``); the default otherwise."""
    if value:
        code = value.strip().lower().replace("_", "-").split("-")[0]
        if code in LOCALES:
            return code
    return default


def _translated(message: Message | None) -> bool:
    if message is None or not message.id:
        return False
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    return all(strings)


def read_catalog(locale: str) -> Catalog:
    """Every ``*.po`` of the locale merged (``messages.po`` first); a translation wins over
    an empty entry, so one screen's catalog can live in its own file (e.g. ``library.po``)."""
    folder = TRANSLATIONS_DIR / locale / "LC_MESSAGES"
    paths = sorted(folder.glob("*.po"), key=lambda path: (path.name != "messages.po", path.name))
    merged: Catalog | None = None
    for po_path in paths:
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file, locale=locale)
        if merged is None:
            merged = catalog
            continue
        for message in catalog:
            if _translated(message) and not _translated(merged.get(message.id)):
                merged[message.id] = message
    return merged if merged is not None else Catalog(locale=locale)


@lru_cache(maxsize=len(LOCALES))
def translations(locale: str) -> Translations:
    catalog = read_catalog(locale)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(fp=buffer)


class Formatter:
    """Dates, times and numbers in one locale; registered as Jinja filters."""

    def __init__(self, locale: str) -> None:
        self.locale = locale

    def date(self, value: dt.date, style: str = "medium") -> str:
        return format_date(value, format=style, locale=self.locale)

    def datetime(self, value: dt.datetime, style: str = "medium") -> str:
        return format_datetime(value, format=style, locale=self.locale, tzinfo=value.tzinfo)

    def time(self, value: dt.time | dt.datetime) -> str:
        """24-hour clock as the locale writes it (05.00 in Indonesian, 05:00 in English)."""
        return format_time(value, format=TIME_PATTERNS[self.locale], locale=self.locale)

    def number(self, value: float, digits: int = 0) -> str:
        pattern = "#,##0" + ("." + "0" * digits if digits else "")
        return format_decimal(value, format=pattern, locale=self.locale)

    def percent(self, value: float) -> str:
        """``value`` in percent points (50 -> "50%")."""
        return format_percent(value / 100, locale=self.locale)

    def megabits(self, bits_per_second: int) -> str:
        return self.number(bits_per_second / 1_000_000, digits=1) + "\N{NO-BREAK SPACE}Mb/s"

    def kilobits(self, bits_per_second: int) -> str:
        return self.number(bits_per_second / 1000) + "\N{NO-BREAK SPACE}kb/s"
