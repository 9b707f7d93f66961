"""Log-in cookies, CSRF and redirects, checked over HTTP (fast; no browser)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from mux_scheduler.core.settings import Settings
from mux_scheduler.web.session import safe_next, secure_cookies
from tests.web.conftest import Demo, form_token, web_login

PROBLEM = "application/problem+json"


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/channels/3?tab=leases", "/channels/3?tab=leases"),
        ("/", "/"),
        (None, "/"),
        ("", "/"),
        ("https://evil.example/", "/"),
        ("//evil.example/x", "/"),
        ("/\\evil.example", "/"),
        ("javascript:alert(1)", "/"),
        ("/ok\r\nSet-Cookie: x=1", "/"),
    ],
)
def test_next_only_leads_to_a_path_on_this_site(target: str | None, expected: str) -> None:
    assert safe_next(target) == expected


def test_session_cookie_is_httponly_and_lax_and_secure_outside_development(
    client: TestClient, demo: Demo
) -> None:
    token = form_token(client.get("/login").text)
    response = client.post(
        "/login",
        data={"username": "admin", "password": "demo-admin-2026", "csrf_token": token},
        follow_redirects=False,
    )
    cookie = next(
        c for c in response.headers.get_list("set-cookie") if c.startswith("mux_session=")
    )
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Secure" not in cookie
    assert not secure_cookies(demo.settings)
    production = Settings(environment="production", secret_key="x" * 40, database_url="sqlite://")
    assert secure_cookies(production)


def test_login_ignores_an_external_next(client: TestClient) -> None:
    token = form_token(client.get("/login?next=https://evil.example/").text)
    response = client.post(
        "/login",
        data={
            "username": "programmer",
            "password": "demo-programmer-2026",
            "csrf_token": token,
            "next": "https://evil.example/",
        },
        follow_redirects=False,
    )
    assert response.headers["location"] == "/"


def test_login_form_needs_its_token(client: TestClient) -> None:
    client.get("/login")
    response = client.post("/login", data={"username": "admin", "password": "demo-admin-2026"})
    assert response.status_code == 403
    assert "Pemeriksaan keamanan gagal" in response.text
    assert "mux_session" not in client.cookies


def test_state_changes_need_the_token_in_the_form_or_the_header(
    client: TestClient, demo: Demo
) -> None:
    token = web_login(client, demo, "programmer")
    refused = client.post("/language", data={"lang": "en"}, follow_redirects=False)
    assert refused.status_code == 403 and refused.headers["content-type"].startswith("text/html")
    wrong = client.post(
        "/language", data={"lang": "en"}, headers={"X-CSRF-Token": "0" * 64}, follow_redirects=False
    )
    assert wrong.status_code == 403
    by_header = client.post(
        "/language", data={"lang": "en"}, headers={"X-CSRF-Token": token}, follow_redirects=False
    )
    assert by_header.status_code == 303
    by_field = client.post(
        "/language", data={"lang": "id", "csrf_token": token}, follow_redirects=False
    )
    assert by_field.status_code == 303


def test_api_calls_made_with_the_session_cookie_need_the_csrf_header(
    client: TestClient, demo: Demo
) -> None:
    token = web_login(client, demo, "programmer")
    body = {"name": "from the browser"}
    refused = client.post("/api/v1/me/tokens", json=body)
    assert refused.status_code == 403 and refused.headers["content-type"] == PROBLEM
    assert refused.json()["type"].endswith("/csrf-failed")
    allowed = client.post("/api/v1/me/tokens", json=body, headers={"X-CSRF-Token": token})
    assert allowed.status_code == 201
    assert client.get("/api/v1/me").status_code == 200  # reads need no token


def test_bearer_clients_are_not_asked_for_a_csrf_token(client: TestClient) -> None:
    login = client.post(
        "/api/v1/auth/token", data={"username": "admin", "password": "demo-admin-2026"}
    )
    bearer = {"Authorization": f"Bearer {login.json()['access_token']}"}
    response = client.post("/api/v1/me/tokens", json={"name": "script"}, headers=bearer)
    assert response.status_code == 201


def test_anonymous_pages_redirect_to_login_and_htmx_is_told_where(client: TestClient) -> None:
    page = client.get("/profiles?sort=name", follow_redirects=False)
    assert page.status_code == 303
    assert page.headers["location"] == "/login?next=/profiles%3Fsort%3Dname"
    htmx = client.get("/profiles", headers={"HX-Request": "true"}, follow_redirects=False)
    assert htmx.headers["HX-Redirect"] == "/login?next=/profiles"


def test_logout_revokes_the_session_token(client: TestClient, demo: Demo) -> None:
    token = web_login(client, demo, "editor.dki")
    session_cookie = client.cookies["mux_session"]
    response = client.post("/logout", data={"csrf_token": token}, follow_redirects=False)
    assert response.headers["location"] == "/login"
    client.cookies.set("mux_session", session_cookie)
    replay = client.get("/", follow_redirects=False)
    assert replay.status_code == 303
    api = client.get("/api/v1/me", headers={"Authorization": f"Bearer {session_cookie}"})
    assert api.status_code == 401
