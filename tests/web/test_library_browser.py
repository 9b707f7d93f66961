"""In headless Chromium: a resumable upload to "ready", approval from the queue, an export
download and the proof-of-airing chart; screenshots of each screen for the README."""

from __future__ import annotations

import contextlib
import hashlib
import re
import time
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Page, Route, expect
from sqlmodel import Session

from mux_scheduler.core.db import make_engine
from mux_scheduler.media.testmedia import make_conforming_hd_ts
from tests.web.conftest import Demo, browser_test, log_in, screenshot_dir
from tests.web.seed import Seed, build_day
from tests.web.test_library_http import _submitted_asset

pytestmark = browser_test

SCREENSHOTS = screenshot_dir()
CHUNK_BYTES = 512 * 1024
REPORT_DAY = date(2026, 12, 22)


@pytest.fixture(scope="module")
def clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_conforming_hd_ts(tmp_path_factory.mktemp("clip") / "ilm-mudik-aman.ts", 3.0)


@pytest.fixture(scope="module")
def published_day(demo: Demo, schedule: Seed) -> date:
    engine = make_engine(demo.settings)
    with Session(engine) as session:
        build_day(session, "kanal-humas", REPORT_DAY, publish=True)
    engine.dispose()
    return REPORT_DAY


def shot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / name), full_page=False)


class FlakyNetwork:
    """Holds the 2nd PATCH (so the page can be paused mid-upload) and drops the 4th."""

    def __init__(self) -> None:
        self.patches = 0
        self.held: list[Route] = []
        self.dropped = 0

    def __call__(self, route: Route) -> None:
        if route.request.method == "PATCH":
            self.patches += 1
            if self.patches == 2:
                self.held.append(route)
                return
            if self.patches == 4:
                self.dropped += 1
                route.abort("connectionreset")
                return
        route.continue_()

    def wait_for_hold(self, page: Page, seconds: float = 10) -> None:
        deadline = time.monotonic() + seconds
        while not self.held:
            assert time.monotonic() < deadline, "the upload never sent a second chunk"
            page.wait_for_timeout(50)


def test_upload_pauses_survives_a_dropped_connection_and_reaches_ready(
    page: Page, demo: Demo, clip: Path
) -> None:
    log_in(page, demo, "editor.komdigi")
    page.goto("/library/upload")
    page.get_by_label("Judul").fill("ILM Mudik Aman 2026")
    page.get_by_label("Jenis").select_option("ilm")
    page.get_by_label("Label").fill("mudik, lebaran")
    page.get_by_label("Mendesak").check()
    page.get_by_label("Berkas video").set_input_files(clip)
    page.locator("#upload-form").evaluate(f"f => f.dataset.chunkBytes = '{CHUNK_BYTES}'")
    network = FlakyNetwork()
    page.route("**/api/v1/uploads**", network)

    page.get_by_role("button", name="Unggah", exact=True).click()
    network.wait_for_hold(page)
    page.get_by_role("button", name="Jeda").click()
    expect(page.locator("#upload-status")).to_have_text("Dijeda. Tekan Lanjutkan untuk meneruskan.")
    shot(page, "upload.png")
    with contextlib.suppress(Exception):  # the browser already cancelled it
        network.held[0].abort()
    page.get_by_role("button", name="Lanjutkan").click()

    expect(page).to_have_url(re.compile(r"/library/\d+\?uploaded=1$"), timeout=20_000)
    assert network.dropped == 1 and network.patches > 4
    asset_id = int(re.findall(r"/library/(\d+)", page.url)[0])
    expect(page.get_by_test_id("asset-status")).to_have_text("Siap", timeout=60_000)
    expect(page.get_by_test_id("qc")).to_contain_text("Kenyaringan")
    renditions = page.get_by_test_id("rendition")
    expect(renditions.first).to_be_visible()
    assert set(renditions.evaluate_all("rows => rows.map(r => r.dataset.status)")) == {"ready"}
    expect(page.get_by_role("heading", level=1)).to_contain_text("Mendesak")

    stored = page.request.get(f"/api/v1/assets/{asset_id}").json()
    assert stored["sha256"] == hashlib.sha256(clip.read_bytes()).hexdigest()
    assert stored["size_bytes"] == clip.stat().st_size
    page.get_by_role("button", name="Ajukan untuk disetujui").click()
    expect(page.get_by_test_id("approval-state").first).to_have_text("Menunggu persetujuan")


def test_a_programmer_approves_urgent_content_first_from_the_queue(
    page: Page, demo: Demo, db: Session
) -> None:
    _submitted_asset(db, "ILM Antre Biasa")
    _submitted_asset(db, "ILM Siaga Banjir", urgent=True)
    log_in(page, demo, "programmer")
    page.get_by_role("navigation", name="Navigasi utama").get_by_role(
        "link", name="Pustaka"
    ).click()
    page.get_by_role("link", name="Antrean persetujuan").click()
    items = page.get_by_test_id("queue-item")
    expect(items.first).to_contain_text("Mendesak")
    urgent = items.filter(has_text="ILM Siaga Banjir")
    urgent.get_by_role("button", name="Setujui").click()
    expect(page).to_have_url(re.compile(r"/library/approvals$"))
    expect(page.get_by_test_id("queue-item").filter(has_text="ILM Siaga Banjir")).to_have_count(0)
    page.goto("/library?q=Siaga")
    expect(page.get_by_test_id("asset-row")).to_contain_text("Disetujui")
    page.goto("/library")
    shot(page, "library.png")


def test_the_exports_page_downloads_a_playlist_file(
    page: Page, demo: Demo, published_day: date
) -> None:
    log_in(page, demo, "operator.tvri")
    page.goto("/exports")
    page.get_by_label("Kanal", exact=True).select_option(str(demo.channels["kanal-humas"]))
    page.get_by_label("Hari siaran", exact=True).fill(published_day.isoformat())
    page.get_by_role("button", name="Tampilkan").click()
    row = page.get_by_test_id("export-format").first
    with page.expect_download() as download_info:
        row.get_by_test_id("download").click()
    download = download_info.value
    assert published_day.isoformat() in download.suggested_filename
    assert Path(download.path()).stat().st_size > 100
    grid = page.locator('[data-testid="export-format"][data-format="html"]')
    with page.expect_download() as pdf_info:
        grid.get_by_test_id("download-pdf").click()
    assert pdf_info.value.suggested_filename.endswith(".pdf")
    assert Path(pdf_info.value.path()).read_bytes()[:5] == b"%PDF-"
    shot(page, "exports.png")


def test_the_reports_page_charts_airtime_for_an_agency(
    page: Page, demo: Demo, published_day: date
) -> None:
    log_in(page, demo, "programmer")
    day = published_day.isoformat()
    page.goto(f"/reports?from={day}&to={day}")
    page.get_by_label("Instansi", exact=True).select_option(label="KOMDIGI")
    page.get_by_role("button", name="Tampilkan").click()
    chart = page.get_by_test_id("airtime-chart")
    expect(chart).to_be_visible()
    expect(chart).to_contain_text("KOMDIGI")
    expect(page.get_by_test_id("csv-link")).to_have_attribute("href", re.compile("format=csv"))
    shot(page, "reports.png")
