"""Deliveries by hand through the API to a folder, a real SFTP server and an HTTP endpoint."""

from __future__ import annotations

from datetime import date
from email.parser import BytesParser
from email.policy import HTTP
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from mux_scheduler.channels.models import Operator
from mux_scheduler.core.settings import Settings
from mux_scheduler.delivery.models import Delivery, DeliveryAttempt
from tests.delivery.conftest import HttpSink
from tests.delivery.factories import make_day
from tests.delivery.sftp_server import SftpServer
from tests.world import World, auth

DAY = date(2026, 12, 2)


def _set_target(session: Session, kind: str, target: str) -> None:
    operator = session.exec(select(Operator).where(Operator.slug == "tvri-jakarta")).one()
    operator.delivery_kind = kind
    operator.delivery_target = target
    session.add(operator)
    session.commit()


def _deliver(client: TestClient, world: World, fmt: str = "bxf", **params: str) -> Any:
    channel_id = world.channels["kanal-humas"]
    url = f"/api/v1/channels/{channel_id}/playlists/{DAY.isoformat()}/exports/{fmt}/deliver"
    response = client.post(url, params=params, headers=auth(client, world, "programmer"))
    assert response.status_code == 200, response.text
    return response.json()


def _export_bytes(client: TestClient, world: World, fmt: str = "bxf") -> bytes:
    channel_id = world.channels["kanal-humas"]
    url = f"/api/v1/channels/{channel_id}/playlists/{DAY.isoformat()}/exports/{fmt}"
    content: bytes = client.get(url, headers=auth(client, world, "programmer")).content
    return content


def test_folder_delivery_is_whole_and_not_repeated(
    client: TestClient, world: World, session: Session, tmp_path: Path
) -> None:
    outbox = tmp_path / "outbox"
    _set_target(session, "folder", str(outbox))
    make_day(session, channel_id=world.channels["kanal-humas"], broadcast_date=DAY)
    first = _deliver(client, world)
    assert first["status"] == "delivered" and first["attempts"] == 1
    delivered = outbox / first["export"]["file_name"]
    assert delivered.read_bytes() == _export_bytes(client, world)
    assert [p.name for p in outbox.iterdir()] == [delivered.name]  # no temp files left
    again = _deliver(client, world)
    assert again["id"] == first["id"] and again["attempts"] == 1
    forced = _deliver(client, world, force="true")
    assert forced["attempts"] == 2
    assert len(session.exec(select(DeliveryAttempt)).all()) == 2


def test_sftp_delivery_over_a_real_ssh_server(
    client: TestClient,
    world: World,
    session: Session,
    settings: Settings,
    sftp_server: SftpServer,
) -> None:
    assert settings.sftp_known_hosts is not None
    settings.sftp_known_hosts.write_text(sftp_server.known_hosts_line())
    target = f"sftp://mux@127.0.0.1:{sftp_server.port}/incoming"
    _set_target(session, "sftp", target)
    make_day(session, channel_id=world.channels["kanal-humas"], broadcast_date=DAY)
    result = _deliver(client, world, fmt="xmltv")
    assert result["status"] == "delivered"
    name = result["export"]["file_name"]
    landed = sftp_server.root / "incoming" / name
    assert landed.read_bytes() == _export_bytes(client, world, "xmltv")
    opened = [line for line in sftp_server.log if line.startswith("open")]
    assert opened == [f"open /incoming/{opened[0].split('/')[-1]}"]
    assert opened[0].endswith(".part")  # written under a temporary name...
    assert sftp_server.log[-1].endswith(f"-> /incoming/{name}")  # ...then renamed


def test_sftp_unknown_host_key_is_refused(
    client: TestClient,
    world: World,
    session: Session,
    settings: Settings,
    sftp_server: SftpServer,
) -> None:
    assert settings.sftp_known_hosts is not None
    settings.sftp_known_hosts.write_text("")
    _set_target(session, "sftp", f"sftp://mux@127.0.0.1:{sftp_server.port}/incoming")
    make_day(session, channel_id=world.channels["kanal-humas"], broadcast_date=DAY)
    channel_id = world.channels["kanal-humas"]
    url = f"/api/v1/channels/{channel_id}/playlists/{DAY.isoformat()}/exports/csv/deliver"
    response = client.post(url, headers=auth(client, world, "programmer"))
    assert response.status_code == 502
    assert response.headers["content-type"] == "application/problem+json"
    delivery = session.exec(select(Delivery)).one()
    assert delivery.status == "failed" and delivery.attempts == 1  # not worth retrying
    assert "not found in known_hosts" in (delivery.last_error or "")
    assert not any((sftp_server.root / "incoming").iterdir())


def test_http_delivery_retries_after_503s(
    client: TestClient, world: World, session: Session, http_sink: HttpSink
) -> None:
    _set_target(session, "http", http_sink.url)
    make_day(session, channel_id=world.channels["kanal-humas"], broadcast_date=DAY)
    result = _deliver(client, world, fmt="ffplayout")
    assert result["status"] == "delivered" and result["attempts"] == 3
    assert [a["ok"] for a in result["attempt_log"]] == [False, False, True]
    assert "503" in result["attempt_log"][0]["error"]
    assert http_sink.statuses == [503, 503, 201]
    content_type = http_sink.headers[-1]["Content-Type"]
    message = BytesParser(policy=HTTP).parsebytes(
        f"Content-Type: {content_type}\r\n\r\n".encode() + http_sink.bodies[-1]
    )
    part = next(iter(message.iter_parts()))
    assert part.get_filename() == result["export"]["file_name"]
    assert part.get_payload(decode=True) == _export_bytes(client, world, "ffplayout")
    assert http_sink.headers[-1]["X-Content-SHA256"] == result["export"]["sha256"]


def test_history_and_who_may_deliver(
    client: TestClient, world: World, session: Session, tmp_path: Path
) -> None:
    _set_target(session, "folder", str(tmp_path / "outbox"))
    make_day(session, channel_id=world.channels["kanal-humas"], broadcast_date=DAY)
    channel_id = world.channels["kanal-humas"]
    day_url = f"/api/v1/channels/{channel_id}/playlists/{DAY.isoformat()}"
    operator = auth(client, world, "operator.tvri")
    assert client.post(f"{day_url}/exports/csv/deliver", headers=operator).status_code == 403
    _deliver(client, world, fmt="csv")
    _deliver(client, world, fmt="bxf")
    history = client.get(f"{day_url}/deliveries", headers=operator)
    assert history.status_code == 200
    assert sorted(d["export"]["format"] for d in history.json()) == ["bxf", "csv"]
    assert all(d["attempt_log"][0]["ok"] for d in history.json())
    editor = auth(client, world, "editor.dki")
    assert client.get(f"{day_url}/deliveries", headers=editor).status_code == 403


def test_delivery_without_a_target_says_what_to_configure(
    client: TestClient, world: World, session: Session
) -> None:
    _set_target(session, "folder", "")
    make_day(session, channel_id=world.channels["kanal-humas"], broadcast_date=DAY)
    channel_id = world.channels["kanal-humas"]
    url = f"/api/v1/channels/{channel_id}/playlists/{DAY.isoformat()}/exports/csv/deliver"
    response = client.post(url, headers=auth(client, world, "programmer"))
    assert response.status_code == 409
    assert response.headers["content-type"] == "application/problem+json"
    assert "delivery_target" in response.json()["detail"]
    assert session.exec(select(Delivery)).first() is None  # nothing half-recorded


def test_misconfigured_target_fails_at_once_instead_of_retrying(
    client: TestClient, world: World, session: Session
) -> None:
    _set_target(session, "http", "ftp://operator.example/incoming")
    make_day(session, channel_id=world.channels["kanal-humas"], broadcast_date=DAY)
    channel_id = world.channels["kanal-humas"]
    url = f"/api/v1/channels/{channel_id}/playlists/{DAY.isoformat()}/exports/csv/deliver"
    response = client.post(url, headers=auth(client, world, "programmer"))
    assert response.status_code == 502
    delivery = session.exec(select(Delivery)).one()
    assert delivery.status == "failed" and delivery.attempts == 1
    assert "http(s) URL" in (delivery.last_error or "")
