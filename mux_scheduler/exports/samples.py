"""A realistic, deterministic broadcast day for tests, template previews and benchmarks.

Half-hour slots from the day start: a fixed-start programme (or live item), then an ILM break,
a station ID and a filler that closes the slot on the next slot boundary, so the day is gap-free
and exactly ``BroadcastDay.frames`` long. Indonesia Raya airs at 06:00 local. A few titles are
hostile on purpose (markup, CSV formulas, quotes, Bahasa text with an em dash).
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from fractions import Fraction
from math import ceil

from mux_scheduler.core.timecode import BroadcastDay, broadcast_day, seconds_to_frames
from mux_scheduler.exports.context import (
    Classification,
    ExportChannel,
    ExportItem,
    ExportPlaylist,
    ItemType,
    StartMode,
)

SAMPLE_DATE = date(2026, 11, 26)
SAMPLE_NAMESPACE = uuid.UUID("5d0c7f52-7a43-4c1e-9d55-3a1f2b9e6c10")
SLOT_SECONDS = 1800

HOSTILE_TITLES: tuple[str, ...] = (
    "<script>alert('x')</script>",
    "Tom & Jerry \"Kartun\" 'Klasik'",
    "=cmd|' /C calc'!A0",
    "@SUM(1)",
    "+1 Info Publik",
    "-1 Sesi Tanya Jawab",
    "Siaran Pers Kementerian — Mudik Aman 2026",
)

_AGENCIES = (
    "Kementerian Komunikasi dan Digital",
    "Kementerian Kesehatan",
    "Kementerian Perhubungan",
    "Badan Meteorologi, Klimatologi, dan Geofisika",
    "Pemerintah Provinsi Jawa Barat",
)
_PROGRAMMES: tuple[tuple[str, str, Classification, str | None], ...] = (
    ("Warta Pemerintah", "Berita resmi pemerintah pusat dan daerah.", "SU", "news"),
    ("Dialog Publik", "Bincang kebijakan bersama narasumber kementerian.", "R", "talk"),
    ("Indonesia Sehat", "Edukasi kesehatan keluarga & posyandu.", "SU", "health"),
    ("Jendela Budaya Nusantara", "Tari, musik dan cerita rakyat.", "A", "traditional-arts"),
    ("Cuaca & Iklim", "Prakiraan cuaca BMKG untuk tiga hari.", "SU", "weather"),
    ("Sekolah di Rumah", "Materi belajar untuk siswa SD.", "P", "education"),
    ("Laporan Khusus", "Investigasi layanan publik.", "D", "public-affairs"),
    ("Ekonomi Rakyat", "UMKM, pasar dan harga pangan.", "R", "economics"),
)
_ILMS = (
    ("Ayo Vaksin Lengkap", 30),
    ("Cek Fakta Sebelum Berbagi", 45),
    ("Hemat Energi di Rumah", 30),
    ("Tertib Berlalu Lintas", 60),
    ("Waspada Banjir", 30),
)


@dataclass
class _DayBuilder:
    channel: ExportChannel
    day: BroadcastDay
    items: list[ExportItem]
    counter: int = 0

    def add(
        self,
        item_type: ItemType,
        duration_frames: int,
        title: str,
        *,
        start_mode: StartMode = "follow",
        classification: Classification = "SU",
        description: str = "",
        agency: str = _AGENCIES[0],
        genre: str | None = None,
        som_frames: int = 0,
    ) -> None:
        start = self.items[-1].end_offset_frames if self.items else 0
        self.counter += 1
        house_id = f"{item_type[:3].upper()}-{self.counter:05d}"
        seed = f"{self.channel.slug}/{self.day.broadcast_date.isoformat()}/{self.counter}"
        self.items.append(
            ExportItem(
                event_id=uuid.uuid5(SAMPLE_NAMESPACE, seed),
                start_offset_frames=start,
                duration_frames=duration_frames,
                som_frames=som_frames,
                item_type=item_type,
                house_id=house_id,
                title=title,
                description=description,
                classification=classification,
                language="id",
                agency_name=agency,
                media_file_name=f"{house_id.lower()}_{self.channel.rate.numerator}.ts",
                start_mode=start_mode,
                genre=genre,
            )
        )

    @property
    def position(self) -> int:
        return self.items[-1].end_offset_frames if self.items else 0


def sample_channel(
    *, index: int = 0, zone: str = "Asia/Jakarta", rate: Fraction = Fraction(25)
) -> ExportChannel:
    suffix = "" if index == 0 else f"-{index}"
    return ExportChannel(
        channel_id=100 + index,
        name=f"Kanal Humas{' ' + str(index) if index else ''}",
        slug=f"kanal-humas{suffix}",
        xmltv_id=f"kanal-humas{suffix}.id",
        lcn=21 + index,
        service_id=0x0401 + index,
        transport_stream_id=0x0010,
        original_network_id=0x2168,
        zone=zone,
        rate=rate,
        operator_name="Mux Operator Nusantara",
        operator_slug="mux-nusantara",
    )


def sample_playlist(
    *,
    broadcast_date: date = SAMPLE_DATE,
    zone: str = "Asia/Jakarta",
    rate: Fraction = Fraction(25),
    channel_index: int = 0,
    day_start: time = time(5, 0),
    version: int = 3,
) -> ExportPlaylist:
    channel = sample_channel(index=channel_index, zone=zone, rate=rate)
    day = broadcast_day(broadcast_date, zone=zone, day_start=day_start, rate=rate)
    builder = _DayBuilder(channel, day, [])
    rng = random.Random(f"{channel.slug}/{broadcast_date.isoformat()}")  # noqa: S311 - sample data
    anthem_slot = _anthem_slot(day)
    slots = ceil(day.length_seconds / SLOT_SECONDS)
    for slot in range(slots):
        slot_end = min(day.frames, seconds_to_frames((slot + 1) * SLOT_SECONDS, rate))
        _fill_slot(builder, rng, slot, slot_end, anthem=slot == anthem_slot)
    generated_at = datetime.combine(broadcast_date, time(6, 30), tzinfo=UTC)
    return ExportPlaylist(
        channel=channel,
        day=day,
        version=version,
        state="published",
        generated_at=generated_at,
        items=tuple(builder.items),
    )


def _anthem_slot(day: BroadcastDay) -> int:
    offset = day.offset_of_local_time(time(6, 0))
    return offset // seconds_to_frames(SLOT_SECONDS, day.rate)


def _fill_slot(
    builder: _DayBuilder, rng: random.Random, slot: int, slot_end: int, *, anthem: bool
) -> None:
    rate = builder.channel.rate
    second = seconds_to_frames(1, rate)
    if slot == 0:
        builder.add("station_id", 10 * second, "Identitas Kanal Humas", start_mode="fixed")
    if anthem:
        builder.add(
            "station_id",
            3 * 60 * second,
            "Lagu Kebangsaan Indonesia Raya",
            start_mode="fixed",
            agency="Sekretariat Negara",
        )
    budget = slot_end - builder.position
    _add_programme(builder, rng, slot, budget - (3 * 60 + 20) * second, anthem or slot == 0)
    for position, (title, seconds) in enumerate(rng.sample(_ILMS, 2)):
        if builder.position + (seconds + 15) * second < slot_end:
            hostile = position == 0 and slot % 7 == 1
            builder.add(
                "ilm",
                seconds * second,
                _ilm_title(slot) if hostile else title,
                agency=rng.choice(_AGENCIES[1:]),
            )
    if builder.position + 15 * second < slot_end:
        builder.add("station_id", 5 * second, "Identitas Kanal Humas")
    if slot % 6 == 3 and builder.position + 25 * second < slot_end:
        builder.add("promo", 20 * second, "Nantikan: Dialog Publik")
    remaining = slot_end - builder.position
    if remaining > 0:
        builder.add("filler", remaining, "Panorama Indonesia", som_frames=rng.randrange(0, 250))


def _add_programme(
    builder: _DayBuilder, rng: random.Random, slot: int, budget: int, follows_fixed: bool
) -> None:
    rate = builder.channel.rate
    minute = seconds_to_frames(60, rate)
    duration = min(budget, rng.randrange(20, 25) * minute + rng.randrange(0, 25 * 60))
    start_mode: StartMode = "follow" if follows_fixed else "fixed"
    if slot % 16 == 14:
        builder.add(
            "live",
            duration,
            "Siaran Langsung: Konferensi Pers Istana",
            start_mode=start_mode,
            description="Langsung dari Istana Kepresidenan.",
            agency="Sekretariat Presiden",
            genre="news",
        )
        return
    title, description, classification, genre = _PROGRAMMES[slot % len(_PROGRAMMES)]
    hostile = HOSTILE_TITLES[slot % len(HOSTILE_TITLES)] if slot % 5 == 2 else None
    if hostile is not None:
        title, description = hostile, f"{description} {hostile}"
    builder.add(
        "programme",
        duration,
        title,
        start_mode=start_mode,
        classification=classification,
        description=description,
        agency=_AGENCIES[slot % len(_AGENCIES)],
        genre=genre,
        som_frames=seconds_to_frames(10, rate),
    )


def _ilm_title(slot: int) -> str:
    """Some slots' first ILM carries a hostile title, so non-EPG formats see them too."""
    return HOSTILE_TITLES[(slot // 7) % len(HOSTILE_TITLES)]
