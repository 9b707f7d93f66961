"""A published, gap-free broadcast day on kanal-humas (25/1, WIB, day start 05:00).

The as-run fixtures in ``fixtures/`` were written against this day: their deviations (a late
ILM, a skipped ILM, a short airing, an extra station ID, a D programme pushed out of its
window) are listed next to each item below.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from fractions import Fraction

from sqlmodel import Session

from mux_scheduler.core.timecode import broadcast_day, timecode_to_frames
from mux_scheduler.scheduling.models import Campaign, CampaignChannel, Playlist, PlaylistItem

DAY = date(2026, 12, 1)
NEXT_DAY = date(2026, 12, 2)
RATE = Fraction(25)


def tc(text: str) -> int:
    return timecode_to_frames(text, RATE)


@dataclass(frozen=True)
class Planned:
    start: str
    duration: str
    item_type: str
    house_id: str
    title: str
    agency: str | None
    source: str
    classification: str
    event_uid: str
    expected: str


# start (broadcast time of day), duration, type, house id, source, class, what the as-run
# fixtures make of it | title | agency
_TABLE = """
05:00:00:00 00:03:00:00 station_id IR-0001 rule:1 SU aired | Indonesia Raya | -
05:03:00:00 00:57:00:00 programme KMD-PRG-0101 rule:2 SU aired | Pagi Humas | KOMDIGI
06:00:00:00 00:00:30:00 ilm KMD-ILM-0042 campaign:{c} SU late | ILM Literasi Digital | KOMDIGI
06:00:30:00 00:00:30:00 ilm DKI-ILM-0007 rule:3 SU missed | ILM Pajak Kendaraan | PEMPROV DKI
06:01:00:00 10:59:00:00 programme KMD-PRG-0102 rule:2 SU aired | Siaran Siang Humas | KOMDIGI
17:00:00:00 00:00:30:00 ilm KMD-ILM-0042 campaign:{c} SU short | ILM Literasi Digital | KOMDIGI
17:00:30:00 00:01:00:00 ilm DKI-INS-0001 insert:1 SU aired | +62 Info Banjir Jakarta | PEMPROV DKI
17:01:30:00 05:58:30:00 programme DKI-PRG-0200 rule:4 SU aired | Dialog Malam Jakarta | PEMPROV DKI
23:00:00:00 01:00:00:00 programme KMD-PRG-0300 rule:5 SU aired | Berita Malam | KOMDIGI
00:00:00:00 02:00:00:00 filler FILL-0001 fill SU aired | Filler Malam | -
02:00:00:00 01:00:00:00 programme KMD-DOC-0400 rule:6 D late | Dokumenter Dewasa | KOMDIGI
03:00:00:00 02:00:00:00 filler FILL-0001 fill SU short | Filler Malam | -
"""
# The EventIds we sent in the BXF schedule; the BXF as-run fixture carries most of them back.
EVENT_UIDS = (
    "7ec06d5ea4024abf9bd11307d9b686d9",
    "450a1ac993024267b06632d7ff7b05c7",
    "9aa26c3d055c4bb989846c40f3140a1c",
    "99b99b486c5b422d91da18e49e8283aa",
    "b00aa8d7978d4b6bb4807cb1de16795a",
    "c92a4d7230b54c19ac4d12602e882096",
    "ae04bcbf6eb849d4b3a97ece780270f2",
    "78f31063099f40a4b7e66b0aec6fd687",
    "09b45a7d8be045aeb4800284ab6e06f0",
    "75d14f20897049c3fa0a29ca9d412ebf",
    "eded40420b5f40bcbb61799252a4af81",
    "15a811234827e4f06a1fb5e6abd19360",
)


def _plan() -> list[Planned]:
    rows = []
    for line, uid in zip(_TABLE.strip().splitlines(), EVENT_UIDS, strict=True):
        head, title, agency = (part.strip() for part in line.split("|"))
        start, duration, item_type, house_id, source, classification, expected = head.split()
        rows.append(
            Planned(
                start,
                duration,
                item_type,
                house_id,
                title,
                None if agency == "-" else agency,
                source,
                classification,
                uid,
                expected,
            )
        )
    return rows


PLAN = _plan()

EXPECTED_COUNTS = {"aired": 7, "late": 2, "short": 2, "missed": 1, "extra": 1}


@dataclass
class Seeded:
    playlist_id: int
    next_playlist_id: int
    campaign_id: int


def _offset(start: str) -> int:
    """Broadcast time of day (05:00 = 0) to frames from the day start, wrapping midnight."""
    frames = tc(start) - tc("05:00:00:00")
    return frames if frames >= 0 else frames + tc("24:00:00:00")


def _playlist(
    session: Session, channel_id: int, on: date, *, version: int = 2, state: str = "published"
) -> Playlist:
    day = broadcast_day(on, zone="Asia/Jakarta", day_start=time(5, 0), rate=RATE)
    playlist = Playlist(
        channel_id=channel_id,
        broadcast_date=on,
        version=version,
        state=state,
        rate_num=25,
        rate_den=1,
        day_frames=day.frames,
        start_at=day.start_at,
    )
    session.add(playlist)
    session.flush()
    return playlist


def _items(
    session: Session, playlist: Playlist, agencies: dict[str, int], campaign_id: int, uid_salt: str
) -> None:
    for position, p in enumerate(PLAN):
        session.add(
            PlaylistItem(
                playlist_id=playlist.id or 0,
                position=position,
                event_uid=p.event_uid
                if not uid_salt
                else f"{uid_salt}{p.event_uid[len(uid_salt) :]}",
                start_frames=_offset(p.start),
                duration_frames=tc(p.duration),
                som_frames=0,
                eom_frames=tc(p.duration),
                item_type=p.item_type,
                asset_id=4200 + position,
                house_id=p.house_id,
                title=p.title,
                source=p.source.format(c=campaign_id),
                agency_id=agencies[p.agency] if p.agency else None,
                classification=p.classification,
            )
        )


def seed_day(session: Session, *, channel_id: int, agencies: dict[str, int]) -> Seeded:
    """Two published days (the fixtures cover the first, around a superseded v1 and a draft v3)."""
    campaign = Campaign(
        name="Gerakan Literasi Digital",
        asset_ids=[4202, 4205],
        valid_from=DAY,
        valid_until=NEXT_DAY,
        target_per_day=2,
        windows=[{"start": "06:00", "end": "22:00"}],
    )
    session.add(campaign)
    session.flush()
    assert campaign.id is not None
    session.add(CampaignChannel(campaign_id=campaign.id, channel_id=channel_id))
    _playlist(session, channel_id, DAY, version=1, state="superseded")
    first = _playlist(session, channel_id, DAY)
    _items(session, first, agencies, campaign.id, "")
    _playlist(session, channel_id, DAY, version=3, state="draft")
    second = _playlist(session, channel_id, NEXT_DAY)
    _items(session, second, agencies, campaign.id, "ff")
    session.commit()
    assert first.id is not None and second.id is not None
    return Seeded(first.id, second.id, campaign.id)
