"""What a media file contains: ``probe(path)`` (ffprobe + decode check) and the pure parser."""

from __future__ import annotations

import itertools
import json
import statistics
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
    oversized_picture,
    parse_fraction,
    refused_format,
    run_tool,
    timecode,
)

# Packets read to judge whether frame timestamps are regular (the head of the file is enough).
VFR_SAMPLE_PACKETS = 120
VFR_RATE_TOLERANCE = Fraction(1, 200)
REORDER_WINDOW = 4
INTERLACED_ORDERS = frozenset({"tt", "bb", "tb", "bt"})


@dataclass(frozen=True, slots=True)
class VideoStream:
    index: int
    codec: str
    profile: str | None
    level: int | None
    width: int
    height: int
    sample_aspect: Fraction
    r_frame_rate: Fraction | None
    avg_frame_rate: Fraction | None
    is_vfr: bool
    field_order: str
    pix_fmt: str | None
    rotation: int
    bit_rate: int | None

    @property
    def quarter_turned(self) -> bool:
        return self.rotation in (90, 270)

    @property
    def display_width(self) -> int:
        return self.height if self.quarter_turned else self.width

    @property
    def display_height(self) -> int:
        return self.width if self.quarter_turned else self.height

    @property
    def display_aspect(self) -> Fraction:
        """Shape of the picture as a viewer sees it, after pixel aspect and rotation."""
        stored = Fraction(self.width, self.height) * self.sample_aspect
        return 1 / stored if self.quarter_turned else stored

    @property
    def is_portrait(self) -> bool:
        return self.display_aspect < 1

    @property
    def is_interlaced(self) -> bool:
        return self.field_order in INTERLACED_ORDERS

    @property
    def frame_rate(self) -> Fraction | None:
        """The nominal rate: average for VFR material, else the stream's base rate."""
        if self.is_vfr and self.avg_frame_rate:
            return self.avg_frame_rate
        return self.r_frame_rate or self.avg_frame_rate


@dataclass(frozen=True, slots=True)
class AudioStream:
    index: int
    codec: str
    sample_rate: int
    channels: int
    channel_layout: str | None
    bit_rate: int | None


@dataclass(frozen=True, slots=True)
class ProbeResult:
    format_name: str
    duration: Fraction | None
    size_bytes: int
    bit_rate: int | None
    video: VideoStream | None
    audio: tuple[AudioStream, ...]

    @property
    def has_video(self) -> bool:
        return self.video is not None


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _rotation(stream: dict[str, Any]) -> int:
    """Clockwise display rotation in {0, 90, 180, 270} from the display matrix or old tag."""
    for side in stream.get("side_data_list", []):
        if "rotation" in side:
            return round(-float(side["rotation"])) % 360
    tag = _int(stream.get("tags", {}).get("rotate"))
    return tag % 360 if tag is not None else 0


def _irregular_timestamps(times: list[Fraction]) -> bool:
    """True when frame-to-frame steps differ by more than a quarter of the usual step.

    Packets arrive in decode order, so the last few presentation times of a sample with
    B-frames may still be missing; those are left out.
    """
    ordered = sorted(times)[:-REORDER_WINDOW]
    steps = [b - a for a, b in itertools.pairwise(ordered) if b > a]
    if len(steps) < 4:
        return False
    usual = statistics.median(steps)
    return any(abs(step - usual) > usual / 4 for step in steps)


def _is_vfr(stream: dict[str, Any], packet_times: list[Fraction]) -> bool:
    r_rate = parse_fraction(stream.get("r_frame_rate"))
    avg_rate = parse_fraction(stream.get("avg_frame_rate"))
    if r_rate and avg_rate and abs(r_rate - avg_rate) > r_rate * VFR_RATE_TOLERANCE:
        return True
    return _irregular_timestamps(packet_times)


def _video(stream: dict[str, Any], packet_times: list[Fraction]) -> VideoStream:
    return VideoStream(
        index=int(stream["index"]),
        codec=str(stream.get("codec_name", "unknown")),
        profile=stream.get("profile"),
        level=_int(stream.get("level")),
        width=int(stream.get("width", 0)),
        height=int(stream.get("height", 0)),
        sample_aspect=parse_fraction(stream.get("sample_aspect_ratio")) or Fraction(1),
        r_frame_rate=parse_fraction(stream.get("r_frame_rate")),
        avg_frame_rate=parse_fraction(stream.get("avg_frame_rate")),
        is_vfr=_is_vfr(stream, packet_times),
        field_order=str(stream.get("field_order", "unknown")),
        pix_fmt=stream.get("pix_fmt"),
        rotation=_rotation(stream),
        bit_rate=_int(stream.get("bit_rate")),
    )


def _audio(stream: dict[str, Any]) -> AudioStream:
    return AudioStream(
        index=int(stream["index"]),
        codec=str(stream.get("codec_name", "unknown")),
        sample_rate=_int(stream.get("sample_rate")) or 0,
        channels=_int(stream.get("channels")) or 0,
        channel_layout=stream.get("channel_layout"),
        bit_rate=_int(stream.get("bit_rate")),
    )


def _duration(data: dict[str, Any]) -> Fraction | None:
    duration = parse_fraction(data.get("format", {}).get("duration"))
    if duration is not None:
        return duration
    stream_durations = [parse_fraction(s.get("duration")) for s in data.get("streams", [])]
    known = [d for d in stream_durations if d is not None]
    return max(known) if known else None


def parse_probe(data: dict[str, Any]) -> ProbeResult:
    """Turn ``ffprobe -of json -show_format -show_streams [-show_packets]`` output into a result.

    Raises ``MediaError`` for output that describes no usable media.
    """
    fmt = data.get("format")
    streams = data.get("streams") or []
    if not fmt or not streams or fmt.get("format_name") == "tty":
        raise MediaError("File is not a media file: no audio or video could be read from it")
    videos = [
        s
        for s in streams
        if s.get("codec_type") == "video" and not s.get("disposition", {}).get("attached_pic")
    ]
    audios = [s for s in streams if s.get("codec_type") == "audio"]
    if not videos and not audios:
        raise MediaError("File has no video and no audio stream")
    video = None
    if videos:
        index = videos[0]["index"]
        times = [
            parse_fraction(p.get("pts_time"))
            for p in data.get("packets", [])
            if p.get("stream_index") == index
        ]
        video = _video(videos[0], [t for t in times if t is not None])
    return ProbeResult(
        format_name=str(fmt.get("format_name", "unknown")),
        duration=_duration(data),
        size_bytes=_int(fmt.get("size")) or 0,
        bit_rate=_int(fmt.get("bit_rate")),
        video=video,
        audio=tuple(_audio(s) for s in audios),
    )


def probe_command(path: str | Path) -> list[str]:
    return [
        binary("ffprobe"),
        "-v",
        "error",
        "-protocol_whitelist",
        PROTOCOL_WHITELIST,
        "-format_whitelist",
        FORMAT_WHITELIST,
        "-max_pixels",
        str(MAX_PIXELS),
        "-of",
        "json",
        "-show_format",
        "-show_streams",
        "-show_entries",
        "packet=stream_index,pts_time",
        "-read_intervals",
        f"%+#{VFR_SAMPLE_PACKETS}",
        media_url(path),
    ]


def run_ffprobe(path: str | Path) -> dict[str, Any]:
    """Raw ffprobe JSON for ``path``; ``MediaError`` if the file is missing, empty or unreadable."""
    file = Path(path)
    if not file.is_file():
        raise MediaError(f"File not found: {file.name}")
    if file.stat().st_size == 0:
        raise MediaError("File is empty (0 bytes): the upload did not complete")
    result = run_tool(probe_command(file))
    _refuse_oversized(oversized_picture(result.stderr))
    refused = refused_format(result.stderr)
    if refused is not None:
        raise MediaError(
            f"File is a {refused} playlist or reference, not a media file: upload the video "
            "itself (MP4, MOV, MXF, MPEG-TS, MKV...)"
        )
    if result.returncode != 0:
        raise MediaError(
            f"File is not a media file, or it is damaged: {last_error_line(result.stderr)}"
        )
    data: dict[str, Any] = json.loads(result.stdout or "{}")
    return data


def decoded_seconds(progress_text: str) -> Fraction | None:
    """Last ``out_time_us`` in ffmpeg ``-progress`` output, in seconds."""
    decoded = None
    for line in progress_text.splitlines():
        key, _, value = line.partition("=")
        if key == "out_time_us" and value.strip().lstrip("-").isdigit():
            decoded = Fraction(int(value.strip()), 1_000_000)
    return decoded


def check_decodes(path: str | Path, duration: Fraction | None) -> None:
    """Decode every frame; ``MediaError`` if decoding stops early or the decoder reports damage.

    No ``-xerror``: decoding runs on so the decoded length can be compared with the container's.
    """
    cmd = [
        binary("ffmpeg"),
        "-nostdin",
        "-hide_banner",
        "-v",
        "error",
        "-protocol_whitelist",
        PROTOCOL_WHITELIST,
        "-format_whitelist",
        FORMAT_WHITELIST,
        "-max_pixels",
        str(MAX_PIXELS),
        "-i",
        media_url(path),
        "-map",
        "0:v:0?",
        "-map",
        "0:a:0?",
        "-f",
        "null",
        "-progress",
        "pipe:1",
        "-nostats",
        "-",
    ]
    result = run_tool(cmd)
    _refuse_oversized(oversized_picture(result.stderr))
    decoded = decoded_seconds(result.stdout) or Fraction(0)
    # Allow for audio and video ending a couple of frames apart in an ordinary file.
    truncated = duration is not None and decoded < duration * Fraction(97, 100) - Fraction(2, 25)
    if truncated and duration is not None:
        raise MediaError(
            f"File is truncated: decoding stopped at {timecode(decoded)} of "
            f"{timecode(duration)}; upload the complete file again"
        )
    if result.returncode != 0 or result.stderr.strip():
        first = result.stderr.strip().splitlines()[0] if result.stderr.strip() else ""
        detail = first.split("] ", 1)[-1] or last_error_line(result.stderr)
        raise MediaError(
            f"File is damaged and cannot be decoded cleanly ({detail}); "
            "export it again from the editing software"
        )


def check_picture_size(result: ProbeResult) -> None:
    """Refuse a picture larger than 8K before anything decodes it (a decompression bomb:
    a few kilobytes whose header claims 16000x16000)."""
    video = result.video
    if video is not None and video.width * video.height > MAX_PIXELS:
        _refuse_oversized(f"{video.width}x{video.height}")


def _refuse_oversized(size: str | None) -> None:
    if size is not None:
        raise MediaError(
            f"Picture size {size} is larger than this server decodes (7680x4320); "
            "export the file at broadcast resolution"
        )


def probe(path: str | Path, *, decode_check: bool = True) -> ProbeResult:
    """Describe ``path``; with ``decode_check`` also decode it fully to catch damaged files."""
    result = parse_probe(run_ffprobe(path))
    check_picture_size(result)
    if decode_check:
        check_decodes(path, result.duration)
    return result
