"""Pure parsing and decision logic, tested on captured ffprobe/ffmpeg output."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mux_scheduler.core.errors import MediaError
from mux_scheduler.media.detect import head_and_tail, parse_blackdetect, parse_silencedetect
from mux_scheduler.media.loudness import LoudnessResult, parse_ebur128_summary
from mux_scheduler.media.probe import decoded_seconds, parse_probe
from mux_scheduler.media.profile import DVB_T2_HD, DVB_T2_SD
from mux_scheduler.media.qc import qc_report
from mux_scheduler.media.runner import progress_fraction
from mux_scheduler.media.thumbnail import poster_position
from mux_scheduler.media.transcode import fit_geometry, loudness_gain_db

from .conftest import DATA, load_json

AT_TARGET = LoudnessResult(-23.0, 3.0, -6.0, -33.0)


def test_rotated_phone_clip_is_portrait_and_vfr() -> None:
    result = parse_probe(load_json("probe_phone_rotated_vfr.json"))
    assert result.video is not None
    assert (result.video.width, result.video.height) == (1920, 1080)
    assert result.video.rotation in (90, 270)
    assert (result.video.display_width, result.video.display_height) == (1080, 1920)
    assert result.video.is_portrait
    assert result.video.is_vfr
    assert result.audio[0].sample_rate == 44_100


def test_ntsc_rate_is_an_exact_fraction() -> None:
    result = parse_probe(load_json("probe_sd_4x3_2997.json"))
    assert result.video is not None
    assert result.video.r_frame_rate == Fraction(30000, 1001)
    assert not result.video.is_vfr
    assert result.video.display_aspect == Fraction(4, 3)
    assert result.audio[0].channels == 1


def test_conforming_ts_reads_as_interlaced_tff() -> None:
    result = parse_probe(load_json("probe_conforming_hd.json"))
    assert result.format_name == "mpegts"
    assert result.video is not None and result.video.field_order == "tt"
    assert result.video.is_interlaced
    assert result.audio[0].codec == "mp2"


def test_surround_and_audio_only() -> None:
    assert parse_probe(load_json("probe_surround_51.json")).audio[0].channels == 6
    audio_only = parse_probe(load_json("probe_audio_only.json"))
    assert audio_only.video is None and len(audio_only.audio) == 1


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"format": {"format_name": "tty"}, "streams": [{}]},
        {"format": {"format_name": "mp4"}, "streams": []},
        {"format": {"format_name": "mp4"}, "streams": [{"index": 0, "codec_type": "data"}]},
    ],
)
def test_non_media_probe_output_is_rejected(data: dict[str, object]) -> None:
    with pytest.raises(MediaError):
        parse_probe(data)


def test_ebur128_summary() -> None:
    loud = parse_ebur128_summary((DATA / "ebur128_loud.txt").read_text())
    assert loud == LoudnessResult(-8.1, 0.0, -7.8, -18.1)
    assert not loud.is_silent


def test_ebur128_silence_is_minus_inf_peak() -> None:
    silent = parse_ebur128_summary((DATA / "ebur128_silence.txt").read_text())
    assert silent.integrated_lufs == -70.0
    assert math.isinf(silent.true_peak_dbtp) and silent.true_peak_dbtp < 0
    assert silent.is_silent
    assert loudness_gain_db(silent, DVB_T2_HD) == 0.0


def test_ebur128_without_summary_is_an_error() -> None:
    with pytest.raises(MediaError, match="Loudness could not be measured"):
        parse_ebur128_summary("Stream mapping: nothing")


def test_black_and_silence_intervals() -> None:
    text = (DATA / "detect_black_silence.txt").read_text()
    black = parse_blackdetect(text)
    assert black == [(Fraction(0), Fraction(1)), (Fraction(3), Fraction(356, 100))]
    head, tail = head_and_tail(black, Fraction(36, 10), Fraction(1, 25))
    assert (head, tail) == (Fraction(1), Fraction(6, 10))
    silence = parse_silencedetect(
        text + "\n[silencedetect @ 0x1] silence_start: 3.1\n", Fraction(36, 10)
    )
    assert silence[0] == (Fraction(0), Fraction("0.500021"))
    assert head_and_tail(silence, Fraction(36, 10), Fraction(1, 25))[1] == Fraction(1, 2)


def test_decoded_seconds_and_progress() -> None:
    text = "frame=10\nout_time_us=85333\nprogress=continue\nout_time_us=2048000\nprogress=end\n"
    assert decoded_seconds(text) == Fraction(2048, 1000)
    assert progress_fraction("out_time_us=1000000", Fraction(4)) == 0.25
    assert progress_fraction("out_time_us=N/A", Fraction(4)) is None
    assert progress_fraction("out_time_us=9000000", Fraction(4)) == 1.0


def test_geometry_pillarbox_letterbox_and_full() -> None:
    assert fit_geometry(Fraction(16, 9), DVB_T2_HD) == fit_geometry(Fraction(16, 9), DVB_T2_HD)
    full = fit_geometry(Fraction(16, 9), DVB_T2_HD)
    assert (full.scaled_width, full.scaled_height, full.pad_x, full.pad_y) == (1920, 1080, 0, 0)
    portrait = fit_geometry(Fraction(9, 16), DVB_T2_HD)
    assert portrait.scaled_height == 1080 and portrait.scaled_width == 608
    assert portrait.pad_x == (1920 - 608) // 2
    four_three = fit_geometry(Fraction(4, 3), DVB_T2_SD)
    assert (four_three.scaled_width, four_three.scaled_height) == (540, 576)
    scope = fit_geometry(Fraction(239, 100), DVB_T2_HD)
    assert scope.scaled_width == 1920 and scope.scaled_height < 1080 and scope.pad_y % 4 == 0


@given(st.fractions(min_value=Fraction(1, 4), max_value=Fraction(4)))
def test_geometry_never_stretches(aspect: Fraction) -> None:
    for profile in (DVB_T2_HD, DVB_T2_SD):
        g = fit_geometry(aspect, profile)
        assert g.scaled_width + 2 * g.pad_x <= profile.width + 2
        assert g.scaled_height + 2 * g.pad_y <= profile.height + 4
        shown = Fraction(g.scaled_width, g.scaled_height) * profile.sample_aspect
        assert abs(shown - aspect) / aspect < Fraction(2, 100)


def test_qc_of_conforming_file_passes_and_phone_clip_needs_conform() -> None:
    conforming = parse_probe(load_json("probe_conforming_hd.json"))
    assert qc_report(conforming, AT_TARGET, DVB_T2_HD).status == "pass"
    phone = qc_report(parse_probe(load_json("probe_phone_rotated_vfr.json")), AT_TARGET, DVB_T2_HD)
    assert phone.status == "conform"
    changed = {item.check for item in phone.items if item.status == "conform"}
    assert {"aspect", "frame_rate", "scan", "container", "audio_codec"} <= changed


def test_qc_loudness_and_peak_are_conformable_but_silence_fails() -> None:
    conforming = parse_probe(load_json("probe_conforming_hd.json"))
    hot = qc_report(conforming, LoudnessResult(-8.1, 0.0, -0.2, -18.1), DVB_T2_HD)
    assert {i.check for i in hot.items if i.status == "conform"} == {"loudness", "true_peak"}
    silent = qc_report(conforming, LoudnessResult(-70.0, 0.0, -math.inf, 0.0), DVB_T2_HD)
    assert silent.status == "fail"
    assert "silent" in silent.failures[0].reason


def test_qc_without_video_fails_with_editor_message() -> None:
    report = qc_report(parse_probe(load_json("probe_audio_only.json")), AT_TARGET, DVB_T2_HD)
    assert report.status == "fail"
    assert "File is not a video: no video stream found" in [i.reason for i in report.failures]


def test_qc_zero_duration_fails() -> None:
    data = load_json("probe_conforming_hd.json")
    data["format"]["duration"] = "0.010000"
    report = qc_report(parse_probe(data), AT_TARGET, DVB_T2_HD)
    assert [i.check for i in report.failures] == ["duration"]


def test_poster_position() -> None:
    assert poster_position(Fraction(30)) == 3
    assert poster_position(Fraction(30), head_black=Fraction(5)) == Fraction(5) + Fraction(1, 25)
    assert poster_position(Fraction(1, 25)) == 0


def test_profiles_fit_their_mux_budget() -> None:
    for profile in (DVB_T2_HD, DVB_T2_SD):
        elementary = profile.video_bitrate_bps + profile.audio_bitrate_bps
        assert elementary * 1.04 < profile.mux_rate_bps
    assert DVB_T2_SD.sample_aspect == Fraction(64, 45)
    assert DVB_T2_HD.sample_aspect == 1
