"""CSV as-run logs from playout systems and hand-kept spreadsheets.

The delimiter is sniffed (``,`` ``;`` tab), headers may be English or Indonesian, times are
local wall-clock in the channel's zone (``HH:MM:SS:FF``, ``HH:MM:SS``, or past ``24:00`` to
stay on the same date), and the date column is the calendar date of the line. A line whose
status says it did not air (``skipped``, ``gagal``…) is left out.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping
from datetime import datetime

from mux_scheduler.asrun.clock import (
    ChannelClock,
    normalise_event_uid,
    read_clock,
    read_date,
    read_duration,
    read_iso_instant,
)
from mux_scheduler.asrun.parsed import AsRunParseError, ParsedEvent
from mux_scheduler.core.timecode import TimecodeError

COLUMNS: Mapping[str, tuple[str, ...]] = {
    "date": ("date", "tanggal", "tgl", "tanggal tayang", "tanggal siar", "air date"),
    "start": (
        "start",
        "start time",
        "time",
        "on air",
        "on air time",
        "aired",
        "jam tayang",
        "jam",
        "jam mulai",
        "waktu",
        "waktu tayang",
        "mulai",
    ),
    "aired_at": ("aired at", "start datetime", "datetime", "waktu siar"),
    "duration": ("duration", "durasi", "length", "dur", "panjang", "actual duration"),
    "house_id": (
        "house id",
        "house number",
        "houseid",
        "house no",
        "kode",
        "kode materi",
        "id materi",
        "material id",
        "media id",
        "clip id",
    ),
    "title": ("title", "judul", "name", "nama", "nama acara", "acara", "program", "materi"),
    "event_uid": ("event id", "eventid", "event uid", "uid"),
    "status": ("status", "keterangan status"),
}
NOT_AIRED = frozenset({"skipped", "failed", "not aired", "dropped", "dilewati", "gagal", "batal"})
DELIMITERS = ",;\t"
RAW_LIMIT = 2000
_SPACES = re.compile(r"[\s_\-.]+")


def _header_key(name: str) -> str:
    return _SPACES.sub(" ", name.replace("\ufeff", "")).strip().lower()


def _columns(header: list[str]) -> dict[str, int]:
    keys = [_header_key(h) for h in header]
    found: dict[str, int] = {}
    for field, aliases in COLUMNS.items():
        for index, key in enumerate(keys):
            if key in aliases:
                found[field] = index
                break
    if "duration" not in found:
        raise AsRunParseError("line 1", "no duration column (Duration / Durasi)")
    if "aired_at" not in found and not {"date", "start"} <= found.keys():
        raise AsRunParseError(
            "line 1", "needs a date and a start column (Tanggal + Jam Tayang / Date + Start)"
        )
    return found


def _dialect(sample: str) -> type[csv.Dialect] | csv.Dialect:
    try:
        return csv.Sniffer().sniff(sample, delimiters=DELIMITERS)
    except csv.Error:
        first = sample.splitlines()[0] if sample else ""
        delimiter = max(DELIMITERS, key=first.count)
        return type("Sniffed", (csv.excel,), {"delimiter": delimiter})


def _cell(row: list[str], columns: Mapping[str, int], field: str) -> str:
    index = columns.get(field)
    if index is None or index >= len(row):
        return ""
    return row[index].strip()


def _aired_at(row: list[str], columns: Mapping[str, int], clock: ChannelClock) -> datetime:
    combined = _cell(row, columns, "aired_at")
    if combined:
        return read_iso_instant(combined, clock)
    day, start = _cell(row, columns, "date"), _cell(row, columns, "start")
    if not day or not start:
        raise ValueError("date and start time are required")
    return clock.instant(read_date(day), read_clock(start, clock))


def _event(
    row: list[str], columns: Mapping[str, int], clock: ChannelClock, location: str
) -> ParsedEvent:
    try:
        aired_at = _aired_at(row, columns, clock)
        duration_frames = read_duration(_cell(row, columns, "duration"), clock)
    except (ValueError, TimecodeError) as exc:
        raise AsRunParseError(location, str(exc)) from exc
    return ParsedEvent(
        aired_at=aired_at,
        duration_frames=duration_frames,
        house_id=_cell(row, columns, "house_id")[:100],
        event_uid=normalise_event_uid(_cell(row, columns, "event_uid")),
        title=_cell(row, columns, "title")[:300],
        raw="\t".join(row)[:RAW_LIMIT],
        location=location,
    )


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252 as spreadsheets on Windows save it."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def parse_csv_log(data: bytes, clock: ChannelClock) -> list[ParsedEvent]:
    text = decode(data)
    reader = csv.reader(io.StringIO(text), _dialect(text[:8192]))
    try:
        header = next(reader)
    except StopIteration:
        raise AsRunParseError("line 1", "the file is empty") from None
    except csv.Error as exc:
        raise AsRunParseError("line 1", f"not readable as CSV ({exc})") from exc
    columns = _columns(header)
    events = []
    try:
        for row in reader:
            location = f"line {reader.line_num}"
            if not any(cell.strip() for cell in row):
                continue
            if _cell(row, columns, "status").lower() in NOT_AIRED:
                continue
            events.append(_event(row, columns, clock, location))
    except csv.Error as exc:
        raise AsRunParseError(f"line {reader.line_num}", f"not readable as CSV ({exc})") from exc
    if not events:
        raise AsRunParseError("line 2", "no as-run lines after the header")
    return events
