from __future__ import annotations

import uuid
from typing import Any

import pytest

from mux_scheduler.core.timecode import timecode_to_frames
from mux_scheduler.exports.formats.bxf import BXF_NAMESPACE, render_bxf
from mux_scheduler.exports.timing import broadcast_timecode
from tests.exports.xml_util import parse_xml

NS = {"b": BXF_NAMESPACE}


def _events(root: Any) -> list[Any]:
    events: list[Any] = root.findall("b:BxfData/b:Schedule/b:ScheduledEvent", NS)
    return events


def test_bxf_message_header_and_schedule(playlist):
    root = parse_xml(render_bxf(playlist))
    assert root.tag == f"{{{BXF_NAMESPACE}}}BxfMessage"
    assert root.get("messageType") == "Information"
    assert root.get("id").startswith("urn:uuid:")
    assert root.get("dateTime") == playlist.generated_at.isoformat()
    assert root.get("origin") == "mux-scheduler"
    assert root.get("destination") == playlist.channel.operator_name
    data = root.find("b:BxfData", NS)
    assert data.get("action") == "add"
    schedule = data.find("b:Schedule", NS)
    assert schedule.get("type") == "Primary"
    assert schedule.get("scheduleStart") == "2026-11-25T22:00:00+00:00"
    assert schedule.get("scheduleEnd") == "2026-11-26T22:00:00+00:00"
    assert schedule.find("b:Channel", NS).get("channelNumber") == str(playlist.channel.lcn)


def test_every_item_is_a_scheduled_event_with_its_timing(playlist):
    root = parse_xml(render_bxf(playlist))
    events = _events(root)
    assert len(events) == len(playlist.items)
    rate = playlist.rate
    total = 0
    for event, item in zip(events, playlist.items, strict=True):
        data = event.find("b:EventData", NS)
        assert data.findtext("b:EventId/b:EventId", namespaces=NS) == f"urn:uuid:{item.event_id}"
        smpte = data.find("b:StartDateTime/b:SmpteDateTime", NS)
        assert smpte.get("broadcastDate") == "2026-11-26"
        start_tc = smpte.findtext("b:SmpteTimeCode", namespaces=NS)
        assert start_tc == broadcast_timecode(playlist.day, item.start_offset_frames)
        duration_tc = data.findtext(
            "b:LengthOption/b:Duration/b:SmpteDuration/b:SmpteTimeCode", namespaces=NS
        )
        assert timecode_to_frames(duration_tc, rate) == item.duration_frames
        total += timecode_to_frames(duration_tc, rate)
        assert data.findtext("b:StartMode", namespaces=NS) == item.start_mode.capitalize()
        content = event.find("b:Content", NS)
        assert content.findtext("b:ContentId/b:HouseNumber", namespaces=NS) == item.house_id
        assert content.findtext("b:Name", namespaces=NS) == item.title
        location = content.find("b:Media/b:MediaLocation", NS)
        path = location.findtext("b:Location/b:AssetServer/b:PathName", namespaces=NS)
        assert path == item.media_file_name
        som = location.findtext("b:SOM/b:SmpteTimeCode", namespaces=NS)
        assert timecode_to_frames(som, rate) == item.som_frames
    assert total == playlist.day.frames
    first_tc = _events(root)[0].findtext(".//b:SmpteDateTime/b:SmpteTimeCode", namespaces=NS)
    last = _events(root)[-1].findtext(".//b:SmpteDateTime/b:SmpteTimeCode", namespaces=NS)
    assert first_tc == "05:00:00:00"
    assert last.startswith("28:")  # broadcast-day timecode keeps counting past midnight


def test_programmes_and_interstitials_are_typed(playlist):
    root = parse_xml(render_bxf(playlist))
    for event, item in zip(_events(root), playlist.items, strict=True):
        primary = event.find("b:EventData/b:PrimaryEvent", NS)
        if item.is_epg_event:
            assert primary.findtext("b:ProgramEvent/b:ProgramName", namespaces=NS) == item.title
        else:
            spot = primary.findtext("b:NonProgramEvent/b:Details/b:SpotType", namespaces=NS)
            assert (
                spot
                == {"ilm": "PSA", "filler": "Filler", "station_id": "ID", "promo": "Promo"}[
                    item.item_type
                ]
            )


def test_update_message_carries_only_the_changed_events(playlist):
    changed = frozenset({playlist.items[3].event_id, playlist.items[40].event_id})
    root = parse_xml(render_bxf(playlist, changed))
    assert root.find("b:BxfData", NS).get("action") == "update"
    events = _events(root)
    ids = {event.findtext("b:EventData/b:EventId/b:EventId", namespaces=NS) for event in events}
    assert ids == {f"urn:uuid:{event_id}" for event_id in changed}
    assert {event.find("b:EventData", NS).get("action") for event in events} == {"update"}
    full = parse_xml(render_bxf(playlist))
    assert root.get("id") != full.get("id")


def test_update_with_unknown_event_is_refused(playlist):
    with pytest.raises(ValueError, match="not in the playlist"):
        render_bxf(playlist, frozenset({uuid.uuid4()}))
