"""Small synthetic clips for tests and ``make demo`` (generated with lavfi, never committed).

Each ``make_*`` writes one file and returns its path. Clips are a few seconds long and small so
that a full test session stays fast on two cores.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from mux_scheduler.core.errors import MediaError
from mux_scheduler.media._ffmpeg import binary, last_error_line, media_url, run_tool

DEFAULT_SECONDS = 2.0

# A 1 kHz stereo sine at lavfi's default amplitude (1/8) measures about -21 LUFS;
# these gains put it at the named loudness.
GAIN_TO_MINUS_23_DB = -1.9
GAIN_TO_MINUS_8_DB = 13.0
GAIN_TO_MINUS_40_DB = -18.9


def _ffmpeg(args: list[str], out: Path) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    cmd = [binary("ffmpeg"), "-nostdin", "-hide_banner", "-v", "error", "-y", *args, media_url(out)]
    result = run_tool(cmd)
    if result.returncode != 0:
        raise MediaError(
            f"Could not generate test clip {out.name}: {last_error_line(result.stderr)}"
        )
    return out


def _video(size: str, rate: str, seconds: float, source: str = "testsrc2") -> list[str]:
    return ["-f", "lavfi", "-i", f"{source}=s={size}:r={rate}:d={seconds}"]


def _sine(
    seconds: float, gain_db: float = 0.0, rate: int = 48_000, layout: str = "stereo"
) -> list[str]:
    graph = f"sine=f=1000:r={rate}:d={seconds},volume={gain_db}dB,aformat=channel_layouts={layout}"
    return ["-f", "lavfi", "-i", graph]


_H264_FAST = ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"]
_AAC = ["-c:a", "aac", "-b:a", "128k"]


def make_1080p30_mp4(out: Path, seconds: float = DEFAULT_SECONDS) -> Path:
    """A typical editor export: 1920x1080 30p H.264 + AAC stereo in MP4."""
    return _ffmpeg(
        [
            *_video("1920x1080", "30", seconds),
            *_sine(seconds),
            *_H264_FAST,
            *_AAC,
            "-shortest",
            "-f",
            "mp4",
        ],
        out,
    )


def make_vertical_phone(out: Path, seconds: float = DEFAULT_SECONDS, rotated: bool = False) -> Path:
    """A phone clip at variable frame rate: portrait 1080x1920, or (``rotated``) landscape pixels
    with a 90-degree display-matrix rotation, which players show as portrait."""
    size = "1920x1080" if rotated else "1080x1920"
    # Dropping every fifth frame and keeping the timestamps gives a real VFR stream.
    vfr = ["-vf", "select='not(eq(mod(n\\,5)\\,3))'", "-fps_mode", "vfr"]
    encoded = out.with_name(out.name + ".landscape.mp4") if rotated else out
    _ffmpeg(
        [
            *_video(size, "30", seconds),
            *_sine(seconds, rate=44_100),
            *vfr,
            *_H264_FAST,
            *_AAC,
            "-shortest",
            "-f",
            "mp4",
        ],
        encoded,
    )
    if not rotated:
        return out
    # ffmpeg 5.1 only writes the display matrix when stream-copying.
    _ffmpeg(
        ["-i", media_url(encoded), "-c", "copy", "-metadata:s:v:0", "rotate=90", "-f", "mp4"], out
    )
    encoded.unlink()
    return out


def make_sd_4x3(out: Path, seconds: float = DEFAULT_SECONDS) -> Path:
    """4:3 SD at 29.97 (30000/1001) with mono audio."""
    return _ffmpeg(
        [
            *_video("640x480", "30000/1001", seconds, "smptebars"),
            *_sine(seconds, layout="mono"),
            *_H264_FAST,
            *_AAC,
            "-shortest",
            "-f",
            "mp4",
        ],
        out,
    )


def make_720p50(out: Path, seconds: float = DEFAULT_SECONDS) -> Path:
    """1280x720 50p with 44.1 kHz audio."""
    return _ffmpeg(
        [
            *_video("1280x720", "50", seconds),
            *_sine(seconds, rate=44_100),
            *_H264_FAST,
            *_AAC,
            "-shortest",
            "-f",
            "mp4",
        ],
        out,
    )


def make_surround_51(out: Path, seconds: float = DEFAULT_SECONDS) -> Path:
    """Small 25p picture with 5.1 audio (a different tone in each channel)."""
    tones = "".join(
        f"sine=f={f}:r=48000:d={seconds}[t{i}];"
        for i, f in enumerate((440, 550, 660, 80, 880, 990))
    )
    graph = (
        tones
        + "".join(f"[t{i}]" for i in range(6))
        + ("join=inputs=6:channel_layout=5.1,volume=-6dB[a]")
    )
    return _ffmpeg(
        [
            *_video("640x360", "25", seconds),
            "-f",
            "lavfi",
            "-i",
            "anullsrc",
            "-filter_complex",
            graph,
            "-map",
            "0:v",
            "-map",
            "[a]",
            *_H264_FAST,
            "-c:a",
            "aac",
            "-b:a",
            "256k",
            "-shortest",
            "-f",
            "mp4",
        ],
        out,
    )


def make_loud_spot(out: Path, seconds: float = DEFAULT_SECONDS) -> Path:
    """A spot mastered far too hot (about -8 LUFS)."""
    return _ffmpeg(
        [
            *_video("640x360", "25", seconds),
            *_sine(seconds, GAIN_TO_MINUS_8_DB),
            *_H264_FAST,
            *_AAC,
            "-shortest",
            "-f",
            "mp4",
        ],
        out,
    )


def make_quiet_spot(out: Path, seconds: float = DEFAULT_SECONDS) -> Path:
    """A spot mastered far too quiet (about -40 LUFS)."""
    return _ffmpeg(
        [
            *_video("640x360", "25", seconds),
            *_sine(seconds, GAIN_TO_MINUS_40_DB),
            *_H264_FAST,
            *_AAC,
            "-shortest",
            "-f",
            "mp4",
        ],
        out,
    )


def make_audio_only(out: Path, seconds: float = DEFAULT_SECONDS) -> Path:
    """A sound file uploaded where a video was expected."""
    return _ffmpeg([*_sine(seconds), "-c:a", "aac", "-f", "mp4"], out)


def make_conforming_hd_ts(out: Path, seconds: float = 3.0, preset: str = "ultrafast") -> Path:
    """A file that already meets ``DVB_T2_HD``: 1080i25 TFF H.264 CBR, MP2 48 kHz stereo at
    -23 LUFS, MPEG-TS at 6 Mb/s."""
    rate = "5400000"
    return _ffmpeg(
        [
            *_video("1920x1080", "25", seconds),
            *_sine(seconds, GAIN_TO_MINUS_23_DB),
            "-vf",
            "setfield=tff,format=yuv420p",
            "-c:v",
            "libx264",
            "-preset",
            preset,
            "-flags",
            "+ilme+ildct",
            "-x264-params",
            "interlaced=1:tff=1:nal-hrd=cbr",
            "-b:v",
            rate,
            "-minrate",
            rate,
            "-maxrate",
            rate,
            "-bufsize",
            "1350000",
            "-g",
            "12",
            "-c:a",
            "mp2",
            "-b:a",
            "192k",
            "-ar",
            "48000",
            "-shortest",
            "-f",
            "mpegts",
            "-muxrate",
            "6000000",
        ],
        out,
    )


def make_1080i25_master(out: Path, seconds: float = 60.0) -> Path:
    """A longer 1080i25 master (high-bitrate H.264 + AAC in MOV) for benchmarks."""
    return _ffmpeg(
        [
            *_video("1920x1080", "25", seconds),
            *_sine(seconds, -4.0),
            "-vf",
            "setfield=tff,format=yuv420p",
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
            "-flags",
            "+ilme+ildct",
            "-x264-params",
            "interlaced=1:tff=1",
            "-crf",
            "18",
            *_AAC,
            "-shortest",
            "-f",
            "mov",
        ],
        out,
    )


def make_zero_length(out: Path) -> Path:
    out.write_bytes(b"")
    return out


def make_text_as_mp4(out: Path) -> Path:
    out.write_text("Siaran pers: jadwal vaksinasi minggu ini.\n" * 20, encoding="utf-8")
    return out


def make_truncated(source: Path, out: Path) -> Path:
    """The first half of ``source``'s bytes, as an interrupted upload would leave it."""
    data = source.read_bytes()
    out.write_bytes(data[: len(data) // 2])
    return out


def make_faststart_mp4(out: Path, seconds: float = 4.0) -> Path:
    """MP4 with the index at the front, so a truncated copy still claims the full duration."""
    return _ffmpeg(
        [
            *_video("320x240", "25", seconds),
            *_sine(seconds),
            *_H264_FAST,
            *_AAC,
            "-shortest",
            "-movflags",
            "+faststart",
            "-f",
            "mp4",
        ],
        out,
    )


def make_small_ts(out: Path, seconds: float = 4.0) -> Path:
    return _ffmpeg(
        [
            *_video("320x240", "25", seconds),
            *_sine(seconds),
            *_H264_FAST,
            "-c:a",
            "mp2",
            "-shortest",
            "-f",
            "mpegts",
        ],
        out,
    )


def make_black_and_silent_ends(out: Path) -> Path:
    """1 s black + silence, 2 s picture and tone, then 0.6 s black and 0.5 s silence."""
    video = (
        "color=black:s=320x180:r=25:d=1[b];testsrc2=s=320x180:r=25:d=2[t];"
        "color=black:s=320x180:r=25:d=0.6[e];[b][t][e]concat=n=3:v=1:a=0,format=yuv420p"
    )
    audio = (
        "anullsrc=r=48000:cl=stereo:d=1[s];sine=r=48000:d=2.1,"
        "aformat=channel_layouts=stereo[t];anullsrc=r=48000:cl=stereo:d=0.5[e];"
        "[s][t][e]concat=n=3:v=0:a=1"
    )
    return _ffmpeg(
        ["-f", "lavfi", "-i", video, "-f", "lavfi", "-i", audio, *_H264_FAST, *_AAC, "-f", "mp4"],
        out,
    )


GENERATORS: dict[str, Callable[[Path], Path]] = {
    "hd_1080p30.mp4": make_1080p30_mp4,
    "phone_vertical_vfr.mp4": make_vertical_phone,
    "phone_rotated_vfr.mp4": lambda p: make_vertical_phone(p, rotated=True),
    "sd_4x3_2997.mp4": make_sd_4x3,
    "hd_720p50.mp4": make_720p50,
    "surround_51.mp4": make_surround_51,
    "loud_spot.mp4": make_loud_spot,
    "quiet_spot.mp4": make_quiet_spot,
    "audio_only.m4a": make_audio_only,
    "conforming_hd.ts": make_conforming_hd_ts,
    "zero_length.mp4": make_zero_length,
    "text_renamed.mp4": make_text_as_mp4,
    "faststart.mp4": make_faststart_mp4,
    "small.ts": make_small_ts,
    "black_silent_ends.mp4": make_black_and_silent_ends,
}


def generate_all(out_dir: Path) -> dict[str, Path]:
    """Every clip above plus truncated copies of the MP4 and TS, keyed by file name."""
    out_dir.mkdir(parents=True, exist_ok=True)
    clips = {name: make(out_dir / name) for name, make in GENERATORS.items()}
    clips["truncated.mp4"] = make_truncated(clips["faststart.mp4"], out_dir / "truncated.mp4")
    clips["truncated.ts"] = make_truncated(clips["small.ts"], out_dir / "truncated.ts")
    return clips
