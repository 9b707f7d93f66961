"""Read models for the asset library pages, each loaded in a few scoped queries."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, col, select

from mux_scheduler.agencies.models import Agency
from mux_scheduler.assets.models import Asset, AssetQC, AssetStatus, Rendition
from mux_scheduler.auth.access import Principal, get_visible, scope
from mux_scheduler.auth.models import User
from mux_scheduler.channels.models import TechnicalProfile
from mux_scheduler.jobs.models import FINISHED_STATES, Job
from mux_scheduler.web.asset_labels import (
    APPROVAL_STATES,
    ASSET_KINDS,
    ASSET_STATUSES,
)

PAGE_SIZE = 60
SOURCE_FPS = 25  # Asset.duration_frames is counted at 25 fps
PROCESSING = (AssetStatus.UPLOADED, AssetStatus.ANALYSING, AssetStatus.TRANSCODING)


@dataclass(frozen=True)
class LibraryFilters:
    q: str = ""
    kind: str = ""
    approval: str = ""
    status: str = ""
    agency_id: int | None = None

    @classmethod
    def of(
        cls,
        q: str | None,
        kind: str | None,
        approval: str | None,
        status: str | None,
        agency: str | None,
    ) -> LibraryFilters:
        """Unknown values are ignored rather than refused: these come from a search form."""
        return cls(
            q=(q or "").strip()[:100],
            kind=kind if kind in ASSET_KINDS else "",
            approval=approval if approval in APPROVAL_STATES else "",
            status=status if status in ASSET_STATUSES else "",
            agency_id=int(agency) if agency and agency.isdigit() else None,
        )

    @property
    def active(self) -> bool:
        return bool(self.q or self.kind or self.approval or self.status or self.agency_id)


@dataclass(frozen=True)
class QCBadge:
    profile_name: str
    status: str
    reasons: list[str]


@dataclass(frozen=True)
class AssetRow:
    asset: Asset
    agency: str
    qc: list[QCBadge] = field(default_factory=list)

    @property
    def processing(self) -> bool:
        return self.asset.status in PROCESSING

    @property
    def duration_text(self) -> str:
        """The source duration as m:ss (h:mm:ss past an hour); empty before analysis."""
        if self.asset.duration_frames is None:
            return ""
        minutes, seconds = divmod(self.asset.duration_frames // SOURCE_FPS, 60)
        hours, minutes = divmod(minutes, 60)
        return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"


@dataclass(frozen=True)
class JobLine:
    job: Job
    profile_name: str


@dataclass(frozen=True)
class RenditionLine:
    rendition: Rendition
    profile_name: str


@dataclass(frozen=True)
class AssetLive:
    """What changes while an upload is processed: status, jobs, QC and renditions."""

    row: AssetRow
    jobs: list[JobLine]
    qc_items: dict[str, list[dict[str, Any]]]
    renditions: list[RenditionLine]

    @property
    def finished(self) -> bool:
        running = any(line.job.state not in FINISHED_STATES for line in self.jobs)
        return not self.row.processing and not running


def _profile_names(session: Session, profile_ids: set[int]) -> dict[int, str]:
    if not profile_ids:
        return {}
    query = select(TechnicalProfile.id, TechnicalProfile.name).where(
        col(TechnicalProfile.id).in_(profile_ids)
    )
    return {row_id: name for row_id, name in session.exec(query) if row_id is not None}


def _agency_names(session: Session, principal: Principal, ids: set[int]) -> dict[int, str]:
    query = scope(Agency, principal).where(col(Agency.id).in_(ids))
    return {a.id: a.short_name for a in session.exec(query) if a.id is not None}


def _qc_by_asset(session: Session, asset_ids: list[int]) -> dict[int, list[AssetQC]]:
    grouped: dict[int, list[AssetQC]] = defaultdict(list)
    if asset_ids:
        query = select(AssetQC).where(col(AssetQC.asset_id).in_(asset_ids))
        for qc in session.exec(query.order_by(col(AssetQC.profile_id))):
            grouped[qc.asset_id].append(qc)
    return grouped


def _badge(qc: AssetQC, names: dict[int, str]) -> QCBadge:
    reasons = [str(item.get("reason", "")) for item in qc.items if item.get("status") != "pass"]
    return QCBadge(names.get(qc.profile_id, "?"), qc.status, [r for r in reasons if r])


def asset_rows(session: Session, principal: Principal, assets: Sequence[Asset]) -> list[AssetRow]:
    ids = [a.id for a in assets if a.id is not None]
    qcs = _qc_by_asset(session, ids)
    names = _profile_names(session, {qc.profile_id for rows in qcs.values() for qc in rows})
    agencies = _agency_names(session, principal, {a.agency_id for a in assets})
    return [
        AssetRow(
            asset,
            agencies.get(asset.agency_id, ""),
            [_badge(qc, names) for qc in qcs.get(asset.id or 0, [])],
        )
        for asset in assets
    ]


def library_rows(session: Session, principal: Principal, filters: LibraryFilters) -> list[AssetRow]:
    query = scope(Asset, principal)
    if filters.q:
        query = query.where(col(Asset.title).ilike(f"%{filters.q}%"))
    for column, value in (
        (Asset.kind, filters.kind),
        (Asset.approval_state, filters.approval),
        (Asset.status, filters.status),
        (Asset.agency_id, filters.agency_id),
    ):
        if value:
            query = query.where(col(column) == value)
    query = query.order_by(col(Asset.urgent).desc(), col(Asset.id).desc()).limit(PAGE_SIZE)
    return asset_rows(session, principal, list(session.exec(query)))


def approval_queue(session: Session, principal: Principal) -> list[AssetRow]:
    """Submitted assets, urgent first (the fast track), then oldest first."""
    query = (
        scope(Asset, principal)
        .where(col(Asset.approval_state) == "submitted")
        .order_by(col(Asset.urgent).desc(), col(Asset.updated_at), col(Asset.id))
    )
    return asset_rows(session, principal, list(session.exec(query)))


def agencies_for_filter(session: Session, principal: Principal) -> list[Agency]:
    return list(session.exec(scope(Agency, principal).order_by(col(Agency.short_name))))


def asset_live(session: Session, principal: Principal, asset_id: int) -> AssetLive:
    """One asset's processing state; ``NotFound`` when it is outside the viewer's scope."""
    asset = get_visible(session, Asset, asset_id, principal)
    row = asset_rows(session, principal, [asset])[0]
    jobs = list(
        session.exec(
            scope(Job, principal).where(col(Job.asset_id) == asset_id).order_by(col(Job.id))
        )
    )
    qcs = _qc_by_asset(session, [asset_id]).get(asset_id, [])
    renditions = list(
        session.exec(
            select(Rendition)
            .where(col(Rendition.asset_id) == asset_id)
            .order_by(col(Rendition.profile_id))
        )
    )
    profile_ids = {qc.profile_id for qc in qcs} | {r.profile_id for r in renditions}
    profile_ids |= {int(j.payload["profile_id"]) for j in jobs if "profile_id" in j.payload}
    names = _profile_names(session, profile_ids)
    return AssetLive(
        row=row,
        jobs=[JobLine(j, names.get(int(j.payload.get("profile_id", 0)), "")) for j in jobs],
        qc_items={names.get(qc.profile_id, "?"): qc.items for qc in qcs},
        renditions=[RenditionLine(r, names.get(r.profile_id, "?")) for r in renditions],
    )


def user_names(session: Session, principal: Principal, ids: set[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    query = scope(User, principal).where(col(User.id).in_(wanted))
    return {u.id: u.full_name or u.username for u in session.exec(query) if u.id is not None}
