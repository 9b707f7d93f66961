from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mux_scheduler.exports.dvb import (
    duration_bcd,
    dvb_text_bytes,
    event_ids,
    mjd,
    mjd_annex_c,
    short_event_texts,
    start_time_bytes,
    start_time_fields,
)
from mux_scheduler.exports.epg import epg_events
from mux_scheduler.exports.formats.eit import render_eit
from mux_scheduler.exports.samples import sample_playlist
from tests.exports.xml_util import parse_xml


def _parse_start(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)


def _parse_duration(text: str) -> timedelta:
    hours, minutes, seconds = (int(part) for part in text.split(":"))
    return timedelta(hours=hours, minutes=minutes, seconds=seconds)


def test_eit_table_header(playlist):
    root = parse_xml(render_eit(playlist))
    assert root.tag == "tsduck"
    eit = root.find("EIT")
    assert eit.get("type") == "0"  # TSDuck: schedule index 0 = table_id 0x50 (actual)
    assert eit.get("actual") == "true" and eit.get("current") == "true"
    assert int(eit.get("service_id"), 16) == playlist.channel.service_id
    assert int(eit.get("transport_stream_id"), 16) == playlist.channel.transport_stream_id
    assert int(eit.get("original_network_id"), 16) == playlist.channel.original_network_id
    assert int(eit.get("last_table_id"), 16) == 0x50
    assert int(eit.get("version")) == playlist.version


def test_eit_events_are_utc_unique_and_tile_the_day(playlist):
    events = parse_xml(render_eit(playlist)).findall("EIT/event")
    assert len(events) == len(epg_events(playlist))
    ids = [int(event.get("event_id"), 16) for event in events]
    assert len(set(ids)) == len(ids)
    assert all(0 < event_id <= 0xFFFF for event_id in ids)
    starts = [_parse_start(event.get("start_time")) for event in events]
    durations = [_parse_duration(event.get("duration")) for event in events]
    assert starts[0] == datetime(2026, 11, 25, 22, 0, tzinfo=UTC)  # 05:00 WIB
    for start, duration, following in zip(starts, durations, starts[1:], strict=False):
        assert start + duration == following
    assert starts[-1] + durations[-1] == playlist.day.end_at
    assert all(timedelta(0) < duration < timedelta(hours=24) for duration in durations)
    assert {event.get("CA_mode") for event in events} == {"false"}


def test_eit_descriptors_carry_language_genre_and_rating(playlist):
    events = parse_xml(render_eit(playlist)).findall("EIT/event")
    expected_rating = {"SU": 0, "P": 0, "A": 0, "R": 0x0A, "D": 0x0F}
    seen_ratings = set()
    for element, event in zip(events, epg_events(playlist), strict=True):
        short = element.find("short_event_descriptor")
        assert short.get("language_code") == "ind"
        assert short.findtext("event_name") == event.item.title
        country = element.find("parental_rating_descriptor/country")
        assert country.get("country_code") == "IDN"
        rating = int(country.get("rating"), 16)
        assert rating == expected_rating[event.item.classification]
        seen_ratings.add(rating)
        nibbles = [
            (int(c.get("content_nibble_level_1"), 16), int(c.get("content_nibble_level_2"), 16))
            for c in element.findall("content_descriptor/content")
        ]
        genre = event.item.genre
        if genre == "news":
            assert nibbles[0] == (0x2, 0x0)
        if genre == "education":
            assert nibbles[0] == (0x9, 0x0)
        if genre == "public-affairs":
            assert nibbles[0] == (0x8, 0x1)
        if event.item.item_type == "live":
            assert (0xB, 0x4) in nibbles
    assert {0, 0x0A, 0x0F} <= seen_ratings


def test_mjd_bcd_matches_en_300_468_annex_c_example():
    day_number, time_bcd = start_time_fields(datetime(1993, 10, 13, 12, 45, tzinfo=UTC))
    assert day_number == 0xC079
    assert time_bcd == 0x124500
    assert start_time_bytes(datetime(1993, 10, 13, 12, 45, tzinfo=UTC)) == bytes.fromhex(
        "C079124500"
    )


def test_start_time_is_encoded_in_utc():
    wib = datetime.fromisoformat("2026-11-26T05:00:00+07:00")
    assert start_time_fields(wib) == (mjd(date(2026, 11, 25)), 0x220000)


@given(st.dates(min_value=date(1900, 3, 1), max_value=date(2100, 2, 28)))
def test_mjd_agrees_with_the_annex_c_formula(day):
    assert mjd(day) == mjd_annex_c(day.year, day.month, day.day)


def test_duration_bcd():
    assert duration_bcd(1 * 3600 + 45 * 60 + 30) == 0x014530
    with pytest.raises(ValueError, match="out of range"):
        duration_bcd(24 * 3600)


def test_event_ids_are_unique_over_eight_consecutive_days():
    start = date(2026, 11, 26)
    all_ids: list[int] = []
    for offset in range(8):
        playlist = sample_playlist(broadcast_date=start + timedelta(days=offset))
        uuids = [event.item.event_id for event in epg_events(playlist)]
        all_ids += event_ids(playlist.day.broadcast_date, uuids)
    assert len(set(all_ids)) == len(all_ids)


def test_event_ids_are_stable_when_other_events_change(playlist):
    uuids = [event.item.event_id for event in epg_events(playlist)]
    before = event_ids(playlist.day.broadcast_date, uuids)
    after = event_ids(playlist.day.broadcast_date, [*uuids[:5], *uuids[6:]])
    assert before[:5] == after[:5]


def test_long_texts_are_cut_to_fit_the_short_event_descriptor():
    name, text = short_event_texts("Siaran Pers — " * 20, "Kementerian — " * 100)
    assert dvb_text_bytes(name) <= 80
    assert dvb_text_bytes(name) + dvb_text_bytes(text) <= 248
    assert text.endswith("...")


def test_long_descriptions_do_not_break_the_eit(playlist):
    items = tuple(
        dataclasses.replace(item, description="Penjelasan panjang. " * 50)
        if item.is_epg_event
        else item
        for item in playlist.items
    )
    root = parse_xml(render_eit(dataclasses.replace(playlist, items=items)))
    for short in root.iter("short_event_descriptor"):
        assert dvb_text_bytes(short.findtext("text")) <= 248
