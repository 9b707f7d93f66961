"""A programmer's day: rules and campaigns in, a gap-free frame-exact playlist out."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.conftest import World, auth
from tests.scheduling.conftest import MINUTE, SECOND, AssetFactory, Library

WEDNESDAY = "2026-12-02"
SUNDAY = "2026-12-06"
DAY_FRAMES = 24 * 60 * MINUTE


@pytest.fixture
def library(world: World, make_asset: AssetFactory) -> Library:
    komdigi, dki = world.agencies["KOMDIGI"], world.agencies["PEMPROV DKI"]
    return Library(
        anthem=make_asset(
            agency_id=komdigi, title="Indonesia Raya", kind="programme", frames=3 * MINUTE
        ),
        programmes=[
            make_asset(
                agency_id=komdigi if n % 2 else dki,
                title=f"Dialog Publik episode {n}",
                kind="programme",
                frames=25 * MINUTE + n * SECOND,
                tags=["dialog"],
            )
            for n in range(1, 9)
        ],
        documentary_d=make_asset(
            agency_id=dki,
            title="Dokumenter Narkoba",
            kind="programme",
            frames=28 * MINUTE,
            classification="D",
        ),
        ilms=[
            make_asset(
                agency_id=komdigi,
                title=f"ILM Mudik Aman {n}",
                kind="ilm",
                frames=(30 + 15 * n) * SECOND,
            )
            for n in range(4)
        ],
        station_ids=[
            make_asset(agency_id=komdigi, title=f"Ident {s}s", kind="station_id", frames=s * SECOND)
            for s in (5, 10, 15, 20)
        ],
        filler=make_asset(
            agency_id=dki, title="Pemandangan Jakarta", kind="filler", frames=10 * MINUTE
        ),
    )


def _rules(lib: Library) -> list[dict[str, Any]]:
    return [
        {
            "name": "Indonesia Raya",
            "priority": 100,
            "spec": {"kind": "mandatory", "asset_id": lib.anthem, "at": "06:00"},
        },
        {
            "name": "Press briefing",
            "rrule": "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
            "spec": {
                "kind": "fixed_event",
                "at": "07:00",
                "live": {"title": "Konferensi Pers Harian", "duration_frames": 30 * MINUTE},
            },
        },
        {
            "name": "Dialog Publik",
            "spec": {
                "kind": "block",
                "start": "19:00",
                "end": "21:00",
                "order": "sequential",
                "pool": {"tags": ["dialog"]},
                "breaks": {"break_frames": 90 * SECOND, "every_minutes": 15},
            },
        },
        {
            "name": "Day programmes",
            "priority": -1,
            "spec": {
                "kind": "block",
                "start": "08:00",
                "end": "18:00",
                "order": "lru",
                "pool": {"kinds": ["programme"]},
            },
        },
        {
            "name": "Fillers",
            "spec": {"kind": "filler_pool", "pool": {"kinds": ["station_id", "filler"]}},
        },
    ]


def _setup(client: TestClient, world: World, lib: Library) -> tuple[dict[str, str], int]:
    headers = auth(client, world, "programmer")
    channel = world.channels["kanal-humas"]
    for rule in _rules(lib):
        response = client.post(f"/api/v1/channels/{channel}/rules", json=rule, headers=headers)
        assert response.status_code == 201, response.text
    return headers, channel


def _assert_exact_day(playlist: dict[str, Any]) -> None:
    items = playlist["items"]
    assert items[0]["start_frames"] == 0
    for before, after in itertools.pairwise(items):
        assert before["start_frames"] + before["duration_frames"] == after["start_frames"]
    assert sum(i["duration_frames"] for i in items) == playlist["day_frames"] == DAY_FRAMES


def test_weekday_build_is_gap_free_with_anthem_and_briefing(
    client: TestClient, world: World, library: Library
) -> None:
    headers, channel = _setup(client, world, library)
    response = client.post(
        f"/api/v1/channels/{channel}/playlists/{WEDNESDAY}/build", headers=headers
    )
    assert response.status_code == 201, response.text
    playlist = response.json()
    _assert_exact_day(playlist)
    by_start = {i["start_frames"]: i for i in playlist["items"]}
    anthem = by_start[60 * MINUTE]
    assert anthem["asset_id"] == library.anthem and anthem["start_local"] == "06:00:00"
    assert anthem["start_timecode"] == "01:00:00:00"
    briefing = by_start[120 * MINUTE]
    assert briefing["title"] == "Konferensi Pers Harian" and briefing["item_type"] == "live"
    assert (
        playlist["zone_label"] == "WIB"
        and playlist["version"] == 1
        and playlist["state"] == "draft"
    )
    evening = [
        i for i in playlist["items"] if 14 * 60 * MINUTE <= i["start_frames"] < 16 * 60 * MINUTE
    ]
    assert any(i["item_type"] == "ilm" for i in evening), "ILM breaks inside the evening block"


def test_briefing_is_absent_on_sunday(client: TestClient, world: World, library: Library) -> None:
    headers, channel = _setup(client, world, library)
    playlist = client.post(
        f"/api/v1/channels/{channel}/playlists/{SUNDAY}/build", headers=headers
    ).json()
    _assert_exact_day(playlist)
    assert all(i["title"] != "Konferensi Pers Harian" for i in playlist["items"])


def test_d_rated_documentary_only_airs_late(
    client: TestClient, world: World, library: Library
) -> None:
    headers, channel = _setup(client, world, library)
    late_block = {
        "name": "Late night",
        "spec": {
            "kind": "block",
            "start": "22:00",
            "end": "02:00",
            "order": "lru",
            "pool": {"kinds": ["programme"]},
        },
    }
    assert (
        client.post(
            f"/api/v1/channels/{channel}/rules", json=late_block, headers=headers
        ).status_code
        == 201
    )
    playlist = client.post(
        f"/api/v1/channels/{channel}/playlists/{WEDNESDAY}/build", headers=headers
    ).json()
    starts = [i["start_local"] for i in playlist["items"] if i["asset_id"] == library.documentary_d]
    assert starts, "the late block gives the D documentary a legal slot"
    assert all(s >= "22:00:00" or s < "03:00:00" for s in starts), starts


def test_d_rated_documentary_forced_at_20_is_reported(
    client: TestClient, world: World, library: Library
) -> None:
    headers, channel = _setup(client, world, library)
    forced = {
        "name": "Wrong slot",
        "priority": 50,
        "spec": {"kind": "fixed_event", "at": "20:00", "asset_id": library.documentary_d},
    }
    client.post(f"/api/v1/channels/{channel}/rules", json=forced, headers=headers)
    client.post(f"/api/v1/channels/{channel}/playlists/{WEDNESDAY}/build", headers=headers)
    report = client.get(
        f"/api/v1/channels/{channel}/playlists/{WEDNESDAY}/report", headers=headers
    ).json()
    violations = [v for v in report["violations"] if v["code"] == "classification_window"]
    assert violations and violations[0]["severity"] == "error"


def test_publish_then_editors_see_it_and_lock_freezes_it(
    client: TestClient, world: World, library: Library
) -> None:
    headers, channel = _setup(client, world, library)
    base = f"/api/v1/channels/{channel}/playlists/{WEDNESDAY}"
    client.post(f"{base}/build", headers=headers)
    editor = auth(client, world, "editor.dki")
    assert client.get(base, headers=editor).status_code == 404, "drafts are the programmer's"
    published = client.post(f"{base}/publish", headers=headers)
    assert published.status_code == 200, published.text
    assert published.json()["state"] == "published"
    assert client.get(base, headers=editor).json()["version"] == 1
    assert client.post(f"{base}/publish", headers=editor).status_code == 403
    assert client.post(f"{base}/lock", headers=headers).json()["state"] == "locked"
    rebuild = client.post(f"{base}/build", headers=headers)
    assert rebuild.status_code == 409 and "locked" in rebuild.json()["detail"]


def test_publishing_with_errors_is_refused_with_the_list(
    client: TestClient, world: World, library: Library, make_asset: AssetFactory
) -> None:
    headers, channel = _setup(client, world, library)
    pending = make_asset(
        agency_id=world.agencies["KOMDIGI"],
        title="Belum siap",
        kind="programme",
        frames=20 * MINUTE,
        rendition_ready=False,
    )
    client.post(
        f"/api/v1/channels/{channel}/rules",
        json={
            "name": "Pending at noon",
            "spec": {"kind": "fixed_event", "at": "12:00", "asset_id": pending},
        },
        headers=headers,
    )
    base = f"/api/v1/channels/{channel}/playlists/{WEDNESDAY}"
    built = client.post(f"{base}/build", headers=headers).json()
    assert any("pending_rendition" in i["flags"] for i in built["items"])
    refused = client.post(f"{base}/publish", headers=headers)
    assert refused.status_code == 422
    assert refused.headers["content-type"] == "application/problem+json"
    assert "pending_rendition" in {e["code"] for e in refused.json()["errors"]}
    report = client.get(f"{base}/report", headers=headers).json()
    assert report["total_frames"] == DAY_FRAMES and report["publish_blockers"] >= 1


def test_manual_move_survives_a_rebuild(client: TestClient, world: World, library: Library) -> None:
    headers, channel = _setup(client, world, library)
    base = f"/api/v1/channels/{channel}/playlists/{WEDNESDAY}"
    first = client.post(f"{base}/build", headers=headers).json()
    target = next(
        i
        for i in first["items"]
        if i["item_type"] == "programme" and i["start_frames"] > 3 * 3600 * SECOND
    )
    new_start = 23 * 60 * MINUTE  # 04:00 local, near the end of the broadcast day
    edited = client.patch(
        f"{base}/items/{target['id']}",
        json={"action": "move", "start_frames": new_start},
        headers=headers,
    )
    assert edited.status_code == 200, edited.text
    assert edited.json()["version"] == 2
    rebuilt = client.post(f"{base}/build", headers=headers).json()
    assert rebuilt["version"] == 3
    _assert_exact_day(rebuilt)
    moved = [i for i in rebuilt["items"] if i["start_frames"] == new_start]
    assert moved and moved[0]["asset_id"] == target["asset_id"] and moved[0]["locked"]


def test_campaign_target_reported(client: TestClient, world: World, library: Library) -> None:
    headers, channel = _setup(client, world, library)
    campaign = client.post(
        "/api/v1/campaigns",
        json={
            "name": "Mudik Aman 2026",
            "asset_ids": library.ilms[:2],
            "valid_from": "2026-12-01",
            "valid_until": "2026-12-31",
            "target_per_day": 6,
            "windows": [{"start": "06:00", "end": "22:00"}],
            "channel_ids": [channel],
        },
        headers=headers,
    )
    assert campaign.status_code == 201, campaign.text
    built = client.post(
        f"/api/v1/channels/{channel}/playlists/{WEDNESDAY}/build", headers=headers
    ).json()
    report = client.get(
        f"/api/v1/channels/{channel}/playlists/{WEDNESDAY}/report", headers=headers
    ).json()
    fulfilment = {c["campaign_id"]: c for c in report["campaigns"]}[str(campaign.json()["id"])]
    assert fulfilment["met"] and fulfilment["placed"] >= 6
    spots = [i for i in built["items"] if i["source"] == f"campaign:{campaign.json()['id']}"]
    assert all("06:00:00" <= i["start_local"] < "22:00:00" for i in spots)


def test_rule_input_is_validated(client: TestClient, world: World) -> None:
    headers = auth(client, world, "programmer")
    channel = world.channels["kanal-humas"]
    bad_rrule = {"name": "x", "rrule": "FREQ=SOMETIMES", "spec": {"kind": "filler_pool"}}
    both = {
        "name": "y",
        "spec": {
            "kind": "fixed_event",
            "at": "07:00",
            "asset_id": 1,
            "live": {"title": "t", "duration_frames": 25},
        },
    }
    for body in (bad_rrule, both):
        response = client.post(f"/api/v1/channels/{channel}/rules", json=body, headers=headers)
        assert response.status_code == 422, response.text
        assert response.json()["errors"]
    editor = auth(client, world, "editor.komdigi")
    forbidden = client.post(
        f"/api/v1/channels/{channel}/rules",
        json={"name": "z", "spec": {"kind": "filler_pool"}},
        headers=editor,
    )
    assert forbidden.status_code == 403


def test_mux_view_lists_every_channel_of_the_mux(
    client: TestClient, world: World, library: Library
) -> None:
    headers, channel = _setup(client, world, library)
    client.post(f"/api/v1/channels/{channel}/playlists/{WEDNESDAY}/build", headers=headers)
    mux = client.get("/api/v1/multiplexes", headers=headers).json()[0]["id"]
    view = client.get(
        f"/api/v1/multiplexes/{mux}/schedule?date={WEDNESDAY}", headers=headers
    ).json()
    channels = {c["name"]: c for c in view["channels"]}
    assert channels["Kanal Humas Pemerintah"]["playlist"]["day_frames"] == DAY_FRAMES
    assert channels["Kanal Indonesia Sehat"]["playlist"] is None


def test_same_inputs_same_playlist(client: TestClient, world: World, library: Library) -> None:
    headers, channel = _setup(client, world, library)
    base = f"/api/v1/channels/{channel}/playlists/{WEDNESDAY}"
    first = client.post(f"{base}/build", headers=headers).json()["items"]
    second = client.post(f"{base}/build", headers=headers).json()["items"]
    strip = lambda items: [(i["start_frames"], i["asset_id"], i["event_uid"]) for i in items]  # noqa: E731
    assert strip(first) == strip(second)


def test_new_24h_channel_carries_indonesia_raya_by_tag(
    client: TestClient, world: World, make_asset: AssetFactory
) -> None:
    admin = auth(client, world, "admin")
    humas = client.get(f"/api/v1/channels/{world.channels['kanal-humas']}", headers=admin).json()
    created = client.post(
        "/api/v1/channels",
        json={
            "multiplex_id": humas["multiplex_id"],
            "profile_id": humas["profile_id"],
            "name": "Kanal Baru",
            "slug": "kanal-baru",
            "lcn": 45,
            "service_id": 4205,
        },
        headers=admin,
    ).json()
    rules = client.get(f"/api/v1/channels/{created['id']}/rules", headers=admin).json()
    assert [(r["kind"], r["spec"]["tag"], r["spec"]["at"]) for r in rules] == [
        ("mandatory", "indonesia-raya", "06:00:00")
    ]
    client.post(
        "/api/v1/leases",
        json={
            "channel_id": created["id"],
            "agency_id": world.agencies["KOMDIGI"],
            "valid_from": "2026-01-01",
        },
        headers=admin,
    )
    programmer = auth(client, world, "programmer")
    base = f"/api/v1/channels/{created['id']}/playlists/{WEDNESDAY}"
    missing = client.post(f"{base}/build", headers=programmer)
    assert "unknown_asset" in {
        v["code"] for v in client.get(f"{base}/report", headers=programmer).json()["violations"]
    }
    assert missing.status_code == 201
    anthem = make_asset(
        agency_id=world.agencies["KOMDIGI"],
        title="Indonesia Raya (2026)",
        kind="programme",
        frames=3 * MINUTE,
        tags=["indonesia-raya"],
    )
    day = client.post(f"{base}/build", headers=programmer).json()
    at_six = [i for i in day["items"] if i["start_local"] == "06:00:00"]
    assert at_six and at_six[0]["asset_id"] == anthem
