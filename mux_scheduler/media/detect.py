"""Black picture and silence at the head and tail of a file (blackdetect / silencedetect)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

from mux_scheduler.core.errors import MediaError
from mux_scheduler.media._ffmpeg import (
    FORMAT_WHITELIST,
    MAX_PIXELS,
    PROTOCOL_WHITELIST,
    binary,
    last_error_line,
    media_url,
    run_tool,
)

Interval = tuple[Fraction, Fraction]

BLACK_PIXEL_THRESHOLD = 0.10
SILENCE_NOISE_DB = -60
MIN_SILENCE_SECONDS = "0.04"

_BLACK = re.compile(r"black_start:\s*([\d.]+)\s+black_end:\s*([\d.]+)")
_SILENCE_START = re.compile(r"silence_start:\s*(-?[\d.]+)")
_SILENCE_END = re.compile(r"silence_end:\s*([\d.]+)")


@dataclass(frozen=True, slots=True)
class HeadTail:
    """Seconds of black picture and silence at the start and end of a file."""

    head_black: Fraction
    tail_black: Fraction
    head_silence: Fraction
    tail_silence: Fraction

    def frames(self, frame_rate: Fraction) -> dict[str, int]:
        """The same measurements in whole frames at ``frame_rate`` (rounded to nearest)."""
        return {
            name: round(getattr(self, name) * frame_rate)
            for name in ("head_black", "tail_black", "head_silence", "tail_silence")
        }


def parse_blackdetect(stderr: str) -> list[Interval]:
    return [(Fraction(a), Fraction(b)) for a, b in _BLACK.findall(stderr)]


def parse_silencedetect(stderr: str, duration: Fraction) -> list[Interval]:
    """Silence intervals; a silence still open at the end of the file runs to ``duration``."""
    intervals: list[Interval] = []
    start: Fraction | None = None
    for line in stderr.splitlines():
        if "silencedetect" not in line:
            continue
        if (began := _SILENCE_START.search(line)) is not None:
            start = max(Fraction(began.group(1)), Fraction(0))
        elif (ended := _SILENCE_END.search(line)) is not None and start is not None:
            intervals.append((start, Fraction(ended.group(1))))
            start = None
    if start is not None:
        intervals.append((start, duration))
    return intervals


def head_and_tail(
    intervals: list[Interval],
    duration: Fraction,
    slack: Fraction,
) -> tuple[Fraction, Fraction]:
    """Length of the interval touching the start and of the one touching the end.

    ``slack`` (about one frame) absorbs that blackdetect's end is the last black frame's start.
    """
    head = next((end - start for start, end in intervals if start <= slack), Fraction(0))
    tail = next(
        (duration - start for start, end in reversed(intervals) if end >= duration - 2 * slack),
        Fraction(0),
    )
    return min(head, duration), max(min(tail, duration), Fraction(0))


def detect_command(path: str | Path, *, has_video: bool, has_audio: bool) -> list[str]:
    cmd = [
        binary("ffmpeg"),
        "-nostdin",
        "-hide_banner",
        "-nostats",
        "-v",
        "info",
        "-protocol_whitelist",
        PROTOCOL_WHITELIST,
        "-format_whitelist",
        FORMAT_WHITELIST,
        "-max_pixels",
        str(MAX_PIXELS),
        "-i",
        media_url(path),
    ]
    if has_video:
        cmd += ["-map", "0:v:0", "-vf", f"blackdetect=d=0:pix_th={BLACK_PIXEL_THRESHOLD}"]
    if has_audio:
        cmd += [
            "-map",
            "0:a:0",
            "-af",
            f"silencedetect=n={SILENCE_NOISE_DB}dB:d={MIN_SILENCE_SECONDS}",
        ]
    return [*cmd, "-f", "null", "-"]


def detect_head_tail(
    path: str | Path,
    *,
    duration: Fraction,
    frame_rate: Fraction,
    has_video: bool = True,
    has_audio: bool = True,
) -> HeadTail:
    """One decoding pass that finds black and silence at both ends of ``path``."""
    result = run_tool(detect_command(path, has_video=has_video, has_audio=has_audio))
    if result.returncode != 0:
        raise MediaError(f"Black/silence detection failed: {last_error_line(result.stderr)}")
    slack = 1 / frame_rate
    black = head_and_tail(parse_blackdetect(result.stderr), duration, slack)
    silence = head_and_tail(parse_silencedetect(result.stderr, duration), duration, slack)
    return HeadTail(
        head_black=black[0], tail_black=black[1], head_silence=silence[0], tail_silence=silence[1]
    )
