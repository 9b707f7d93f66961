"""Every kind of source conforms to the DVB-T2 profiles, verified from outside."""

from __future__ import annotations

import dataclasses
import subprocess
import threading
from fractions import Fraction
from pathlib import Path

import pytest

from mux_scheduler.core.errors import MediaError, StorageFull
from mux_scheduler.media.loudness import measure_loudness
from mux_scheduler.media.probe import probe
from mux_scheduler.media.profile import ProfileSpec
from mux_scheduler.media.transcode import (
    TranscodeCancelled,
    build_transcode_command,
    transcode,
    verify_rendition,
)

from .conftest import column_luma, ffprobe_streams, rate

SOURCES = [
    "hd_1080p30.mp4",
    "phone_vertical_vfr.mp4",
    "phone_rotated_vfr.mp4",
    "sd_4x3_2997.mp4",
    "hd_720p50.mp4",
    "surround_51.mp4",
    "loud_spot.mp4",
    "quiet_spot.mp4",
]


def assert_on_air_ready(path: Path, profile: ProfileSpec) -> None:
    data = ffprobe_streams(path)
    video = next(s for s in data["streams"] if s["codec_type"] == "video")
    audio = next(s for s in data["streams"] if s["codec_type"] == "audio")
    assert data["format"]["format_name"] == "mpegts"
    assert video["codec_name"] == profile.video_codec
    assert (video["width"], video["height"]) == (profile.width, profile.height)
    assert video["display_aspect_ratio"] == "16:9"
    assert rate(video["r_frame_rate"]) == profile.frame_rate
    assert video["field_order"] == "tt"
    assert (audio["codec_name"], int(audio["sample_rate"]), audio["channels"]) == (
        profile.audio_codec,
        profile.audio_sample_rate,
        profile.audio_channels,
    )
    loudness = measure_loudness(path)
    assert abs(loudness.integrated_lufs - profile.loudness_target_lufs) <= 1.0
    assert loudness.true_peak_dbtp <= profile.true_peak_max_dbtp


@pytest.mark.parametrize("name", SOURCES)
def test_source_conforms_to_hd(
    clips: dict[str, Path], hd: ProfileSpec, tmp_path: Path, name: str
) -> None:
    progress: list[float] = []
    result = transcode(clips[name], tmp_path / "out.ts", hd, on_progress=progress.append)
    assert not result.remuxed and "copy" not in result.command
    assert_on_air_ready(result.path, hd)
    assert result.duration_frames == 50  # 2 s at 25/1, whatever the source rate
    assert len(result.sha256) == 64
    assert progress[-1] == 1.0 and progress == sorted(progress)
    assert [p.name for p in tmp_path.iterdir()] == ["out.ts"]


@pytest.mark.parametrize("name", ["phone_vertical_vfr.mp4", "phone_rotated_vfr.mp4"])
def test_vertical_clip_is_pillarboxed(
    clips: dict[str, Path], hd: ProfileSpec, tmp_path: Path, name: str
) -> None:
    out = transcode(clips[name], tmp_path / "out.ts", hd).path
    assert column_luma(out, 0) < 20 and column_luma(out, 1920 - 32) < 20
    assert column_luma(out, 944) > 40


def test_4x3_clip_conforms_to_sd_with_pillarbox(
    clips: dict[str, Path], sd: ProfileSpec, tmp_path: Path
) -> None:
    out = transcode(clips["sd_4x3_2997.mp4"], tmp_path / "out.ts", sd).path
    assert_on_air_ready(out, sd)
    video = next(s for s in ffprobe_streams(out)["streams"] if s["codec_type"] == "video")
    assert video["sample_aspect_ratio"] == "64:45"
    assert column_luma(out, 0, width=16) < 20 and column_luma(out, 352, width=16) > 40


def _stream_hash(path: Path) -> str:
    return subprocess.run(
        [
            "ffmpeg",
            "-v",
            "error",
            "-i",
            str(path),
            "-map",
            "0:v:0",
            "-map",
            "0:a:0",
            "-c",
            "copy",
            "-f",
            "streamhash",
            "-hash",
            "sha256",
            "-",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def test_conforming_source_is_remuxed_bit_exact(
    clips: dict[str, Path], hd: ProfileSpec, tmp_path: Path
) -> None:
    source = probe(clips["conforming_hd.ts"])
    loudness = measure_loudness(clips["conforming_hd.ts"], channels=2, sample_rate=48_000)
    command = build_transcode_command(
        source, loudness, hd, clips["conforming_hd.ts"], tmp_path / "x.ts"
    )
    assert command[command.index("-c") + 1] == "copy"
    result = transcode(
        clips["conforming_hd.ts"], tmp_path / "out.ts", hd, source=source, loudness=loudness
    )
    assert result.remuxed and result.duration_frames == 75
    assert _stream_hash(result.path) == _stream_hash(clips["conforming_hd.ts"])


def test_unconvertible_source_is_refused(
    clips: dict[str, Path], hd: ProfileSpec, tmp_path: Path
) -> None:
    with pytest.raises(MediaError, match="File is not a video: no video stream found"):
        transcode(clips["audio_only.m4a"], tmp_path / "out.ts", hd)
    assert list(tmp_path.iterdir()) == []


def test_cancelled_transcode_leaves_no_file(
    clips: dict[str, Path], hd: ProfileSpec, tmp_path: Path
) -> None:
    cancel = threading.Event()
    source = probe(clips["hd_1080p30.mp4"], decode_check=False)
    loudness = measure_loudness(clips["hd_1080p30.mp4"], channels=2, sample_rate=48_000)
    threading.Timer(0.3, cancel.set).start()
    slow = dataclasses.replace(hd, preset="slow")
    with pytest.raises(TranscodeCancelled):
        transcode(
            clips["hd_1080p30.mp4"],
            tmp_path / "out.ts",
            slow,
            source=source,
            loudness=loudness,
            cancel_event=cancel,
        )
    assert list(tmp_path.iterdir()) == []


@pytest.fixture
def tiny_disk(tmp_path: Path):
    mount_point = tmp_path / "tiny"
    mount_point.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=200k", "tmpfs", str(mount_point)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(
            "needs root to mount a 200 kB tmpfs for a real ENOSPC: "
            + mounted.stderr.decode(errors="replace").strip()
        )
    yield mount_point
    subprocess.run(["umount", str(mount_point)], check=True)


def test_full_disk_raises_storage_full_and_leaves_no_temp(
    clips: dict[str, Path], hd: ProfileSpec, tiny_disk: Path
) -> None:
    with pytest.raises(StorageFull, match="disk space"):
        transcode(clips["loud_spot.mp4"], tiny_disk / "out.ts", hd)
    assert list(tiny_disk.iterdir()) == []


def test_verify_reports_profile_mismatch(clips: dict[str, Path], hd: ProfileSpec) -> None:
    check = verify_rendition(clips["small.ts"], hd, expected_frames=50, check_loudness=False)
    assert not check.ok
    assert check.duration_frames == 100
    assert any(m.startswith("size") for m in check.mismatches)
    assert any(m.startswith("duration") for m in check.mismatches)
    assert check.probe.duration is not None and check.probe.duration > Fraction(4)
