"""Multipart and tus uploads on SQLite and PostgreSQL: streaming, limits, duplicates."""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from mux_scheduler.assets.models import Asset
from mux_scheduler.core.settings import Settings
from tests.assets.helpers import files_under, upload, wait_for_jobs
from tests.world import World, auth

TUS = {"Tus-Resumable": "1.0.0"}


def _bytes_file(tmp_path: Path, name: str, size: int) -> Path:
    path = tmp_path / name
    path.write_bytes(bytes(range(256)) * (size // 256) + b"x" * (size % 256))
    return path


def _originals(settings: Settings) -> list[Path]:
    return files_under(settings.media_root / "originals")


def test_same_file_twice_is_stored_once(
    client: TestClient, world: World, settings: Settings, session: Session, tmp_path: Path
) -> None:
    path = _bytes_file(tmp_path, "spot.mp4", 40_000)
    dki, komdigi = auth(client, world, "editor.dki"), auth(client, world, "editor.komdigi")
    first = upload(client, dki, path, filename="../../etc/passwd;rm -rf $HOME.mp4")
    assert first.status_code == 201, first.text
    body = first.json()
    assert body["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert body["size_bytes"] == 40_000
    assert body["original_filename"] == "passwd_rm -rf _HOME.mp4"

    again = upload(client, dki, path)
    assert again.status_code == 409
    assert f"asset {body['id']}" in again.json()["detail"]

    other = upload(client, komdigi, path)
    assert other.status_code == 201 and other.json()["id"] != body["id"]
    stored = _originals(settings)
    assert len(stored) == 1 and stored[0].name == body["sha256"]
    rows = session.exec(select(Asset).where(Asset.sha256 == body["sha256"])).all()
    assert {row.stored_path for row in rows} == {
        f"originals/{body['sha256'][:2]}/{body['sha256'][2:4]}/{body['sha256']}"
    }
    wait_for_jobs(client, dki)


def test_oversize_upload_is_refused_and_leaves_no_bytes(
    client: TestClient, world: World, settings: Settings, tmp_path: Path
) -> None:
    big = _bytes_file(tmp_path, "big.mp4", settings.max_upload_bytes + 1)
    response = upload(client, auth(client, world, "editor.dki"), big)
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"
    assert files_under(settings.media_root) == []


def test_bad_metadata_and_wrong_roles_are_refused_before_storing(
    client: TestClient, world: World, settings: Settings, tmp_path: Path
) -> None:
    path = _bytes_file(tmp_path, "spot.mp4", 1000)
    dki = auth(client, world, "editor.dki")
    bad = upload(
        client, dki, path, kind="sinetron", valid_from="2026-05-01", valid_until="2026-04-01"
    )
    assert bad.status_code == 422
    assert {tuple(e["loc"]) for e in bad.json()["errors"]} >= {("kind",)}
    operator = upload(client, auth(client, world, "operator.tvri"), path)
    assert operator.status_code == 403
    foreign = upload(client, dki, path, agency_id=str(world.agencies["KEMENKES"]))
    assert foreign.status_code == 403
    staff_without_agency = upload(client, auth(client, world, "programmer"), path)
    assert staff_without_agency.status_code == 422
    assert files_under(settings.media_root) == []


def test_staff_upload_for_an_agency(client: TestClient, world: World, tmp_path: Path) -> None:
    path = _bytes_file(tmp_path, "spot.mp4", 1000)
    programmer = auth(client, world, "programmer")
    created = upload(client, programmer, path, agency_id=str(world.agencies["KEMENKES"]))
    assert created.status_code == 201 and created.json()["agency_id"] == world.agencies["KEMENKES"]
    wait_for_jobs(client, programmer)


def _metadata(**values: str) -> str:
    return ",".join(f"{k} {base64.b64encode(v.encode()).decode()}" for k, v in values.items())


def _create(client: TestClient, headers: dict[str, str], length: int, **meta: str) -> str:
    response = client.post(
        "/api/v1/uploads",
        headers={
            **headers,
            **TUS,
            "Upload-Length": str(length),
            "Upload-Metadata": _metadata(filename="spot.mp4", title="Spot", kind="ilm", **meta),
        },
    )
    assert response.status_code == 201, response.text
    assert response.headers["Tus-Resumable"] == "1.0.0"
    location: str = response.headers["Location"]
    return location


def _patch(client: TestClient, headers: dict[str, str], url: str, offset: int, body: bytes):
    return client.patch(
        url,
        content=body,
        headers={
            **headers,
            **TUS,
            "Upload-Offset": str(offset),
            "Content-Type": "application/offset+octet-stream",
        },
    )


def test_tus_upload_in_two_parts_creates_the_asset(
    client: TestClient, world: World, settings: Settings, tmp_path: Path
) -> None:
    data = _bytes_file(tmp_path, "spot.mp4", 100_000).read_bytes()
    dki = auth(client, world, "editor.dki")
    options = client.options("/api/v1/uploads")
    assert options.headers["Tus-Version"] == "1.0.0"
    assert options.headers["Tus-Extension"] == "creation,termination"
    assert int(options.headers["Tus-Max-Size"]) == settings.max_upload_bytes

    url = _create(client, dki, len(data), sha256=hashlib.sha256(data).hexdigest())
    head = client.head(url, headers={**dki, **TUS})
    assert head.headers["Upload-Offset"] == "0" and head.headers["Cache-Control"] == "no-store"
    first = _patch(client, dki, url, 0, data[:60_000])
    assert first.status_code == 204 and first.headers["Upload-Offset"] == "60000"

    wrong = _patch(client, dki, url, 50_000, data[50_000:])
    assert wrong.status_code == 409 and wrong.headers["Tus-Resumable"] == "1.0.0"
    too_much = _patch(client, dki, url, 60_000, data[60_000:] + b"extra")
    assert too_much.status_code == 413

    head = client.head(url, headers={**dki, **TUS})
    assert head.headers["Upload-Offset"] == "60000"
    last = _patch(client, dki, url, 60_000, data[60_000:])
    assert last.status_code == 204 and last.headers["Upload-Offset"] == str(len(data))
    asset_id = last.headers["X-Asset-Id"]
    asset = client.get(f"/api/v1/assets/{asset_id}", headers=dki).json()
    assert asset["sha256"] == hashlib.sha256(data).hexdigest() and asset["title"] == "Spot"
    assert files_under(settings.media_root / "tmp") == []
    wait_for_jobs(client, dki)


def test_tus_protocol_errors(client: TestClient, world: World, settings: Settings) -> None:
    dki = auth(client, world, "editor.dki")
    no_version = client.post("/api/v1/uploads", headers={**dki, "Upload-Length": "10"})
    assert no_version.status_code == 412 and no_version.headers["Tus-Version"] == "1.0.0"
    too_big = client.post(
        "/api/v1/uploads",
        headers={
            **dki,
            **TUS,
            "Upload-Length": str(settings.max_upload_bytes + 1),
            "Upload-Metadata": _metadata(title="Big"),
        },
    )
    assert too_big.status_code == 413
    bad_meta = client.post(
        "/api/v1/uploads",
        headers={**dki, **TUS, "Upload-Length": "10", "Upload-Metadata": _metadata(kind="x")},
    )
    assert bad_meta.status_code == 422  # no title, unknown kind: refused before any byte
    url = _create(client, dki, 10)
    other_user = auth(client, world, "editor.komdigi")
    assert client.head(url, headers={**other_user, **TUS}).status_code == 404
    wrong_type = client.patch(
        url, content=b"0123456789", headers={**dki, **TUS, "Upload-Offset": "0"}
    )
    assert wrong_type.status_code == 415
    assert client.delete(url, headers={**dki, **TUS}).status_code == 204
    assert client.head(url, headers={**dki, **TUS}).status_code == 404
    assert files_under(settings.media_root) == []


def test_tus_checksum_mismatch_drops_the_upload(
    client: TestClient, world: World, settings: Settings
) -> None:
    dki = auth(client, world, "editor.dki")
    url = _create(client, dki, 5, sha256="0" * 64)
    response = _patch(client, dki, url, 0, b"hello")
    assert response.status_code == 460
    assert files_under(settings.media_root) == []
