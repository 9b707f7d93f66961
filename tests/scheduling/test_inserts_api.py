"""Rapid response: an urgent clarification into three published channels of one mux."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from mux_scheduler.automation.models import Alert
from mux_scheduler.channels.models import Channel, Operator
from mux_scheduler.core.audit import AuditLog
from mux_scheduler.core.settings import Settings
from mux_scheduler.delivery.models import Delivery
from mux_scheduler.delivery.rapid import RapidDelivery
from tests.api.conftest import World, auth
from tests.exports.xml_util import parse_xml
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


BXF = "{http://smpte-ra.org/schemas/2021/2008/BXF}"


@pytest.fixture
def outbox(world: World, session: Session, tmp_path: Path) -> Path:
    """The demo operator delivers to a folder of this test (never the work tree)."""
    operator = session.exec(select(Operator).where(Operator.slug == "tvri-jakarta")).one()
    operator.delivery_kind = "folder"
    operator.delivery_target = str(tmp_path / "outbox")
    operator.export_formats = ["bxf", "xmltv", "csv"]
    session.add(operator)
    session.commit()
    return tmp_path / "outbox"


@pytest.fixture
def published(
    client: TestClient, world: World, make_asset: AssetFactory, third_channel: int, outbox: Path
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


def _slug(session: Session, channel_id: int) -> str:
    channel = session.get(Channel, channel_id)
    assert channel is not None
    return channel.slug


def _assert_delivered_update(
    outbox: Path, slug: str, result: dict, before: dict, after: dict
) -> None:
    """The operator got a BXF update with exactly the changed events, and full other files."""
    version = after["version"]
    assert {(d["format"], d["file"], d["status"], d["update"]) for d in result["deliveries"]} == {
        ("bxf", f"{slug}_{DAY}_v{version}_update.bxf.xml", "delivered", True),
        ("xmltv", f"{slug}_{DAY}_v{version}.xmltv.xml", "delivered", False),
        ("csv", f"{slug}_{DAY}_v{version}.csv", "delivered", False),
    }
    old_uids = {i["event_uid"] for i in before["items"]}
    changed = {i["event_uid"] for i in after["items"] if i["event_uid"] not in old_uids}
    inserted = next(i for i in after["items"] if "rapid_response" in i["flags"])
    assert inserted["event_uid"] in changed and len(changed) < len(after["items"]) / 2
    bxf = parse_xml((outbox / f"{slug}_{DAY}_v{version}_update.bxf.xml").read_bytes())
    assert bxf.find(f"{BXF}BxfData").get("action") == "update"
    sent = {
        e.text.removeprefix("urn:uuid:").replace("-", "")
        for e in bxf.iter(f"{BXF}EventId")
        if e.text and e.text.strip()
    }
    assert sent == changed
    csv_rows = (outbox / f"{slug}_{DAY}_v{version}.csv").read_text().splitlines()
    assert len(csv_rows) == len(after["items"]) + 1  # header + every item: a full file
    assert (outbox / f"{slug}_{DAY}_v{version}.xmltv.xml").stat().st_size > 0


def test_next_break_insert_on_a_whole_mux(
    client: TestClient, published: dict, session: Session, outbox: Path
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
        moved = {c["action"] for c in result["changes"]} - {"inserted"}
        assert moved, "the insert took its time from something, and says what"
        _assert_delivered_update(outbox, _slug(session, channel), result, before[channel], after)
    actions = session.exec(select(AuditLog.action).where(AuditLog.entity == "RapidInsert")).all()
    assert actions == ["rapid_insert"]
    triggers = session.exec(select(Delivery.trigger, Delivery.status)).all()
    assert triggers == [("rapid", "delivered")] * 9  # 3 channels x (BXF update, XMLTV, CSV)


def test_the_full_day_file_still_goes_out_after_the_update(
    client: TestClient, published: dict, session: Session, outbox: Path
) -> None:
    """The update and the full BXF of one version are two files: neither swallows the other."""
    channel = published["channels"][0]
    response = client.post(
        "/api/v1/inserts",
        json={
            "asset_id": published["spot"],
            "channel_ids": [channel],
            "placement": {"mode": "next_break"},
            "reason": "Klarifikasi resmi",
        },
        headers=published["headers"],
    )
    assert response.json()["results"][0]["ok"]
    full = client.post(
        f"/api/v1/channels/{channel}/playlists/{DAY}/exports/bxf/deliver",
        headers=published["headers"],
    )
    assert full.status_code == 200, full.text
    assert full.json()["status"] == "delivered" and full.json()["trigger"] == "manual"
    slug = _slug(session, channel)
    names = sorted(p.name for p in outbox.iterdir() if p.name.endswith(".bxf.xml"))
    assert names == [f"{slug}_{DAY}_v2.bxf.xml", f"{slug}_{DAY}_v2_update.bxf.xml"]
    full_bxf = parse_xml((outbox / names[0]).read_bytes())
    assert full_bxf.find(f"{BXF}BxfData").get("action") == "add"


def test_a_failed_delivery_keeps_the_insert_and_raises_an_alert(
    client: TestClient, published: dict, session: Session, settings: Settings, tmp_path: Path
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the operator's folder should be")
    operator = session.exec(select(Operator).where(Operator.slug == "tvri-jakarta")).one()
    operator.delivery_target = str(blocker / "outbox")
    session.add(operator)
    session.commit()
    client.app.state.insert_delivery_hook = RapidDelivery(  # type: ignore[attr-defined]
        settings, sleep=lambda _seconds: None
    )
    channel = published["channels"][0]
    response = client.post(
        "/api/v1/inserts",
        json={
            "asset_id": published["spot"],
            "channel_ids": [channel],
            "placement": {"mode": "next_break"},
            "reason": "Peringatan dini banjir",
        },
        headers=published["headers"],
    )
    assert response.status_code == 201, response.text
    result = response.json()["results"][0]
    assert result["ok"] and result["version"] == 2
    assert [d["status"] for d in result["deliveries"]] == ["failed"] * 3
    assert all(d["error"] for d in result["deliveries"])
    day = client.get(f"/api/v1/channels/{channel}/playlists/{DAY}", headers=published["headers"])
    assert day.json()["version"] == 2 and day.json()["state"] == "published"
    alerts = session.exec(
        select(Alert.kind, Alert.channel_id).where(col(Alert.kind) == "rapid-delivery-failed")
    ).all()
    assert alerts == [("rapid-delivery-failed", channel)] * 3
    stored = client.get(f"/api/v1/inserts/{response.json()['id']}", headers=published["headers"])
    assert stored.json()["results"][0]["deliveries"] == result["deliveries"]


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


def test_an_insert_after_the_broadcast_day_says_why(client: TestClient, published: dict) -> None:
    response = client.post(
        "/api/v1/inserts",
        json={
            "asset_id": published["spot"],
            "channel_ids": published["channels"][:1],
            "placement": {"mode": "at", "at": "2026-12-03T06:00:00+07:00"},
            "reason": "Siaran pers besok pagi",
        },
        headers=published["headers"],
    )
    result = response.json()["results"][0]
    assert not result["ok"] and "not in today's broadcast day" in result["error"]
    assert result["deliveries"] == []
