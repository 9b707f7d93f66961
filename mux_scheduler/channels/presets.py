"""Technical profile presets for Indonesian DVB-T2 multiplexes (EBU R128: -23 LUFS, -1 dBTP)."""

from __future__ import annotations

from sqlmodel import Session, select

from mux_scheduler.channels.models import TechnicalProfile

HD_PRESET = "DVB-T2 HD 1080i25 H.264 6 Mb/s MP2"
SD_PRESET = "DVB-T2 SD 576i25 H.264 2.5 Mb/s"

PRESETS: dict[str, dict[str, object]] = {
    HD_PRESET: {
        "video_codec": "h264",
        "width": 1920,
        "height": 1080,
        "scan": "interlaced_tff",
        "display_aspect": "16:9",
        "video_bitrate_bps": 5_400_000,
        "gop_frames": 12,
        "audio_codec": "mp2",
        "audio_bitrate_bps": 192_000,
        "mux_rate_bps": 6_000_000,
    },
    SD_PRESET: {
        "video_codec": "h264",
        "width": 720,
        "height": 576,
        "scan": "interlaced_tff",
        "display_aspect": "16:9",
        "video_bitrate_bps": 2_100_000,
        "gop_frames": 12,
        "audio_codec": "mp2",
        "audio_bitrate_bps": 192_000,
        "mux_rate_bps": 2_500_000,
    },
}


def ensure_presets(session: Session) -> dict[str, TechnicalProfile]:
    """Create the preset profiles once; existing ones are left as the admin tuned them."""
    existing = {p.name: p for p in session.exec(select(TechnicalProfile)).all()}
    for name, fields in PRESETS.items():
        if name not in existing:
            profile = TechnicalProfile(name=name, is_preset=True, **fields)  # type: ignore[arg-type]
            session.add(profile)
            existing[name] = profile
    session.flush()
    return {name: existing[name] for name in PRESETS}
