"""End to end in Chromium: a programmer's scheduling day, and what an editor may see of it."""

from __future__ import annotations

import re
from datetime import date

from playwright.sync_api import Page, expect
from sqlmodel import Session

from tests.web.conftest import Demo, browser_test, log_in, screenshot_dir
from tests.web.seed import Seed, build_day

pytestmark = browser_test
expect.set_options(timeout=20_000)
SCREENSHOTS = screenshot_dir()
HUMAS = "Kanal Humas Pemerintah"


def day_url(demo: Demo, slug: str, on: str) -> str:
    return f"/channels/{demo.channels[slug]}/days/{on}"


def test_programmer_builds_today_from_the_dashboard(page: Page, demo: Demo, schedule: Seed) -> None:
    log_in(page, demo, "programmer")
    card = page.locator("[data-testid=channel-card]", has_text=HUMAS)
    card.locator("[data-testid=day-status]").first.get_by_role("button", name="Susun").click()
    expect(page.get_by_test_id("day-state")).to_contain_text("Draf")
    expect(page.get_by_test_id("day-fill")).to_contain_text("Hari terisi tepat (24:00:00)")
    expect(page.get_by_test_id("timeline-item").first).to_be_visible()
    assert page.get_by_test_id("item-row").count() > 20
    expect(page.get_by_test_id("items-table")).to_contain_text("Indonesia Raya")
    expect(page.get_by_test_id("library-asset").first).to_be_visible()
    page.set_viewport_size({"width": 1280, "height": 800})
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / "channel-day.png")
    page.goto("/")
    expect(card.get_by_test_id("day-status").first).to_contain_text("Draf v1")


def test_drag_a_pending_asset_into_the_day_then_publish_is_refused(
    page: Page, demo: Demo, schedule: Seed
) -> None:
    log_in(page, demo, "programmer", start=day_url(demo, "kanal-humas", "2026-12-01"))
    page.get_by_test_id("build-button").click()
    expect(page.get_by_test_id("day-fill")).to_contain_text("Hari terisi tepat")
    page.get_by_label("Cari judul").fill("promo")
    expect(page.get_by_test_id("library-asset")).to_have_count(1)
    promo = page.get_by_test_id("library-asset").filter(has_text="Promo Belum Siap")
    target = page.locator(".tl-item--programme").nth(4)
    promo.drag_to(target)
    expect(page.get_by_test_id("day-state")).to_contain_text("Versi 2")
    row = page.get_by_test_id("item-row").filter(has_text="Promo Belum Siap")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Manual")
    expect(page.get_by_test_id("day-state")).to_contain_text("Versi 2")
    expect(page.get_by_test_id("problems")).to_contain_text("Berkas belum dikonversi")
    page.get_by_test_id("publish-button").click()
    problem = page.get_by_test_id("action-problem")
    expect(problem).to_contain_text("Perubahan tidak dilakukan")
    expect(problem).to_contain_text("“Promo Belum Siap” pukul")
    expect(problem).to_contain_text("belum memiliki berkas yang dikonversi untuk kanal ini")
    expect(page.get_by_test_id("day-state")).to_contain_text("Draf")


def test_move_an_item_by_keyboard_then_publish_and_lock(
    page: Page, demo: Demo, schedule: Seed
) -> None:
    log_in(page, demo, "programmer", start=day_url(demo, "kanal-humas", "2026-12-03"))
    page.get_by_test_id("build-button").click()
    row = page.get_by_test_id("item-row").filter(has_text="ILM Mudik Aman").first
    title = row.locator("th").inner_text()
    row.locator("summary").click()
    time_input = row.get_by_label("Pindahkan ke (WIB)")
    time_input.focus()
    time_input.fill("22:00:00")
    time_input.press("Enter")
    moved = page.get_by_role("row", name=re.compile(r"^22:00:00 "))
    expect(moved).to_contain_text(title)
    expect(moved).to_contain_text("Manual")
    expect(page.get_by_test_id("day-fill")).to_contain_text("Hari terisi tepat")
    page.get_by_test_id("publish-button").click()
    expect(page.get_by_test_id("day-state")).to_contain_text("Terbit")
    page.get_by_test_id("lock-button").click()
    expect(page.get_by_test_id("day-state")).to_contain_text("Terkunci")
    expect(page.get_by_test_id("build-button")).to_have_count(0)
    expect(page.locator("details.item-edit")).to_have_count(0)


def test_block_rule_with_the_weekday_preset_reads_as_plain_language(
    page: Page, demo: Demo, schedule: Seed
) -> None:
    log_in(page, demo, "programmer", start=f"/channels/{demo.channels['kanal-sehat']}/rules")
    form = page.get_by_test_id("form-block")
    form.locator("summary").click()
    form.get_by_label("Nama").fill("Sehat Pagi")
    form.get_by_label("Mulai", exact=True).fill("07:00")
    form.get_by_label("Sampai", exact=True).fill("09:00")
    form.get_by_label("Setiap hari kerja").check()
    form.get_by_label("Jeda ILM setiap … menit (opsional)").fill("20")
    form.get_by_label("Panjang jeda dalam detik").fill("90")
    form.get_by_role("button", name="Tambah blok").click()
    rule = page.get_by_test_id("rule").filter(has_text="Sehat Pagi")
    expect(rule.get_by_test_id("rule-text")).to_have_text(
        "Setiap hari kerja 07.00–09.00: Program, berurutan; jeda ILM 90 detik setiap 20 menit"  # noqa: RUF001
    )
    form = page.get_by_test_id("form-block")
    form.locator("summary").click()
    form.get_by_label("Nama").fill("Salah")
    form.get_by_label("Mulai", exact=True).fill("10:00")
    form.get_by_label("Sampai", exact=True).fill("10:00")
    form.get_by_role("button", name="Tambah blok").click()
    expect(page.get_by_test_id("form-block").get_by_test_id("field-error")).to_be_visible()
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"/channels/{demo.channels['kanal-humas']}/rules")
    page.screenshot(path=SCREENSHOTS / "rules.png")


def test_editor_sees_the_published_day_read_only_and_not_other_agencies(
    page: Page, demo: Demo, schedule: Seed, db: Session
) -> None:
    build_day(db, "kanal-humas", date(2026, 12, 7), publish=True)
    build_day(db, "kanal-humas", date(2026, 12, 8))  # a draft: not for editors
    log_in(page, demo, "editor.dki", start=day_url(demo, "kanal-humas", "2026-12-07"))
    expect(page.get_by_test_id("day-state")).to_contain_text("Terbit")
    assert page.get_by_test_id("item-row").count() > 20
    expect(page.get_by_test_id("build-button")).to_have_count(0)
    expect(page.get_by_test_id("library-asset")).to_have_count(0)
    page.goto(day_url(demo, "kanal-humas", "2026-12-08"))
    expect(page.get_by_test_id("day-state")).to_contain_text("Belum ada playlist")
    response = page.goto(day_url(demo, "kanal-sehat", "2026-12-07"))
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Halaman tidak ditemukan")


def test_timeline_labels_switch_to_english_and_mux_view(
    page: Page, demo: Demo, schedule: Seed, db: Session
) -> None:
    build_day(db, "kanal-humas", date(2026, 12, 9))
    build_day(db, "kanal-sehat", date(2026, 12, 9))
    log_in(page, demo, "programmer", start=day_url(demo, "kanal-humas", "2026-12-09"))
    page.get_by_test_id("lang-en").click()
    expect(page.get_by_role("heading", name=re.compile("Timeline"))).to_be_visible()
    expect(page.get_by_role("button", name="Whole day")).to_be_visible()
    expect(page.locator(".tl-legend")).to_contain_text("Programme")
    expect(page.get_by_test_id("day-fill")).to_contain_text("Day exactly full")
    page.get_by_role("button", name="1 hour").click()
    expect(page.locator(".tl-tick--minor").first).to_be_attached()
    page.get_by_test_id("lang-id").click()
    page.get_by_role("link", name="Tampilan multipleks").click()
    expect(page.get_by_test_id("mux-row")).to_have_count(2)
    expect(
        page.get_by_test_id("mux-row").first.get_by_test_id("timeline-item").first
    ).to_be_visible()
    page.set_viewport_size({"width": 1280, "height": 800})
    page.screenshot(path=SCREENSHOTS / "mux-view.png")


def test_campaign_created_by_form_shows_fulfilment_after_a_build(
    page: Page, demo: Demo, schedule: Seed
) -> None:
    log_in(page, demo, "programmer", start="/campaigns")
    form = page.get_by_test_id("campaign-form")
    form.get_by_label("Nama").fill("Gerakan Cuci Tangan")
    form.locator("#c-from").fill("2026-11-01")
    form.locator("#c-until").fill("2026-12-31")
    form.get_by_label("Penayangan per hari").fill("6")
    form.locator("#c-assets").select_option(value=[str(schedule.ilms[1]), str(schedule.ilms[2])])
    form.get_by_label("Kanal Indonesia Sehat").check()
    form.get_by_role("button", name="Buat kampanye").click()
    row = page.get_by_test_id("campaign-row").filter(has_text="Gerakan Cuci Tangan")
    expect(row.get_by_test_id("fulfilment")).to_contain_text("belum ada playlist")
    row.get_by_role("link", name="Kanal Indonesia Sehat").click()
    page.get_by_test_id("build-button").click()
    expect(page.get_by_test_id("day-state")).to_contain_text("Draf")
    page.goto("/campaigns")
    expect(row.get_by_test_id("fulfilment")).to_contain_text(
        re.compile(r"dari 6 penayangan|kurang \d")
    )
    page.set_viewport_size({"width": 1280, "height": 800})
    page.screenshot(path=SCREENSHOTS / "campaigns.png")
