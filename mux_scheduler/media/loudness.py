"""EBU R128 loudness of a file's first audio stream, from one audio-only ffmpeg pass."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
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

# ebur128 reports -70 LUFS (the absolute gate) for silence, and "-inf" as its true peak.
SILENCE_LUFS = -70.0

_SUMMARY_FIELDS = {
    "integrated_lufs": r"Integrated loudness:\s*I:\s*(\S+) LUFS",
    "threshold_lufs": r"Integrated loudness:.*?Threshold:\s*(\S+) LUFS",
    "lra_lu": r"LRA:\s*(\S+) LU\b",
    "true_peak_dbtp": r"True peak:\s*Peak:\s*(\S+) dBFS",
}


@dataclass(frozen=True, slots=True)
class LoudnessResult:
    integrated_lufs: float
    lra_lu: float
    true_peak_dbtp: float
    threshold_lufs: float

    @property
    def is_silent(self) -> bool:
        return self.integrated_lufs <= SILENCE_LUFS or math.isinf(self.true_peak_dbtp)


def _number(text: str) -> float:
    return (
        float("-inf") if text.lstrip("-").lower() == "inf" and text.startswith("-") else float(text)
    )


def parse_ebur128_summary(stderr: str) -> LoudnessResult:
    """Read the ``Summary:`` block that the ebur128 filter logs at the end of a pass."""
    marker = stderr.rfind("Summary:")
    if marker < 0:
        raise MediaError("Loudness could not be measured: the audio produced no EBU R128 summary")
    summary = stderr[marker:]
    values: dict[str, float] = {}
    for field, pattern in _SUMMARY_FIELDS.items():
        match = re.search(pattern, summary, re.DOTALL)
        if match is None:
            raise MediaError(f"Loudness could not be measured: no {field} in the summary")
        values[field] = _number(match.group(1))
    return LoudnessResult(**values)


def audio_format_options(channels: int | None, sample_rate: int | None) -> dict[str, str]:
    """``aformat`` options used both when measuring and when encoding, so a 5.1 source is
    measured as the stereo downmix that will actually go on air."""
    options = {}
    if sample_rate:
        options["sample_rates"] = str(sample_rate)
    if channels:
        options["channel_layouts"] = "mono" if channels == 1 else f"{channels}c"
    return options


def audio_format_filter(channels: int | None, sample_rate: int | None) -> str | None:
    options = audio_format_options(channels, sample_rate)
    return "aformat=" + ":".join(f"{k}={v}" for k, v in options.items()) if options else None


def loudness_command(
    path: str | Path, *, channels: int | None = None, sample_rate: int | None = None
) -> list[str]:
    chain = [
        f
        for f in (audio_format_filter(channels, sample_rate), "ebur128=peak=true:framelog=verbose")
        if f
    ]
    return [
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
        "-map",
        "0:a:0",
        "-vn",
        "-sn",
        "-dn",
        "-af",
        ",".join(chain),
        "-f",
        "null",
        "-",
    ]


def measure_loudness(
    path: str | Path, *, channels: int | None = None, sample_rate: int | None = None
) -> LoudnessResult:
    """Integrated loudness, loudness range and true peak of the first audio stream.

    Pass ``channels``/``sample_rate`` of the target profile to measure what will be encoded
    (e.g. the stereo downmix of a 5.1 mix).
    """
    result = run_tool(loudness_command(path, channels=channels, sample_rate=sample_rate))
    if result.returncode != 0:
        if "matches no streams" in result.stderr:
            raise MediaError("File has no audio: loudness cannot be measured")
        raise MediaError(f"Loudness could not be measured: {last_error_line(result.stderr)}")
    return parse_ebur128_summary(result.stderr)
