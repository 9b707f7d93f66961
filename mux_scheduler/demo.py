"""Demo data: one operator with a mux, two leased channels, three agencies, a user per role.

Idempotent, so ``make demo`` can be run again without duplicating anything.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from typing import TypeVar

from sqlmodel import Session, SQLModel, select

from mux_scheduler.agencies.models import Agency
from mux_scheduler.auth import service as auth_service
from mux_scheduler.auth.models import Role, User
from mux_scheduler.channels.models import Channel, ChannelLease, Multiplex, Operator
from mux_scheduler.channels.presets import HD_PRESET, SD_PRESET, ensure_presets
from mux_scheduler.core.settings import Settings

M = TypeVar("M", bound=SQLModel)


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str
    role: str
    note: str


AGENCIES = [
    ("Kementerian Komunikasi dan Digital", "KOMDIGI", "ministry"),
    ("Kementerian Kesehatan", "KEMENKES", "ministry"),
    ("Pemerintah Provinsi DKI Jakarta", "PEMPROV DKI", "regional_government"),
]


def _get_or_add(session: Session, model: type[M], lookup: dict[str, object], **fields: object) -> M:
    query = select(model)
    for name, value in lookup.items():
        query = query.where(getattr(model, name) == value)
    row = session.exec(query).first()
    if row is None:
        row = model(**lookup, **fields)
        session.add(row)
        session.flush()
    return row


def seed_demo(session: Session) -> list[DemoLogin]:
    profiles = ensure_presets(session)
    operator = _get_or_add(
        session,
        Operator,
        {"slug": "tvri-jakarta"},
        name="TVRI Mux Jakarta",
        time_zone="Asia/Jakarta",
        cutoff_time=time(14, 0),
        cutoff_days_before=1,
        export_formats=["bxf", "xmltv", "csv"],
        delivery_kind="folder",
        delivery_target="playlists/outbox/tvri-jakarta",
    )
    mux = _get_or_add(
        session,
        Multiplex,
        {"name": "MUX TVRI Jakarta UHF 42"},
        operator_id=operator.id,
        service_area="DKI Jakarta, Bogor, Depok, Tangerang, Bekasi",
        uhf_channel=42,
        original_network_id=0x2198,
        transport_stream_id=42,
    )
    agencies = [
        _get_or_add(session, Agency, {"name": name}, short_name=short, kind=kind)
        for name, short, kind in AGENCIES
    ]
    humas = _get_or_add(
        session,
        Channel,
        {"slug": "kanal-humas"},
        multiplex_id=mux.id,
        profile_id=profiles[HD_PRESET].id,
        name="Kanal Humas Pemerintah",
        lcn=42,
        service_id=4201,
        time_zone="Asia/Jakarta",
        day_start=time(5, 0),
    )
    sehat = _get_or_add(
        session,
        Channel,
        {"slug": "kanal-sehat"},
        multiplex_id=mux.id,
        profile_id=profiles[SD_PRESET].id,
        name="Kanal Indonesia Sehat",
        lcn=43,
        service_id=4202,
        time_zone="Asia/Jakarta",
        day_start=time(5, 0),
    )
    lease_start = date(2026, 1, 1)
    for channel, agency, share in [
        (humas, agencies[0], 50),
        (humas, agencies[2], 50),
        (sehat, agencies[1], 70),
        (sehat, agencies[0], 30),
    ]:
        _get_or_add(
            session,
            ChannelLease,
            {"channel_id": channel.id, "agency_id": agency.id, "valid_from": lease_start},
            share_percent=share,
        )
    return _seed_users(session, agencies, operator)


def _seed_users(session: Session, agencies: list[Agency], operator: Operator) -> list[DemoLogin]:
    logins = [
        DemoLogin("admin", "demo-admin-2026", Role.ADMIN, "coordinating office"),
        DemoLogin("programmer", "demo-programmer-2026", Role.PROGRAMMER, "channel manager"),
        DemoLogin("editor.komdigi", "demo-editor-2026", Role.AGENCY_EDITOR, agencies[0].short_name),
        DemoLogin(
            "editor.kemenkes", "demo-editor-2026", Role.AGENCY_EDITOR, agencies[1].short_name
        ),
        DemoLogin("editor.dki", "demo-editor-2026", Role.AGENCY_EDITOR, agencies[2].short_name),
        DemoLogin("operator.tvri", "demo-operator-2026", Role.OPERATOR, operator.name),
    ]
    agency_by_short = {a.short_name: a.id for a in agencies}
    for login in logins:
        if session.exec(select(User).where(User.username == login.username)).first():
            continue
        auth_service.create_user(
            session,
            username=login.username,
            password=login.password,
            role=login.role,
            full_name=f"Demo {login.role} ({login.note})",
            agency_id=agency_by_short.get(login.note) if login.role == Role.AGENCY_EDITOR else None,
            operator_id=operator.id if login.role == Role.OPERATOR else None,
        )
    return logins


DEMO_CLIPS: list[tuple[str, str, str, str, str]] = [
    # file name, generator, title, kind, editor
    (
        "demo_hd_1080p30.mp4",
        "make_1080p30_mp4",
        "Sosialisasi Transformasi Digital",
        "programme",
        "editor.komdigi",
    ),
    (
        "demo_phone_vertical.mp4",
        "make_vertical_phone",
        "Liputan Warga: Posyandu",
        "filler",
        "editor.kemenkes",
    ),
    ("demo_sd_4x3.mp4", "make_sd_4x3", "Arsip Penyuluhan Gizi", "programme", "editor.kemenkes"),
    (
        "demo_loud_spot.mp4",
        "make_loud_spot",
        "ILM Cuci Tangan Pakai Sabun",
        "ilm",
        "editor.kemenkes",
    ),
    ("demo_station_id.mp4", "make_720p50", "Station ID Kanal Humas", "station_id", "editor.dki"),
    ("demo_anthem.mp4", "make_surround_51", "Indonesia Raya", "programme", "editor.komdigi"),
    ("demo_filler.mp4", "make_faststart_mp4", "Pemandangan Nusantara", "filler", "editor.komdigi"),
]
# Tags beyond "demo": the anthem is found by its tag, so the mandatory 06:00 rule picks it up.
DEMO_TAGS = {"Indonesia Raya": ["demo", "indonesia-raya"]}
DEMO_CLIP_SECONDS = 3.0


def seed_demo_media(session: Session, settings: Settings) -> list[str]:
    """Generate a few varied clips with ffmpeg and ingest them the way uploads are ingested,
    so the analysis and transcode jobs run as soon as the app starts. Idempotent: clips whose
    title already exists for the agency are skipped."""
    from mux_scheduler.assets.models import Asset
    from mux_scheduler.assets.schemas import AssetCreate
    from mux_scheduler.assets.service import ingest_path
    from mux_scheduler.auth.access import Principal
    from mux_scheduler.media import testmedia

    folder = settings.data_dir / "demo-clips"
    ingested = []
    for file_name, generator, title, kind, username in DEMO_CLIPS:
        user = session.exec(select(User).where(User.username == username)).one()
        taken = select(Asset).where(Asset.title == title, Asset.agency_id == user.agency_id)
        if session.exec(taken).first() is not None:
            continue
        clip = folder / file_name
        if not clip.exists():
            getattr(testmedia, generator)(clip, seconds=DEMO_CLIP_SECONDS)
        tags = DEMO_TAGS.get(title, ["demo"])
        meta = AssetCreate(title=title, kind=kind, tags=tags)  # type: ignore[arg-type]
        ingest_path(
            session, settings=settings, principal=Principal.of(user), meta=meta, source=clip
        )
        ingested.append(file_name)
    return ingested
