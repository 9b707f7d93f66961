"""API schemas (``XCreate / XUpdate / XPublic``) for assets, QC reports and renditions."""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from pydantic import ValidationError, field_validator, model_validator
from sqlmodel import Field, SQLModel

from mux_scheduler.assets.models import AssetKind, AssetMetaBase, Classification
from mux_scheduler.core.errors import ValidationFailed
from mux_scheduler.core.validators import reject_nulls

MAX_TAGS = 30


def _clean_tags(tags: list[str]) -> list[str]:
    cleaned = [tag.strip().lower() for tag in tags if tag.strip()]
    if len(cleaned) > MAX_TAGS or any(len(tag) > 40 for tag in cleaned):
        raise ValueError(f"at most {MAX_TAGS} tags of up to 40 characters")
    return list(dict.fromkeys(cleaned))


def _check_dates(valid_from: date | None, valid_until: date | None) -> None:
    if valid_from and valid_until and valid_until < valid_from:
        raise ValueError("valid_until is before valid_from")


class AssetCreate(AssetMetaBase):
    """Metadata sent with an upload (multipart fields or tus ``Upload-Metadata``)."""

    agency_id: int | None = None  # staff choose; editors always upload for their own agency

    @field_validator("tags", mode="before")
    @classmethod
    def _tags_text(cls, value: Any) -> Any:
        if isinstance(value, str):
            text = value.strip()
            return json.loads(text) if text.startswith("[") else text.split(",")
        return value

    @field_validator("tags")
    @classmethod
    def _tags(cls, value: list[str]) -> list[str]:
        return _clean_tags(value)

    @model_validator(mode="after")
    def _dates(self) -> AssetCreate:
        _check_dates(self.valid_from, self.valid_until)
        return self


def parse_asset_meta(fields: dict[str, str]) -> AssetCreate:
    """Validate text fields from a form or tus metadata; empty values count as not given."""
    known = set(AssetCreate.model_fields)
    data = {k: v for k, v in fields.items() if k in known and v != ""}
    try:
        return AssetCreate.model_validate(data)
    except (ValidationError, json.JSONDecodeError) as exc:
        errors = (
            [
                {"loc": list(err["loc"]), "msg": err["msg"], "type": err["type"]}
                for err in exc.errors()
            ]
            if isinstance(exc, ValidationError)
            else [{"loc": ["tags"], "msg": "tags must be a JSON list or comma-separated"}]
        )
        raise ValidationFailed(
            f"The upload metadata has {len(errors)} invalid field(s).", errors=errors
        ) from exc


class AssetUpdate(SQLModel):
    title: str | None = Field(default=None, min_length=1, max_length=200)
    kind: AssetKind | None = None
    classification: Classification | None = None
    language: str | None = Field(
        default=None, max_length=10, schema_extra={"pattern": r"^[a-z]{2,3}$"}
    )
    tags: list[str] | None = None
    valid_from: date | None = None
    valid_until: date | None = None
    urgent: bool | None = None

    @field_validator("tags")
    @classmethod
    def _tags(cls, value: list[str] | None) -> list[str] | None:
        return None if value is None else _clean_tags(value)

    @model_validator(mode="after")
    def _nulls(self) -> AssetUpdate:
        reject_nulls(self, nullable=frozenset({"valid_from", "valid_until"}))
        return self


class ReviewRequest(SQLModel):
    comment: str | None = Field(default=None, max_length=2000)


class AssetPublic(AssetMetaBase):
    id: int
    agency_id: int
    uploaded_by_id: int | None
    approval_state: str
    reviewer_id: int | None
    review_comment: str | None
    reviewed_at: datetime | None
    sha256: str
    size_bytes: int
    original_filename: str
    status: str
    reject_reason: str | None
    duration_frames: int | None
    probe: dict[str, Any]
    loudness: dict[str, Any]
    has_thumbnail: bool
    created_at: datetime
    updated_at: datetime


class AssetQCPublic(SQLModel):
    profile_id: int
    profile_name: str
    status: str
    items: list[dict[str, Any]]
    created_at: datetime


class RenditionPublic(SQLModel):
    id: int
    asset_id: int
    profile_id: int
    status: str
    duration_frames: int | None
    sha256: str | None
    size_bytes: int | None
    remuxed: bool
    error: str | None
    created_at: datetime
    finished_at: datetime | None
