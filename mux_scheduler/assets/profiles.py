"""Which technical profiles an asset must meet, as the media layer's ``ProfileSpec``."""

from __future__ import annotations

import math
from fractions import Fraction
from typing import cast

from sqlmodel import Session, col, select

from mux_scheduler.channels.models import Channel, ChannelLease, TechnicalProfile
from mux_scheduler.media.profile import AudioCodec, ProfileSpec, Scan, VideoCodec

# MPEG-TS overhead on top of the elementary streams (see ``ProfileSpec``), plus PSI/PCR.
VIDEO_TS_OVERHEAD = Fraction(103, 100)
AUDIO_TS_OVERHEAD = Fraction(110, 100)
PSI_BPS = 100_000


def mux_rate_bps(profile: TechnicalProfile) -> int:
    if profile.mux_rate_bps is not None:
        return profile.mux_rate_bps
    needed = (
        profile.video_bitrate_bps * VIDEO_TS_OVERHEAD
        + profile.audio_bitrate_bps * AUDIO_TS_OVERHEAD
        + PSI_BPS
    )
    return math.ceil(needed / 100_000) * 100_000


def to_spec(profile: TechnicalProfile, *, preset: str = "veryfast") -> ProfileSpec:
    width, height = (int(part) for part in profile.display_aspect.split(":"))
    return ProfileSpec(
        name=profile.name,
        video_codec=cast(VideoCodec, profile.video_codec),
        width=profile.width,
        height=profile.height,
        frame_rate=profile.frame_rate,
        scan=cast(Scan, profile.scan),
        display_aspect=Fraction(width, height),
        video_bitrate_bps=profile.video_bitrate_bps,
        gop_frames=profile.gop_frames,
        audio_codec=cast(AudioCodec, profile.audio_codec),
        audio_sample_rate=profile.audio_sample_rate,
        audio_channels=profile.audio_channels,
        audio_bitrate_bps=profile.audio_bitrate_bps,
        mux_rate_bps=mux_rate_bps(profile),
        loudness_target_lufs=profile.loudness_target_lufs,
        true_peak_max_dbtp=profile.true_peak_max_dbtp,
        loudness_tolerance_lu=profile.loudness_tolerance_lu,
        preset=preset,
    )


def profiles_for_agency(session: Session, agency_id: int) -> list[TechnicalProfile]:
    """Profiles of the channels the agency leases airtime on; every profile if it leases none
    (content can be prepared before a lease starts)."""
    leased = select(ChannelLease.channel_id).where(col(ChannelLease.agency_id) == agency_id)
    profile_ids = select(Channel.profile_id).where(col(Channel.id).in_(leased))
    query = select(TechnicalProfile).order_by(col(TechnicalProfile.id))
    profiles = list(session.exec(query.where(col(TechnicalProfile.id).in_(profile_ids))))
    return profiles or list(session.exec(query))
