"""Spreadsheet-friendly playout lists: the generic CSV and the Cinegy Traffic Gateway CSV.

Both are written with the ``csv`` module. Any cell that a spreadsheet would read as a formula
(starting with ``= + - @``, tab or CR) is prefixed with ``'`` (OWASP CSV-injection advice):
these files are opened in Excel by operator staff as often as they are imported.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import datetime

from mux_scheduler.core.timecode import nominal_fps
from mux_scheduler.exports.context import ExportItem, ExportPlaylist, ItemTimes

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

PLAYOUT_HEADER = (
    "start_tc",
    "start_local",
    "duration_tc",
    "house_id",
    "file_name",
    "title",
    "type",
    "som_tc",
    "eom_tc",
    "start_mode",
    "classification",
    "agency",
    "event_id",
)


def neutralise_cell(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value


def _write_rows(rows: Iterable[Sequence[str]], *, preamble: str = "") -> str:
    buffer = io.StringIO()
    buffer.write(preamble)
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerows([neutralise_cell(cell) for cell in row] for row in rows)
    return buffer.getvalue()


def playout_rows(playlist: ExportPlaylist) -> list[tuple[str, ...]]:
    rows: list[tuple[str, ...]] = [PLAYOUT_HEADER]
    for item, times in zip(playlist.items, playlist.timeline, strict=True):
        rows.append(
            (
                times.start_timecode,
                times.start_local.isoformat(timespec="milliseconds"),
                times.duration_timecode,
                item.house_id,
                item.media_file_name,
                item.title,
                item.item_type,
                times.som_timecode,
                times.eom_timecode,
                item.start_mode,
                item.classification,
                item.agency_name,
                str(item.event_id),
            )
        )
    return rows


def render_playout_csv(playlist: ExportPlaylist) -> str:
    return _write_rows(playout_rows(playlist))


# Cinegy Traffic Gateway "Cinegy CSV" input (Traffic Gateway 5 manual, "Cinegy CSV Input File
# Format"): a ``#channel_name`` line, then
#   start,duration,flags,id,name,description,comments,in,out,StartDate,SegmentStart,
#   SegmentStop,SubtitleID
# Timecodes use ';' between fields (HH;MM;SS;FF) as in Cinegy's examples; ``start`` is only
# given for clocked items (flag C) and is the local wall-clock time of day, with StartDate
# dd/mm/yyyy. Lines starting with // are comments, so the column list is written as one.
CINEGY_COLUMNS = (
    "start",
    "duration",
    "flags",
    "id",
    "name",
    "description",
    "comments",
    "in",
    "out",
    "StartDate",
    "SegmentStart",
    "SegmentStop",
    "SubtitleID",
)


def cinegy_timecode(timecode: str) -> str:
    return timecode.replace(":", ";")


def _cinegy_clock(playlist: ExportPlaylist, local: datetime) -> tuple[str, str]:
    """Local wall time of day as a Cinegy timecode and the local date (dd/mm/yyyy)."""
    fps = nominal_fps(playlist.rate)
    frame = (local.microsecond * fps) // 1_000_000
    clock = f"{local.hour:02d};{local.minute:02d};{local.second:02d};{frame:02d}"
    return clock, local.strftime("%d/%m/%Y")


def _cinegy_row(
    playlist: ExportPlaylist, item: ExportItem, times: ItemTimes, *, first: bool
) -> tuple[str, ...]:
    clocked = first or item.start_mode == "fixed"
    start, start_date = _cinegy_clock(playlist, times.start_local) if clocked else ("", "")
    comments = f"KPI {item.classification} | {item.agency_name} | {item.item_type}"
    return (
        start,
        cinegy_timecode(times.duration_timecode),
        "C" if clocked else "",
        item.house_id,
        item.title,
        item.description,
        comments,
        cinegy_timecode(times.som_timecode),
        cinegy_timecode(times.eom_timecode),
        start_date,
        "",
        "",
        "",
    )


def _cinegy_channel_line(name: str) -> str:
    cleaned = " ".join(name.replace(",", " ").replace('"', " ").split())
    return f"#{cleaned}\r\n//{','.join(CINEGY_COLUMNS)}\r\n"


def render_cinegy_csv(playlist: ExportPlaylist) -> str:
    rows = [
        _cinegy_row(playlist, item, times, first=index == 0)
        for index, (item, times) in enumerate(zip(playlist.items, playlist.timeline, strict=True))
    ]
    return _write_rows(rows, preamble=_cinegy_channel_line(playlist.channel.name))
