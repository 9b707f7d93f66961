from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from mux_scheduler.channels.presets import HD_PRESET, SD_PRESET
from mux_scheduler.core.audit import AuditLog
from tests.api.conftest import World, auth


def test_admin_sets_up_an_operator_mux_channel_and_lease(
    client: TestClient, world: World, session: Session
) -> None:
    admin = auth(client, world, "admin")
    operator = client.post(
        "/api/v1/operators",
        json={
            "name": "MNC Mux Papua",
            "slug": "mnc-papua",
            "time_zone": "Asia/Jayapura",
            "cutoff_time": "12:00:00",
            "export_formats": ["bxf"],
        },
        headers=admin,
    )
    assert operator.status_code == 201, operator.text
    mux = client.post(
        "/api/v1/multiplexes",
        json={
            "operator_id": operator.json()["id"],
            "name": "MUX Jayapura",
            "service_area": "Jayapura",
            "uhf_channel": 35,
        },
        headers=admin,
    )
    assert mux.status_code == 201
    profiles = {p["name"]: p for p in client.get("/api/v1/profiles", headers=admin).json()}
    assert profiles[HD_PRESET]["frame_rate"] == "25/1" and profiles[SD_PRESET]["height"] == 576
    assert profiles[HD_PRESET]["loudness_target_lufs"] == -23.0
    channel = client.post(
        "/api/v1/channels",
        json={
            "multiplex_id": mux.json()["id"],
            "profile_id": profiles[SD_PRESET]["id"],
            "name": "Kanal Papua",
            "slug": "kanal-papua",
            "lcn": 35,
            "service_id": 3501,
            "time_zone": "Asia/Jayapura",
        },
        headers=admin,
    )
    assert channel.status_code == 201 and channel.json()["zone_label"] == "WIT"
    lease = client.post(
        "/api/v1/leases",
        json={
            "channel_id": channel.json()["id"],
            "agency_id": world.agencies["KOMDIGI"],
            "valid_from": "2026-12-01",
            "valid_until": "2027-11-30",
            "share_percent": 60,
        },
        headers=admin,
    )
    assert lease.status_code == 201
    listed = client.get(f"/api/v1/multiplexes?operator_id={operator.json()['id']}", headers=admin)
    assert [m["name"] for m in listed.json()] == ["MUX Jayapura"]
    entities = set(session.exec(select(AuditLog.entity).where(AuditLog.action == "create")).all())
    assert {"Operator", "Multiplex", "Channel", "ChannelLease"} <= entities


def test_bad_input_is_a_field_list_in_problem_json(client: TestClient, world: World) -> None:
    admin = auth(client, world, "admin")
    response = client.post(
        "/api/v1/channels",
        json={
            "multiplex_id": 1,
            "profile_id": 1,
            "name": "X",
            "slug": "Bad Slug!",
            "lcn": 0,
            "service_id": 1,
            "time_zone": "Mars/Olympus",
        },
        headers=admin,
    )
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    fields = {err["loc"][-1] for err in response.json()["errors"]}
    assert {"slug", "lcn", "time_zone"} <= fields


def test_lease_dates_must_be_in_order(client: TestClient, world: World) -> None:
    admin = auth(client, world, "admin")
    response = client.post(
        "/api/v1/leases",
        json={
            "channel_id": world.channels["kanal-humas"],
            "agency_id": world.agencies["KEMENKES"],
            "valid_from": "2027-01-01",
            "valid_until": "2026-01-01",
        },
        headers=admin,
    )
    assert response.status_code == 422 and "valid_until" in response.text


def test_reference_to_a_missing_row_is_a_conflict_not_a_crash(
    client: TestClient, world: World
) -> None:
    admin = auth(client, world, "admin")
    response = client.post(
        "/api/v1/multiplexes",
        json={"operator_id": 9999, "name": "Ghost", "service_area": "-", "uhf_channel": 40},
        headers=admin,
    )
    assert response.status_code == 409 and response.json()["status"] == 409


def test_deleting_an_operator_in_use_is_refused_and_nothing_changes(
    client: TestClient, world: World
) -> None:
    admin = auth(client, world, "admin")
    operators = client.get("/api/v1/operators", headers=admin).json()
    tvri = next(o for o in operators if o["slug"] == "tvri-jakarta")
    assert client.delete(f"/api/v1/operators/{tvri['id']}", headers=admin).status_code == 409
    assert client.get(f"/api/v1/operators/{tvri['id']}", headers=admin).status_code == 200


def test_pagination_reports_the_total(client: TestClient, world: World) -> None:
    admin = auth(client, world, "admin")
    page = client.get("/api/v1/users?limit=2&offset=1", headers=admin)
    assert page.headers["x-total-count"] == "6" and len(page.json()) == 2


def test_health_and_metrics_are_public(client: TestClient, world: World) -> None:
    assert client.get("/healthz").json() == {"status": "ok", "database": "ok"}
    client.get("/api/v1/channels")
    metrics = client.get("/metrics")
    assert metrics.status_code == 200
    assert (
        'mux_http_requests_total{method="GET",route="/api/v1/channels",status="401"}'
        in metrics.text
    )
