"""Operator-defined export templates: Jinja2 source uploaded by an admin, run in a sandbox.

Validation on upload
    The source is parsed (a syntax error is rejected with its line number), then rendered
    against :func:`~mux_scheduler.exports.samples.sample_playlist`; a declared ``xml`` output
    must also be well-formed. Any failure raises :class:`TemplateRejected`.

Rendering
    In ``jinja2.sandbox.ImmutableSandboxedEnvironment`` (no ``_`` attributes, no mutation of
    the context, ``range()`` capped at 100,000) with ``StrictUndefined``; autoescape is on for
    ``xml`` and ``html`` outputs. The render runs in a child process with a wall-clock limit
    (:data:`RENDER_TIMEOUT_SECONDS`; the child stops itself with an alarm and is killed if
    it cannot), an address-space and CPU limit, and an output-size limit. ``*`` and ``**``
    are checked so ``'a' * 10**9`` is refused before it allocates.

The context is plain data (strings, numbers, booleans, lists and dicts) built from the
playlist; it is documented in :data:`CONTEXT_DOC`.
"""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Any, Literal

from jinja2 import TemplateSyntaxError

from mux_scheduler.core.errors import TemplateRejected
from mux_scheduler.core.timecode import format_rate, zone_label
from mux_scheduler.exports import _sandbox
from mux_scheduler.exports.context import ExportPlaylist
from mux_scheduler.exports.epg import epg_events
from mux_scheduler.exports.registry import ExportFormat
from mux_scheduler.exports.samples import sample_playlist
from mux_scheduler.exports.timing import instant_at_second, timecode

OutputType = Literal["xml", "html", "csv", "json", "text"]
MEDIA_TYPES: dict[str, str] = {
    "xml": "application/xml",
    "html": "text/html; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "text": "text/plain; charset=utf-8",
}
AUTOESCAPED: frozenset[str] = frozenset({"xml", "html"})
RENDER_TIMEOUT_SECONDS = 2.0
STARTUP_ALLOWANCE_SECONDS = 10.0
MAX_SOURCE_CHARS = 200_000
MAX_OUTPUT_CHARS = 16 * 1024 * 1024
MEMORY_LIMIT_BYTES = 1024 * 1024 * 1024
CPU_LIMIT_SECONDS = 10

CONTEXT_DOC = """\
Variables available to a custom export template
===============================================

channel      name, slug, xmltv_id, lcn, service_id, transport_stream_id,
             original_network_id, zone ("Asia/Jakarta"), zone_label ("WIB"),
             frame_rate ("25/1"), operator_name, operator_slug
playlist     broadcast_date ("2026-11-26"), version, state, generated_at (ISO 8601 UTC),
             day_start_local / day_end_local (ISO 8601 with offset), day_start_utc,
             day_end_utc, frames (length of the day in frames), item_count
items        every playlist item in start order, each with:
               index, event_id (UUID string), type (programme, ilm, filler, station_id,
               bumper, promo, live, slate), is_epg_event, start_mode (fixed | follow),
               start_offset_frames, duration_frames, som_frames, eom_frames (exclusive),
               start_timecode (broadcast-day time of day, counts past 24:00),
               duration_timecode, som_timecode, eom_timecode (HH:MM:SS:FF),
               start_local (ISO 8601, ms), start_local_time ("HH:MM:SS"),
               start_utc (ISO 8601, ms), start_seconds / duration_seconds (decimal strings,
               3 places, from the day start), house_id, title, description,
               classification (P, A, R, D, SU), language, agency, file_name
epg_events   programmes and live items with the interstitials after them merged in:
               event_id, title, description, classification, language, type,
               start_local, stop_local, start_utc, stop_utc (ISO 8601, whole seconds),
               start_timecode, duration_timecode, duration_seconds

Filters: every Jinja2 built-in (e, xmlattr, tojson, ...) plus csv_cell, which quotes one
CSV cell and neutralises spreadsheet formulas (=, +, -, @). Output is autoescaped for the
xml and html output types; use |safe only on text you built yourself.
Limits: render time 2 s, output 16 MiB, range() 100,000 items; names starting with _
and anything outside this context are unavailable.
"""


@dataclass(frozen=True)
class CustomTemplate:
    key: str
    label: str
    output_type: OutputType
    source: str
    file_name_pattern: str
    """Same placeholders as the built-in formats, e.g. ``{channel_slug}_{date}_v{version}.txt``."""

    @property
    def media_type(self) -> str:
        return MEDIA_TYPES[self.output_type]

    @property
    def autoescape(self) -> bool:
        return self.output_type in AUTOESCAPED


def check_syntax(source: str, *, output_type: OutputType) -> None:
    if output_type not in MEDIA_TYPES:
        raise TemplateRejected(f"unknown output type {output_type!r}")
    if len(source) > MAX_SOURCE_CHARS:
        raise TemplateRejected(f"template is longer than {MAX_SOURCE_CHARS} characters")
    try:
        _sandbox.make_environment(autoescape=output_type in AUTOESCAPED).parse(source)
    except TemplateSyntaxError as exc:
        raise TemplateRejected(
            f"line {exc.lineno}: {exc.message}",
            errors=[{"line": exc.lineno, "message": exc.message or "syntax error"}],
        ) from None


def validate_template(template: CustomTemplate) -> str:
    """Upload check: syntax, then a sandboxed test render of the sample day (returned)."""
    check_syntax(template.source, output_type=template.output_type)
    output = render_custom(template, sample_playlist())
    if template.output_type == "xml":
        try:
            ET.fromstring(output)  # noqa: S314 - our own render output, expat guards entities
        except ET.ParseError as exc:
            raise TemplateRejected(f"output is not well-formed XML: {exc}") from None
    return output


def render_custom(
    template: CustomTemplate,
    playlist: ExportPlaylist,
    *,
    timeout_seconds: float = RENDER_TIMEOUT_SECONDS,
) -> str:
    """Render in a killable child process; every failure is a :class:`TemplateRejected`."""
    check_syntax(template.source, output_type=template.output_type)
    request = {
        "source": template.source,
        "autoescape": template.autoescape,
        "context": custom_context(playlist),
        "max_output_chars": MAX_OUTPUT_CHARS,
        "memory_bytes": MEMORY_LIMIT_BYTES,
        "cpu_seconds": CPU_LIMIT_SECONDS,
        "timeout_seconds": timeout_seconds,
    }
    answer = _run_child(json.dumps(request), timeout_seconds + STARTUP_ALLOWANCE_SECONDS)
    if answer.get("status") != "ok":
        raise TemplateRejected(str(answer.get("payload", "render failed")))
    return str(answer["payload"])


def _run_child(request: str, hard_timeout: float) -> dict[str, Any]:
    """A fresh interpreter per render: nothing shared with the app, killable as a whole.

    The child stops itself with an alarm after the render time limit; the parent's hard
    timeout (render limit + interpreter start-up) only catches a child that cannot.
    """
    args = [sys.executable, "-I", "-m", "mux_scheduler.exports._sandbox"]
    try:
        completed = subprocess.run(  # noqa: S603 - fixed argument list, no shell
            args,
            input=request,
            capture_output=True,
            text=True,
            timeout=hard_timeout,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise TemplateRejected("render took too long and was stopped") from None
    if completed.returncode != 0 or not completed.stdout:
        raise TemplateRejected(
            f"render process was stopped (resource limit, exit code {completed.returncode})"
        )
    answer: dict[str, Any] = json.loads(completed.stdout)
    return answer


def custom_format(template: CustomTemplate) -> ExportFormat:
    """An :class:`ExportFormat` for the registry's ``render_export``."""
    return ExportFormat(
        key=template.key,
        label=template.label,
        file_name_pattern=template.file_name_pattern,
        media_type=template.media_type,
        render=lambda playlist: render_custom(template, playlist),
        builtin=False,
    )


def _seconds_text(milliseconds: int) -> str:
    return f"{milliseconds // 1000}.{milliseconds % 1000:03d}"


def custom_context(playlist: ExportPlaylist) -> dict[str, Any]:
    day = playlist.day
    channel = playlist.channel
    return {
        "channel": {
            "name": channel.name,
            "slug": channel.slug,
            "xmltv_id": channel.xmltv_id,
            "lcn": channel.lcn,
            "service_id": channel.service_id,
            "transport_stream_id": channel.transport_stream_id,
            "original_network_id": channel.original_network_id,
            "zone": channel.zone,
            "zone_label": zone_label(channel.zone),
            "frame_rate": format_rate(channel.rate),
            "operator_name": channel.operator_name,
            "operator_slug": channel.operator_slug,
        },
        "playlist": {
            "broadcast_date": day.broadcast_date.isoformat(),
            "version": playlist.version,
            "state": playlist.state,
            "generated_at": playlist.generated_at.isoformat(),
            "day_start_local": day.local_at(0).isoformat(),
            "day_end_local": day.end_at.astimezone(day.local_at(0).tzinfo).isoformat(),
            "day_start_utc": day.start_at.isoformat(),
            "day_end_utc": day.end_at.isoformat(),
            "frames": day.frames,
            "item_count": len(playlist.items),
        },
        "items": _item_rows(playlist),
        "epg_events": _epg_rows(playlist),
    }


def _item_rows(playlist: ExportPlaylist) -> list[dict[str, Any]]:
    rows = []
    for index, (item, times) in enumerate(zip(playlist.items, playlist.timeline, strict=True)):
        rows.append(
            {
                "index": index,
                "event_id": str(item.event_id),
                "type": item.item_type,
                "is_epg_event": item.is_epg_event,
                "start_mode": item.start_mode,
                "start_offset_frames": item.start_offset_frames,
                "duration_frames": item.duration_frames,
                "som_frames": item.som_frames,
                "eom_frames": item.eom_frames,
                "start_timecode": times.start_timecode,
                "duration_timecode": times.duration_timecode,
                "som_timecode": times.som_timecode,
                "eom_timecode": times.eom_timecode,
                "start_local": times.start_local.isoformat(timespec="milliseconds"),
                "start_local_time": times.start_local.strftime("%H:%M:%S"),
                "start_utc": playlist.day.instant_at(item.start_offset_frames).isoformat(
                    timespec="milliseconds"
                ),
                "start_seconds": _seconds_text(times.start_ms),
                "duration_seconds": _seconds_text(times.end_ms - times.start_ms),
                "house_id": item.house_id,
                "title": item.title,
                "description": item.description,
                "classification": item.classification,
                "language": item.language,
                "agency": item.agency_name,
                "file_name": item.media_file_name,
            }
        )
    return rows


def _epg_rows(playlist: ExportPlaylist) -> list[dict[str, Any]]:
    day = playlist.day
    local_zone = day.local_at(0).tzinfo
    rows = []
    for event in epg_events(playlist):
        start = instant_at_second(day, event.start_offset_frames)
        stop = instant_at_second(day, event.end_offset_frames)
        item = event.item
        rows.append(
            {
                "event_id": str(item.event_id),
                "title": item.title,
                "description": item.description,
                "classification": item.classification,
                "language": item.language,
                "type": item.item_type,
                "start_local": start.astimezone(local_zone).isoformat(),
                "stop_local": stop.astimezone(local_zone).isoformat(),
                "start_utc": start.isoformat(),
                "stop_utc": stop.isoformat(),
                "start_timecode": playlist.timeline[playlist.items.index(item)].start_timecode,
                "duration_timecode": timecode(event.duration_frames, playlist.rate),
                "duration_seconds": str(int((stop - start).total_seconds())),
            }
        )
    return rows
