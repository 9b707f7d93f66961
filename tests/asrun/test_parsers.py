"""The parsers on captured logs, including the ways real exporters deviate."""

from __future__ import annotations

from datetime import UTC, datetime, time
from fractions import Fraction
from pathlib import Path

import pytest

from mux_scheduler.asrun.bxf import parse_bxf_asrun
from mux_scheduler.asrun.clock import ChannelClock, read_duration
from mux_scheduler.asrun.csv_log import parse_csv_log
from mux_scheduler.asrun.parsed import AsRunParseError

FIXTURES = Path(__file__).parent / "fixtures"
WIB = ChannelClock("Asia/Jakarta", time(5, 0), Fraction(25))
NTSC = ChannelClock("Asia/Jakarta", time(5, 0), Fraction(30000, 1001))


def utc(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0, micro: int = 0
) -> datetime:
    return datetime(year, month, day, hour, minute, second, micro, tzinfo=UTC)


def test_bxf_with_namespace_reads_every_event_in_its_own_form():
    events = parse_bxf_asrun((FIXTURES / "tvri_asrun_2026-12-01.xml").read_bytes(), WIB)

    assert len(events) == 12
    first = events[0]
    assert first.aired_at == utc(2026, 11, 30, 22, 0)  # 05:00 WIB
    assert first.duration_frames == 3 * 60 * 25
    assert first.event_uid == "7ec06d5ea4024abf9bd11307d9b686d9"
    assert (first.house_id, first.title) == ("IR-0001", "Indonesia Raya")
    assert "IR-0001" in first.raw and first.location == "AsRunEvent 1"
    assert events[2].event_uid == "9aa26c3d055c4bb989846c40f3140a1c"  # bare, upper-case
    assert events[3].event_uid is None  # the automation's own id is no UUID
    assert events[4].aired_at == utc(2026, 11, 30, 23, 1)  # ISO 8601 start
    assert events[4].duration_frames == (10 * 3600 + 59 * 60) * 25  # PT10H59M
    assert events[6].title == "" and events[6].event_uid is None  # optional parts missing
    assert events[7].aired_at == utc(2026, 12, 1, 10, 1, 30, 40_000)  # frame 1 = 40 ms
    assert events[9].aired_at == utc(2026, 12, 1, 17, 0)  # 24:00:00:00 of the broadcast day
    assert events[10].aired_at == utc(2026, 12, 1, 19, 0, 10)  # 02:00:10 -> next morning


def test_bxf_without_namespace_and_with_detail_elements():
    events = parse_bxf_asrun((FIXTURES / "automation_asrun_plain.xml").read_bytes(), WIB)

    assert [e.house_id for e in events] == ["KMD-PRG-0101", "KMD-ILM-0042"]
    assert events[0].aired_at == utc(2026, 11, 30, 22, 3, 0, 40_000)  # naive = channel zone
    assert events[0].title == "Pagi Humas & Dialog"
    assert events[0].event_uid == "450a1ac993024267b06632d7ff7b05c7"
    assert events[1].aired_at == utc(2026, 11, 30, 23, 0)
    assert events[1].duration_frames == 750  # ";" is no drop-frame at 25/1


def test_csv_semicolon_indonesian_headers_and_status():
    events = parse_csv_log((FIXTURES / "tvri_asrun_2026-12-01.csv").read_bytes(), WIB)

    assert len(events) == 12  # the GAGAL line did not air
    assert "DKI-ILM-0007" not in {e.house_id for e in events}
    assert events[0].aired_at == utc(2026, 11, 30, 22, 0)
    assert events[1].duration_frames == 57 * 60 * 25  # HH:MM:SS duration
    assert events[6].title == "+62 Info Banjir Jakarta; siaga 1"  # quoted delimiter
    assert events[10].aired_at == utc(2026, 12, 1, 19, 0, 10)  # calendar date 02/12
    assert events[2].location == "line 4"


def test_csv_tab_english_with_bom_seconds_and_iso_durations():
    events = parse_csv_log((FIXTURES / "playout_log_en.tsv").read_bytes(), WIB)

    assert [e.duration_frames for e in events] == [4500, 85_500, 750, 750]
    assert events[0].event_uid == "7ec06d5ea4024abf9bd11307d9b686d9"
    assert events[1].event_uid is None
    assert events[2].aired_at == utc(2026, 11, 30, 23, 0, 2, 480_000)  # 06:00:02.480
    assert events[3].aired_at == utc(2026, 12, 1, 19, 30)  # 26:30 stays on the date


def test_drop_frame_durations_at_ntsc_rates():
    assert read_duration("00:01:00;02", NTSC) == 1800
    assert read_duration("00:10:00;00", NTSC) == 17982


@pytest.mark.parametrize(
    ("text", "location", "fragment"),
    [
        (b"<BxfMessage><BxfData><AsRun>", "line 1", "not well-formed"),
        (b"<Schedule/>", "root", "BxfMessage"),
        (b"<BxfMessage><BxfData/></BxfMessage>", "BxfData", "no AsRunEvent"),
        (
            b"<BxfMessage><AsRun><AsRunEvent><StartDateTime>2026-12-01T06:00:00</StartDateTime>"
            b"</AsRunEvent></AsRun></BxfMessage>",
            "AsRunEvent 1",
            "no duration",
        ),
        (
            b"<BxfMessage><AsRun><AsRunEvent><Duration>PT30S</Duration></AsRunEvent>"
            b"<AsRunEvent><StartDateTime><SmpteDateTime broadcastDate='2026-12-01'>"
            b"<SmpteTimeCode>06:00:00:31</SmpteTimeCode></SmpteDateTime></StartDateTime>"
            b"<Duration>PT30S</Duration></AsRunEvent></AsRun></BxfMessage>",
            "AsRunEvent 1",
            "no start time",
        ),
        (
            b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><BxfMessage>&a;</BxfMessage>',
            "line 1",
            "DTD",
        ),
    ],
)
def test_bad_bxf_names_the_element(text: bytes, location: str, fragment: str):
    with pytest.raises(AsRunParseError) as caught:
        parse_bxf_asrun(text, WIB)
    assert caught.value.location == location
    assert fragment in caught.value.message


def test_bad_frame_count_in_bxf():
    text = (
        b"<BxfMessage><AsRun><AsRunEvent><StartDateTime><SmpteDateTime broadcastDate='2026-12-01'>"
        b"<SmpteTimeCode>06:00:00:31</SmpteTimeCode></SmpteDateTime></StartDateTime>"
        b"<Duration>PT30S</Duration></AsRunEvent></AsRun></BxfMessage>"
    )
    with pytest.raises(AsRunParseError, match="AsRunEvent 1: timecode out of range"):
        parse_bxf_asrun(text, WIB)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Tanggal;Jam Tayang;Judul\n01/12/2026;06:00:00:00;x\n", "line 1: no duration column"),
        ("Judul,Durasi\nx,00:00:30:00\n", "line 1: needs a date and a start column"),
        (
            "Tanggal,Jam Tayang,Durasi\n01/12/2026,06:00:00:00,00:00:30:00\n"
            "01/12/2026,06:00:30:00,00:00:3O:00\n",
            "line 3: not a timecode",
        ),
        ("Tanggal,Jam Tayang,Durasi\n31/11/2026,06:00:00:00,00:00:30:00\n", "line 2: not a date"),
        ("Tanggal,Jam Tayang,Durasi\n", "line 2: no as-run lines"),
    ],
)
def test_bad_csv_names_the_line(text: str, message: str):
    with pytest.raises(AsRunParseError, match=message):
        parse_csv_log(text.encode(), WIB)


def test_csv_with_one_date_time_column_and_seconds():
    text = (
        "Aired At,Length,Clip ID,Name\r\n"
        '2026-12-01T06:00:00+07:00,"29,96",KMD-ILM-0042,ILM Literasi Digital\r\n'
        "2026-12-01 06:00:30,30,DKI-ILM-0007,ILM Pajak Kendaraan\r\n"
    )
    events = parse_csv_log(text.encode("cp1252"), WIB)
    assert [e.aired_at for e in events] == [utc(2026, 11, 30, 23, 0), utc(2026, 11, 30, 23, 0, 30)]
    assert [e.duration_frames for e in events] == [749, 750]
    assert events[1].house_id == "DKI-ILM-0007"
