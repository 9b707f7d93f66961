"""A campaign's whole date range can be changed through the API, never turned backwards."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.api.conftest import World, auth
from tests.scheduling.conftest import SECOND, AssetFactory


def test_campaign_dates_move_together_and_never_backwards(
    client: TestClient, world: World, make_asset: AssetFactory
) -> None:
    headers = auth(client, world, "programmer")
    spot = make_asset(
        agency_id=world.agencies["KEMENKES"],
        title="ILM Cuci Tangan",
        kind="ilm",
        frames=30 * SECOND,
    )
    created = client.post(
        "/api/v1/campaigns",
        json={
            "name": "Cuci Tangan",
            "asset_ids": [spot],
            "valid_from": "2026-12-01",
            "valid_until": "2026-12-31",
            "target_per_day": 3,
            "channel_ids": [world.channels["kanal-humas"]],
        },
        headers=headers,
    )
    assert created.status_code == 201, created.text
    url = f"/api/v1/campaigns/{created.json()['id']}"

    moved = client.patch(url, json={"valid_from": "2026-12-10"}, headers=headers)
    before_start = client.patch(url, json={"valid_until": "2026-12-05"}, headers=headers)
    crossed = client.patch(
        url, json={"valid_from": "2027-01-10", "valid_until": "2027-01-05"}, headers=headers
    )

    assert moved.status_code == 200, moved.text
    assert (moved.json()["valid_from"], moved.json()["valid_until"]) == ("2026-12-10", "2026-12-31")
    assert before_start.status_code == 422 and "before valid_from" in before_start.text
    assert crossed.status_code == 422
    stored = client.get(url, headers=headers).json()
    assert (stored["valid_from"], stored["valid_until"]) == ("2026-12-10", "2026-12-31")
