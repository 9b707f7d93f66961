from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest

from mux_scheduler.exports.formats.html_grid import find_chromium, html_to_pdf, render_html_grid
from mux_scheduler.exports.samples import sample_playlist


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)

    def handle_data(self, data):
        self.text.append(data)


def _parse(html: str) -> _Collector:
    collector = _Collector()
    collector.feed(html)
    return collector


def test_html_grid_escapes_hostile_titles(playlist):
    html = render_html_grid(playlist)
    assert "<script" not in html.lower()
    assert "&lt;script&gt;" in html
    parsed = _parse(html)
    assert "script" not in parsed.tags
    text = "".join(parsed.text)
    assert "<script>alert('x')</script>" in text
    assert 'Tom & Jerry "Kartun"' in text
    assert "Siaran Pers Kementerian — Mudik Aman 2026" in text


def test_html_grid_has_hours_local_times_and_badges(playlist):
    html = render_html_grid(playlist)
    assert "@page" in html and "@media print" in html
    assert html.count('class="hour"') == 24
    assert "05:00:00 WIB" in html
    assert 'class="badge kpi-D"' in html
    assert "Kementerian Kesehatan" in html


@pytest.mark.parametrize(("zone", "label"), [("Asia/Makassar", "WITA"), ("Asia/Jayapura", "WIT")])
def test_html_grid_uses_the_channel_zone_label(zone, label):
    html = render_html_grid(sample_playlist(zone=zone))
    assert f"05:00:00 {label}" in html


@pytest.mark.slow
def test_html_to_pdf_prints_a_pdf(tmp_path: Path, playlist):
    if find_chromium() is None:
        pytest.fail("headless Chromium is missing: install the chromium package for PDF export")
    out = html_to_pdf(render_html_grid(playlist), tmp_path / "day" / "grid.pdf")
    assert out.read_bytes()[:4] == b"%PDF"
    assert [p.name for p in out.parent.iterdir()] == ["grid.pdf"]
