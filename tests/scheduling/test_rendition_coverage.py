"""A campaign that puts one agency's spot on another agency's channel gets it conformed."""

from __future__ import annotations

import json
from pathlib import Path

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from mux_scheduler.assets.models import Asset, AssetKind, Rendition
from mux_scheduler.channels.models import Channel
from mux_scheduler.jobs.models import Job
from tests.api.conftest import World, auth

PROBE = json.loads(
    (Path(__file__).parents[1] / "media" / "data" / "probe_hd_1080p30.json").read_text()
)


def test_campaign_queues_the_missing_conform(
    client: TestClient, world: World, session: Session
) -> None:
    kemenkes_spot = Asset(
        agency_id=world.agencies["KEMENKES"],
        title="ILM Imunisasi",
        kind=AssetKind.ILM,
        approval_state="approved",
        sha256="e" * 64,
        size_bytes=10,
        status="ready",
        stored_path="originals/ee/ee/" + "e" * 64,
        duration_frames=750,
        probe={"ffprobe": PROBE},
        loudness={
            "2@48000": {
                "integrated_lufs": -23.0,
                "lra_lu": 3.0,
                "true_peak_dbtp": -3.0,
                "threshold_lufs": -33.0,
            }
        },
    )
    session.add(kemenkes_spot)
    session.commit()
    humas = session.get(Channel, world.channels["kanal-humas"])
    assert humas is not None and kemenkes_spot.id is not None
    response = client.post(
        "/api/v1/campaigns",
        json={
            "name": "Imunisasi",
            "asset_ids": [kemenkes_spot.id],
            "valid_from": "2026-12-01",
            "valid_until": "2026-12-31",
            "target_per_day": 4,
            "channel_ids": [humas.id],
        },
        headers=auth(client, world, "programmer"),
    )
    assert response.status_code == 201, response.text
    session.expire_all()
    renditions = session.exec(select(Rendition).where(Rendition.asset_id == kemenkes_spot.id)).all()
    assert [r.profile_id for r in renditions] == [humas.profile_id]
    jobs = session.exec(select(Job).where(Job.asset_id == kemenkes_spot.id)).all()
    assert [(j.kind, j.payload["profile_id"]) for j in jobs] == [
        ("assets.transcode", humas.profile_id)
    ]
