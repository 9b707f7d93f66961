"""Per-role and per-agency visibility, endpoint by endpoint."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from mux_scheduler.auth.models import User
from tests.api.conftest import World, auth


def _ids(client: TestClient, path: str, headers: dict[str, str]) -> set[int]:
    response = client.get(path, headers=headers)
    assert response.status_code == 200, response.text
    return {row["id"] for row in response.json()}


def test_editor_sees_only_channels_their_agency_leases(client: TestClient, world: World) -> None:
    kemenkes = auth(client, world, "editor.kemenkes")
    assert _ids(client, "/api/v1/channels", kemenkes) == {world.channels["kanal-sehat"]}
    hidden = client.get(f"/api/v1/channels/{world.channels['kanal-humas']}", headers=kemenkes)
    assert (
        hidden.status_code == 404 and hidden.headers["content-type"] == "application/problem+json"
    )


def test_editor_cannot_read_another_agencys_users_or_leases(
    client: TestClient, world: World, session: Session
) -> None:
    dki = auth(client, world, "editor.dki")
    kemenkes_editor = session.exec(select(User).where(User.username == "editor.kemenkes")).one()
    assert client.get(f"/api/v1/users/{kemenkes_editor.id}", headers=dki).status_code == 404
    own_users = client.get("/api/v1/users", headers=dki).json()
    assert [u["username"] for u in own_users] == ["editor.dki"]
    other_lease = world.leases[("kanal-sehat", "KEMENKES")]
    assert client.get(f"/api/v1/leases/{other_lease}", headers=dki).status_code == 404
    own_lease = world.leases[("kanal-humas", "PEMPROV DKI")]
    assert client.get(f"/api/v1/leases/{own_lease}", headers=dki).status_code == 200
    assert _ids(client, "/api/v1/leases", dki) == {own_lease}
    assert _ids(client, "/api/v1/agencies", dki) == {world.agencies["PEMPROV DKI"]}
    other_agency = world.agencies["KEMENKES"]
    assert client.get(f"/api/v1/agencies/{other_agency}", headers=dki).status_code == 404


def test_operator_staff_see_only_their_own_muxes(client: TestClient, world: World) -> None:
    tvri = auth(client, world, "operator.tvri")
    channels = _ids(client, "/api/v1/channels", tvri)
    assert world.other_channel_id not in channels and len(channels) == 2
    assert client.get(f"/api/v1/channels/{world.other_channel_id}", headers=tvri).status_code == 404
    assert (
        client.get(f"/api/v1/operators/{world.other_operator_id}", headers=tvri).status_code == 404
    )
    assert len(_ids(client, "/api/v1/operators", tvri)) == 1


@pytest.mark.parametrize("username", ["programmer", "editor.komdigi", "operator.tvri"])
@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("post", "/api/v1/agencies", {"name": "Badan Baru", "short_name": "BB"}),
        ("post", "/api/v1/operators", {"name": "Op", "slug": "op"}),
        ("patch", "/api/v1/channels/{channel}", {"name": "Renamed"}),
        ("delete", "/api/v1/leases/{lease}", None),
        (
            "post",
            "/api/v1/users",
            {"username": "hacker", "password": "0123456789ab", "role": "admin"},
        ),
    ],
)
def test_only_admins_change_reference_data(
    client: TestClient, world: World, username: str, method: str, path: str, body: object
) -> None:
    headers = auth(client, world, username)
    url = path.format(
        channel=world.channels["kanal-humas"], lease=world.leases[("kanal-humas", "KOMDIGI")]
    )
    kwargs = {"json": body} if body is not None else {}
    response = getattr(client, method)(url, headers=headers, **kwargs)
    assert response.status_code == 403, response.text
    assert response.json()["status"] == 403


def test_programmer_reads_everything(client: TestClient, world: World) -> None:
    programmer = auth(client, world, "programmer")
    assert len(_ids(client, "/api/v1/channels", programmer)) == 3
    assert len(_ids(client, "/api/v1/agencies", programmer)) == 3
    assert len(_ids(client, "/api/v1/users", programmer)) == 6
