"""API shapes for export formats and export files."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from mux_scheduler.exports.custom import MAX_SOURCE_CHARS


class ExportFormatPublic(BaseModel):
    key: str
    label: str
    media_type: str
    file_name_pattern: str
    builtin: bool
    supports_update: bool = False
    output_type: str | None = None
    operator_id: int | None = None
    created_at: datetime | None = None


class ExportTemplateCreate(BaseModel):
    key: str = Field(pattern=r"^[a-z0-9][a-z0-9-]{1,39}$")
    label: str = Field(min_length=1, max_length=200)
    output_type: Literal["xml", "html", "csv", "json", "text"]
    file_name_pattern: str = Field(min_length=1, max_length=200)
    source: str = Field(min_length=1, max_length=MAX_SOURCE_CHARS)
    operator_id: int | None = None


class ExportPublic(BaseModel):
    id: int
    playlist_id: int
    format: str
    file_name: str
    media_type: str
    sha256: str
    size_bytes: int
    created_at: datetime
