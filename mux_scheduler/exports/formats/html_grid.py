"""Printable day grid (HTML, autoescaped, print CSS) and its PDF via headless Chromium."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from itertools import groupby
from pathlib import Path
from typing import Any, NamedTuple

from mux_scheduler.core.errors import PdfFailed
from mux_scheduler.exports.context import ExportPlaylist
from mux_scheduler.exports.jinja import render_template

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
PDF_TIMEOUT_SECONDS = 120


class PdfUnavailable(RuntimeError):
    """No headless Chromium on this machine."""


class GridRow(NamedTuple):
    hour: str
    date: str
    time: str
    duration: str
    title: str
    agency: str
    classification: str
    type: str
    is_epg: bool


class GridHour(NamedTuple):
    label: str
    rows: list[GridRow]


def html_grid_context(playlist: ExportPlaylist) -> dict[str, Any]:
    day = playlist.day
    rows = []
    for item, times in zip(playlist.items, playlist.timeline, strict=True):
        local = times.start_local
        rows.append(
            GridRow(
                hour=f"{local.hour:02d}:00",
                date=local.date().isoformat(),
                time=f"{local.hour:02d}:{local.minute:02d}:{local.second:02d}",
                duration=times.duration_timecode,
                title=item.title,
                agency=item.agency_name,
                classification=item.classification,
                type=item.item_type.replace("_", " "),
                is_epg=item.is_epg_event,
            )
        )
    hours = [
        GridHour(label=hour, rows=list(group))
        for (_, hour), group in groupby(rows, key=lambda row: (row.date, row.hour))
    ]
    return {
        "channel": playlist.channel,
        "broadcast_date": day.broadcast_date.isoformat(),
        "zone_label": day.zone_label,
        "day_start": day.local_at(0).strftime("%H:%M"),
        "version": playlist.version,
        "state": playlist.state,
        "generated_at": playlist.generated_at.isoformat(timespec="seconds"),
        "hours": hours,
        "item_count": len(rows),
    }


def render_html_grid(playlist: ExportPlaylist) -> str:
    return render_template("day_grid.html.j2", html_grid_context(playlist))


def find_chromium() -> str | None:
    for candidate in CHROMIUM_CANDIDATES:
        if Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return shutil.which("chromium")


def html_to_pdf(html: str, out_path: Path, *, chromium: str | None = None) -> Path:
    """Print ``html`` to ``out_path`` with headless Chromium (argument list, private temp dir).

    The HTML is loaded from a file in a fresh temporary directory with a throwaway profile;
    the PDF is written there first and then moved into place, so ``out_path`` is never a
    half-written file.
    """
    binary = chromium or find_chromium()
    if binary is None:
        raise PdfUnavailable("headless Chromium not found (install the chromium package)")
    with tempfile.TemporaryDirectory(prefix="mux-pdf-") as tmp:
        workdir = Path(tmp)
        page = workdir / "grid.html"
        page.write_text(html, encoding="utf-8")
        pdf = workdir / "grid.pdf"
        args = [
            binary,
            "--headless",
            "--disable-gpu",
            "--no-first-run",
            "--disable-extensions",
            "--disable-background-networking",
            f"--user-data-dir={workdir / 'profile'}",
            "--no-pdf-header-footer",
            f"--print-to-pdf={pdf}",
            page.as_uri(),
        ]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            args.insert(2, "--no-sandbox")
        subprocess.run(  # noqa: S603 - fixed argument list, no shell
            args, check=True, capture_output=True, timeout=PDF_TIMEOUT_SECONDS
        )
        if not pdf.is_file() or pdf.read_bytes()[:4] != b"%PDF":
            raise RuntimeError("Chromium did not produce a PDF")
        out_path.parent.mkdir(parents=True, exist_ok=True)
        staging = out_path.with_name(f".{out_path.name}.tmp")
        shutil.copyfile(pdf, staging)
        staging.replace(out_path)
    return out_path


def print_pdf(html: str, name: str) -> bytes:
    """``html`` as PDF bytes, or :class:`PdfFailed` (503) saying why it could not be printed."""
    try:
        with tempfile.TemporaryDirectory(prefix="mux-print-") as tmp:
            return html_to_pdf(html, Path(tmp) / name).read_bytes()
    except (PdfUnavailable, subprocess.SubprocessError, RuntimeError) as exc:
        raise PdfFailed(f"The PDF could not be rendered: {exc}") from exc
