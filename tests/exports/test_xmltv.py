from __future__ import annotations

import itertools
import shutil
import subprocess
from pathlib import Path

import pytest

from mux_scheduler.exports.epg import epg_events
from mux_scheduler.exports.formats.xmltv import render_xmltv
from mux_scheduler.exports.samples import sample_playlist
from tests.exports.xml_util import parse_xml

DTD = Path("/usr/share/xmltv/xmltv.dtd")


def _validator() -> str:
    binary = shutil.which("tv_validate_file")
    if binary is None or not DTD.is_file():
        pytest.fail(
            "tv_validate_file or /usr/share/xmltv/xmltv.dtd is missing: "
            "install xmltv-util (apt-get install xmltv-util) to validate XMLTV exports"
        )
    return binary


@pytest.mark.parametrize(
    ("zone", "offset"),
    [("Asia/Jakarta", "+0700"), ("Asia/Makassar", "+0800"), ("Asia/Jayapura", "+0900")],
)
def test_xmltv_passes_tv_validate_file(tmp_path, zone, offset):
    validator = _validator()
    playlist = sample_playlist(zone=zone)
    path = tmp_path / "epg.xml"
    path.write_text(render_xmltv(playlist), encoding="utf-8")
    result = subprocess.run(
        [validator, "--dtd-file", str(DTD), str(path)],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    root = parse_xml(path.read_bytes())
    starts = [programme.get("start") for programme in root.iter("programme")]
    assert starts[0] == f"20261126050000 {offset}"
    assert all(start.endswith(offset) for start in starts)


def test_xmltv_lists_epg_events_only_with_rating_and_category(playlist):
    root = parse_xml(render_xmltv(playlist))
    channel = root.find("channel")
    assert channel.get("id") == "kanal-humas.id"
    assert channel.findtext("display-name") == "Kanal Humas"
    programmes = root.findall("programme")
    events = epg_events(playlist)
    assert len(programmes) == len(events)
    for programme, event in zip(programmes, events, strict=True):
        assert programme.get("channel") == "kanal-humas.id"
        assert programme.find("title").get("lang") == "id"
        assert programme.findtext("title") == event.item.title
        rating = programme.find("rating")
        assert rating.get("system") == "KPI"
        assert rating.findtext("value") == event.item.classification
        assert programme.findtext("category")
    for before, after in itertools.pairwise(programmes):
        assert before.get("stop") == after.get("start")
    assert programmes[-1].get("stop") == "20261127050000 +0700"
