"""Operator technical profiles: what a rendition must look like to go on air."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

VideoCodec = Literal["h264", "mpeg2video", "hevc"]
AudioCodec = Literal["mp2", "aac", "ac3"]
Scan = Literal["progressive", "interlaced_tff"]


@dataclass(frozen=True, slots=True)
class ProfileSpec:
    """One operator's spec for a conformed file.

    ``mux_rate_bps`` is the budget the operator gives the service on the multiplex; the video
    and audio bitrates are chosen so that the elementary streams plus MPEG-TS overhead (about
    3 % for video, 10 % for MP2 audio, plus PSI/PCR) stay under it.
    """

    name: str
    video_codec: VideoCodec
    width: int
    height: int
    frame_rate: Fraction
    scan: Scan
    display_aspect: Fraction
    video_bitrate_bps: int
    gop_frames: int
    audio_codec: AudioCodec
    audio_sample_rate: int
    audio_channels: int
    audio_bitrate_bps: int
    mux_rate_bps: int
    loudness_target_lufs: float = -23.0
    true_peak_max_dbtp: float = -1.0
    loudness_tolerance_lu: float = 1.0
    container: Literal["mpegts"] = "mpegts"
    preset: str = "veryfast"
    bitrate_tolerance: float = 0.05

    @property
    def sample_aspect(self) -> Fraction:
        """Pixel aspect ratio that makes ``width x height`` display at ``display_aspect``."""
        return self.display_aspect * self.height / self.width

    @property
    def interlaced(self) -> bool:
        return self.scan == "interlaced_tff"


DVB_T2_HD = ProfileSpec(
    name="DVB-T2 HD 1080i25 H.264 6 Mb/s MP2",
    video_codec="h264",
    width=1920,
    height=1080,
    frame_rate=Fraction(25, 1),
    scan="interlaced_tff",
    display_aspect=Fraction(16, 9),
    video_bitrate_bps=5_400_000,
    gop_frames=12,
    audio_codec="mp2",
    audio_sample_rate=48_000,
    audio_channels=2,
    audio_bitrate_bps=192_000,
    mux_rate_bps=6_000_000,
)

DVB_T2_SD = ProfileSpec(
    name="DVB-T2 SD 576i25 H.264 2.5 Mb/s",
    video_codec="h264",
    width=720,
    height=576,
    frame_rate=Fraction(25, 1),
    scan="interlaced_tff",
    display_aspect=Fraction(16, 9),
    video_bitrate_bps=2_100_000,
    gop_frames=12,
    audio_codec="mp2",
    audio_sample_rate=48_000,
    audio_channels=2,
    audio_bitrate_bps=192_000,
    mux_rate_bps=2_500_000,
)
