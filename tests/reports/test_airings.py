"""Proof-of-airing reports: numbers checked against the factory day and its as-run."""

from __future__ import annotations

import csv
import io
from typing import Any

from fastapi.testclient import TestClient

from mux_scheduler.auth.models import Role
from tests.asrun.factories import DAY, NEXT_DAY, PLAN, Seeded
from tests.conftest import UserFactory, login
from tests.world import World, auth

PERIOD = {"from": DAY.isoformat(), "to": NEXT_DAY.isoformat()}


def report(client: TestClient, headers: dict[str, str], **params: object) -> dict[str, Any]:
    response = client.get("/api/v1/reports/airings", headers=headers, params={**PERIOD, **params})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def test_staff_report_numbers(client: TestClient, world: World, aired: Seeded):
    body = report(client, auth(client, world, "programmer"))
    agencies = {a["agency"]: a for a in body["agencies"]}

    komdigi = agencies["KOMDIGI"]
    assert komdigi["planned_count"] == 12  # six items on each of the two days
    assert komdigi["planned"] == {"timecode": "27:54:00:00", "seconds": 100_440.0}
    assert (komdigi["aired_count"], komdigi["late_count"], komdigi["short_count"]) == (5, 2, 1)
    assert (komdigi["missed_count"], komdigi["unconfirmed_count"]) == (0, 6)
    assert komdigi["aired"] == {"timecode": "13:56:50:00", "seconds": 50_210.0}
    assert komdigi["unconfirmed"]["timecode"] == "13:57:00:00"  # day two: no as-run yet
    assert komdigi["ilm_aired"]["seconds"] == 50.0  # 30 s late + 20 s short
    assert komdigi["ilm_share_percent"] == 0.1

    dki = agencies["PEMPROV DKI"]
    assert (dki["aired_count"], dki["missed_count"]) == (2, 1)
    assert dki["aired"] == {"timecode": "05:59:29:24", "seconds": 21_569.96}
    assert agencies["(no agency)"]["planned_count"] == 6

    statuses = {(d["channel"], d["broadcast_date"]): d["status"] for d in body["days"]}
    assert statuses[("kanal-humas", DAY.isoformat())] == "reconciled"
    assert statuses[("kanal-humas", NEXT_DAY.isoformat())] == "planned (no as-run yet)"
    assert statuses[("kanal-sehat", DAY.isoformat())] == "no published playlist"


def test_campaign_targets_windows_and_inserts(client: TestClient, world: World, aired: Seeded):
    body = report(client, auth(client, world, "admin"))
    (campaign,) = body["campaigns"]
    assert campaign["campaign_id"] == aired.campaign_id and campaign["target_per_day"] == 2
    first, second = campaign["days"]
    # one late airing counts, the short one does not: 1 of 2
    assert (first["planned"], first["aired"], first["target_met"]) == (2, 1, False)
    assert (second["status"], second["target_met"]) == ("planned (no as-run yet)", None)

    compliance = body["classification"]
    assert compliance["checked"] == len(PLAN) - 1  # every matched item of the reconciled day
    (violation,) = compliance["violations"]
    assert violation["title"] == "Dokumenter Dewasa" and violation["classification"] == "D"
    assert violation["aired_at"].startswith("2026-12-02T02:00:10")  # ran past 03:00 WIB

    inserts = body["inserts"]
    assert [(r["broadcast_date"], r["status"]) for r in inserts] == [
        (DAY.isoformat(), "aired"),
        (NEXT_DAY.isoformat(), "planned (no as-run yet)"),
    ]


def test_campaign_filter_keeps_only_its_airings(client: TestClient, world: World, aired: Seeded):
    body = report(client, auth(client, world, "programmer"), campaign=aired.campaign_id)
    assert [r["title"] for r in body["items"]] == ["ILM Literasi Digital"] * 4
    assert all(aired.campaign_id in r["campaign_ids"] for r in body["items"])


def test_csv_parses_back_with_formulas_neutralised(client: TestClient, world: World, aired: Seeded):
    response = client.get(
        "/api/v1/reports/airings",
        headers=auth(client, world, "programmer"),
        params={**PERIOD, "format": "csv"},
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert len(rows) == 2 * len(PLAN)
    insert = next(
        r for r in rows if r["source"] == "insert:1" and r["broadcast_date"] == "2026-12-01"
    )
    assert insert["title"] == "'+62 Info Banjir Jakarta"
    assert insert["status"] == "aired" and insert["aired_duration"] == "00:01:00:00"
    late = next(r for r in rows if r["house_id"] == "KMD-ILM-0042")
    assert (late["status"], late["offset_frames"]) == ("late", "50")


def test_pdf_and_html_with_chart(client: TestClient, world: World, aired: Seeded):
    headers = auth(client, world, "programmer")
    html = client.get(
        "/api/v1/reports/airings", headers=headers, params={**PERIOD, "format": "html"}
    )
    assert html.status_code == 200
    assert "<svg" in html.text and "<script" not in html.text
    assert "+62 Info Banjir Jakarta" in html.text
    pdf = client.get("/api/v1/reports/airings", headers=headers, params={**PERIOD, "format": "pdf"})
    assert pdf.status_code == 200, pdf.text
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def test_editor_sees_only_own_agency(client: TestClient, world: World, aired: Seeded):
    dki = auth(client, world, "editor.dki")
    body = report(client, dki)
    assert {r["agency"] for r in body["items"]} == {"PEMPROV DKI"}
    assert [a["agency"] for a in body["agencies"]] == ["PEMPROV DKI"]
    assert body["agency_id"] == world.agencies["PEMPROV DKI"]
    assert body["campaigns"] == []
    other = client.get(
        "/api/v1/reports/airings",
        headers=dki,
        params={**PERIOD, "agency": world.agencies["KOMDIGI"]},
    )
    assert other.status_code == 403
    csv_text = client.get(
        "/api/v1/reports/airings", headers=dki, params={**PERIOD, "format": "csv"}
    ).text
    assert "KOMDIGI" not in csv_text and "Literasi" not in csv_text
    # KEMENKES leases only kanal-sehat: nothing of kanal-humas reaches it.
    assert report(client, auth(client, world, "editor.kemenkes"))["items"] == []


def test_operator_of_another_mux_sees_nothing_of_this_one(
    client: TestClient, world: World, aired: Seeded, make_user: UserFactory
):
    stranger = login(client, make_user(Role.OPERATOR, operator_id=world.other_operator_id))
    body = report(client, stranger)
    assert body["items"] == [] and {d["channel"] for d in body["days"]} == {"kanal-sulsel"}
    own = report(client, auth(client, world, "operator.tvri"))
    assert len(own["items"]) == 2 * len(PLAN)


def test_period_is_validated(client: TestClient, world: World, aired: Seeded):
    headers = auth(client, world, "programmer")
    backwards = client.get(
        "/api/v1/reports/airings",
        headers=headers,
        params={"from": "2026-12-02", "to": "2026-12-01"},
    )
    assert backwards.status_code == 422
    year = client.get(
        "/api/v1/reports/airings",
        headers=headers,
        params={"from": "2026-01-01", "to": "2026-12-31"},
    )
    assert year.status_code == 422
