from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from mux_scheduler.auth.models import ApiToken, User
from mux_scheduler.core.audit import AuditLog
from tests.api.conftest import World, auth

PROBLEM = "application/problem+json"


def test_channels_need_a_token_and_say_so_as_problem_json(client: TestClient, world: World) -> None:
    response = client.get("/api/v1/channels")
    assert response.status_code == 401
    assert response.headers["content-type"] == PROBLEM
    assert response.headers["www-authenticate"] == "Bearer"
    body = response.json()
    assert body["status"] == 401 and body["title"] and "Bearer" in body["detail"]


def test_token_from_login_lists_channels(client: TestClient, world: World) -> None:
    response = client.get("/api/v1/channels", headers=auth(client, world, "admin"))
    assert response.status_code == 200
    assert {c["slug"] for c in response.json()} == {"kanal-humas", "kanal-sehat", "kanal-sulsel"}
    assert response.headers["x-total-count"] == "3"
    assert {c["zone_label"] for c in response.json()} == {"WIB", "WITA"}


def test_wrong_password_is_rejected_without_revealing_which_part(
    client: TestClient, world: World
) -> None:
    wrong = client.post(
        "/api/v1/auth/token", data={"username": "admin", "password": "nope-nope-nope"}
    )
    unknown = client.post(
        "/api/v1/auth/token", data={"username": "ghost", "password": "nope-nope-nope"}
    )
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json()["detail"] == unknown.json()["detail"]


def test_repeated_failed_logins_are_throttled(client: TestClient, world: World) -> None:
    statuses = [
        client.post(
            "/api/v1/auth/token", data={"username": "admin", "password": f"guess-{i}-xxxx"}
        ).status_code
        for i in range(7)
    ]
    assert statuses[:5] == [401] * 5
    assert statuses[5:] == [429, 429]
    blocked = client.post(
        "/api/v1/auth/token", data={"username": "admin", "password": "demo-admin-2026"}
    )
    assert blocked.status_code == 429, "even the right password waits out the window"


def test_api_token_is_shown_once_stored_hashed_and_revocable(
    client: TestClient, world: World, session: Session
) -> None:
    headers = auth(client, world, "editor.komdigi")
    created = client.post(
        "/api/v1/me/tokens", json={"name": "nightly upload script"}, headers=headers
    )
    assert created.status_code == 201
    clear = created.json()["token"]
    stored = session.exec(select(ApiToken).where(ApiToken.name == "nightly upload script")).one()
    assert clear not in stored.token_hash and len(stored.token_hash) == 64
    script = {"Authorization": f"Bearer {clear}"}
    assert client.get("/api/v1/me", headers=script).json()["username"] == "editor.komdigi"
    listed = client.get("/api/v1/me/tokens", headers=headers).json()
    assert [t["name"] for t in listed] == ["nightly upload script"] and "token" not in listed[0]
    assert (
        client.delete(f"/api/v1/me/tokens/{created.json()['id']}", headers=headers).status_code
        == 204
    )
    assert client.get("/api/v1/me", headers=script).status_code == 401


def test_deactivated_user_loses_access(client: TestClient, world: World, session: Session) -> None:
    editor_headers = auth(client, world, "editor.dki")
    editor = session.exec(select(User).where(User.username == "editor.dki")).one()
    admin = auth(client, world, "admin")
    assert client.delete(f"/api/v1/users/{editor.id}", headers=admin).status_code == 204
    assert client.get("/api/v1/me", headers=editor_headers).status_code == 401
    actions = session.exec(select(AuditLog.action).where(AuditLog.entity == "User")).all()
    assert "deactivate" in actions


def test_admin_creates_editor_and_the_role_link_is_validated(
    client: TestClient, world: World
) -> None:
    admin = auth(client, world, "admin")
    missing_agency = {
        "username": "new.editor",
        "password": "long-enough-pass",
        "role": "agency_editor",
    }
    response = client.post("/api/v1/users", json=missing_agency, headers=admin)
    assert response.status_code == 422 and response.headers["content-type"] == PROBLEM
    assert response.json()["errors"][0]["loc"] == ["agency_id"]
    ok = {**missing_agency, "agency_id": world.agencies["KEMENKES"]}
    created = client.post("/api/v1/users", json=ok, headers=admin)
    assert created.status_code == 201 and "password" not in created.text
    duplicate = client.post("/api/v1/users", json=ok, headers=admin)
    assert duplicate.status_code == 409


def test_short_password_rejected(client: TestClient, world: World) -> None:
    admin = auth(client, world, "admin")
    response = client.post(
        "/api/v1/users",
        json={"username": "x.y.z", "password": "short", "role": "programmer"},
        headers=admin,
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"][-1] == "password"
