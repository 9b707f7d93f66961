"""Upload as-run logs over REST and reconcile them, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, func, select

from mux_scheduler.asrun.models import AsRunEvent, AsRunLog
from mux_scheduler.auth.models import Role
from tests.asrun.factories import DAY, EXPECTED_COUNTS, NEXT_DAY, PLAN, Seeded
from tests.conftest import UserFactory, login
from tests.world import World, auth

FIXTURES = Path(__file__).parent / "fixtures"
BXF = FIXTURES / "tvri_asrun_2026-12-01.xml"
CSV = FIXTURES / "tvri_asrun_2026-12-01.csv"


def upload_path(world: World, slug: str = "kanal-humas") -> str:
    return f"/api/v1/channels/{world.channels[slug]}/as-run"


def reconciliation(
    client: TestClient, world: World, headers: dict[str, str], day=DAY
) -> dict[str, Any]:
    response = client.get(
        f"/api/v1/channels/{world.channels['kanal-humas']}/as-run/{day}/reconciliation",
        headers=headers,
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


@pytest.mark.parametrize("fixture", [BXF, CSV], ids=["bxf", "csv"])
def test_log_with_missing_late_short_and_extra_events_reconciles(
    client: TestClient, world: World, seeded: Seeded, fixture: Path
):
    operator = auth(client, world, "operator.tvri")
    response = client.post(
        upload_path(world),
        headers=operator,
        files={"file": (fixture.name, fixture.read_bytes(), "application/octet-stream")},
    )
    assert response.status_code == 201, response.text
    log = response.json()
    assert log["format"] == fixture.suffix.lstrip(".").replace("xml", "bxf")
    assert log["event_count"] == 12
    assert (log["first_date"], log["last_date"]) == (DAY.isoformat(), DAY.isoformat())

    body = reconciliation(client, world, operator)
    assert body["status"] == "reconciled"
    assert body["playlist_version"] == 2  # the published version, not the newer draft
    assert body["counts"] == EXPECTED_COUNTS
    assert [row["status"] for row in body["items"]] == [p.expected for p in PLAN]
    late_ilm, short_ilm, doc = body["items"][2], body["items"][5], body["items"][10]
    assert late_ilm["offset_frames"] == 50
    assert short_ilm["shortfall_frames"] == 250 and short_ilm["aired_duration"] == "00:00:20:00"
    assert doc["offset_frames"] == 250
    assert body["items"][7]["offset_frames"] == 1 and body["items"][7]["shortfall_frames"] == 1
    assert [e["house_id"] for e in body["extras"]] == ["STN-ID-01"]
    assert body["extras"][0]["duration"] == "00:00:28:00"


def test_bxf_matches_by_event_id_and_csv_by_house_id(
    client: TestClient, world: World, seeded: Seeded
):
    operator = auth(client, world, "operator.tvri")
    client.post(upload_path(world), headers=operator, content=BXF.read_bytes())
    items = reconciliation(client, world, operator)["items"]
    assert items[0]["matched_by"] == "event_uid"
    assert items[6]["matched_by"] == "house_id"  # the event without an EventId


def test_raw_body_upload_and_duplicate_is_a_conflict(
    client: TestClient, world: World, seeded: Seeded
):
    programmer = auth(client, world, "programmer")
    path = upload_path(world) + "?file_name=asrun.csv"
    first = client.post(path, headers=programmer, content=CSV.read_bytes())
    assert first.status_code == 201 and first.json()["file_name"] == "asrun.csv"
    again = client.post(path, headers=programmer, content=CSV.read_bytes())
    assert again.status_code == 409
    assert again.headers["content-type"] == "application/problem+json"


def test_bad_line_is_422_naming_it_and_nothing_is_stored(
    client: TestClient, world: World, seeded: Seeded, session: Session
):
    lines = CSV.read_text(encoding="utf-8").splitlines()
    lines[8] = lines[8].replace("00:01:00:00", "00:01:00:99")
    response = client.post(
        upload_path(world),
        headers=auth(client, world, "operator.tvri"),
        content="\r\n".join(lines).encode(),
    )
    assert response.status_code == 422
    problem = response.json()
    assert problem["errors"][0]["loc"] == ["line 9"]
    assert "line 9" in problem["detail"]
    assert session.exec(select(func.count()).select_from(AsRunLog)).one() == 0
    assert session.exec(select(func.count()).select_from(AsRunEvent)).one() == 0


def test_oversized_log_is_refused(client: TestClient, world: World, seeded: Seeded):
    response = client.post(
        upload_path(world),
        headers=auth(client, world, "operator.tvri"),
        content=b"x" * (16 * 1024 * 1024 + 64 * 1024 + 1),
    )
    assert response.status_code == 413


def test_only_operators_of_the_mux_and_staff_upload(
    client: TestClient, world: World, seeded: Seeded, make_user: UserFactory
):
    body = CSV.read_bytes()
    editor = auth(client, world, "editor.komdigi")
    assert client.post(upload_path(world), headers=editor, content=body).status_code == 403
    stranger = login(client, make_user(Role.OPERATOR, operator_id=world.other_operator_id))
    assert client.post(upload_path(world), headers=stranger, content=body).status_code == 404
    day = f"/api/v1/channels/{world.channels['kanal-humas']}/as-run/{DAY}/reconciliation"
    assert client.get(day, headers=stranger).status_code == 404
    own = client.post(upload_path(world, "kanal-sulsel"), headers=stranger, content=body)
    assert own.status_code == 201  # its own channel


def test_editor_sees_only_own_agency_items_and_no_extras(
    client: TestClient, world: World, seeded: Seeded
):
    client.post(
        upload_path(world), headers=auth(client, world, "operator.tvri"), content=BXF.read_bytes()
    )
    body = reconciliation(client, world, auth(client, world, "editor.dki"))
    assert {row["agency_id"] for row in body["items"]} == {world.agencies["PEMPROV DKI"]}
    assert body["counts"] == {"aired": 2, "late": 0, "short": 0, "missed": 1, "extra": 0}
    assert body["extras"] == []


def test_day_without_as_run_is_planned_not_aired(client: TestClient, world: World, seeded: Seeded):
    body = reconciliation(client, world, auth(client, world, "programmer"), NEXT_DAY)
    assert body["status"] == "planned (no as-run yet)"
    assert body["counts"] == {"planned (no as-run yet)": len(PLAN)}
    assert {row["status"] for row in body["items"]} == {"planned (no as-run yet)"}


def _post_csv(client: TestClient, world: World, lines: list[str]) -> None:
    response = client.post(
        upload_path(world),
        headers=auth(client, world, "operator.tvri"),
        content="\r\n".join(lines).encode(),
    )
    assert response.status_code == 201, response.text


def test_logs_cut_at_midnight_add_up(client: TestClient, world: World, seeded: Seeded):
    header, *lines = CSV.read_text(encoding="utf-8").splitlines()
    _post_csv(client, world, [header, *(line for line in lines if line.startswith("01/12"))])
    _post_csv(client, world, [header, *(line for line in lines if line.startswith("02/12"))])
    body = reconciliation(client, world, auth(client, world, "programmer"))
    assert body["counts"] == EXPECTED_COUNTS


def test_a_corrected_log_replaces_the_span_it_covers(
    client: TestClient, world: World, seeded: Seeded
):
    header, *lines = CSV.read_text(encoding="utf-8").splitlines()
    _post_csv(client, world, [header, *lines])
    # Master control finds the DKI ILM did air, and re-sends 06:00-06:01 only.
    correction = [line.replace("GAGAL", "OK") for line in lines[2:5]]
    _post_csv(client, world, [header, *correction])
    body = reconciliation(client, world, auth(client, world, "programmer"))
    assert body["items"][3]["status"] == "aired"
    assert body["counts"] == {**EXPECTED_COUNTS, "missed": 0, "aired": 8}  # nothing doubled
