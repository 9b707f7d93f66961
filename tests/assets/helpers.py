"""Uploading and waiting, as an API client would."""

from __future__ import annotations

import hashlib
import json
import subprocess
import time
from fractions import Fraction
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from httpx import Response

FINISHED = {"done", "failed", "cancelled"}


def upload(
    client: TestClient,
    headers: dict[str, str],
    path: Path,
    *,
    filename: str | None = None,
    **fields: str,
) -> Response:
    data = {"title": f"Upload of {path.name}", "kind": "ilm", **fields}
    with path.open("rb") as handle:
        response: Response = client.post(
            "/api/v1/assets",
            headers=headers,
            files={"file": (filename or path.name, handle, "application/octet-stream")},
            data=data,
        )
    return response


def wait_for_jobs(
    client: TestClient, headers: dict[str, str], *, timeout: float = 180.0
) -> list[dict[str, Any]]:
    """Poll ``GET /jobs`` until every job has finished (analysis queues transcodes, so a
    moment with nothing queued is confirmed twice)."""
    deadline = time.monotonic() + timeout
    settled = 0
    while time.monotonic() < deadline:
        jobs = client.get("/api/v1/jobs", headers=headers).json()
        settled = settled + 1 if jobs and all(j["state"] in FINISHED for j in jobs) else 0
        if settled >= 2:
            return list(jobs)
        time.sleep(0.3)
    raise AssertionError(f"jobs still running after {timeout} s: {jobs}")


def files_under(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def ffprobe(path: Path) -> dict[str, Any]:
    """An independent look at a file (not through the code under test)."""
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-of", "json", "-show_format", "-show_streams", str(path)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    data: dict[str, Any] = json.loads(out)
    return data


def rate(text: str) -> Fraction:
    num, den = text.split("/")
    return Fraction(int(num), int(den))
