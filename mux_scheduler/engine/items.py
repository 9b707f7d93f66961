"""What the engine produces: playlist items, the validation report and the next day's state."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from mux_scheduler.engine.inputs import Classification, History

Severity = Literal["error", "warning"]

SLATE_TYPE = "slate"


@dataclass(frozen=True, kw_only=True, slots=True)
class PlaylistItem:
    """One line of the playlist.

    ``start_frames`` is the offset from the broadcast day's start. ``som_frames`` and
    ``eom_frames`` are the in and (exclusive) out points in the source, so a trim only moves
    ``eom_frames``: ``eom_frames - som_frames == duration_frames`` always.
    ``source`` says what placed it: ``rule:<id>``, ``campaign:<id>``, ``fill``, ``locked``,
    ``mandatory:<id>`` or ``slate``.
    """

    start_frames: int
    duration_frames: int
    som_frames: int
    eom_frames: int
    item_type: str
    asset_id: int | None
    house_id: str
    title: str
    source: str
    agency_id: int | None = None
    classification: Classification = "SU"
    locked: bool = False
    flags: tuple[str, ...] = ()

    @property
    def end_frames(self) -> int:
        return self.start_frames + self.duration_frames


@dataclass(frozen=True, kw_only=True, slots=True)
class Violation:
    """A constraint that does not hold, or an event the programmer should know about.

    ``severity`` is the build-time severity; ``blocks_publish`` marks warnings that become
    errors at publish time (a pending rendition cannot go to the operator). ``message`` is
    English for the API and logs; ``params`` holds the facts behind it (title, start offset,
    frame counts, ids) so the web UI can word the same violation in the viewer's language.
    """

    code: str
    severity: Severity
    message: str
    item_index: int | None = None
    params: Mapping[str, str | int] = field(default_factory=dict)
    blocks_publish: bool = False


@dataclass(frozen=True, kw_only=True, slots=True)
class CampaignFulfilment:
    campaign_id: str
    target_per_day: int
    placed: int

    @property
    def met(self) -> bool:
        return self.placed >= self.target_per_day

    @property
    def shortfall(self) -> int:
        return max(0, self.target_per_day - self.placed)


@dataclass(frozen=True, kw_only=True, slots=True)
class Report:
    """The validation report stored with the playlist version."""

    violations: tuple[Violation, ...]
    campaigns: tuple[CampaignFulfilment, ...]
    agency_airtime_frames: Mapping[int, int]
    frames_by_item_type: Mapping[str, int]
    total_frames: int
    item_count: int

    @property
    def errors(self) -> tuple[Violation, ...]:
        return tuple(v for v in self.violations if v.severity == "error")

    @property
    def warnings(self) -> tuple[Violation, ...]:
        return tuple(v for v in self.violations if v.severity == "warning")

    @property
    def publish_blockers(self) -> tuple[Violation, ...]:
        return tuple(v for v in self.violations if v.severity == "error" or v.blocks_publish)

    def codes(self) -> tuple[str, ...]:
        return tuple(v.code for v in self.violations)


@dataclass(frozen=True, kw_only=True, slots=True)
class BuildResult:
    items: tuple[PlaylistItem, ...]
    report: Report
    state: History
