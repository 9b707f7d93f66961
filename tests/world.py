from __future__ import annotations

from dataclasses import dataclass

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from mux_scheduler.agencies.models import Agency
from mux_scheduler.channels.models import Channel, ChannelLease, Multiplex, Operator
from mux_scheduler.demo import DemoLogin, seed_demo


@dataclass
class World:
    """The demo installation plus a second operator whose data nobody else may see."""

    logins: dict[str, DemoLogin]
    agencies: dict[str, int]
    channels: dict[str, int]
    other_operator_id: int
    other_channel_id: int
    leases: dict[tuple[str, str], int]


def _id(row: object) -> int:
    value = getattr(row, "id", None)
    assert isinstance(value, int)
    return value


def build_world(session: Session) -> World:
    logins = {login.username: login for login in seed_demo(session)}
    other = Operator(name="Metro TV Mux", slug="metro-mux", time_zone="Asia/Makassar")
    session.add(other)
    session.flush()
    mux = Multiplex(
        operator_id=_id(other), name="MUX Metro Makassar", service_area="Makassar", uhf_channel=30
    )
    session.add(mux)
    session.flush()
    profile_id = session.exec(select(Channel.profile_id)).first()
    assert profile_id is not None
    channel = Channel(
        multiplex_id=_id(mux),
        profile_id=profile_id,
        name="Kanal Sulsel",
        slug="kanal-sulsel",
        lcn=30,
        service_id=3001,
        time_zone="Asia/Makassar",
    )
    session.add(channel)
    session.commit()
    agencies = {a.short_name: _id(a) for a in session.exec(select(Agency))}
    channels = {c.slug: _id(c) for c in session.exec(select(Channel))}
    leases: dict[tuple[str, str], int] = {}
    by_id = {v: k for k, v in agencies.items()}
    ch_by_id = {v: k for k, v in channels.items()}
    for lease in session.exec(select(ChannelLease)):
        leases[(ch_by_id[lease.channel_id], by_id[lease.agency_id])] = _id(lease)
    assert other.id is not None and channel.id is not None
    return World(logins, agencies, channels, other.id, channel.id, leases)


def auth(client: TestClient, world: World, username: str) -> dict[str, str]:
    login = world.logins[username]
    response = client.post(
        "/api/v1/auth/token", data={"username": login.username, "password": login.password}
    )
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}
