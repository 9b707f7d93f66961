"""Custom export templates uploaded through the API: valid, broken and hostile ones."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from mux_scheduler.exports.models import ExportTemplate
from tests.delivery.factories import ITEMS_PER_DAY, make_day
from tests.world import World, auth

DAY = date(2026, 12, 3)
ONE_BACKEND = pytest.mark.parametrize("database", ["sqlite"], indirect=True)
PLAYOUT_TXT = (
    "# {{ channel.name }} {{ playlist.broadcast_date }} v{{ playlist.version }}\n"
    "{% for item in items %}{{ item.start_timecode }} {{ item.duration_timecode }} "
    "{{ item.file_name }} {{ item.title }}\n{% endfor %}"
)


def _template(**overrides: Any) -> dict[str, Any]:
    return {
        "key": "playout-txt",
        "label": "Playout text list",
        "output_type": "text",
        "file_name_pattern": "{channel_slug}_{date}_v{version}.txt",
        "source": PLAYOUT_TXT,
        **overrides,
    }


def _upload(client: TestClient, world: World, user: str = "admin", **overrides: Any) -> Any:
    return client.post(
        "/api/v1/export-formats", json=_template(**overrides), headers=auth(client, world, user)
    )


def test_uploaded_template_lists_previews_and_exports(
    client: TestClient, world: World, session: Session
) -> None:
    created = _upload(client, world)
    assert created.status_code == 201, created.text
    assert created.json()["builtin"] is False
    operator = auth(client, world, "operator.tvri")
    keys = [f["key"] for f in client.get("/api/v1/export-formats", headers=operator).json()]
    assert "playout-txt" in keys
    preview = client.get("/api/v1/export-formats/playout-txt/preview", headers=operator)
    assert preview.status_code == 200 and preview.text.startswith("# Kanal Humas")
    make_day(session, channel_id=world.channels["kanal-humas"], broadcast_date=DAY)
    url = (
        f"/api/v1/channels/{world.channels['kanal-humas']}/playlists/{DAY.isoformat()}"
        "/exports/playout-txt"
    )
    exported = client.get(url, headers=operator)
    assert exported.status_code == 200
    assert exported.headers["content-type"].startswith("text/plain")
    assert (
        f'filename="kanal-humas_{DAY.isoformat()}_v1.txt"'
        in exported.headers["content-disposition"]
    )
    lines = exported.text.splitlines()
    assert len(lines) == 1 + ITEMS_PER_DAY
    assert lines[1].startswith("05:00:00:00 00:30:00:00 HUM-0000.ts")


@ONE_BACKEND
def test_operator_scoped_template_is_invisible_to_others(
    client: TestClient, world: World, session: Session
) -> None:
    assert _upload(client, world, operator_id=world.other_operator_id).status_code == 201
    tvri = auth(client, world, "operator.tvri")
    keys = [f["key"] for f in client.get("/api/v1/export-formats", headers=tvri).json()]
    assert "playout-txt" not in keys
    make_day(session, channel_id=world.channels["kanal-humas"], broadcast_date=DAY)
    url = (
        f"/api/v1/channels/{world.channels['kanal-humas']}/playlists/{DAY.isoformat()}"
        "/exports/playout-txt"
    )
    assert client.get(url, headers=auth(client, world, "programmer")).status_code == 404


@ONE_BACKEND
def test_only_admins_upload_and_keys_are_unique(client: TestClient, world: World) -> None:
    assert _upload(client, world, user="programmer").status_code == 403
    assert _upload(client, world, key="bxf").status_code == 409
    assert _upload(client, world).status_code == 201
    assert _upload(client, world).status_code == 409


@ONE_BACKEND
@pytest.mark.parametrize(
    ("overrides", "detail"),
    [
        ({"source": "{% for item in items %}{{ item.title }"}, "line 1"),
        ({"source": "{{ items[0].no_such_field }}"}, "no_such_field"),
        ({"output_type": "xml", "source": "<a>{{ channel.name }}"}, "well-formed"),
        ({"file_name_pattern": "../{channel_slug}.txt"}, "file name pattern"),
        ({"file_name_pattern": "{channel_slug}{secret}.txt"}, "secret"),
    ],
)
def test_invalid_templates_are_rejected_with_a_reason(
    client: TestClient, world: World, session: Session, overrides: dict[str, str], detail: str
) -> None:
    response = _upload(client, world, **overrides)
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["type"].endswith("template-rejected")
    assert detail in response.json()["detail"]
    assert session.get(ExportTemplate, 1) is None


@ONE_BACKEND
@pytest.mark.parametrize(
    "source",
    [
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ channel.name.format.__globals__ }}",
        "{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}",
        "{{ 'a' * 10 ** 9 }}",
    ],
    ids=["mro", "globals", "long-loop", "huge-string"],
)
def test_hostile_templates_are_contained(client: TestClient, world: World, source: str) -> None:
    response = _upload(client, world, source=source)
    assert response.status_code == 422, response.text
    assert response.json()["title"] == "Template rejected"
    listed = client.get("/api/v1/export-formats", headers=auth(client, world, "admin")).json()
    assert all(f["builtin"] for f in listed)
