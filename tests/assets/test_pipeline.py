"""Upload -> analysis -> QC -> transcode -> verified rendition, with the real local worker pool
and real ffmpeg (SQLite only, to keep CI time down)."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from mux_scheduler.core.settings import Settings
from mux_scheduler.media.loudness import measure_loudness
from tests.assets.conftest import ClipFactory
from tests.assets.helpers import ffprobe, files_under, rate, sha256_of, upload, wait_for_jobs
from tests.conftest import Database
from tests.world import World, auth


@pytest.fixture
def database(sqlite_db: Database) -> Database:
    return sqlite_db


def _check_rendition(path: Path, *, width: int, height: int) -> None:
    data = ffprobe(path)
    video = next(s for s in data["streams"] if s["codec_type"] == "video")
    audio = next(s for s in data["streams"] if s["codec_type"] == "audio")
    assert data["format"]["format_name"] == "mpegts"
    assert video["codec_name"] == "h264"
    assert (video["width"], video["height"]) == (width, height)
    assert video["display_aspect_ratio"] == "16:9"
    assert rate(video["r_frame_rate"]) == 25
    assert video["field_order"] == "tt"
    assert (audio["codec_name"], audio["sample_rate"], audio["channels"]) == ("mp2", "48000", 2)
    loudness = measure_loudness(path)
    assert abs(loudness.integrated_lufs - -23.0) <= 1.0
    assert loudness.true_peak_dbtp <= -1.0


@pytest.mark.parametrize(
    "name",
    [
        "hd_1080p30.mp4",
        "phone_vertical_vfr.mp4",
        "sd_4x3_2997.mp4",
        "surround_51.mp4",
        "loud_spot.mp4",
    ],
)
def test_each_kind_of_source_becomes_an_on_air_rendition(
    client: TestClient, world: World, settings: Settings, clip: ClipFactory, name: str
) -> None:
    dki = auth(client, world, "editor.dki")  # leases Kanal Humas only: one HD profile
    created = upload(client, dki, clip(name), title=f"Spot {name}", tags="kesehatan, ILM")
    assert created.status_code == 201, created.text
    asset = created.json()
    assert asset["status"] == "uploaded" and asset["tags"] == ["kesehatan", "ilm"]

    jobs = wait_for_jobs(client, dki)
    assert {(j["kind"], j["state"]) for j in jobs} == {
        ("assets.analyse", "done"),
        ("assets.transcode", "done"),
    }
    done = client.get(f"/api/v1/assets/{asset['id']}", headers=dki).json()
    assert done["status"] == "ready", done
    assert done["duration_frames"] == 50  # 2 s at 25 fps
    qc = client.get(f"/api/v1/assets/{asset['id']}/qc", headers=dki).json()
    assert [report["status"] for report in qc] == ["conform"]
    rendition = client.get(f"/api/v1/assets/{asset['id']}/renditions", headers=dki).json()[0]
    assert rendition["status"] == "ready"
    assert abs(rendition["duration_frames"] - 50) <= 2

    download = client.get(
        f"/api/v1/assets/{asset['id']}/renditions/{rendition['profile_id']}/file", headers=dki
    )
    assert download.status_code == 200
    local = settings.media_root / "downloaded.ts"
    local.write_bytes(download.content)
    assert sha256_of(local) == rendition["sha256"]
    _check_rendition(local, width=1920, height=1080)
    thumb = client.get(f"/api/v1/assets/{asset['id']}/thumbnail", headers=dki)
    assert thumb.status_code == 200 and thumb.content[:2] == b"\xff\xd8"  # JPEG


def test_an_agency_on_two_channels_gets_a_rendition_per_profile(
    client: TestClient, world: World, clip: ClipFactory
) -> None:
    komdigi = auth(client, world, "editor.komdigi")  # Kanal Humas (HD) and Kanal Sehat (SD)
    asset = upload(client, komdigi, clip("hd_720p50.mp4")).json()
    wait_for_jobs(client, komdigi)
    renditions = client.get(f"/api/v1/assets/{asset['id']}/renditions", headers=komdigi).json()
    assert len(renditions) == 2 and {r["status"] for r in renditions} == {"ready"}
    assert client.get(f"/api/v1/assets/{asset['id']}", headers=komdigi).json()["status"] == "ready"


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("zero_length.mp4", "File is empty (0 bytes)"),
        ("text_renamed.mp4", "not a media file"),
        ("truncated.mp4", "truncated"),
        ("audio_only.m4a", "not a video"),
    ],
)
def test_a_bad_file_is_rejected_with_its_reason_and_leaves_nothing(
    client: TestClient,
    world: World,
    settings: Settings,
    clip: ClipFactory,
    name: str,
    reason: str,
) -> None:
    dki = auth(client, world, "editor.dki")
    asset = upload(client, dki, clip(name)).json()
    jobs = wait_for_jobs(client, dki)
    assert [(j["kind"], j["state"]) for j in jobs] == [("assets.analyse", "done")]
    rejected = client.get(f"/api/v1/assets/{asset['id']}", headers=dki).json()
    assert rejected["status"] == "rejected"
    assert reason in rejected["reject_reason"], rejected["reject_reason"]
    assert files_under(settings.media_root) == []
    submit = client.post(f"/api/v1/assets/{asset['id']}/submit", headers=dki)
    assert submit.status_code == 409 and reason in submit.json()["detail"]
