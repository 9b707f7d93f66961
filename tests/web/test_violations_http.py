"""A day that breaks the KPI rules reads as sentences in the viewer's language, not the
engine's English: on the validation list, the publish refusal and the mux timeline."""

from __future__ import annotations

import html
from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from mux_scheduler.agencies.models import Agency
from mux_scheduler.assets.models import Asset
from mux_scheduler.auth import service as auth_service
from mux_scheduler.auth.models import Role
from mux_scheduler.channels.models import Channel
from mux_scheduler.scheduling import rules_service
from mux_scheduler.scheduling.schemas import RuleCreate
from tests.web.conftest import form_token
from tests.web.seed import MINUTE, TEST_SETTINGS, Seed, make_asset, principal

DAY = date(2027, 1, 20)  # a Wednesday no other web test builds
USERNAME, PASSWORD = "programmer.bahasa", "violations-in-bahasa-2027"
FILM = "Film Dokumenter Dewasa"


@pytest.fixture
def humas_with_a_d_rated_film_at_10(db: Session, schedule: Seed) -> Channel:
    """Two mandatory airings of a D-rated film at 10:00 and 10:30 WIB, on DAY only (the film is
    valid on DAY only, so no other test's build can pick it); and a programmer of its own, whose
    language this test may switch."""
    humas = db.exec(select(Channel).where(Channel.slug == "kanal-humas")).one()
    komdigi = db.exec(select(Agency).where(Agency.short_name == "KOMDIGI")).one()
    assert komdigi.id is not None
    film_id = make_asset(
        db,
        agency_id=komdigi.id,
        title=FILM,
        kind="programme",
        frames=10 * MINUTE,
        classification="D",
    )
    film = db.get(Asset, film_id)
    assert film is not None
    film.valid_from = film.valid_until = DAY
    for at in ("10:00", "10:30"):
        rule = {
            "name": f"Film dokumenter {at}",
            "dates": [DAY.isoformat()],
            "spec": {"kind": "mandatory", "asset_id": film_id, "at": at},
        }
        rules_service.create_rule(
            db,
            channel=humas,
            data=RuleCreate.model_validate(rule),
            principal=principal(db, "programmer"),
            settings=TEST_SETTINGS,
        )
    auth_service.create_user(db, username=USERNAME, password=PASSWORD, role=Role.PROGRAMMER)
    db.commit()
    return humas


def _log_in(client: TestClient) -> str:
    token = form_token(client.get("/login").text)
    response = client.post(
        "/login",
        data={"username": USERNAME, "password": PASSWORD, "csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return form_token(client.get("/").text)


def _text(page: str) -> str:
    return html.unescape(page)


def test_the_day_page_words_violations_in_indonesian_then_in_english(
    client: TestClient, humas_with_a_d_rated_film_at_10: Channel
) -> None:
    humas = humas_with_a_d_rated_film_at_10
    token = _log_in(client)
    url = f"/channels/{humas.id}/days/{DAY.isoformat()}"
    built = client.post(url + "/build", data={"csrf_token": token}, follow_redirects=False)
    assert built.status_code == 303

    page = _text(client.get(url).text)
    window = (
        f"“{FILM}” pukul 10.00 WIB berklasifikasi D: konten berklasifikasi D hanya boleh tayang "
        "pukul 22.00\N{EN DASH}03.00 WIB."
    )
    repeat = (
        f"“{FILM}” tayang ulang pukul 10.30 WIB, baru 20 menit setelah penayangan sebelumnya "
        "(jarak minimal 1 jam)."
    )
    assert f'lang="id" data-testid="violation-text">{window}<' in page
    assert f'lang="id" data-testid="violation-text">{repeat}<' in page
    assert "is outside the hours allowed for D" not in page  # the engine's English
    assert "frames after its previous airing" not in page

    refused = _text(client.post(url + "/publish", data={"csrf_token": token}).text)
    assert "Perubahan tidak dilakukan." in refused
    assert "Versi ini memiliki" in refused and "harus diperbaiki sebelum diterbitkan" in refused
    assert f'<span lang="id">{window}</span>' in refused
    assert "problem(s) to fix before publishing" not in refused

    mux = _text(client.get(f"/multiplexes/{humas.multiplex_id}/days/{DAY.isoformat()}").text)
    assert f"⚠ {window}" in mux  # the timeline item's tooltip

    switched = client.post(
        "/language", data={"lang": "en", "next": url, "csrf_token": token}, follow_redirects=False
    )
    assert switched.status_code == 303
    page = _text(client.get(url).text)
    assert (
        f'lang="en" data-testid="violation-text">“{FILM}” at 10:00 WIB is rated D: content rated '
        "D may only air during 22:00\N{EN DASH}03:00 WIB.<"
    ) in page
    assert (
        f"“{FILM}” repeats at 10:30 WIB, only 20 minutes after its previous airing "
        "(at least 1 hour apart)."
    ) in page
    assert window not in page and "pukul" not in page
