"""Probe, loudness, black/silence and posters on generated clips."""

from __future__ import annotations

import shutil
import subprocess
from fractions import Fraction
from pathlib import Path

import pytest

from mux_scheduler.core.errors import MediaError
from mux_scheduler.media.detect import detect_head_tail
from mux_scheduler.media.loudness import measure_loudness
from mux_scheduler.media.probe import probe
from mux_scheduler.media.thumbnail import make_thumbnail


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("zero_length.mp4", "File is empty"),
        ("text_renamed.mp4", "File is not a media file"),
        (
            "truncated.mp4",
            r"File is truncated: decoding stopped at 00:00:0\d\.\d\d of 00:00:04\.00",
        ),
        ("truncated.ts", "File is damaged"),
    ],
)
def test_bad_files_get_a_clear_error(clips: dict[str, Path], name: str, message: str) -> None:
    with pytest.raises(MediaError, match=message):
        probe(clips[name])


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(MediaError, match="File not found"):
        probe(tmp_path / "nope.mp4")


def test_protocol_looking_names_are_plain_files(
    clips: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tricky = tmp_path / "concat:hd_1080p30.mp4|other.mp4"
    shutil.copy(clips["hd_1080p30.mp4"], tricky)
    monkeypatch.chdir(tmp_path)
    result = probe(tricky.name, decode_check=False)
    assert result.video is not None and result.video.width == 1920


def test_probe_reads_phone_clip_as_portrait_vfr(clips: dict[str, Path]) -> None:
    result = probe(clips["phone_rotated_vfr.mp4"])
    assert result.video is not None and result.video.is_portrait and result.video.is_vfr
    assert result.duration == 2


def test_loudness_of_hot_and_quiet_spots(clips: dict[str, Path]) -> None:
    assert measure_loudness(clips["loud_spot.mp4"]).integrated_lufs == pytest.approx(-8, abs=1)
    assert measure_loudness(clips["quiet_spot.mp4"]).integrated_lufs == pytest.approx(-40, abs=1)


def test_loudness_of_file_without_audio(clips: dict[str, Path], tmp_path: Path) -> None:
    with pytest.raises(MediaError, match="no audio"):
        measure_loudness(_video_only(clips, tmp_path))


def _video_only(clips: dict[str, Path], tmp_path: Path) -> Path:
    out = tmp_path / "video_only.mp4"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-i", str(clips["faststart.mp4"]), "-an", "-c", "copy", str(out)],
        check=True,
    )
    return out


def test_black_and_silence_at_head_and_tail(clips: dict[str, Path]) -> None:
    found = detect_head_tail(
        clips["black_silent_ends.mp4"], duration=Fraction(36, 10), frame_rate=Fraction(25)
    )
    frames = found.frames(Fraction(25))
    assert frames["head_black"] == 25 and frames["tail_black"] == 15
    assert frames["head_silence"] == 25 and 12 <= frames["tail_silence"] <= 13


def test_poster_is_written_atomically(clips: dict[str, Path], tmp_path: Path) -> None:
    poster = make_thumbnail(
        clips["black_silent_ends.mp4"],
        tmp_path / "poster.jpg",
        duration=Fraction(36, 10),
        head_black=Fraction(1),
    )
    assert poster.read_bytes()[:2] == b"\xff\xd8"
    assert [p.name for p in tmp_path.iterdir()] == ["poster.jpg"]
