from __future__ import annotations

import dataclasses
import json
import subprocess
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from mux_scheduler.media.profile import DVB_T2_HD, DVB_T2_SD, ProfileSpec
from mux_scheduler.media.testmedia import generate_all

DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def clips(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return generate_all(tmp_path_factory.mktemp("clips"))


@pytest.fixture(scope="session")
def hd() -> ProfileSpec:
    return dataclasses.replace(DVB_T2_HD, preset="ultrafast")


@pytest.fixture(scope="session")
def sd() -> ProfileSpec:
    return dataclasses.replace(DVB_T2_SD, preset="ultrafast")


def load_json(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((DATA / name).read_text())
    return data


def ffprobe_streams(path: Path) -> dict[str, Any]:
    """Independent look at an output file (not through the code under test)."""
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-of", "json", "-show_format", "-show_streams", str(path)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    data: dict[str, Any] = json.loads(out)
    return data


def column_luma(path: Path, x: int, width: int = 32, at: float = 1.0) -> float:
    """Average luma (0-255) of a vertical strip of one frame."""
    result = subprocess.run(
        [
            "ffmpeg",
            "-v",
            "info",
            "-ss",
            str(at),
            "-i",
            str(path),
            "-frames:v",
            "1",
            "-vf",
            f"crop={width}:ih:{x}:0,signalstats,metadata=print:key=lavfi.signalstats.YAVG",
            "-f",
            "null",
            "-",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    value = result.stderr.rsplit("lavfi.signalstats.YAVG=", 1)[1].split()[0]
    return float(value)


def rate(text: str) -> Fraction:
    num, den = text.split("/")
    return Fraction(int(num), int(den))
