"""Check a rendition against its profile and fingerprint it."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

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
from mux_scheduler.media.loudness import LoudnessResult, measure_loudness
from mux_scheduler.media.probe import ProbeResult, parse_probe
from mux_scheduler.media.profile import ProfileSpec

HASH_CHUNK_BYTES = 1 << 20


@dataclass(frozen=True, slots=True)
class RenditionCheck:
    duration_frames: int
    mismatches: tuple[str, ...]
    probe: ProbeResult
    loudness: LoudnessResult | None

    @property
    def ok(self) -> bool:
        return not self.mismatches


def sha256_of(path: str | Path) -> str:
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        while chunk := handle.read(HASH_CHUNK_BYTES):
            digest.update(chunk)
    return digest.hexdigest()


def _count_probe(path: str | Path) -> dict[str, Any]:
    cmd = [
        binary("ffprobe"),
        "-v",
        "error",
        "-protocol_whitelist",
        PROTOCOL_WHITELIST,
        "-format_whitelist",
        FORMAT_WHITELIST,
        "-max_pixels",
        str(MAX_PIXELS),
        "-count_packets",
        "-show_format",
        "-show_streams",
        "-of",
        "json",
        media_url(path),
    ]
    result = run_tool(cmd)
    if result.returncode != 0:
        raise MediaError(f"Rendition cannot be read: {last_error_line(result.stderr)}")
    data: dict[str, Any] = json.loads(result.stdout or "{}")
    return data


def _video_frames(data: dict[str, Any], index: int) -> int:
    for stream in data.get("streams", []):
        if stream.get("index") == index:
            return int(stream.get("nb_read_packets", 0))
    return 0


def _expect(label: str, want: object, got: object) -> list[str]:
    return [] if want == got else [f"{label}: expected {want}, got {got}"]


def _stream_mismatches(result: ProbeResult, profile: ProfileSpec) -> list[str]:
    video, audio = result.video, result.audio[0] if result.audio else None
    if video is None or audio is None:
        return ["rendition must have one video and one audio stream"]
    return [
        *_expect("container", profile.container, result.format_name),
        *_expect("video codec", profile.video_codec, video.codec),
        *_expect("size", (profile.width, profile.height), (video.width, video.height)),
        *_expect("display aspect", profile.display_aspect, video.display_aspect),
        *_expect("frame rate", profile.frame_rate, video.r_frame_rate),
        *_expect("field order", "tt" if profile.interlaced else "progressive", video.field_order),
        *_expect("audio codec", profile.audio_codec, audio.codec),
        *_expect("audio sample rate", profile.audio_sample_rate, audio.sample_rate),
        *_expect("audio channels", profile.audio_channels, audio.channels),
    ]


def _loudness_mismatches(loudness: LoudnessResult, profile: ProfileSpec) -> list[str]:
    problems = []
    if abs(loudness.integrated_lufs - profile.loudness_target_lufs) > profile.loudness_tolerance_lu:
        problems.append(
            f"loudness: expected {profile.loudness_target_lufs} LUFS, "
            f"got {loudness.integrated_lufs}"
        )
    if loudness.true_peak_dbtp > profile.true_peak_max_dbtp:
        problems.append(
            f"true peak: expected <= {profile.true_peak_max_dbtp} dBTP, "
            f"got {loudness.true_peak_dbtp}"
        )
    return problems


def verify_rendition(
    path: str | Path,
    profile: ProfileSpec,
    *,
    expected_frames: int | None = None,
    check_loudness: bool = True,
) -> RenditionCheck:
    """Re-probe ``path``: exact frame count (packets counted) and every way it misses the
    profile. ``expected_frames`` allows two frames or 1 % of difference (rate conversion)."""
    data = _count_probe(path)
    result = parse_probe(data)
    mismatches = _stream_mismatches(result, profile)
    frames = _video_frames(data, result.video.index) if result.video else 0
    if expected_frames is not None and abs(frames - expected_frames) > max(
        2, expected_frames // 100
    ):
        mismatches.append(f"duration: expected {expected_frames} frames, got {frames}")
    loudness = None
    if check_loudness and result.audio:
        loudness = measure_loudness(path)
        mismatches += _loudness_mismatches(loudness, profile)
    return RenditionCheck(frames, tuple(mismatches), result, loudness)


def duration_seconds(frames: int, profile: ProfileSpec) -> Fraction:
    return frames / profile.frame_rate
