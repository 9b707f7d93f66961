"""Conform a source file to a profile: one encode (or a remux), written atomically and verified."""

from __future__ import annotations

import contextlib
import math
import os
import tempfile
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from threading import Event
from typing import Any

import ffmpeg

from mux_scheduler.core.errors import MediaError, ProfileMismatch, TranscodeFailed
from mux_scheduler.media._ffmpeg import (
    FORMAT_WHITELIST,
    MAX_PIXELS,
    PROTOCOL_WHITELIST,
    binary,
    media_url,
)
from mux_scheduler.media.loudness import LoudnessResult, audio_format_options, measure_loudness
from mux_scheduler.media.probe import ProbeResult, VideoStream, probe
from mux_scheduler.media.profile import ProfileSpec
from mux_scheduler.media.qc import qc_report
from mux_scheduler.media.runner import ProgressCallback, TranscodeCancelled, run_ffmpeg
from mux_scheduler.media.verify import RenditionCheck, sha256_of, verify_rendition

# Sample-peak limiter set this far under the true-peak ceiling to leave room for inter-sample
# overs, which alimiter does not see.
LIMITER_MARGIN_DB = 1.0
# A gap smaller than this fraction of the frame is not worth a bar of black.
BAR_TOLERANCE = Fraction(1, 100)

__all__ = [
    "Geometry",
    "RenditionCheck",
    "TranscodeCancelled",
    "TranscodeResult",
    "build_transcode_command",
    "fit_geometry",
    "loudness_gain_db",
    "run_ffmpeg",
    "sha256_of",
    "transcode",
    "verify_rendition",
]


@dataclass(frozen=True, slots=True)
class Geometry:
    """Where the picture lands inside the profile frame: scaled size and pad offsets."""

    scaled_width: int
    scaled_height: int
    pad_x: int
    pad_y: int


@dataclass(frozen=True, slots=True)
class TranscodeResult:
    path: Path
    sha256: str
    duration_frames: int
    remuxed: bool
    command: tuple[str, ...]


def _even(value: Fraction | int, step: int = 2) -> int:
    return max(step, round(Fraction(value) / step) * step)


def fit_geometry(source_aspect: Fraction, profile: ProfileSpec) -> Geometry:
    """Fit a picture of ``source_aspect`` (display shape) into the profile frame without
    stretching: pillarbox narrower pictures, letterbox wider ones."""
    target = profile.display_aspect
    rows = 4 if profile.interlaced else 2  # whole 4:2:0 chroma lines in each field
    if abs(source_aspect - target) <= target * BAR_TOLERANCE:
        return Geometry(profile.width, profile.height, 0, 0)
    if source_aspect > target:
        height = min(_even(profile.height * target / source_aspect, rows), profile.height)
        return Geometry(profile.width, height, 0, _even(Fraction(profile.height - height, 2), rows))
    width = min(_even(profile.width * source_aspect / target), profile.width)
    return Geometry(width, profile.height, _even(Fraction(profile.width - width, 2), 2), 0)


def loudness_gain_db(loudness: LoudnessResult, profile: ProfileSpec) -> float:
    """Static gain that takes the measured programme to the target (0 for silence)."""
    if loudness.is_silent:
        return 0.0
    return round(profile.loudness_target_lufs - loudness.integrated_lufs, 2)


def _needs_limiter(loudness: LoudnessResult, profile: ProfileSpec) -> bool:
    peak_after = loudness.true_peak_dbtp + loudness_gain_db(loudness, profile)
    return peak_after > profile.true_peak_max_dbtp - LIMITER_MARGIN_DB / 2


def _video_graph(stream: Any, video: VideoStream, profile: ProfileSpec) -> Any:
    rate = profile.frame_rate
    geometry = fit_geometry(video.display_aspect, profile)
    resized = (geometry.scaled_width, geometry.scaled_height) != (
        video.display_width,
        video.display_height,
    )
    source_rate = video.frame_rate or rate
    keep_fields = (
        video.field_order == "tt"
        and profile.interlaced
        and not resized
        and (source_rate == rate and not video.is_vfr)
    )
    if video.is_interlaced and not keep_fields:
        stream = stream.filter("yadif", mode="send_field", parity="auto")
        source_rate *= 2
    interleave = profile.interlaced and not keep_fields and source_rate >= rate * Fraction(3, 2)
    out_rate = rate * 2 if interleave else rate
    stream = stream.filter("fps", fps=f"{out_rate.numerator}/{out_rate.denominator}")
    if resized or (video.width, video.height) != (profile.width, profile.height):
        stream = stream.filter(
            "scale", geometry.scaled_width, geometry.scaled_height, flags="bicubic"
        )
        stream = stream.filter(
            "pad", profile.width, profile.height, geometry.pad_x, geometry.pad_y, color="black"
        )
    sar = profile.sample_aspect
    stream = stream.filter("setsar", f"{sar.numerator}/{sar.denominator}")
    if interleave:
        stream = stream.filter("tinterlace", mode="interleave_top")
    stream = stream.filter("setfield", "tff" if profile.interlaced else "prog")
    return stream.filter("format", "yuv420p")


def _audio_graph(stream: Any, loudness: LoudnessResult | None, profile: ProfileSpec) -> Any:
    stream = stream.filter(
        "aformat", **audio_format_options(profile.audio_channels, profile.audio_sample_rate)
    )
    if loudness is None:
        return stream
    stream = stream.filter("volume", f"{loudness_gain_db(loudness, profile)}dB")
    if _needs_limiter(loudness, profile):
        limit = 10 ** ((profile.true_peak_max_dbtp - LIMITER_MARGIN_DB) / 20)
        stream = stream.filter(
            "alimiter", limit=f"{max(limit, 0.0625):.4f}", level="0", latency="1"
        )
    return stream


def _video_codec_args(profile: ProfileSpec) -> dict[str, Any]:
    rate = profile.video_bitrate_bps
    common: dict[str, Any] = {
        "b:v": rate,
        "minrate": rate,
        "maxrate": rate,
        "bufsize": rate // 2,
        "g": profile.gop_frames,
        "bf": 2,
    }
    interlace = {"flags": "+ilme+ildct"} if profile.interlaced else {}
    if profile.video_codec == "h264":
        params = "nal-hrd=cbr:force-cfr=1" + (":interlaced=1:tff=1" if profile.interlaced else "")
        return {
            "c:v": "libx264",
            "preset": profile.preset,
            "x264-params": params,
            **common,
            **interlace,
        }
    if profile.video_codec == "mpeg2video":
        vbv_max = 9_781_248 if profile.width > 720 else 1_835_008
        return {
            "c:v": "mpeg2video",
            **common,
            "bufsize": min(rate // 2, vbv_max),
            **interlace,
            **({"top": 1} if profile.interlaced else {}),
        }
    if profile.interlaced:
        raise ProfileMismatch(
            "Interlaced HEVC output is not supported; use a progressive HEVC profile or H.264"
        )
    kbps = rate // 1000
    return {
        "c:v": "libx265",
        "preset": profile.preset,
        "b:v": rate,
        "g": profile.gop_frames,
        "x265-params": f"vbv-maxrate={kbps}:vbv-bufsize={kbps // 2}:strict-cbr=1:hrd=1",
    }


def _with_globals(cmd: list[str]) -> list[str]:
    return [
        binary("ffmpeg"),
        "-nostdin",
        "-hide_banner",
        "-y",
        "-v",
        "error",
        "-nostats",
        "-progress",
        "pipe:1",
        *cmd[1:],
    ]


def is_conforming(
    source: ProbeResult, loudness: LoudnessResult | None, profile: ProfileSpec
) -> bool:
    return qc_report(source, loudness, profile).status == "pass"


def build_transcode_command(
    source: ProbeResult,
    loudness: LoudnessResult | None,
    profile: ProfileSpec,
    src_path: str | Path,
    out_path: str | Path,
) -> list[str]:
    """The ffmpeg argument list that conforms ``src_path`` to ``profile`` in one pass, or
    rewraps it with ``-c copy`` when it already conforms."""
    report = qc_report(source, loudness, profile)
    if report.status == "fail" or source.video is None:
        raise ProfileMismatch("; ".join(item.reason for item in report.failures))
    inp = ffmpeg.input(
        media_url(src_path),
        protocol_whitelist=PROTOCOL_WHITELIST,
        format_whitelist=FORMAT_WHITELIST,
        max_pixels=MAX_PIXELS,
    )
    mux = {"f": "mpegts", "muxrate": profile.mux_rate_bps, "map_metadata": -1}
    if report.status == "pass":
        out = ffmpeg.output(inp["v:0"], inp["a:0"], media_url(out_path), c="copy", **mux)
        return _with_globals(out.compile())
    video = _video_graph(inp["v:0"], source.video, profile)
    audio = _audio_graph(inp["a:0"], loudness, profile)
    out = ffmpeg.output(
        video,
        audio,
        media_url(out_path),
        **_video_codec_args(profile),
        **{
            "c:a": profile.audio_codec,
            "b:a": profile.audio_bitrate_bps,
            "ar": profile.audio_sample_rate,
            "ac": profile.audio_channels,
        },
        **mux,
    )
    return _with_globals(out.compile())


def _measure_for(source: ProbeResult, src_path: Path, profile: ProfileSpec) -> LoudnessResult:
    if not source.audio:
        raise MediaError("File has no audio track: export it again with sound")
    return measure_loudness(
        src_path, channels=profile.audio_channels, sample_rate=profile.audio_sample_rate
    )


def transcode(
    src_path: str | Path,
    out_path: str | Path,
    profile: ProfileSpec,
    *,
    source: ProbeResult | None = None,
    loudness: LoudnessResult | None = None,
    on_progress: ProgressCallback | None = None,
    cancel_event: Event | None = None,
) -> TranscodeResult:
    """Conform ``src_path`` to ``profile`` at ``out_path``; never leaves a partial file.

    ``source`` and ``loudness`` are the stored analysis of the asset; they are computed here when
    missing. ``loudness`` must be measured as the profile's channel layout (see
    ``measure_loudness``) so normalisation needs no second pass over the video.
    """
    src, out = Path(src_path), Path(out_path)
    source = source or probe(src)
    loudness = loudness or _measure_for(source, src, profile)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".part", dir=out.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        command = build_transcode_command(source, loudness, profile, src, tmp)
        run_ffmpeg(command, source.duration, on_progress, cancel_event)
        expected = _expected_frames(source, profile)
        check = verify_rendition(tmp, profile, expected_frames=expected)
        if check.mismatches:
            raise TranscodeFailed(
                "Converted file does not match the profile: " + "; ".join(check.mismatches)
            )
        digest = sha256_of(tmp)
        tmp.replace(out)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise
    return TranscodeResult(out, digest, check.duration_frames, "copy" in command, tuple(command))


def _expected_frames(source: ProbeResult, profile: ProfileSpec) -> int | None:
    if source.duration is None:
        return None
    return math.floor(source.duration * profile.frame_rate + Fraction(1, 2))
