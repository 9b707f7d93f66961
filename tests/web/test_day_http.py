"""The channel-day screen over HTTP: statuses, permissions and edits through the service."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.web.conftest import Demo, web_login
from tests.web.seed import Seed

HTMX = {"HX-Request": "true"}


def test_programmer_builds_a_day_and_the_page_shows_it_exactly_full(
    client: TestClient, demo: Demo, schedule: Seed
) -> None:
    token = web_login(client, demo, "programmer")
    url = f"/channels/{demo.channels['kanal-humas']}/days/2026-12-14"
    assert "Belum ada playlist" in client.get(url).text
    response = client.post(url + "/build", data={"csrf_token": token}, follow_redirects=False)
    assert response.status_code == 303
    page = client.get(url).text
    assert "Draf" in page and "Versi 1" in page
    assert "Hari terisi tepat" in page
    assert "Konferensi Pers Harian" in page and "Indonesia Raya" in page
    assert 'data-testid="timeline-item"' in page
