"""A realistic library and rule set for the demo channels, like tests/scheduling's fixtures."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, select

from mux_scheduler.agencies.models import Agency
from mux_scheduler.assets.models import Asset, AssetKind, Classification, Rendition
from mux_scheduler.auth.access import Principal
from mux_scheduler.auth.models import User
from mux_scheduler.channels.models import Channel
from mux_scheduler.core.settings import Settings
from mux_scheduler.scheduling import playlists, rules_service
from mux_scheduler.scheduling.schemas import RuleCreate

SECOND = 25
MINUTE = 60 * SECOND
_counter = itertools.count(1)


@dataclass(frozen=True)
class Seed:
    anthem: int
    ilms: list[int]
    pending_promo: int
    programmes: list[int]


def make_asset(
    session: Session,
    *,
    agency_id: int,
    title: str,
    kind: str,
    frames: int,
    classification: str = "SU",
    rendition_ready: bool = True,
    tags: list[str] | None = None,
) -> int:
    """An approved asset with a rendition (ready or pending) for every channel's profile."""
    asset = Asset(
        agency_id=agency_id,
        title=title,
        kind=AssetKind(kind),
        classification=Classification(classification),
        tags=tags or [],
        approval_state="approved",
        sha256=f"{next(_counter) + 10_000:064x}",
        size_bytes=1000,
        status="ready",
        duration_frames=frames,
    )
    session.add(asset)
    session.flush()
    assert asset.id is not None
    for profile_id in set(session.exec(select(Channel.profile_id)).all()):
        session.add(
            Rendition(
                asset_id=asset.id,
                profile_id=profile_id,
                status="ready" if rendition_ready else "pending",
                duration_frames=frames if rendition_ready else None,
                path=f"renditions/{asset.id}-{profile_id}.ts" if rendition_ready else None,
            )
        )
    return asset.id


# Rules may queue conform jobs; with the local queue that is only a row, so defaults will do.
TEST_SETTINGS = Settings(environment="test")


def principal(session: Session, username: str) -> Principal:
    return Principal.of(session.exec(select(User).where(User.username == username)).one())


def _agency(session: Session, short_name: str) -> int:
    agency_id = session.exec(select(Agency.id).where(Agency.short_name == short_name)).one()
    assert agency_id is not None
    return agency_id


def seed_schedule(session: Session) -> Seed:
    komdigi, dki = _agency(session, "KOMDIGI"), _agency(session, "PEMPROV DKI")
    kemenkes = _agency(session, "KEMENKES")
    anthem = make_asset(
        session, agency_id=komdigi, title="Indonesia Raya", kind="programme", frames=3 * MINUTE
    )
    programmes = [
        make_asset(
            session,
            agency_id=komdigi if n % 2 else dki,
            title=f"Dialog Publik episode {n}",
            kind="programme",
            frames=25 * MINUTE + n * SECOND,
            tags=["dialog"],
        )
        for n in range(1, 9)
    ]
    ilms = [
        make_asset(
            session,
            agency_id=komdigi if n % 2 else kemenkes,
            title=f"ILM Mudik Aman {n}",
            kind="ilm",
            frames=(30 + 15 * n) * SECOND,
        )
        for n in range(4)
    ]
    for seconds in (5, 10, 15, 20):
        make_asset(
            session,
            agency_id=komdigi,
            title=f"Ident {seconds}s",
            kind="station_id",
            frames=seconds * SECOND,
        )
    make_asset(
        session, agency_id=dki, title="Pemandangan Jakarta", kind="filler", frames=10 * MINUTE
    )
    make_asset(session, agency_id=kemenkes, title="Taman Sehat", kind="filler", frames=10 * MINUTE)
    pending = make_asset(
        session,
        agency_id=komdigi,
        title="Promo Belum Siap",
        kind="promo",
        frames=30 * SECOND,
        rendition_ready=False,
    )
    session.flush()
    programmer = principal(session, "programmer")
    humas = session.exec(select(Channel).where(Channel.slug == "kanal-humas")).one()
    sehat = session.exec(select(Channel).where(Channel.slug == "kanal-sehat")).one()
    for rule in _humas_rules(anthem):
        rules_service.create_rule(
            session,
            channel=humas,
            data=RuleCreate.model_validate(rule),
            principal=programmer,
            settings=TEST_SETTINGS,
        )
    filler = {
        "name": "Pengisi",
        "spec": {"kind": "filler_pool", "pool": {"kinds": ["filler", "station_id"]}},
    }
    rules_service.create_rule(
        session,
        channel=sehat,
        data=RuleCreate.model_validate(filler),
        principal=programmer,
        settings=TEST_SETTINGS,
    )
    session.commit()
    return Seed(anthem=anthem, ilms=ilms, pending_promo=pending, programmes=programmes)


def _humas_rules(anthem: int) -> list[dict[str, object]]:
    return [
        {
            "name": "Indonesia Raya",
            "priority": 100,
            "spec": {"kind": "mandatory", "asset_id": anthem, "at": "06:00"},
        },
        {
            "name": "Konferensi Pers",
            "rrule": "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
            "spec": {
                "kind": "fixed_event",
                "at": "07:00",
                "live": {"title": "Konferensi Pers Harian", "duration_frames": 30 * MINUTE},
            },
        },
        {
            "name": "Dialog Publik",
            "spec": {
                "kind": "block",
                "start": "19:00",
                "end": "21:00",
                "order": "sequential",
                "pool": {"tags": ["dialog"]},
                "breaks": {"break_frames": 90 * SECOND, "every_minutes": 15},
            },
        },
        {
            "name": "Program siang",
            "priority": -1,
            "spec": {
                "kind": "block",
                "start": "08:00",
                "end": "18:00",
                "order": "lru",
                "pool": {"kinds": ["programme"]},
            },
        },
        {
            "name": "Pengisi",
            "spec": {"kind": "filler_pool", "pool": {"kinds": ["station_id", "filler"]}},
        },
    ]


def build_day(session: Session, slug: str, broadcast_date: date, *, publish: bool = False) -> None:
    """Build (and publish) a day through the service, as a programmer would."""
    channel = session.exec(select(Channel).where(Channel.slug == slug)).one()
    programmer = principal(session, "programmer")
    playlists.build(session, channel=channel, broadcast_date=broadcast_date, principal=programmer)
    if publish:
        playlists.publish(
            session, channel=channel, broadcast_date=broadcast_date, principal=programmer
        )
    session.commit()
