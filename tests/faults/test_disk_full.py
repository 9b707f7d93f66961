"""The media disk fills up during a transcode run by the job queue: the job fails with an
error a person can act on, and no partial rendition is left on the disk."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from mux_scheduler.app import create_app
from mux_scheduler.core.settings import Settings
from mux_scheduler.media import testmedia
from tests.assets.helpers import files_under, wait_for_jobs
from tests.conftest import Database, make_settings
from tests.world import auth, build_world

# Room for the 0.3 MB original and its poster, not for a 1080i rendition (~2 MB).
MEDIA_DISK = "640k"


@pytest.fixture
def database(sqlite_db: Database) -> Database:
    return sqlite_db


@pytest.fixture
def small_media_disk(tmp_path: Path) -> Iterator[Path]:
    mount_point = tmp_path / "media"
    mount_point.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={MEDIA_DISK}", "tmpfs", str(mount_point)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(
            f"needs root to mount a {MEDIA_DISK} tmpfs for a real ENOSPC: "
            + mounted.stderr.decode(errors="replace").strip()
        )
    yield mount_point
    subprocess.run(["umount", "-l", str(mount_point)], check=True)


def test_disk_full_during_a_transcode_job_fails_it_cleanly(
    database: Database, session: Session, small_media_disk: Path, tmp_path: Path
) -> None:
    settings: Settings = make_settings(database, tmp_path).model_copy(
        update={"media_root": small_media_disk, "transcode_preset": "ultrafast"}
    )
    world = build_world(session)
    clip = testmedia.make_small_ts(tmp_path / "spot.ts", seconds=2)
    with TestClient(create_app(settings)) as client:
        editor = auth(client, world, "editor.dki")
        with clip.open("rb") as handle:
            uploaded = client.post(
                "/api/v1/assets",
                headers=editor,
                files={"file": ("spot.ts", handle, "video/mp2t")},
                data={"title": "Konferensi Pers", "kind": "programme"},
            )
        assert uploaded.status_code == 201, uploaded.text
        jobs = {job["kind"]: job for job in wait_for_jobs(client, editor)}
        asset = client.get(f"/api/v1/assets/{uploaded.json()['id']}", headers=editor).json()
        renditions = client.get(f"/api/v1/assets/{asset['id']}/renditions", headers=editor).json()

    assert jobs["assets.analyse"]["state"] == "done"
    transcode = jobs["assets.transcode"]
    assert transcode["state"] == "failed"
    assert "disk space" in transcode["error"].lower(), transcode["error"]
    assert asset["status"] == "failed" and "disk space" in asset["reject_reason"].lower()
    assert [r["status"] for r in renditions] == ["failed"]
    leftovers = files_under(small_media_disk / "renditions") + files_under(small_media_disk / "tmp")
    assert leftovers == [], leftovers
    kept = files_under(small_media_disk)
    assert [p.parent.parent.parent.name for p in kept] in (
        ["originals", "thumbnails"],
        ["originals"],
    )
