"""Assets (uploaded content), their QC per technical profile, renditions and tus uploads."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, BigInteger, String, UniqueConstraint
from sqlmodel import Field, SQLModel

from mux_scheduler.core.models_base import created_at_field
from mux_scheduler.core.types import AwareDateTime


class AssetKind(StrEnum):
    PROGRAMME = "programme"
    ILM = "ilm"
    FILLER = "filler"
    STATION_ID = "station_id"
    BUMPER = "bumper"
    PROMO = "promo"
    LIVE = "live"


class Classification(StrEnum):
    """KPI P3SPS classification: Semua Umur, Anak, Remaja, Dewasa, Pra-sekolah (P)."""

    P = "P"
    A = "A"
    R = "R"
    D = "D"
    SU = "SU"


class ApprovalState(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    REJECTED = "rejected"


class AssetStatus(StrEnum):
    UPLOADED = "uploaded"
    ANALYSING = "analysing"
    TRANSCODING = "transcoding"
    READY = "ready"
    REJECTED = "rejected"  # the file itself cannot be used (damaged, not media, no video...)
    FAILED = "failed"  # the file was fine but a conversion failed


class RenditionStatus(StrEnum):
    PENDING = "pending"
    READY = "ready"
    FAILED = "failed"


class AssetMetaBase(SQLModel):
    title: str = Field(min_length=1, max_length=200)
    kind: AssetKind = Field(default=AssetKind.PROGRAMME, sa_type=String(12))
    classification: Classification = Field(default=Classification.SU, sa_type=String(2))
    language: str = Field(default="id", max_length=10, schema_extra={"pattern": r"^[a-z]{2,3}$"})
    tags: list[str] = Field(default_factory=list, sa_type=JSON)
    valid_from: date | None = None
    valid_until: date | None = None
    urgent: bool = False


class Asset(AssetMetaBase, table=True):
    __table_args__ = (UniqueConstraint("agency_id", "sha256"),)

    id: int | None = Field(default=None, primary_key=True)
    agency_id: int = Field(foreign_key="agency.id", index=True)
    uploaded_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    approval_state: str = Field(default=ApprovalState.DRAFT, sa_type=String(10), index=True)
    reviewer_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    review_comment: str | None = Field(default=None, max_length=2000)
    reviewed_at: datetime | None = Field(default=None, sa_type=AwareDateTime)
    sha256: str = Field(max_length=64, index=True)
    size_bytes: int = Field(sa_type=BigInteger)
    # Relative to media_root; None once a rejected file's bytes have been removed.
    stored_path: str | None = Field(default=None, max_length=200)
    original_filename: str = Field(default="", max_length=200)  # metadata only, never a path
    thumbnail_path: str | None = Field(default=None, max_length=200)
    status: str = Field(default=AssetStatus.UPLOADED, sa_type=String(12), index=True)
    reject_reason: str | None = Field(default=None, max_length=2000)
    probe: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    loudness: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    duration_frames: int | None = None  # of the source, at 25 fps
    created_at: datetime = created_at_field()
    updated_at: datetime = created_at_field()


class AssetQC(SQLModel, table=True):
    __tablename__ = "asset_qc"
    __table_args__ = (UniqueConstraint("asset_id", "profile_id"),)

    id: int | None = Field(default=None, primary_key=True)
    asset_id: int = Field(foreign_key="asset.id", index=True, ondelete="CASCADE")
    profile_id: int = Field(foreign_key="technical_profile.id", ondelete="CASCADE")
    status: str = Field(sa_type=String(8))  # pass | conform | fail
    items: list[dict[str, Any]] = Field(default_factory=list, sa_type=JSON)
    created_at: datetime = created_at_field()


class Rendition(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("asset_id", "profile_id"),)

    id: int | None = Field(default=None, primary_key=True)
    asset_id: int = Field(foreign_key="asset.id", index=True, ondelete="CASCADE")
    profile_id: int = Field(foreign_key="technical_profile.id", index=True, ondelete="CASCADE")
    status: str = Field(default=RenditionStatus.PENDING, sa_type=String(8))
    path: str | None = Field(default=None, max_length=200)  # relative to media_root
    duration_frames: int | None = None  # exact, at the profile's frame rate
    sha256: str | None = Field(default=None, max_length=64)
    size_bytes: int | None = Field(default=None, sa_type=BigInteger)
    remuxed: bool = False
    error: str | None = Field(default=None, max_length=2000)
    created_at: datetime = created_at_field()
    finished_at: datetime | None = Field(default=None, sa_type=AwareDateTime)


class Upload(SQLModel, table=True):
    """A tus resumable upload in progress; completion turns it into an asset."""

    id: str = Field(primary_key=True, max_length=32)  # uuid4 hex
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    agency_id: int = Field(foreign_key="agency.id")
    length_bytes: int = Field(sa_type=BigInteger)
    offset_bytes: int = Field(default=0, sa_type=BigInteger)  # durable bytes received
    meta: dict[str, Any] = Field(default_factory=dict, sa_type=JSON)
    temp_path: str = Field(max_length=200)  # relative to media_root
    expires_at: datetime = Field(sa_type=AwareDateTime)
    completed_asset_id: int | None = Field(
        default=None, foreign_key="asset.id", ondelete="SET NULL"
    )
    created_at: datetime = created_at_field()
