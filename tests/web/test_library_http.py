"""Library, exports and reports pages over plain HTTP: scope, review actions, readable errors."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from mux_scheduler.agencies.models import Agency
from mux_scheduler.assets.models import Asset
from mux_scheduler.channels.models import Operator
from tests.web.conftest import Demo, web_login
from tests.web.seed import Seed, build_day, make_asset

EXPORT_DAY = date(2026, 12, 21)


@pytest.fixture(scope="module")
def built_day(demo: Demo, schedule: Seed) -> date:
    from mux_scheduler.core.db import make_engine

    engine = make_engine(demo.settings)
    with Session(engine) as session:
        build_day(session, "kanal-humas", EXPORT_DAY, publish=True)
    engine.dispose()
    return EXPORT_DAY


def _submitted_asset(db: Session, title: str, *, urgent: bool = False) -> int:
    agency_id = db.exec(select(Agency.id).where(Agency.short_name == "KOMDIGI")).one()
    assert agency_id is not None
    asset_id = make_asset(db, agency_id=agency_id, title=title, kind="ilm", frames=750)
    asset = db.get(Asset, asset_id)
    assert asset is not None
    asset.approval_state, asset.urgent = "submitted", urgent
    db.add(asset)
    db.commit()
    return asset_id


def test_an_editor_of_another_agency_gets_the_not_found_page(
    client: TestClient, demo: Demo, schedule: Seed
) -> None:
    web_login(client, demo, "editor.kemenkes")
    for url in (f"/library/{schedule.anthem}", f"/library/{schedule.anthem}/live"):
        response = client.get(url)
        assert response.status_code == 404
        assert "Halaman tidak ditemukan" in response.text
    assert "Indonesia Raya" not in client.get("/library").text


def test_search_and_filters_narrow_the_library(
    client: TestClient, demo: Demo, schedule: Seed
) -> None:
    web_login(client, demo, "programmer")
    page = client.get("/library", params={"q": "mudik", "kind": "ilm"}).text
    assert page.count('data-testid="asset-row"') >= 4
    assert "Dialog Publik" not in page
    assert "Iklan layanan masyarakat" in page or "ILM" in page
    assert "Tidak ada yang cocok" in client.get("/library", params={"q": "zzz-nothing"}).text


def test_rejecting_needs_a_comment_and_approving_moves_it_out_of_the_queue(
    client: TestClient, demo: Demo, db: Session
) -> None:
    asset_id = _submitted_asset(db, "ILM Uji Persetujuan")
    token = web_login(client, demo, "programmer")
    assert "ILM Uji Persetujuan" in client.get("/library/approvals").text
    refused = client.post(f"/library/{asset_id}/reject", data={"csrf_token": token, "comment": ""})
    assert refused.status_code == 422
    assert "Tulis catatan" in refused.text
    approved = client.post(
        f"/library/{asset_id}/approve",
        data={"csrf_token": token, "next": "/library/approvals"},
        follow_redirects=False,
    )
    assert approved.status_code == 303 and approved.headers["location"] == "/library/approvals"
    assert "ILM Uji Persetujuan" not in client.get("/library/approvals").text
    db.expire_all()
    assert db.get(Asset, asset_id).approval_state == "approved"  # type: ignore[union-attr]


def test_editors_cannot_open_the_approval_queue_or_approve(
    client: TestClient, demo: Demo, db: Session
) -> None:
    asset_id = _submitted_asset(db, "ILM Bukan Untuk Editor")
    token = web_login(client, demo, "editor.komdigi")
    assert client.get("/library/approvals").status_code == 403
    response = client.post(f"/library/{asset_id}/approve", data={"csrf_token": token})
    assert response.status_code == 403
    db.expire_all()
    assert db.get(Asset, asset_id).approval_state == "submitted"  # type: ignore[union-attr]


def test_exports_list_every_format_and_deliver_now_records_the_delivery(
    client: TestClient, demo: Demo, db: Session, built_day: date, tmp_path: Path
) -> None:
    operator = db.exec(select(Operator)).first()
    assert operator is not None
    previous = operator.delivery_target
    operator.delivery_target = str(tmp_path / "outbox")
    db.add(operator)
    db.commit()
    try:
        token = web_login(client, demo, "programmer")
        humas = demo.channels["kanal-humas"]
        params = {"channel": humas, "date": built_day.isoformat()}
        page = client.get("/exports", params=params).text
        assert page.count('data-testid="export-format"') >= 3
        link = f"/api/v1/channels/{humas}/playlists/{built_day.isoformat()}/exports/"
        assert link in page
        sent = client.post(
            "/exports/deliver",
            data={"csrf_token": token, **params, "format": "csv"},
            follow_redirects=True,
        )
        assert "Terkirim ke operator." in sent.text
        assert 'data-status="delivered"' in sent.text
        assert any((tmp_path / "outbox").iterdir())
    finally:
        operator.delivery_target = previous
        db.add(operator)
        db.commit()


def test_a_day_without_a_published_playlist_says_so(
    client: TestClient, demo: Demo, schedule: Seed
) -> None:
    web_login(client, demo, "operator.tvri")
    page = client.get(
        "/exports", params={"channel": demo.channels["kanal-sehat"], "date": "2027-03-01"}
    ).text
    assert 'data-testid="no-playlist"' in page
    assert "Kirim sekarang" not in page  # operators download; only staff deliver


@pytest.fixture
def admin_client(client: TestClient, demo: Demo) -> Iterator[tuple[TestClient, str]]:
    yield client, web_login(client, demo, "admin")


def test_a_custom_template_is_previewed_against_the_sample_day_before_saving(
    admin_client: tuple[TestClient, str],
) -> None:
    client, token = admin_client
    form = {
        "csrf_token": token,
        "key": "daftar-judul",
        "label": "Daftar judul",
        "output_type": "text",
        "file_name_pattern": "{channel_slug}_{date}.txt",
        "source": "{% for item in items %}{{ item.title }}\n{% endfor %}",
    }
    preview = client.post("/exports/formats", data={**form, "action": "preview"})
    assert preview.status_code == 200
    assert 'data-testid="template-preview"' in preview.text
    assert "daftar-judul" not in client.get("/exports/formats").text.split("New format")[0]
    broken = client.post(
        "/exports/formats", data={**form, "source": "{% for x in %}", "action": "preview"}
    )
    assert broken.status_code == 422
    assert "Templat belum dapat digunakan" in broken.text and "line 1" in broken.text


def test_the_reports_page_draws_airtime_per_agency(
    client: TestClient, demo: Demo, built_day: date
) -> None:
    web_login(client, demo, "editor.komdigi")
    day = built_day.isoformat()
    page = client.get("/reports", params={"from": day, "to": day}).text
    assert 'data-testid="airtime-chart"' in page
    assert "KOMDIGI" in page and "PEMPROV DKI" not in page
    assert f"/api/v1/reports/airings?from={day}&amp;to={day}" in page
    assert "format=csv" in page and "format=pdf" in page
    other = client.get("/reports", params={"from": day, "to": day, "agency": 999})
    assert 'data-testid="airtime-chart"' in other.text  # editors are held to their own agency
