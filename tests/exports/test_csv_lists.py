from __future__ import annotations

import csv
import io

import pytest

from mux_scheduler.core.timecode import timecode_to_frames
from mux_scheduler.exports.formats.csv_lists import (
    CINEGY_COLUMNS,
    PLAYOUT_HEADER,
    neutralise_cell,
    render_cinegy_csv,
    render_playout_csv,
)
from mux_scheduler.exports.samples import HOSTILE_TITLES

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def test_playout_csv_parses_back_and_sums_to_the_day(playlist):
    rows = _rows(render_playout_csv(playlist))
    header, body = rows[0], rows[1:]
    assert tuple(header) == PLAYOUT_HEADER
    assert len(body) == len(playlist.items)
    column = {name: index for index, name in enumerate(header)}
    total = sum(timecode_to_frames(row[column["duration_tc"]], playlist.rate) for row in body)
    assert total == playlist.day.frames
    assert body[0][column["start_tc"]] == "05:00:00:00"
    assert body[0][column["start_local"]] == "2026-11-26T05:00:00.000+07:00"
    for row, item in zip(body, playlist.items, strict=True):
        assert timecode_to_frames(row[column["som_tc"]], playlist.rate) == item.som_frames
        assert timecode_to_frames(row[column["eom_tc"]], playlist.rate) == item.eom_frames
        assert row[column["event_id"]] == str(item.event_id)


@pytest.mark.parametrize("render", [render_playout_csv, render_cinegy_csv])
def test_csv_cells_never_start_a_formula(playlist, render):
    rows = _rows(render(playlist))
    cells = [cell for row in rows for cell in row]
    assert not [cell for cell in cells if cell.startswith(FORMULA_STARTS)]
    assert "'=cmd|' /C calc'!A0" in cells
    assert "'@SUM(1)" in cells
    assert "'+1 Info Publik" in cells
    assert "'-1 Sesi Tanya Jawab" in cells
    assert "<script>alert('x')</script>" in cells  # plain text in CSV: not a formula
    assert "Tom & Jerry \"Kartun\" 'Klasik'" in cells
    assert "Siaran Pers Kementerian — Mudik Aman 2026" in cells
    assert all(title.lstrip("=+-@") in "\n".join(cells) for title in HOSTILE_TITLES)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("Warta", "Warta"),
        ("05:00:00:00", "05:00:00:00"),
    ],
)
def test_neutralise_cell(value, expected):
    assert neutralise_cell(value) == expected


def test_cinegy_csv_layout(playlist):
    text = render_cinegy_csv(playlist)
    lines = text.split("\r\n")
    assert lines[0] == "#Kanal Humas"
    assert lines[1] == "//" + ",".join(CINEGY_COLUMNS)
    rows = _rows("\r\n".join(lines[2:]))
    rows = [row for row in rows if row]
    assert len(rows) == len(playlist.items)
    assert all(len(row) == len(CINEGY_COLUMNS) for row in rows)
    first = rows[0]
    assert first[:4] == ["05;00;00;00", "00;00;10;00", "C", playlist.items[0].house_id]
    assert first[9] == "26/11/2026"
    total = sum(timecode_to_frames(row[1].replace(";", ":"), playlist.rate) for row in rows)
    assert total == playlist.day.frames
    for row, item in zip(rows, playlist.items, strict=True):
        assert (row[2] == "C") == (item.start_mode == "fixed" or item is playlist.items[0])
        assert (row[0] == "") == (row[2] == "")
        assert timecode_to_frames(row[7].replace(";", ":"), playlist.rate) == item.som_frames
