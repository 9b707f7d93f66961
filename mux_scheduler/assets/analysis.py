"""What the analysis job learns about a file, through the media layer (no database here)."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

from mux_scheduler.media.detect import HeadTail, detect_head_tail
from mux_scheduler.media.loudness import LoudnessResult, measure_loudness
from mux_scheduler.media.probe import (
    ProbeResult,
    check_decodes,
    check_picture_size,
    parse_probe,
    run_ffprobe,
)
from mux_scheduler.media.profile import ProfileSpec
from mux_scheduler.media.qc import QCReport, qc_report
from mux_scheduler.media.thumbnail import make_thumbnail

SOURCE_RATE = Fraction(25)  # assets are timed at the Indonesian broadcast rate


def layout_key(spec: ProfileSpec) -> str:
    """Loudness is measured as each profile will hear it (e.g. 5.1 folded down to stereo)."""
    return f"{spec.audio_channels}@{spec.audio_sample_rate}"


@dataclass
class Inspection:
    raw_probe: dict[str, Any]
    probe: ProbeResult
    loudness: dict[str, LoudnessResult] = field(default_factory=dict)
    head_tail: HeadTail | None = None
    thumbnail: Path | None = None
    qc: dict[int, QCReport] = field(default_factory=dict)

    @property
    def duration_frames(self) -> int | None:
        duration = self.probe.duration
        return None if duration is None else math.floor(duration * SOURCE_RATE + Fraction(1, 2))


Step = Callable[[float], None]


def inspect(
    source: Path,
    profiles: dict[int, ProfileSpec],
    *,
    thumbnail_to: Path,
    step: Step,
) -> Inspection:
    """Probe (with a full decode), loudness per audio layout, black/silence, poster, QC.

    Raises ``MediaError`` with a reason an editor can act on when the file is unusable.
    ``step`` is told how far along the analysis is (0..1) and may raise to cancel.
    """
    raw = run_ffprobe(source)
    result = parse_probe(raw)
    check_picture_size(result)
    check_decodes(source, result.duration)
    found = Inspection(raw, result)
    step(0.4)
    if result.audio:
        for spec in profiles.values():
            key = layout_key(spec)
            if key not in found.loudness:
                found.loudness[key] = measure_loudness(
                    source, channels=spec.audio_channels, sample_rate=spec.audio_sample_rate
                )
    step(0.6)
    if result.duration:
        rate = result.video.frame_rate if result.video and result.video.frame_rate else None
        found.head_tail = detect_head_tail(
            source,
            duration=result.duration,
            frame_rate=rate or SOURCE_RATE,
            has_video=result.has_video,
            has_audio=bool(result.audio),
        )
    step(0.8)
    if result.video is not None and result.duration:
        thumbnail_to.parent.mkdir(parents=True, exist_ok=True)
        head_black = found.head_tail.head_black if found.head_tail else Fraction(0)
        found.thumbnail = make_thumbnail(
            source, thumbnail_to, duration=result.duration, head_black=head_black
        )
    for profile_id, spec in profiles.items():
        found.qc[profile_id] = qc_report(result, found.loudness.get(layout_key(spec)), spec)
    return found


def jsonable(value: Any) -> Any:
    """Dataclasses, Fractions and infinities as JSON both databases accept."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Fraction):
        return f"{value.numerator}/{value.denominator}"
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, list | tuple):
        return [jsonable(item) for item in value]
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    return value


def loudness_from_json(data: dict[str, Any] | None) -> LoudnessResult | None:
    if not data:
        return None
    return LoudnessResult(
        **{
            name: float("-inf") if data.get(name) is None else float(data[name])
            for name in ("integrated_lufs", "lra_lu", "true_peak_dbtp", "threshold_lufs")
        }
    )


def summary(found: Inspection) -> dict[str, Any]:
    data: dict[str, Any] = jsonable(found.probe)
    if found.head_tail is not None:
        data["head_tail_frames"] = found.head_tail.frames(SOURCE_RATE)
    if found.probe.video is not None:
        data["display_aspect"] = jsonable(found.probe.video.display_aspect)
    return data
