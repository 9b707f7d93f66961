"""Operator custom templates and the record of every export file written."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from mux_scheduler.core.models_base import created_at_field


class ExportTemplate(SQLModel, table=True):
    """An admin-uploaded Jinja2 export format; ``operator_id`` limits it to one operator."""

    __tablename__ = "export_template"

    id: int | None = Field(default=None, primary_key=True)
    key: str = Field(max_length=40, unique=True)
    label: str = Field(max_length=200)
    output_type: str = Field(sa_type=String(10))
    file_name_pattern: str = Field(max_length=200)
    source: str = Field(sa_type=Text)
    operator_id: int | None = Field(
        default=None, foreign_key="operator.id", index=True, ondelete="CASCADE"
    )
    created_by: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    created_at: datetime = created_at_field()


class Export(SQLModel, table=True):
    """One file written for a playlist version in one format; unchanged content, same row."""

    __table_args__ = (UniqueConstraint("playlist_id", "format", "sha256"),)

    id: int | None = Field(default=None, primary_key=True)
    playlist_id: int = Field(foreign_key="playlist.id", index=True, ondelete="CASCADE")
    format: str = Field(max_length=40)
    file_name: str = Field(max_length=200)
    media_type: str = Field(max_length=100)
    path: str = Field(max_length=1000)
    sha256: str = Field(max_length=64)
    size_bytes: int
    created_at: datetime = created_at_field()
