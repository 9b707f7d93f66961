from __future__ import annotations

import hashlib
import json
import xml.etree.ElementTree as ET

import pytest

from mux_scheduler.core.errors import NotFound, ValidationFailed
from mux_scheduler.exports.registry import get_format, list_formats, render_export
from mux_scheduler.exports.samples import HOSTILE_TITLES, sample_playlist

BUILTIN_KEYS = ["bxf", "xmltv", "eit", "csv", "cinegy-csv", "ffplayout", "html"]
XML_KEYS = ["bxf", "xmltv", "eit"]


def test_registry_lists_the_builtin_formats():
    assert [fmt.key for fmt in list_formats()] == BUILTIN_KEYS
    assert get_format("bxf").supports_update
    assert not get_format("xmltv").supports_update
    with pytest.raises(NotFound):
        get_format("nope")


@pytest.mark.parametrize("key", BUILTIN_KEYS)
def test_rendering_is_byte_identical_for_identical_input(key):
    first = render_export(key, sample_playlist())
    second = render_export(key, sample_playlist())
    assert first.content == second.content
    assert first.sha256 == second.sha256 == hashlib.sha256(first.content).hexdigest()
    assert first.file_name.startswith("kanal-humas_2026-11-26_v3")
    assert first.media_type == get_format(key).media_type


def test_file_names_follow_the_patterns(playlist):
    names = {key: render_export(key, playlist).file_name for key in BUILTIN_KEYS}
    assert names["bxf"] == "kanal-humas_2026-11-26_v3.bxf.xml"
    assert names["ffplayout"] == "kanal-humas_2026-11-26_v3.ffplayout.json"
    update = render_export(
        "bxf", playlist, changed_event_ids=frozenset({playlist.items[0].event_id})
    )
    assert update.file_name == "kanal-humas_2026-11-26_v3_update.bxf.xml"


def test_partial_rendering_is_refused_for_formats_without_it(playlist):
    with pytest.raises(ValidationFailed):
        render_export("xmltv", playlist, changed_event_ids=frozenset())


@pytest.mark.parametrize("key", XML_KEYS)
def test_hostile_titles_round_trip_as_text_in_xml_formats(key, playlist):
    root = ET.fromstring(render_export(key, playlist).content)
    local_names = {element.tag.rsplit("}", 1)[-1] for element in root.iter()}
    assert "script" not in local_names
    texts = {element.text for element in root.iter() if element.text}
    assert set(HOSTILE_TITLES) <= texts


def test_hostile_titles_survive_in_json_and_html(playlist):
    program = json.loads(render_export("ffplayout", playlist).content)["program"]
    assert set(HOSTILE_TITLES) <= {entry["title"] for entry in program}
    html = render_export("html", playlist).content.decode()
    assert "<script" not in html
