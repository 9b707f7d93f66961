"""The upload attack corpus, through the REST API with the real analysis job (ffprobe/ffmpeg).

Covered elsewhere and not repeated here: one traversal name on a multipart upload and the
declared-size 413s (tests/assets/test_uploads.py), ``concat:`` file names at the media layer
(tests/media/test_analysis.py), hostile titles rendered from hand-made items and template
sandbox escapes (tests/exports).
"""

from __future__ import annotations

import base64
import csv
import io
import json
import re
import socket
import threading
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from mux_scheduler.assets.models import Asset
from mux_scheduler.core.settings import Settings
from mux_scheduler.exports.registry import list_formats
from mux_scheduler.media import testmedia
from tests.assets.helpers import files_under, wait_for_jobs
from tests.security.conftest import MAX_UPLOAD_BYTES
from tests.security.seed import DAY, Installation, add_conformed_asset
from tests.world import auth

PROBLEM = "application/problem+json"
TUS = {"Tus-Resumable": "1.0.0"}
HOSTILE_NAMES = [
    "../../../../tmp/pwned-{tag}.mp4",
    "..\\..\\windows\\pwned-{tag}.mp4",
    "spot-{tag}.mp4; rm -rf / #",
    "$(touch /tmp/pwned-{tag}).mp4",
    "`id`-{tag}|nc 127.0.0.1 9.mp4",
    "concat:/etc/passwd|/etc/shadow-{tag}.mp4",
    "http://127.0.0.1:9/{tag}.mp4",
    "-i-{tag}.mp4",
    "spot\n{tag}\r.mp4",
]
SHELL_AND_PATH = re.compile(r"[/\\$`;|&<>\n\r:]")


@pytest.fixture
def editor(client: TestClient, installation: Installation) -> dict[str, str]:
    return auth(client, installation.world, "editor.dki")


def _multipart(client: TestClient, headers: dict[str, str], name: str, body: bytes):
    return client.post(
        "/api/v1/assets",
        headers=headers,
        files={"file": (name, body, "video/mp4")},
        data={"title": "Spot", "kind": "ilm"},
    )


def _b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


def _tus(client: TestClient, headers: dict[str, str], name: str, body: bytes) -> str:
    created = client.post(
        "/api/v1/uploads",
        headers={
            **headers,
            **TUS,
            "Upload-Length": str(len(body)),
            "Upload-Metadata": f"filename {_b64(name)},title {_b64('Spot')},kind {_b64('ilm')}",
        },
    )
    assert created.status_code == 201, created.text
    done = client.patch(
        created.headers["Location"],
        content=body,
        headers={
            **headers,
            **TUS,
            "Upload-Offset": "0",
            "Content-Type": "application/offset+octet-stream",
        },
    )
    assert done.status_code == 204, done.text
    asset_id: str = done.headers["X-Asset-Id"]
    return asset_id


def _stored_where_expected(settings: Settings, asset: Asset) -> None:
    digest = asset.sha256
    assert asset.stored_path in (None, f"originals/{digest[:2]}/{digest[2:4]}/{digest}")


def test_hostile_file_names_are_kept_as_display_text_only(
    client: TestClient,
    session: Session,
    settings: Settings,
    editor: dict[str, str],
    tmp_path: Path,
) -> None:
    tag = uuid.uuid4().hex[:8]
    ids = []
    for number, pattern in enumerate(HOSTILE_NAMES):
        name = pattern.format(tag=tag)
        body = f"not a video {tag} {number}".encode()
        if number % 2:
            ids.append(_tus(client, editor, name, body))
        else:
            response = _multipart(client, editor, name, body)
            assert response.status_code == 201, (name, response.text)
            ids.append(str(response.json()["id"]))
    wait_for_jobs(client, editor)
    for asset_id in ids:
        asset = session.get(Asset, int(asset_id))
        assert asset is not None
        session.refresh(asset)
        assert not SHELL_AND_PATH.search(asset.original_filename or ""), asset.original_filename
        _stored_where_expected(settings, asset)
        assert asset.status == "rejected" and "not a media file" in (asset.reject_reason or "")
    # Nothing was written anywhere under the name a client chose.
    written = [p for p in tmp_path.rglob("*") if tag in p.name]
    assert written == [] and not list(Path("/tmp").glob(f"pwned-{tag}*"))


class _Listener:
    """A loopback TCP port that counts whoever connects: any network access by ffmpeg."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.server.settimeout(0.2)
        self.port = self.server.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.server.accept()
            except TimeoutError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(5)
        self.server.close()


@pytest.fixture
def listener() -> Iterator[_Listener]:
    found = _Listener()
    yield found
    found.close()


@pytest.fixture(scope="module")
def secret_clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Stands for a file on the server an uploader must not be able to pull in (say another
    agency's rendition, whose path is predictable)."""
    return testmedia.make_small_ts(tmp_path_factory.mktemp("secret") / "1.ts", seconds=2)


def _tricks(port: int, secret: Path) -> dict[str, bytes]:
    hls = "#EXTM3U\n#EXT-X-TARGETDURATION:2\n#EXTINF:2.0,\n{}\n#EXT-X-ENDLIST\n"
    return {
        "hls-http.mp4": hls.format(f"http://127.0.0.1:{port}/seg.ts").encode(),
        "hls-local-file.mp4": hls.format(secret).encode(),
        "hls-file-url.mp4": hls.format(f"file:{secret}").encode(),
        "hls-concat.mp4": hls.format(f"concat:{secret}|{secret}").encode(),
        "ffconcat-http.mp4": f"ffconcat version 1.0\nfile 'http://127.0.0.1:{port}/a.mp4'\n".encode(),
        "ffconcat-local.mp4": f"ffconcat version 1.0\nfile '{secret}'\n".encode(),
    }


def test_playlists_and_protocol_tricks_disguised_as_mp4_are_refused_offline(
    client: TestClient,
    session: Session,
    editor: dict[str, str],
    listener: _Listener,
    secret_clip: Path,
) -> None:
    ids = {}
    for name, body in _tricks(listener.port, secret_clip).items():
        response = _multipart(client, editor, name, body)
        assert response.status_code == 201, response.text
        ids[name] = response.json()["id"]
    wait_for_jobs(client, editor)
    for name, asset_id in ids.items():
        asset = client.get(f"/api/v1/assets/{asset_id}", headers=editor).json()
        assert asset["status"] == "rejected", (name, asset)
        assert asset["duration_frames"] is None, name  # the secret clip was never read
        renditions = client.get(f"/api/v1/assets/{asset_id}/renditions", headers=editor).json()
        assert renditions == [], name
    reasons = {
        client.get(f"/api/v1/assets/{i}", headers=editor).json()["reject_reason"]
        for i in ids.values()
    }
    assert any("playlist" in (reason or "") for reason in reasons), reasons
    assert listener.connections == 0


def _huge_resolution_avi(folder: Path) -> Path:
    """A 12 kB MJPEG AVI whose headers (AVI and every JPEG frame) claim 16000x16000."""
    import struct
    import subprocess

    small = folder / "small.avi"
    lavfi = ["-f", "lavfi", "-i", "color=c=gray:s=16x16:r=25:d=1"]
    subprocess.run(
        ["ffmpeg", "-v", "error", "-y", *lavfi, "-c:v", "mjpeg", "-f", "avi", str(small)],
        check=True,
    )
    data = bytearray(small.read_bytes())
    start = 0
    while (start := data.find(b"\xff\xc0", start)) >= 0:  # every JPEG start-of-frame
        struct.pack_into(">HH", data, start + 5, 16000, 16000)
        start += 2
    avih = data.find(b"avih") + 8
    struct.pack_into("<II", data, avih + 32, 16000, 16000)
    strf = data.find(b"strf") + 8
    struct.pack_into("<ii", data, strf + 4, 16000, 16000)
    huge = folder / "huge.avi"
    huge.write_bytes(bytes(data))
    return huge


def test_huge_resolution_header_is_refused_before_decoding(
    client: TestClient, editor: dict[str, str], tmp_path: Path
) -> None:
    huge = _huge_resolution_avi(tmp_path)
    response = _multipart(client, editor, "bomb.avi", huge.read_bytes())
    assert response.status_code == 201, response.text
    wait_for_jobs(client, editor)
    asset = client.get(f"/api/v1/assets/{response.json()['id']}", headers=editor).json()
    assert asset["status"] == "rejected"
    assert "16000x16000" in asset["reject_reason"] and "7680x4320" in asset["reject_reason"]


def _endless_multipart(limit: int) -> Iterator[bytes]:
    """A multipart body sent chunked, with no Content-Length: the size is only known by
    counting, and it is larger than the server accepts."""
    yield (
        b'--b\r\nContent-Disposition: form-data; name="title"\r\n\r\nSpot\r\n'
        b'--b\r\nContent-Disposition: form-data; name="file"; filename="big.mp4"\r\n'
        b"Content-Type: video/mp4\r\n\r\n"
    )
    chunk = b"\0" * 65536
    for _ in range(limit // len(chunk) + 2):
        yield chunk
    yield b"\r\n--b--\r\n"


def test_oversized_chunked_upload_is_cut_off_with_413_and_nothing_kept(
    client: TestClient, settings: Settings, editor: dict[str, str]
) -> None:
    response = client.post(
        "/api/v1/assets",
        headers={**editor, "Content-Type": "multipart/form-data; boundary=b"},
        content=_endless_multipart(MAX_UPLOAD_BYTES),
    )
    assert response.status_code == 413, response.text
    assert response.headers["content-type"] == PROBLEM
    received = [p for p in files_under(settings.media_root / "tmp") if "tus" not in p.parts]
    assert received == [] and files_under(settings.media_root / "originals") == []


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("/api/v1/assets", "application/json"),
        ("/api/v1/assets", "text/plain"),
        ("/api/v1/assets", "application/x-www-form-urlencoded"),
        ("/api/v1/assets", "multipart/form-data"),  # no boundary
        ("/api/v1/channels/{channel}/as-run", "image/png"),
    ],
)
def test_wrong_content_types_are_refused_as_problems(
    client: TestClient,
    installation: Installation,
    settings: Settings,
    path: str,
    content_type: str,
) -> None:
    headers = auth(client, installation.world, "programmer")
    url = path.format(channel=installation.channels["kanal-humas"].channel)
    response = client.post(
        url, headers={**headers, "Content-Type": content_type}, content=b"\x89PNG\r\n\x1a\n0000"
    )
    assert response.status_code in (415, 422), response.text
    assert response.headers["content-type"] == PROBLEM
    assert files_under(settings.media_root / "originals") == []


# --- titles that try to break out of every export format -------------------------------------

HOSTILE_TITLES = [
    "<script>alert('ILM')</script>",
    "]]><!-- -->&amp;&#x41;<x/>",
    '=HYPERLINK("http://127.0.0.1/","klik")',
    "+62-21-123 @SUM(A1)",
    '"Siaran, Pers"; DROP TABLE asset;--',
    "{{ 7 * 7 }} {% raw %}",
]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _retitle_and_rebuild(
    client: TestClient, session: Session, settings: Settings, installation: Installation
) -> dict[str, str]:
    """Hostile titles through the API on kanal-humas' fillers, idents and two programmes
    (fixed events, so the EPG formats carry them too); then the day is rebuilt and published
    the way a real day is."""
    programmer = auth(client, installation.world, "programmer")
    komdigi = installation.agencies["KOMDIGI"].agency
    programmes = [
        add_conformed_asset(session, settings, komdigi, f"Dialog {n}", "programme", 1800)
        for n in range(2)
    ]
    assets = installation.agencies["KOMDIGI"].assets + installation.agencies["PEMPROV DKI"].assets
    for number, asset_id in enumerate(programmes + assets):
        title = HOSTILE_TITLES[number % len(HOSTILE_TITLES)]
        changed = client.patch(
            f"/api/v1/assets/{asset_id}", json={"title": title}, headers=programmer
        )
        assert changed.status_code == 200, changed.text
    channel = installation.channels["kanal-humas"].channel
    for at, asset_id in zip(("08:00", "20:00"), programmes, strict=True):
        rule = {
            "name": f"Dialog {at}",
            "spec": {"kind": "fixed_event", "at": at, "asset_id": asset_id},
        }
        created = client.post(f"/api/v1/channels/{channel}/rules", json=rule, headers=programmer)
        assert created.status_code == 201, created.text
    day = f"/api/v1/channels/{channel}/playlists/{DAY}"
    built = client.post(f"{day}/build", headers=programmer)
    assert built.status_code == 201, built.text
    assert set(HOSTILE_TITLES) <= {item["title"] for item in built.json()["items"]}
    assert client.post(f"{day}/publish", headers=programmer).status_code == 200
    return programmer


def _texts(body: bytes) -> set[str]:
    root = ET.fromstring(body)  # well-formed, or this raises
    found = {element.text or "" for element in root.iter()}
    return found | {value for element in root.iter() for value in element.attrib.values()}


def _check_export(fmt: str, body: bytes, placed: set[str]) -> None:
    text = body.decode("utf-8")
    if fmt in ("bxf", "xmltv", "eit"):
        texts = _texts(body)
        expected = placed if fmt == "bxf" else set(HOSTILE_TITLES[:2])  # EPG: programmes only
        assert expected <= texts, (fmt, expected - texts)
        assert not any(e.tag == "script" for e in ET.fromstring(body).iter())
    elif fmt in ("csv", "cinegy-csv"):
        cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
        assert not [cell for cell in cells if cell.startswith(FORMULA_STARTS)]
        joined = "\n".join(cells)
        assert all(title.lstrip("=+-@") in joined for title in placed)
    elif fmt == "ffplayout":
        titles = {entry.get("title", "") for entry in json.loads(text)["program"]}
        assert placed <= titles
    else:  # the printable HTML grid
        assert "<script" not in text.lower() and "&lt;script&gt;" in text
        assert "<x/>" not in text


def test_hostile_asset_titles_stay_text_in_every_export_format(
    client: TestClient, session: Session, settings: Settings, installation: Installation
) -> None:
    headers = _retitle_and_rebuild(client, session, settings, installation)
    channel = installation.channels["kanal-humas"].channel
    playlist = client.get(f"/api/v1/channels/{channel}/playlists/{DAY}", headers=headers).json()
    placed = set(HOSTILE_TITLES) & {item["title"] for item in playlist["items"]}
    keys = [fmt.key for fmt in list_formats()]
    assert len(keys) >= 6
    for key in keys:
        response = client.get(
            f"/api/v1/channels/{channel}/playlists/{DAY}/exports/{key}", headers=headers
        )
        assert response.status_code == 200, (key, response.text)
        _check_export(key, response.content, placed)
