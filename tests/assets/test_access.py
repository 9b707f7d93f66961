"""Who sees, downloads, changes and approves which asset (SQLite and PostgreSQL)."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from mux_scheduler.assets.models import Rendition
from mux_scheduler.channels.models import Channel
from mux_scheduler.core.audit import AuditLog
from mux_scheduler.core.settings import Settings
from tests.assets.conftest import AssetFactory
from tests.world import World, auth


def _with_rendition(
    session: Session, settings: Settings, make_asset: AssetFactory, world: World, **fields: object
) -> tuple[int, int]:
    asset = make_asset(world.agencies["KEMENKES"], **fields)
    assert asset.id is not None
    profile_id = session.exec(
        select(Channel.profile_id).where(Channel.id == world.channels["kanal-sehat"])
    ).one()
    relative = f"renditions/{asset.id}/{profile_id}.ts"
    (settings.media_root / relative).parent.mkdir(parents=True, exist_ok=True)
    (settings.media_root / relative).write_bytes(b"\x47" * 188)
    session.add(Rendition(asset_id=asset.id, profile_id=profile_id, status="ready", path=relative))
    session.commit()
    return asset.id, profile_id


def test_another_agency_cannot_see_download_approve_or_delete(
    client: TestClient, world: World, session: Session, settings: Settings, make_asset: AssetFactory
) -> None:
    asset_id, profile_id = _with_rendition(session, settings, make_asset, world)
    kemenkes, dki = auth(client, world, "editor.kemenkes"), auth(client, world, "editor.dki")
    assert client.get(f"/api/v1/assets/{asset_id}", headers=kemenkes).status_code == 200
    assert [a["id"] for a in client.get("/api/v1/assets", headers=dki).json()] == []
    for path in ("", "/qc", "/renditions", f"/renditions/{profile_id}/file", "/thumbnail"):
        response = client.get(f"/api/v1/assets/{asset_id}{path}", headers=dki)
        assert response.status_code == 404, path
    assert client.post(f"/api/v1/assets/{asset_id}/submit", headers=dki).status_code == 404
    assert client.post(f"/api/v1/assets/{asset_id}/approve", headers=dki).status_code == 403
    assert (
        client.patch(f"/api/v1/assets/{asset_id}", headers=dki, json={"title": "x"}).status_code
        == 404
    )
    assert client.delete(f"/api/v1/assets/{asset_id}", headers=dki).status_code == 404
    assert client.get(f"/api/v1/assets/{asset_id}", headers=kemenkes).json()["title"] != "x"


def test_operators_read_approved_assets_and_their_own_muxes_renditions(
    client: TestClient, world: World, session: Session, settings: Settings, make_asset: AssetFactory
) -> None:
    draft_id, _ = _with_rendition(session, settings, make_asset, world)
    approved_id, profile_id = _with_rendition(
        session, settings, make_asset, world, approval_state="approved"
    )
    tvri = auth(client, world, "operator.tvri")
    assert [a["id"] for a in client.get("/api/v1/assets", headers=tvri).json()] == [approved_id]
    assert client.get(f"/api/v1/assets/{draft_id}", headers=tvri).status_code == 404
    download = client.get(
        f"/api/v1/assets/{approved_id}/renditions/{profile_id}/file", headers=tvri
    )
    assert download.status_code == 200 and download.headers["content-type"] == "video/mp2t"
    assert client.delete(f"/api/v1/assets/{approved_id}", headers=tvri).status_code == 403


def test_approval_workflow(
    client: TestClient, world: World, session: Session, make_asset: AssetFactory
) -> None:
    asset = make_asset(world.agencies["KEMENKES"])
    url = f"/api/v1/assets/{asset.id}"
    editor, programmer = auth(client, world, "editor.kemenkes"), auth(client, world, "programmer")

    early = client.post(f"{url}/approve", headers=programmer)
    assert early.status_code == 409 and "only a submitted asset" in early.json()["detail"]
    assert client.post(f"{url}/submit", headers=editor).json()["approval_state"] == "submitted"
    assert client.post(f"{url}/submit", headers=editor).status_code == 409
    assert client.post(f"{url}/approve", headers=editor).status_code == 403  # not their own
    assert client.patch(url, headers=editor, json={"title": "Late change"}).status_code == 409

    no_comment = client.post(f"{url}/reject", headers=programmer, json={})
    assert no_comment.status_code == 422
    rejected = client.post(
        f"{url}/reject", headers=programmer, json={"comment": "Logo kementerian terpotong"}
    ).json()
    assert rejected["approval_state"] == "rejected"
    assert rejected["review_comment"] == "Logo kementerian terpotong"
    assert client.patch(url, headers=editor, json={"title": "Logo fixed"}).status_code == 200
    assert client.post(f"{url}/submit", headers=editor).status_code == 200
    approved = client.post(f"{url}/approve", headers=programmer, json={"comment": "OK"}).json()
    assert approved["approval_state"] == "approved" and approved["reviewed_at"]
    actions = session.exec(
        select(AuditLog.action).where(
            AuditLog.entity == "Asset", AuditLog.entity_id == str(asset.id)
        )
    ).all()
    assert actions == ["submit", "reject", "update", "submit", "approve"]


def test_technically_rejected_files_cannot_be_approved(
    client: TestClient, world: World, make_asset: AssetFactory
) -> None:
    asset = make_asset(
        world.agencies["KEMENKES"],
        approval_state="submitted",
        status="rejected",
        reject_reason="File is truncated",
    )
    response = client.post(
        f"/api/v1/assets/{asset.id}/approve", headers=auth(client, world, "programmer")
    )
    assert response.status_code == 409 and "truncated" in response.json()["detail"]


def test_list_filters_and_total(client: TestClient, world: World, make_asset: AssetFactory) -> None:
    kemenkes = world.agencies["KEMENKES"]
    make_asset(kemenkes, title="Vaksinasi Anak", kind="ilm")
    make_asset(kemenkes, title="Dialog Kesehatan", kind="programme")
    make_asset(world.agencies["KOMDIGI"], title="Vaksinasi Digital", kind="ilm")
    programmer = auth(client, world, "programmer")
    response = client.get("/api/v1/assets?kind=ilm&q=vaksin&limit=1", headers=programmer)
    assert response.headers["X-Total-Count"] == "2" and len(response.json()) == 1
    own = client.get(
        f"/api/v1/assets?agency_id={kemenkes}", headers=auth(client, world, "editor.kemenkes")
    )
    assert {a["title"] for a in own.json()} == {"Vaksinasi Anak", "Dialog Kesehatan"}


def test_deleting_an_asset_removes_its_files(
    client: TestClient, world: World, session: Session, settings: Settings, make_asset: AssetFactory
) -> None:
    asset_id, _ = _with_rendition(session, settings, make_asset, world)
    editor = auth(client, world, "editor.kemenkes")
    assert client.delete(f"/api/v1/assets/{asset_id}", headers=editor).status_code == 204
    assert client.get(f"/api/v1/assets/{asset_id}", headers=editor).status_code == 404
    assert not any((settings.media_root / "renditions").rglob("*.ts"))
