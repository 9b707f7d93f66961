"""Quality control of a probed, measured file against a technical profile (pure)."""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from typing import Literal

from mux_scheduler.media.loudness import LoudnessResult
from mux_scheduler.media.probe import AudioStream, ProbeResult, VideoStream
from mux_scheduler.media.profile import ProfileSpec

QCStatus = Literal["pass", "conform", "fail"]
ASPECT_TOLERANCE = Fraction(1, 100)


@dataclass(frozen=True, slots=True)
class QCItem:
    check: str
    status: QCStatus
    expected: str
    actual: str
    reason: str = ""


@dataclass(frozen=True, slots=True)
class QCReport:
    """``status`` is ``fail`` if anything cannot be fixed, ``conform`` if a transcode will fix
    everything, else ``pass`` (the file can be used as is, by remuxing)."""

    items: list[QCItem] = field(default_factory=list)

    @property
    def status(self) -> QCStatus:
        statuses = {item.status for item in self.items}
        if "fail" in statuses:
            return "fail"
        return "conform" if "conform" in statuses else "pass"

    @property
    def failures(self) -> list[QCItem]:
        return [item for item in self.items if item.status == "fail"]


def _item(check: str, ok: bool, expected: object, actual: object, reason: str) -> QCItem:
    return QCItem(
        check, "pass" if ok else "conform", str(expected), str(actual), "" if ok else reason
    )


def _rate(rate: Fraction | None) -> str:
    return "unknown" if rate is None else f"{rate.numerator}/{rate.denominator}"


def _video_items(video: VideoStream, size_bytes_rate: int | None, p: ProfileSpec) -> list[QCItem]:
    size_ok = (video.width, video.height, video.rotation) == (p.width, p.height, 0)
    aspect_ok = abs(video.display_aspect - p.display_aspect) <= p.display_aspect * ASPECT_TOLERANCE
    rate_ok = video.r_frame_rate == p.frame_rate and not video.is_vfr
    want_order = "tt" if p.interlaced else "progressive"
    budget, actual_rate = (
        (p.video_bitrate_bps, video.bit_rate)
        if video.bit_rate
        else (p.mux_rate_bps, size_bytes_rate)
    )
    rate_fits = actual_rate is not None and actual_rate <= budget * (1 + p.bitrate_tolerance)
    shape = "portrait" if video.is_portrait else _rate(video.display_aspect).replace("/", ":")
    return [
        _item(
            "video_codec",
            video.codec == p.video_codec,
            p.video_codec,
            video.codec,
            "Video will be re-encoded to the profile codec",
        ),
        _item(
            "resolution",
            size_ok,
            f"{p.width}x{p.height}",
            f"{video.display_width}x{video.display_height}"
            + (f" (rotated {video.rotation})" if video.rotation else ""),
            "Picture will be scaled to the profile size",
        ),
        _item(
            "aspect",
            aspect_ok,
            _rate(p.display_aspect).replace("/", ":"),
            shape,
            "Picture will be pillarboxed or letterboxed, never stretched",
        ),
        _item(
            "frame_rate",
            rate_ok,
            _rate(p.frame_rate),
            _rate(video.frame_rate) + (" variable" if video.is_vfr else ""),
            "Frame rate will be converted to a constant profile rate",
        ),
        _item(
            "scan",
            video.field_order == want_order,
            want_order,
            video.field_order,
            "Scan will be converted to the profile field order",
        ),
        _item(
            "video_bitrate",
            rate_fits,
            f"<= {budget}",
            str(actual_rate),
            "Video will be re-encoded at the profile constant bitrate",
        ),
    ]


def _audio_items(audio: AudioStream, p: ProfileSpec) -> list[QCItem]:
    bitrate_ok = audio.bit_rate is None or audio.bit_rate <= p.audio_bitrate_bps * (
        1 + p.bitrate_tolerance
    )
    return [
        _item(
            "audio_codec",
            audio.codec == p.audio_codec,
            p.audio_codec,
            audio.codec,
            "Audio will be re-encoded to the profile codec",
        ),
        _item(
            "audio_sample_rate",
            audio.sample_rate == p.audio_sample_rate,
            p.audio_sample_rate,
            audio.sample_rate,
            "Audio will be resampled",
        ),
        _item(
            "audio_channels",
            audio.channels == p.audio_channels,
            p.audio_channels,
            audio.channels,
            "Audio will be mixed to the profile channel count",
        ),
        _item(
            "audio_bitrate",
            bitrate_ok,
            f"<= {p.audio_bitrate_bps}",
            str(audio.bit_rate),
            "Audio will be re-encoded at the profile bitrate",
        ),
    ]


def _loudness_items(loudness: LoudnessResult | None, p: ProfileSpec) -> list[QCItem]:
    target = f"{p.loudness_target_lufs:+.1f} LUFS +/- {p.loudness_tolerance_lu:.1f} LU"
    if loudness is None:
        return [
            QCItem(
                "loudness",
                "conform",
                target,
                "not measured",
                "Loudness will be measured and normalised",
            )
        ]
    if loudness.is_silent:
        return [
            QCItem(
                "loudness",
                "fail",
                target,
                "silent",
                "Audio is silent: check the sound was included in the export",
            )
        ]
    level_ok = abs(loudness.integrated_lufs - p.loudness_target_lufs) <= p.loudness_tolerance_lu
    return [
        _item(
            "loudness",
            level_ok,
            target,
            f"{loudness.integrated_lufs:+.1f} LUFS",
            "Loudness will be normalised to the profile target",
        ),
        _item(
            "true_peak",
            loudness.true_peak_dbtp <= p.true_peak_max_dbtp,
            f"<= {p.true_peak_max_dbtp:+.1f} dBTP",
            f"{loudness.true_peak_dbtp:+.1f} dBTP",
            "Peaks will be limited to the profile ceiling",
        ),
    ]


def qc_report(
    probe: ProbeResult, loudness: LoudnessResult | None, profile: ProfileSpec
) -> QCReport:
    """Compare ``probe`` and ``loudness`` with ``profile``; no I/O."""
    items: list[QCItem] = []
    rate = profile.frame_rate
    if probe.duration is None or probe.duration < 1 / rate:
        items.append(
            QCItem(
                "duration",
                "fail",
                f">= 1 frame ({_rate(1 / rate)} s)",
                "unknown" if probe.duration is None else f"{float(probe.duration)} s",
                "File has no usable duration: it is shorter than one frame",
            )
        )
    else:
        items.append(QCItem("duration", "pass", ">= 1 frame", f"{float(probe.duration):.3f} s"))
    items.append(
        _item(
            "container",
            "mpegts" in probe.format_name.split(","),
            profile.container,
            probe.format_name,
            "File will be rewrapped as MPEG-TS",
        )
    )
    if probe.video is None:
        items.append(
            QCItem(
                "video",
                "fail",
                "1 video stream",
                "none",
                "File is not a video: no video stream found",
            )
        )
    else:
        items += _video_items(probe.video, probe.bit_rate, profile)
    if not probe.audio:
        items.append(
            QCItem(
                "audio",
                "fail",
                f"{profile.audio_channels} channels",
                "none",
                "File has no audio track: export it again with sound",
            )
        )
    else:
        items += _audio_items(probe.audio[0], profile)
        items += _loudness_items(loudness, profile)
    return QCReport(items)
