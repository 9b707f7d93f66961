"""A populated installation for the security suites: every kind of object an id can name.

On top of the demo world (three agencies on the TVRI mux, a second operator with an empty
channel) a fourth agency leases that second operator's channel, so every role has objects of its
own and objects it must never reach: for non-staff, ``foreign`` ids are all on the other
operator's mux; for agency editors, ``neighbour`` ids belong to another agency on the same mux.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from mux_scheduler.agencies.models import Agency
from mux_scheduler.assets.models import Asset, Rendition
from mux_scheduler.auth import service as auth_service
from mux_scheduler.auth.models import Role, User
from mux_scheduler.automation.models import Alert
from mux_scheduler.channels.models import Channel, ChannelLease, Operator
from mux_scheduler.core.settings import Settings
from mux_scheduler.jobs.models import Job
from mux_scheduler.storage import MediaStore
from tests.world import World, auth, build_world

DAY = date(2026, 12, 2)
SECOND = 25
SULSEL = "PEMKOT MAKASSAR"
SULSEL_EDITOR = "editor.sulsel"
SULSEL_PASSWORD = "sulsel-editor-2026"
EDITORS = {"editor.komdigi": "KOMDIGI", "editor.kemenkes": "KEMENKES", "editor.dki": "PEMPROV DKI"}
# Per editor: a channel their agency leases, and another agency on the same mux.
HOME_CHANNEL = {"KOMDIGI": "kanal-humas", "KEMENKES": "kanal-sehat", "PEMPROV DKI": "kanal-humas"}
NEIGHBOUR = {"KOMDIGI": "KEMENKES", "KEMENKES": "PEMPROV DKI", "PEMPROV DKI": "KEMENKES"}
UNLEASED_CHANNEL = {
    "KOMDIGI": "kanal-sulsel",
    "KEMENKES": "kanal-humas",
    "PEMPROV DKI": "kanal-sehat",
}


@dataclass
class AgencyObjects:
    agency: int
    user: int
    lease: int
    assets: list[int]
    job: int
    upload: str
    token: int


@dataclass
class ChannelObjects:
    channel: int
    profile: int
    rule: int
    campaign: int
    item: int
    alert: int


@dataclass
class Installation:
    world: World
    agencies: dict[str, AgencyObjects] = field(default_factory=dict)
    channels: dict[str, ChannelObjects] = field(default_factory=dict)
    tvri_operator: int = 0
    tvri_mux: int = 0
    other_mux: int = 0
    staff_tokens: dict[str, int] = field(default_factory=dict)


def _id(value: int | None) -> int:
    assert value is not None
    return value


def _add_sulsel(session: Session, world: World) -> None:
    agency = Agency(name="Pemerintah Kota Makassar", short_name=SULSEL, kind="regional_government")
    session.add(agency)
    session.flush()
    session.add(
        ChannelLease(
            channel_id=world.other_channel_id,
            agency_id=_id(agency.id),
            valid_from=date(2026, 1, 1),
            share_percent=100,
        )
    )
    auth_service.create_user(
        session,
        username=SULSEL_EDITOR,
        password=SULSEL_PASSWORD,
        role=Role.AGENCY_EDITOR,
        agency_id=agency.id,
    )
    session.commit()
    world.agencies[SULSEL] = _id(agency.id)


def add_conformed_asset(
    session: Session, settings: Settings, agency_id: int, title: str, kind: str, seconds: int
) -> int:
    """An approved asset with a ready rendition (a small file on disk) for every profile."""
    profiles = set(session.exec(select(Channel.profile_id)).all())
    store = MediaStore(settings.media_root)
    asset = Asset(
        agency_id=agency_id,
        title=title,
        kind=kind,  # type: ignore[arg-type]
        approval_state="approved",
        sha256=hashlib.sha256(f"{agency_id}/{title}".encode()).hexdigest(),
        size_bytes=1000,
        status="ready",
        duration_frames=seconds * SECOND,
    )
    session.add(asset)
    session.flush()
    for profile_id in profiles:
        relative = MediaStore.rendition_relpath(_id(asset.id), profile_id)
        target = store.root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(b"\x47" * 188)
        session.add(
            Rendition(
                asset_id=_id(asset.id),
                profile_id=profile_id,
                status="ready",
                duration_frames=seconds * SECOND,
                path=relative,
                sha256=hashlib.sha256(b"\x47" * 188).hexdigest(),
                size_bytes=188,
            )
        )
    session.commit()
    return _id(asset.id)


def _library(session: Session, settings: Settings, agency_id: int, short: str) -> list[int]:
    """Approved, conformed fillers and idents: enough for the engine to fill a day exactly."""
    return [
        add_conformed_asset(session, settings, agency_id, title, kind, seconds)
        for title, kind, seconds in [
            (f"Pemandangan {short}", "filler", 600),
            *[(f"Ident {short} {s}s", "station_id", s) for s in (5, 10, 15, 20)],
        ]
    ]


def _upload(client: TestClient, headers: dict[str, str], agency_id: int) -> str:
    response = client.post(
        "/api/v1/uploads",
        headers={
            **headers,
            "Tus-Resumable": "1.0.0",
            "Upload-Length": "10",
            # title "Spot", kind "ilm", agency_id as given (base64)
            "Upload-Metadata": "title U3BvdA==,kind aWxt,agency_id " + _b64(str(agency_id)),
        },
    )
    assert response.status_code == 201, response.text
    location: str = response.headers["Location"]
    return location.rsplit("/", 1)[1]


def _b64(text: str) -> str:
    import base64

    return base64.b64encode(text.encode()).decode()


def _token(client: TestClient, headers: dict[str, str]) -> int:
    response = client.post("/api/v1/me/tokens", json={"name": "script"}, headers=headers)
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


def _login(client: TestClient, world: World, username: str) -> dict[str, str]:
    if username == SULSEL_EDITOR:
        response = client.post(
            "/api/v1/auth/token", data={"username": username, "password": SULSEL_PASSWORD}
        )
        assert response.status_code == 200, response.text
        return {"Authorization": f"Bearer {response.json()['access_token']}"}
    return auth(client, world, username)


def _plan_channel(
    client: TestClient, programmer: dict[str, str], channel_id: int, asset_id: int
) -> tuple[int, int, int]:
    """A filler rule and a campaign, a built and published day; (rule, campaign, item) ids."""
    rule = client.post(
        f"/api/v1/channels/{channel_id}/rules",
        json={"name": "Fillers", "spec": {"kind": "filler_pool"}},
        headers=programmer,
    )
    assert rule.status_code == 201, rule.text
    campaign = client.post(
        "/api/v1/campaigns",
        json={
            "name": f"Kampanye {channel_id}",
            "asset_ids": [asset_id],
            "valid_from": DAY.isoformat(),
            "valid_until": DAY.isoformat(),
            "target_per_day": 2,
            "channel_ids": [channel_id],
        },
        headers=programmer,
    )
    assert campaign.status_code == 201, campaign.text
    day = f"/api/v1/channels/{channel_id}/playlists/{DAY.isoformat()}"
    built = client.post(f"{day}/build", headers=programmer)
    assert built.status_code == 201, built.text
    published = client.post(f"{day}/publish", headers=programmer)
    assert published.status_code == 200, published.text
    item = built.json()["items"][1]["id"]
    return int(rule.json()["id"]), int(campaign.json()["id"]), int(item)


def seed_installation(client: TestClient, session: Session, settings: Settings) -> Installation:
    world = build_world(session)
    _add_sulsel(session, world)
    for operator in session.exec(select(Operator)):
        operator.delivery_kind = "folder"
        operator.delivery_target = str(settings.playlists_root / "outbox" / operator.slug)
        session.add(operator)
    session.commit()
    found = Installation(world=world, other_mux=0)
    tvri_channel = session.get(Channel, world.channels["kanal-humas"])
    other_channel = session.get(Channel, world.other_channel_id)
    assert tvri_channel is not None and other_channel is not None
    found.tvri_mux = tvri_channel.multiplex_id
    found.other_mux = other_channel.multiplex_id
    found.tvri_operator = _id(
        session.exec(select(User.operator_id).where(User.username == "operator.tvri")).one()
    )
    libraries = {
        short: _library(session, settings, agency_id, short)
        for short, agency_id in world.agencies.items()
    }
    programmer = auth(client, world, "programmer")
    owner = {"kanal-humas": "KOMDIGI", "kanal-sehat": "KEMENKES", "kanal-sulsel": SULSEL}
    for slug, channel_id in world.channels.items():
        channel = session.get(Channel, channel_id)
        assert channel is not None
        rule, campaign, item = _plan_channel(
            client, programmer, channel_id, libraries[owner[slug]][1]
        )
        alert = Alert(
            level="warning",
            kind="test",
            channel_id=channel_id,
            broadcast_date=DAY,
            message=f"Alert for {slug}",
            dedupe_key=f"security:{slug}",
        )
        session.add(alert)
        session.commit()
        found.channels[slug] = ChannelObjects(
            channel_id, channel.profile_id, rule, campaign, item, _id(alert.id)
        )
    editors = {**{short: name for name, short in EDITORS.items()}, SULSEL: SULSEL_EDITOR}
    for short, agency_id in world.agencies.items():
        username = editors[short]
        headers = _login(client, world, username)
        user_id = _id(session.exec(select(User.id).where(User.username == username)).one())
        lease = session.exec(
            select(ChannelLease.id).where(ChannelLease.agency_id == agency_id)
        ).first()
        job = Job(
            kind="assets.analyse",
            payload={"asset_id": libraries[short][0]},
            state="done",
            progress=100,
            agency_id=agency_id,
            asset_id=libraries[short][0],
        )
        session.add(job)
        session.commit()
        found.agencies[short] = AgencyObjects(
            agency=agency_id,
            user=user_id,
            lease=_id(lease),
            assets=libraries[short],
            job=_id(job.id),
            upload=_upload(client, headers, agency_id),
            token=_token(client, headers),
        )
    for username in ("admin", "programmer", "operator.tvri"):
        found.staff_tokens[username] = _token(client, auth(client, world, username))
    return found


def rendition_file(settings: Settings, asset_id: int, profile_id: int) -> Path:
    return settings.media_root / MediaStore.rendition_relpath(asset_id, profile_id)
