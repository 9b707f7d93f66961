"""End to end in headless Chromium: what each person sees and can do in the web UI."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.web.conftest import Demo, browser_test, log_in, screenshot_dir

pytestmark = browser_test

HUMAS = "Kanal Humas Pemerintah"
SEHAT = "Kanal Indonesia Sehat"
SCREENSHOTS = screenshot_dir()


def channel_names(page: Page) -> set[str]:
    return set(page.locator("[data-testid=channel-card] h2").all_inner_texts())


def nav_labels(page: Page) -> list[str]:
    return (
        page.get_by_role("navigation", name="Navigasi utama").get_by_role("link").all_inner_texts()
    )


@pytest.mark.parametrize(
    ("username", "nav", "channels"),
    [
        (
            "admin",
            ["Dasbor", "Kampanye", "Profil teknis", "Pustaka", "Ekspor", "Laporan", "Administrasi"],
            {HUMAS, SEHAT},
        ),
        (
            "programmer",
            ["Dasbor", "Kampanye", "Profil teknis", "Pustaka", "Ekspor", "Laporan"],
            {HUMAS, SEHAT},
        ),
        (
            "editor.komdigi",
            ["Dasbor", "Kampanye", "Profil teknis", "Pustaka", "Laporan"],
            {HUMAS, SEHAT},
        ),
        ("editor.kemenkes", ["Dasbor", "Kampanye", "Profil teknis", "Pustaka", "Laporan"], {SEHAT}),
        ("editor.dki", ["Dasbor", "Kampanye", "Profil teknis", "Pustaka", "Laporan"], {HUMAS}),
        (
            "operator.tvri",
            ["Dasbor", "Kampanye", "Profil teknis", "Pustaka", "Ekspor", "Laporan"],
            {HUMAS, SEHAT},
        ),
    ],
)
def test_each_role_sees_its_navigation_and_channels(
    page: Page, demo: Demo, username: str, nav: list[str], channels: set[str]
) -> None:
    log_in(page, demo, username)
    expect(page.get_by_role("heading", level=1)).to_have_text("Dasbor")
    assert nav_labels(page) == nav
    assert channel_names(page) == channels
    card = page.locator("[data-testid=channel-card]").first
    expect(card).to_contain_text("WIB")
    expect(card).to_contain_text("Hari ini")
    expect(card).to_contain_text("Besok")
    expect(card).to_contain_text("Belum ada playlist")


def test_an_editor_sees_only_its_own_agency_among_the_lessees(page: Page, demo: Demo) -> None:
    log_in(page, demo, "editor.dki")
    card = page.locator("[data-testid=channel-card]", has_text=HUMAS)
    expect(card).to_contain_text("PEMPROV DKI")
    expect(card).not_to_contain_text("KOMDIGI")


def test_wrong_password_shows_a_readable_error_in_the_chosen_language(page: Page) -> None:
    page.goto("/login")
    page.locator("#username").fill("admin")
    page.locator("#password").fill("not-the-password")
    page.get_by_role("button", name="Masuk").click()
    expect(page.get_by_role("alert")).to_have_text("Nama pengguna atau kata sandi salah.")
    expect(page.locator("#username")).to_have_value("admin")
    page.get_by_test_id("lang-en").click()
    page.locator("#username").fill("admin")
    page.locator("#password").fill("still-not-the-password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_have_text("Wrong user name or password.")


def test_a_post_without_the_csrf_token_is_refused(page: Page, demo: Demo) -> None:
    log_in(page, demo, "programmer")
    forged = page.request.post("/language", form={"lang": "en", "next": "/"}, max_redirects=0)
    assert forged.status == 403
    assert "Pemeriksaan keamanan gagal" in forged.text()
    page.locator("form.lang-switch input[name=csrf_token]").evaluate("el => el.value = 'forged'")
    page.get_by_test_id("lang-en").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Pemeriksaan keamanan gagal")
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "id")


def test_language_switches_to_english_and_back(page: Page, demo: Demo) -> None:
    log_in(page, demo, "operator.tvri")
    html = page.locator("html")
    expect(html).to_have_attribute("lang", "id")
    expect(page.locator(".schedule__date").first).to_contain_text(
        re.compile(r"Senin|Selasa|Rabu|Kamis|Jumat|Sabtu|Minggu")
    )
    page.get_by_test_id("lang-en").click()
    expect(html).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    expect(page.locator(".schedule__date").first).to_contain_text(
        re.compile(r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday")
    )
    page.get_by_role("link", name="Technical profiles").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Technical profiles")
    page.get_by_test_id("lang-id").click()
    expect(html).to_have_attribute("lang", "id")
    expect(page).to_have_url(re.compile(r"/profiles$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Profil teknis")


def test_an_editor_cannot_reach_another_agencys_channel_by_url(page: Page, demo: Demo) -> None:
    log_in(page, demo, "editor.dki")
    response = page.goto(f"/channels/{demo.channels['kanal-sehat']}")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Halaman tidak ditemukan")
    expect(page.get_by_role("link", name="Kembali ke dasbor")).to_be_visible()
    response = page.goto("/admin")
    assert response is not None and response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("Akses ditolak")


def test_a_page_asked_for_before_log_in_opens_after_it(page: Page, demo: Demo) -> None:
    channel_id = demo.channels["kanal-humas"]
    page.goto(f"/channels/{channel_id}")
    expect(page).to_have_url(re.compile(rf"/login\?next=/channels/{channel_id}$"))
    log_in(page, demo, "programmer", start=page.url)
    expect(page).to_have_url(re.compile(rf"/channels/{channel_id}$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(HUMAS)


def test_logout_ends_the_session(page: Page, demo: Demo) -> None:
    log_in(page, demo, "editor.kemenkes")
    cookie = next(c for c in page.context.cookies() if c["name"] == "mux_session")
    page.get_by_role("button", name="Keluar").click()
    expect(page).to_have_url(re.compile(r"/login$"))
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login\?next=/$"))
    # the old cookie is revoked, not only forgotten
    page.context.add_cookies([{"name": "mux_session", "value": cookie["value"], "url": page.url}])
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login"))


def test_the_keyboard_reaches_the_skip_link_first(page: Page, demo: Demo) -> None:
    log_in(page, demo, "programmer")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Langsung ke konten utama")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()


def test_screenshots_of_the_main_screens(page: Page, demo: Demo) -> None:
    """Writes docs/screenshots/*.png for the README; a person checks that they look right."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.goto("/login")
    page.screenshot(path=SCREENSHOTS / "login.png", full_page=True)
    log_in(page, demo, "admin")
    page.screenshot(path=SCREENSHOTS / "dashboard-id.png", full_page=True)
    page.goto(f"/channels/{demo.channels['kanal-humas']}")
    page.screenshot(path=SCREENSHOTS / "channel-detail.png", full_page=True)
    page.get_by_test_id("lang-en").click()
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.screenshot(path=SCREENSHOTS / "dashboard-en.png", full_page=True)
    page.get_by_test_id("lang-id").click()
    expect(page.locator("html")).to_have_attribute("lang", "id")
