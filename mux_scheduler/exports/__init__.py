"""Exports: a registry of playlist formats rendered from a pure export context.

Nothing here touches the database or HTTP: a service builds an
:class:`~mux_scheduler.exports.context.ExportPlaylist`, then calls
:func:`~mux_scheduler.exports.registry.render_export` and
:func:`~mux_scheduler.exports.writer.write_export`.
"""

from mux_scheduler.exports.context import (
    ExportChannel,
    ExportContextError,
    ExportItem,
    ExportPlaylist,
)
from mux_scheduler.exports.registry import (
    ExportFormat,
    RenderedExport,
    get_format,
    list_formats,
    render_export,
)
from mux_scheduler.exports.writer import write_export

__all__ = [
    "ExportChannel",
    "ExportContextError",
    "ExportFormat",
    "ExportItem",
    "ExportPlaylist",
    "RenderedExport",
    "get_format",
    "list_formats",
    "render_export",
    "write_export",
]
