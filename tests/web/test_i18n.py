"""Every message in the UI has an Indonesian translation; dates and numbers follow the locale."""

from __future__ import annotations

from datetime import date, time
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir

from mux_scheduler.web.i18n import Formatter, normalise_locale, read_catalog, translations

WEB = Path(__file__).resolve().parents[2] / "mux_scheduler" / "web"
METHODS = [("**.py", "python"), ("templates/**.html", "jinja2")]
OPTIONS = {"templates/**.html": {"extensions": "jinja2.ext.i18n"}}


def _message_ids() -> set[str]:
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None}
    ids = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        WEB, METHODS, keywords=keywords, options_map=OPTIONS
    ):
        ids.add(message[0] if isinstance(message, tuple) else message)
    return ids


def _indonesian_catalog() -> Catalog:
    """Every ``id/LC_MESSAGES/*.po`` merged, as the app loads them."""
    return read_catalog("id")


def test_every_message_has_an_indonesian_translation() -> None:
    ids = _message_ids()
    assert len(ids) > 50
    catalog = _indonesian_catalog()
    untranslated = []
    for message_id in sorted(ids):
        entry = catalog.get(message_id)
        strings = entry.string if entry is not None else ""
        if not all(strings if isinstance(strings, tuple) else [strings]):
            untranslated.append(message_id)
    assert untranslated == [], "add these to a catalog in translations/id/LC_MESSAGES/"
    assert translations("id").gettext("Log out") == "Keluar"


def test_dates_times_and_numbers_follow_the_locale() -> None:
    indonesian, english = Formatter("id"), Formatter("en")
    assert indonesian.date(date(2026, 8, 17), "full") == "Senin, 17 Agustus 2026"
    assert english.date(date(2026, 8, 17), "full") == "Monday, August 17, 2026"
    assert indonesian.time(time(5, 0)) == "05.00" and english.time(time(5, 0)) == "05:00"
    assert (
        indonesian.megabits(5_500_000) == "5,5\N{NO-BREAK SPACE}Mb/s"
        and english.megabits(5_500_000) == "5.5\N{NO-BREAK SPACE}Mb/s"
    )


def test_locale_codes_are_normalised() -> None:
    assert normalise_locale("en-US") == "en"
    assert normalise_locale("EN") == "en"
    assert normalise_locale("fr") == "id"
    assert normalise_locale(None, "en") == "en"
