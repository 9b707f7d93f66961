"""DVB SI encodings from ETSI EN 300 468 used by the EIT export.

- start_time: 16-bit Modified Julian Date + 24-bit BCD UTC time (Annex C);
- duration: 24-bit BCD hh:mm:ss;
- content_descriptor nibbles (table 29 in EN 300 468 v1.16);
- parental_rating_descriptor: 0x00 = no minimum age, 0x01..0x0F = minimum age - 3.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime

_MJD_EPOCH = date(1858, 11, 17).toordinal()
EVENT_ID_DAY_SLOTS = 8
EVENT_IDS_PER_DAY = 0x10000 // EVENT_ID_DAY_SLOTS
MAX_EVENT_SECONDS = 24 * 3600 - 1


def mjd(day: date) -> int:
    """Modified Julian Date of a calendar date (exact integer form of Annex C)."""
    return day.toordinal() - _MJD_EPOCH


def mjd_annex_c(year: int, month: int, day: int) -> int:
    """Annex C's own formula (Y from 1900, integer parts), kept to cross-check :func:`mjd`."""
    y = year - 1900
    leap = 1 if month in (1, 2) else 0
    return 14956 + day + int((y - leap) * 365.25) + int((month + 1 + leap * 12) * 30.6001)


def bcd(value: int, digits: int) -> int:
    """Binary-coded decimal of a non-negative integer with ``digits`` decimal digits."""
    if not 0 <= value < 10**digits:
        raise ValueError(f"{value} does not fit in {digits} BCD digits")
    result = 0
    for position, digit in enumerate(reversed(f"{value:0{digits}d}")):
        result |= int(digit) << (4 * position)
    return result


def start_time_fields(instant: datetime) -> tuple[int, int]:
    """(MJD, BCD hhmmss) of an aware instant, in UTC as EN 300 468 requires."""
    if instant.tzinfo is None:
        raise ValueError("instant must be timezone-aware")
    utc = instant.astimezone(UTC)
    hhmmss = utc.hour * 10000 + utc.minute * 100 + utc.second
    return mjd(utc.date()), bcd(hhmmss, 6)


def start_time_bytes(instant: datetime) -> bytes:
    """The 40-bit start_time field as it goes into an EIT section."""
    day_number, time_bcd = start_time_fields(instant)
    return day_number.to_bytes(2, "big") + time_bcd.to_bytes(3, "big")


def duration_bcd(total_seconds: int) -> int:
    if not 0 <= total_seconds <= MAX_EVENT_SECONDS:
        raise ValueError(f"EIT event duration out of range: {total_seconds} s")
    hours, rest = divmod(total_seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return bcd(hours * 10000 + minutes * 100 + seconds, 6)


@dataclass(frozen=True)
class Genre:
    level_1: int
    level_2: int
    label: str
    """English category label, also used as the XMLTV ``<category>``."""


GENRES: dict[str, Genre] = {
    "news": Genre(0x2, 0x0, "News / Current affairs"),
    "weather": Genre(0x2, 0x1, "News / Weather report"),
    "news-magazine": Genre(0x2, 0x2, "News magazine"),
    "documentary": Genre(0x2, 0x3, "Documentary"),
    "talk": Genre(0x2, 0x4, "Discussion / Interview / Debate"),
    "children": Genre(0x5, 0x0, "Children's / Youth programmes"),
    "music": Genre(0x6, 0x0, "Music / Ballet / Dance"),
    "culture": Genre(0x7, 0x0, "Arts / Culture"),
    "religion": Genre(0x7, 0x3, "Religion"),
    "traditional-arts": Genre(0x7, 0x4, "Popular culture / Traditional arts"),
    "social": Genre(0x8, 0x0, "Social / Political issues / Economics"),
    "public-affairs": Genre(0x8, 0x1, "Magazines / Reports / Documentary"),
    "economics": Genre(0x8, 0x2, "Economics / Social advisory"),
    "education": Genre(0x9, 0x0, "Education / Science / Factual topics"),
    "environment": Genre(0x9, 0x1, "Nature / Animals / Environment"),
    "health": Genre(0x9, 0x3, "Medicine / Physiology / Psychology"),
    "further-education": Genre(0x9, 0x6, "Further education"),
    "sports": Genre(0x4, 0x0, "Sports"),
    "drama": Genre(0x1, 0x0, "Movie / Drama"),
}
GENRE_BY_ITEM_TYPE: dict[str, str] = {"live": "news", "programme": "social"}
LIVE_BROADCAST = Genre(0xB, 0x4, "Live broadcast")


def genre_of(genre_key: str | None, item_type: str) -> Genre:
    key = genre_key or GENRE_BY_ITEM_TYPE.get(item_type, "social")
    if key not in GENRES:
        raise ValueError(f"unknown EPG genre {key!r}; known: {', '.join(sorted(GENRES))}")
    return GENRES[key]


def content_nibbles(genre_key: str | None, item_type: str) -> tuple[Genre, ...]:
    """content_descriptor entries; live items also carry 'special characteristics: live'."""
    genre = genre_of(genre_key, item_type)
    return (genre, LIVE_BROADCAST) if item_type == "live" else (genre,)


KPI_MINIMUM_AGE: dict[str, int | None] = {"SU": None, "P": None, "A": None, "R": 13, "D": 18}
"""KPI P3SPS classes as minimum viewer ages. P (pre-school) and A (children) name a target
audience, not a restriction, so like SU (all ages) they carry no minimum age."""


def dvb_rating(classification: str) -> int:
    """parental_rating_descriptor value: 0 (none) or minimum age - 3 (R -> 0x0A, D -> 0x0F)."""
    age = KPI_MINIMUM_AGE[classification]
    return 0 if age is None else age - 3


ISO_639_2: dict[str, str] = {
    "id": "ind",
    "en": "eng",
    "jv": "jav",
    "su": "sun",
    "ms": "msa",
    "ar": "ara",
    "zh": "zho",
    "ban": "ban",
    "min": "min",
    "bug": "bug",
    "mad": "mad",
}


def language_code(language: str) -> str:
    """ISO 639-2 code for a playlist language tag ("id" -> "ind"); unknown -> "und"."""
    tag = language.split("-")[0].lower()
    if len(tag) == 3 and tag.isalpha():
        return tag
    return ISO_639_2.get(tag, "und")


def event_ids(broadcast_date: date, event_uuids: list[uuid.UUID]) -> list[int]:
    """16-bit event_ids, unique for the service over any 8 consecutive broadcast days.

    The id space is cut into 8 day slots (date ordinal mod 8) of 8192 ids; inside a slot an
    event's id is derived from its stable UUID, probing on collision in start order, so a
    re-published version keeps the ids of unchanged events (receivers keep their reminders).
    """
    if len(event_uuids) >= EVENT_IDS_PER_DAY:
        raise ValueError(f"too many EPG events for one day: {len(event_uuids)}")
    base = (broadcast_date.toordinal() % EVENT_ID_DAY_SLOTS) * EVENT_IDS_PER_DAY
    used: set[int] = set()
    result: list[int] = []
    for event_uuid in event_uuids:
        candidate = event_uuid.int % EVENT_IDS_PER_DAY
        while candidate in used or base + candidate == 0:
            candidate = (candidate + 1) % EVENT_IDS_PER_DAY
        used.add(candidate)
        result.append(base + candidate)
    return result


SHORT_EVENT_TEXT_BYTES = 248
"""short_event_descriptor: 255 bytes - 3 (language) - 2 (length bytes) - 2 (table prefixes)."""


def dvb_text_bytes(text: str) -> int:
    """Encoded length: ASCII as is; otherwise UTF-8 after a 1-byte 0x15 table selector."""
    encoded = len(text.encode("utf-8"))
    return encoded if text.isascii() else encoded + 1


def truncate_dvb_text(text: str, max_bytes: int) -> str:
    """Cut on a character boundary so the encoded text fits in ``max_bytes``."""
    if dvb_text_bytes(text) <= max_bytes:
        return text
    ellipsis = "..."
    while text and dvb_text_bytes(text + ellipsis) > max_bytes:
        text = text[:-1]
    return text.rstrip() + ellipsis if text else ""


def short_event_texts(name: str, text: str) -> tuple[str, str]:
    """Event name (at most 80 bytes) and text sharing the descriptor's 248 payload bytes."""
    name = truncate_dvb_text(name, 80)
    return name, truncate_dvb_text(text, SHORT_EVENT_TEXT_BYTES - dvb_text_bytes(name))
