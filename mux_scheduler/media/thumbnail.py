"""Poster frame for an asset: one picture about 10 % into the file, after any black head."""

from __future__ import annotations

import contextlib
import os
import tempfile
from fractions import Fraction
from pathlib import Path

from mux_scheduler.core.errors import MediaError, StorageFull
from mux_scheduler.media._ffmpeg import (
    FORMAT_WHITELIST,
    MAX_PIXELS,
    PROTOCOL_WHITELIST,
    binary,
    last_error_line,
    media_url,
    run_tool,
)

POSTER_POSITION = Fraction(1, 10)
_ENCODERS = {
    ".jpg": ["-c:v", "mjpeg", "-q:v", "3", "-f", "image2"],
    ".jpeg": ["-c:v", "mjpeg", "-q:v", "3", "-f", "image2"],
    ".png": ["-c:v", "png", "-f", "image2"],
}


def poster_position(
    duration: Fraction, head_black: Fraction = Fraction(0), frame_rate: Fraction = Fraction(25)
) -> Fraction:
    """10 % in, or the first picture after a longer black head; always inside the file."""
    wanted = max(duration * POSTER_POSITION, head_black + 1 / frame_rate)
    return max(min(wanted, duration - 1 / frame_rate), Fraction(0))


def thumbnail_command(
    src: str | Path, out: str | Path, at_seconds: Fraction, width: int
) -> list[str]:
    suffix = Path(out).suffix.lower()
    if suffix not in _ENCODERS:
        raise MediaError(f"Unsupported poster format {suffix!r}: use .jpg or .png")
    return [
        binary("ffmpeg"),
        "-nostdin",
        "-hide_banner",
        "-v",
        "error",
        "-y",
        "-protocol_whitelist",
        PROTOCOL_WHITELIST,
        "-format_whitelist",
        FORMAT_WHITELIST,
        "-max_pixels",
        str(MAX_PIXELS),
        "-ss",
        f"{float(at_seconds):.3f}",
        "-i",
        media_url(src),
        "-map",
        "0:v:0",
        "-frames:v",
        "1",
        "-vf",
        f"scale={width}:-2",
        *_ENCODERS[suffix],
        media_url(out),
    ]


def make_thumbnail(
    src: str | Path,
    out: str | Path,
    *,
    duration: Fraction,
    head_black: Fraction = Fraction(0),
    width: int = 480,
) -> Path:
    """Write a poster of ``src`` to ``out`` (.jpg or .png) atomically; return ``out``."""
    target = Path(out)
    fd, tmp_name = tempfile.mkstemp(
        prefix=f".{target.stem}.", suffix=target.suffix, dir=target.parent
    )
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        at = poster_position(duration, head_black)
        result = run_tool(thumbnail_command(src, tmp, at, width))
        if result.returncode == 0 and tmp.stat().st_size == 0 and at > 0:
            # An input seek into a stream with a single key frame (a short MPEG-TS from an
            # encoder with a long GOP) decodes nothing: take the first frame instead.
            result = run_tool(thumbnail_command(src, tmp, Fraction(0), width))
        if "No space left on device" in result.stderr:
            raise StorageFull("Not enough disk space to write the poster image")
        if result.returncode != 0 or tmp.stat().st_size == 0:
            raise MediaError(f"Poster could not be made: {last_error_line(result.stderr)}")
        tmp.replace(target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise
    return target
