"""Exports through the REST API: every built-in format from a stored day, files on disk,
byte-identical re-exports, and who may download what."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from mux_scheduler.core.settings import Settings
from mux_scheduler.exports.models import Export
from mux_scheduler.exports.registry import list_formats
from mux_scheduler.exports.writer import read_manifest
from tests.delivery.factories import ITEMS_PER_DAY, make_day
from tests.world import World, auth

DAY = date(2026, 12, 1)
BUILTINS = [fmt.key for fmt in list_formats()]


def _url(world: World, slug: str = "kanal-humas", fmt: str = "bxf") -> str:
    return f"/api/v1/channels/{world.channels[slug]}/playlists/{DAY.isoformat()}/exports/{fmt}"


def _check_content(fmt: str, body: bytes) -> None:
    text = body.decode("utf-8")
    if fmt in ("bxf", "xmltv", "eit"):
        ET.fromstring(body)
    elif fmt in ("csv", "cinegy-csv"):
        rows = list(csv.reader(io.StringIO(text)))
        assert len(rows) >= ITEMS_PER_DAY
        assert not any(cell.startswith("=") for row in rows for cell in row)
    elif fmt == "ffplayout":
        program = json.loads(text)["program"]
        assert len(program) == ITEMS_PER_DAY
        assert round(sum(entry["duration"] for entry in program)) == 24 * 3600
    else:
        assert "<b>Siaran" not in text and "&lt;b&gt;Siaran" in text


@pytest.mark.parametrize("fmt", BUILTINS)
def test_every_builtin_format_downloads_and_lands_on_disk(
    client: TestClient, world: World, session: Session, settings: Settings, fmt: str
) -> None:
    make_day(session, channel_id=world.channels["kanal-humas"], broadcast_date=DAY)
    response = client.get(_url(world, fmt=fmt), headers=auth(client, world, "operator.tvri"))
    assert response.status_code == 200, response.text
    disposition = response.headers["content-disposition"]
    assert disposition.startswith("attachment; filename=")
    name = disposition.split('filename="')[1].rstrip('"')
    assert name.startswith(f"kanal-humas_{DAY.isoformat()}_v1")
    _check_content(fmt, response.content)
    folder = Path(settings.playlists_root) / "tvri-jakarta" / "kanal-humas" / DAY.isoformat()
    assert (folder / name).read_bytes() == response.content
    assert read_manifest(folder)[name] == hashlib.sha256(response.content).hexdigest()


def test_re_export_is_byte_identical_and_recorded_once(
    client: TestClient, world: World, session: Session
) -> None:
    make_day(session, channel_id=world.channels["kanal-humas"], broadcast_date=DAY)
    headers = auth(client, world, "programmer")
    first = client.get(_url(world, fmt="bxf"), headers=headers)
    second = client.get(_url(world, fmt="bxf"), headers=headers)
    assert first.status_code == second.status_code == 200
    assert first.content == second.content
    assert first.headers["etag"] == second.headers["etag"]
    rows = session.exec(select(Export)).all()
    assert len(rows) == 1
    assert rows[0].sha256 == hashlib.sha256(first.content).hexdigest()
    assert rows[0].size_bytes == len(first.content)


def test_drafts_are_staff_only_and_only_by_version(
    client: TestClient, world: World, session: Session
) -> None:
    channel_id = world.channels["kanal-humas"]
    make_day(session, channel_id=channel_id, broadcast_date=DAY, version=1)
    make_day(session, channel_id=channel_id, broadcast_date=DAY, version=2, state="draft")
    programmer = auth(client, world, "programmer")
    editor = auth(client, world, "editor.dki")
    latest = client.get(_url(world, fmt="csv"), headers=programmer)
    assert "_v1" in latest.headers["content-disposition"]
    draft = client.get(_url(world, fmt="csv") + "?version=2", headers=programmer)
    assert draft.status_code == 200 and "_v2" in draft.headers["content-disposition"]
    refused = client.get(_url(world, fmt="csv") + "?version=2", headers=editor)
    assert refused.status_code == 404
    assert refused.headers["content-type"] == "application/problem+json"
    assert client.get(_url(world, fmt="csv"), headers=editor).status_code == 200


def test_outsiders_get_404(client: TestClient, world: World, session: Session) -> None:
    make_day(session, channel_id=world.channels["kanal-humas"], broadcast_date=DAY)
    make_day(session, channel_id=world.other_channel_id, broadcast_date=DAY)
    other_mux = client.get(
        _url(world, slug="kanal-sulsel"), headers=auth(client, world, "operator.tvri")
    )
    assert other_mux.status_code == 404
    not_leasing = client.get(_url(world), headers=auth(client, world, "editor.kemenkes"))
    assert not_leasing.status_code == 404
    assert not_leasing.json()["status"] == 404
    unknown = client.get(_url(world, fmt="nope"), headers=auth(client, world, "programmer"))
    assert unknown.status_code == 404


def test_no_published_version_is_a_problem(client: TestClient, world: World) -> None:
    response = client.get(_url(world), headers=auth(client, world, "programmer"))
    assert response.status_code == 404
    assert "published" in response.json()["detail"]


def test_list_formats_and_preview(client: TestClient, world: World) -> None:
    headers = auth(client, world, "operator.tvri")
    listed = client.get("/api/v1/export-formats", headers=headers).json()
    assert [f["key"] for f in listed if f["builtin"]] == BUILTINS
    preview = client.get("/api/v1/export-formats/xmltv/preview", headers=headers)
    assert preview.status_code == 200
    assert preview.headers["content-disposition"].startswith("inline;")
    ET.fromstring(preview.content)


def test_day_grid_prints_as_pdf_for_those_who_may_see_the_day(
    client: TestClient, world: World, session: Session
) -> None:
    make_day(session, channel_id=world.channels["kanal-humas"], broadcast_date=DAY)
    url = _url(world).removesuffix("/exports/bxf") + "/grid.pdf"
    response = client.get(url, headers=auth(client, world, "editor.dki"))
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert response.headers["content-disposition"] == (
        f'attachment; filename="kanal-humas_{DAY.isoformat()}_v1.pdf"'
    )
    outsider = client.get(url, headers=auth(client, world, "editor.kemenkes"))
    assert outsider.status_code == 404
    assert outsider.headers["content-type"] == "application/problem+json"
