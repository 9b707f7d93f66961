"""Pages and error pages over HTTP: the UI speaks HTML, the API keeps problem+json."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.web.conftest import Demo, web_login

PROBLEM = "application/problem+json"


def test_ui_errors_are_localised_pages_and_api_errors_stay_problem_json(
    client: TestClient, demo: Demo
) -> None:
    web_login(client, demo, "editor.kemenkes")
    humas = demo.channels["kanal-humas"]
    page = client.get(f"/channels/{humas}")
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
    assert "Halaman tidak ditemukan" in page.text and '<html lang="id">' in page.text
    assert "Kanal Humas" not in page.text
    api = client.get(f"/api/v1/channels/{humas}")
    assert api.status_code == 404 and api.headers["content-type"] == PROBLEM
    unknown = client.get("/no-such-page")
    assert unknown.status_code == 404 and "Halaman tidak ditemukan" in unknown.text
    assert client.get("/api/v1/no-such-thing").headers["content-type"] == PROBLEM


def test_pages_send_security_headers(client: TestClient) -> None:
    response = client.get("/login")
    assert "default-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["x-frame-options"] == "DENY"


def test_htmx_is_served_from_node_modules(client: TestClient) -> None:
    response = client.get("/static/vendor/htmx/htmx.min.js")
    assert response.status_code == 200, "run `make venv` (npm ci) to install htmx"
    assert "htmx" in response.text[:2000]
    assert client.get("/static/css/app.css").status_code == 200


def test_channel_page_shows_profile_leases_and_cut_off_in_the_users_language(
    client: TestClient, demo: Demo
) -> None:
    token = web_login(client, demo, "programmer")
    url = f"/channels/{demo.channels['kanal-sehat']}"
    page = client.get(url).text
    assert "14.00 WIB, 1 hari sebelum hari siar" in page
    assert "Kementerian Kesehatan" in page and "70%" in page
    assert "2,1\N{NO-BREAK SPACE}Mb/s" in page and "MPEG-1 Layer II" in page
    client.post("/language", data={"lang": "en", "csrf_token": token, "next": url})
    page = client.get(url).text
    assert '<html lang="en">' in page
    assert (
        "14:00 WIB, 1 day before the broadcast day" in page and "2.1\N{NO-BREAK SPACE}Mb/s" in page
    )
    client.post("/language", data={"lang": "id", "csrf_token": token})


def test_admin_page_lists_users_and_is_for_admins_only(client: TestClient, demo: Demo) -> None:
    web_login(client, demo, "admin")
    page = client.get("/admin")
    assert page.status_code == 200 and "editor.komdigi" in page.text
    client.cookies.clear()
    web_login(client, demo, "operator.tvri")
    assert client.get("/admin").status_code == 403
