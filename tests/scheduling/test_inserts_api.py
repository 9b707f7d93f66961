"""Rapid response: an urgent clarification into three published channels of one mux."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from mux_scheduler.channels.models import Channel
from mux_scheduler.core.audit import AuditLog
from tests.api.conftest import World, auth
from tests.scheduling.conftest import MINUTE, SECOND, AssetFactory

DAY = "2026-12-02"
# 10:00 WIB on the broadcast day: 03:00 UTC.
NOW = datetime(2026, 12, 2, 3, 0, tzinfo=UTC)
DAY_FRAMES = 24 * 60 * MINUTE
FIVE_HOURS = 5 * 60 * MINUTE  # 10:00 is 5 h after the 05:00 day start


@pytest.fixture
def third_channel(world: World, session: Session) -> int:
    humas = session.get(Channel, world.channels["kanal-humas"])
    assert humas is not None
    extra = Channel(
        multiplex_id=humas.multiplex_id,
        profile_id=humas.profile_id,
        name="Kanal Informasi",
        slug="kanal-info",
        lcn=44,
        service_id=4203,
    )
    session.add(extra)
    session.commit()
    assert extra.id is not None
    return extra.id


@pytest.fixture
def published(
    client: TestClient, world: World, make_asset: AssetFactory, third_channel: int
) -> dict[str, object]:
    komdigi, kemenkes = world.agencies["KOMDIGI"], world.agencies["KEMENKES"]
    admin = auth(client, world, "admin")
    client.post(
        "/api/v1/leases",
        json={"channel_id": third_channel, "agency_id": komdigi, "valid_from": "2026-01-01"},
        headers=admin,
    )
    for n in range(6):
        make_asset(
            agency_id=komdigi, title=f"Program {n}", kind="programme", frames=(25 + n) * MINUTE
        )
        make_asset(
            agency_id=kemenkes,
            title=f"Program Sehat {n}",
            kind="programme",
            frames=(26 + n) * MINUTE,
        )
    for seconds in (5, 10, 15, 20):
        make_asset(
            agency_id=komdigi, title=f"Ident {seconds}", kind="station_id", frames=seconds * SECOND
        )
        make_asset(
            agency_id=kemenkes,
            title=f"Ident sehat {seconds}",
            kind="station_id",
            frames=seconds * SECOND,
        )
    make_asset(agency_id=komdigi, title="Filler", kind="filler", frames=5 * MINUTE)
    make_asset(agency_id=kemenkes, title="Filler sehat", kind="filler", frames=5 * MINUTE)
    spot = make_asset(
        agency_id=komdigi, title="Klarifikasi Hoaks Banjir", kind="ilm", frames=30 * SECOND
    )
    programmer = auth(client, world, "programmer")
    channels = [world.channels["kanal-humas"], world.channels["kanal-sehat"], third_channel]
    rules = [
        {
            "name": "Programmes",
            "spec": {
                "kind": "block",
                "start": "05:00",
                "end": "04:30",
                "pool": {"kinds": ["programme"]},
                "order": "lru",
            },
        },
        {
            "name": "Fillers",
            "spec": {"kind": "filler_pool", "pool": {"kinds": ["station_id", "filler"]}},
        },
    ]
    for channel in channels:
        for rule in rules:
            assert (
                client.post(
                    f"/api/v1/channels/{channel}/rules", json=rule, headers=programmer
                ).status_code
                == 201
            )
        base = f"/api/v1/channels/{channel}/playlists/{DAY}"
        assert client.post(f"{base}/build", headers=programmer).status_code == 201
        published = client.post(f"{base}/publish", headers=programmer)
        assert published.status_code == 200, published.text
    mux = client.get(f"/api/v1/channels/{channels[0]}", headers=programmer).json()["multiplex_id"]
    client.app.state.clock = lambda: NOW  # type: ignore[attr-defined]
    return {"spot": spot, "channels": channels, "mux": mux, "headers": programmer}


def test_next_break_insert_on_a_whole_mux(
    client: TestClient, published: dict, session: Session
) -> None:
    headers = published["headers"]
    before = {
        c: client.get(f"/api/v1/channels/{c}/playlists/{DAY}", headers=headers).json()
        for c in published["channels"]
    }
    response = client.post(
        "/api/v1/inserts",
        json={
            "asset_id": published["spot"],
            "multiplex_id": published["mux"],
            "placement": {"mode": "next_break"},
            "reason": "Klarifikasi hoaks banjir Bekasi",
        },
        headers=headers,
    )
    assert response.status_code == 201, response.text
    results = {r["channel_id"]: r for r in response.json()["results"]}
    assert set(results) == set(published["channels"])
    margin_end = FIVE_HOURS + 5 * MINUTE
    for channel in published["channels"]:
        result = results[channel]
        assert result["ok"], result
        assert {c["action"] for c in result["changes"]} >= {"inserted"}
        after = client.get(f"/api/v1/channels/{channel}/playlists/{DAY}", headers=headers).json()
        assert after["version"] == before[channel]["version"] + 1 and after["state"] == "published"
        items = after["items"]
        assert sum(i["duration_frames"] for i in items) == DAY_FRAMES
        for a, b in itertools.pairwise(items):
            assert a["start_frames"] + a["duration_frames"] == b["start_frames"]
        aired_before = [i for i in before[channel]["items"] if i["start_frames"] < margin_end]
        untouched = [(i["start_frames"], i["house_id"], i["duration_frames"]) for i in aired_before]
        assert [
            (i["start_frames"], i["house_id"], i["duration_frames"])
            for i in items[: len(untouched)]
        ] == untouched
        inserted = [i for i in items if "rapid_response" in i["flags"]]
        assert len(inserted) == 1 and inserted[0]["start_frames"] >= margin_end
        assert inserted[0]["source"].startswith("insert:")
    actions = session.exec(select(AuditLog.action).where(AuditLog.entity == "RapidInsert")).all()
    assert actions == ["rapid_insert"]


def test_insert_inside_the_safety_margin_says_why(client: TestClient, published: dict) -> None:
    too_soon = (NOW + timedelta(minutes=2)).isoformat()
    response = client.post(
        "/api/v1/inserts",
        json={
            "asset_id": published["spot"],
            "channel_ids": published["channels"][:1],
            "placement": {"mode": "at", "at": too_soon},
            "reason": "Peringatan dini cuaca",
        },
        headers=published["headers"],
    )
    assert response.status_code == 201
    result = response.json()["results"][0]
    assert not result["ok"] and "safety margin" in result["error"]


def test_repeat_every_hour_until_evening(client: TestClient, published: dict) -> None:
    response = client.post(
        "/api/v1/inserts",
        json={
            "asset_id": published["spot"],
            "channel_ids": published["channels"][:1],
            "placement": {
                "mode": "repeat",
                "at": "2026-12-02T11:00:00+07:00",
                "every_minutes": 60,
                "until": "2026-12-02T15:00:00+07:00",
            },
            "reason": "Himbauan evakuasi",
        },
        headers=published["headers"],
    )
    result = response.json()["results"][0]
    assert result["ok"], result
    assert result["placed_at"] == [f"{h}:00:00 WIB" for h in (11, 12, 13, 14, 15)]


def test_naive_time_and_editor_are_refused(
    client: TestClient, published: dict, world: World
) -> None:
    naive = client.post(
        "/api/v1/inserts",
        json={
            "asset_id": published["spot"],
            "channel_ids": published["channels"][:1],
            "placement": {"mode": "at", "at": "2026-12-02T11:00:00"},
            "reason": "tanpa zona",
        },
        headers=published["headers"],
    )
    assert naive.status_code == 422 and "time zone" in naive.text
    editor = auth(client, world, "editor.komdigi")
    denied = client.post(
        "/api/v1/inserts",
        json={
            "asset_id": published["spot"],
            "channel_ids": published["channels"][:1],
            "placement": {"mode": "next_break"},
            "reason": "bukan hak editor",
        },
        headers=editor,
    )
    assert denied.status_code == 403
