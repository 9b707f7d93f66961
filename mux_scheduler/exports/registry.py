"""The registry of export formats and the one entry point that renders them.

A format is a key, a label, a file name pattern, a media type and a renderer (a context
builder + Jinja2 template for XML/HTML, plain Python for CSV/JSON). Rendering is a pure
function of the :class:`ExportPlaylist`, so identical input gives identical bytes.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

from mux_scheduler.core.errors import NotFound, ValidationFailed
from mux_scheduler.exports.context import ExportPlaylist
from mux_scheduler.exports.formats.bxf import render_bxf
from mux_scheduler.exports.formats.csv_lists import render_cinegy_csv, render_playout_csv
from mux_scheduler.exports.formats.eit import render_eit
from mux_scheduler.exports.formats.ffplayout import render_ffplayout
from mux_scheduler.exports.formats.html_grid import render_html_grid
from mux_scheduler.exports.formats.xmltv import render_xmltv

Renderer = Callable[[ExportPlaylist], str]
UpdateRenderer = Callable[[ExportPlaylist, frozenset[uuid.UUID]], str]


@dataclass(frozen=True)
class ExportFormat:
    key: str
    label: str
    file_name_pattern: str
    """``str.format`` pattern over ``channel_slug``, ``operator_slug``, ``date``, ``version``,
    ``suffix`` (``""`` for a full export, ``"_update"`` for a partial one)."""
    media_type: str
    render: Renderer = field(repr=False)
    render_update: UpdateRenderer | None = field(default=None, repr=False)
    builtin: bool = True

    @property
    def supports_update(self) -> bool:
        return self.render_update is not None

    def file_name(self, playlist: ExportPlaylist, *, partial: bool = False) -> str:
        return self.file_name_pattern.format(
            channel_slug=playlist.channel.slug,
            operator_slug=playlist.channel.operator_slug,
            date=playlist.day.broadcast_date.isoformat(),
            version=playlist.version,
            suffix="_update" if partial else "",
        )


@dataclass(frozen=True)
class RenderedExport:
    format_key: str
    file_name: str
    media_type: str
    content: bytes
    sha256: str


def _bxf_update(playlist: ExportPlaylist, changed: frozenset[uuid.UUID]) -> str:
    return render_bxf(playlist, changed)


@cache
def _builtin_formats() -> dict[str, ExportFormat]:
    formats = (
        ExportFormat(
            "bxf",
            "SMPTE BXF schedule (ST 2021, 2008 schema)",
            "{channel_slug}_{date}_v{version}{suffix}.bxf.xml",
            "application/xml",
            render_bxf,
            _bxf_update,
        ),
        ExportFormat(
            "xmltv",
            "XMLTV EPG",
            "{channel_slug}_{date}_v{version}.xmltv.xml",
            "application/xml",
            render_xmltv,
        ),
        ExportFormat(
            "eit",
            "DVB EIT schedule (TSDuck XML)",
            "{channel_slug}_{date}_v{version}.eit.xml",
            "application/xml",
            render_eit,
        ),
        ExportFormat(
            "csv",
            "Playout list (CSV)",
            "{channel_slug}_{date}_v{version}.csv",
            "text/csv; charset=utf-8",
            render_playout_csv,
        ),
        ExportFormat(
            "cinegy-csv",
            "Cinegy Traffic Gateway CSV",
            "{channel_slug}_{date}_v{version}.cinegy.csv",
            "text/csv; charset=utf-8",
            render_cinegy_csv,
        ),
        ExportFormat(
            "ffplayout",
            "ffplayout JSON playlist",
            "{channel_slug}_{date}_v{version}.ffplayout.json",
            "application/json",
            render_ffplayout,
        ),
        ExportFormat(
            "html",
            "Printable day grid (HTML)",
            "{channel_slug}_{date}_v{version}.html",
            "text/html; charset=utf-8",
            render_html_grid,
        ),
    )
    return {fmt.key: fmt for fmt in formats}


def list_formats() -> list[ExportFormat]:
    return list(_builtin_formats().values())


def get_format(key: str) -> ExportFormat:
    try:
        return _builtin_formats()[key]
    except KeyError:
        raise NotFound(f"unknown export format {key!r}") from None


def render_export(
    export_format: str | ExportFormat,
    playlist: ExportPlaylist,
    *,
    changed_event_ids: frozenset[uuid.UUID] | None = None,
) -> RenderedExport:
    """Render one playlist in one format; ``changed_event_ids`` asks for a partial update."""
    fmt = get_format(export_format) if isinstance(export_format, str) else export_format
    if changed_event_ids is None:
        text = fmt.render(playlist)
    elif fmt.render_update is None:
        raise ValidationFailed(f"format {fmt.key!r} has no partial (update) rendering")
    else:
        text = fmt.render_update(playlist, frozenset(changed_event_ids))
    content = text.encode("utf-8")
    return RenderedExport(
        format_key=fmt.key,
        file_name=fmt.file_name(playlist, partial=changed_event_ids is not None),
        media_type=fmt.media_type,
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
    )
