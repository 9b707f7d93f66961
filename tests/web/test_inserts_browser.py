"""End to end in Chromium: a programmer answers a hoax with a rapid-response insert.

The app runs on its own database with a controlled clock (10:00 WIB on a published day), so
"today" and "now + the safety margin" are the same on every run.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import Browser, Page, expect
from sqlmodel import Session, select

from mux_scheduler.app import create_app
from mux_scheduler.channels.models import Channel, Operator
from mux_scheduler.core.db import make_engine
from mux_scheduler.core.migrate import upgrade
from mux_scheduler.core.settings import Settings
from mux_scheduler.demo import seed_demo
from mux_scheduler.scheduling import playlists
from tests.web.conftest import Demo, browser_test, log_in, screenshot_dir
from tests.web.seed import principal, seed_schedule

pytestmark = browser_test
expect.set_options(timeout=20_000)
DAY = date(2026, 12, 2)
NOW = datetime(2026, 12, 2, 3, 0, tzinfo=UTC)  # 10:00 WIB, five hours into the day
SPOT = "ILM Mudik Aman 1"  # KOMDIGI: leases both channels of the mux


@dataclass(frozen=True)
class OnAir:
    demo: Demo
    url: str
    outbox: Path


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _publish_today(settings: Settings, outbox: Path) -> dict[str, int]:
    engine = make_engine(settings)
    upgrade(engine)
    with Session(engine) as session:
        seed_demo(session)
        session.commit()
        seed_schedule(session)
        operator = session.exec(select(Operator).where(Operator.slug == "tvri-jakarta")).one()
        operator.delivery_target = str(outbox)
        session.add(operator)
        programmer = principal(session, "programmer")
        channels = list(session.exec(select(Channel).where(Channel.slug.startswith("kanal-"))))
        for channel in channels:
            if channel.multiplex_id == operator.id:
                playlists.build(session, channel=channel, broadcast_date=DAY, principal=programmer)
                playlists.publish(
                    session, channel=channel, broadcast_date=DAY, principal=programmer
                )
        session.commit()
        ids = {c.slug: c.id for c in channels if c.id is not None}
    engine.dispose()
    return ids


@pytest.fixture(scope="module")
def on_air(
    tmp_path_factory: pytest.TempPathFactory, _cheap_password_hashing: None
) -> Iterator[OnAir]:
    root = tmp_path_factory.mktemp("rapid")
    settings = Settings(
        environment="test",
        database_url=f"sqlite:///{root / 'mux.db'}",
        data_dir=root / "var",
        media_root=root / "media",
        playlists_root=root / "playlists",
    )
    channels = _publish_today(settings, root / "outbox")
    engine = make_engine(settings)
    with Session(engine) as session:
        logins = {login.username: login for login in seed_demo(session)}
    engine.dispose()
    app = create_app(settings)
    app.state.clock = lambda: NOW
    config = uvicorn.Config(app, host="127.0.0.1", port=_free_port(), log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield OnAir(
        Demo(settings, logins, channels), f"http://127.0.0.1:{config.port}", root / "outbox"
    )
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def rapid_page(browser: Browser, on_air: OnAir) -> Iterator[Page]:
    context = browser.new_context(base_url=on_air.url, viewport={"width": 1280, "height": 860})
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def test_insert_at_the_next_break_on_the_whole_mux(rapid_page: Page, on_air: OnAir) -> None:
    page = rapid_page
    humas = on_air.demo.channels["kanal-humas"]
    log_in(page, on_air.demo, "programmer", start=f"/channels/{humas}/days/{DAY.isoformat()}")
    page.get_by_test_id("rapid-insert-link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sisipan tanggap cepat")
    spot = page.locator("#i-asset option", has_text=SPOT).get_attribute("value")
    page.locator("#i-asset").select_option(value=spot)
    page.get_by_label("Semua kanal di multipleksnya").check()
    page.get_by_label("Pada jeda berikutnya").check()
    page.locator("#i-reason").fill("Klarifikasi hoaks banjir Bekasi")
    page.get_by_test_id("insert-submit").click()

    results = page.get_by_test_id("insert-result")
    expect(results).to_have_count(2)
    for n in range(2):
        result = results.nth(n)
        expect(result.get_by_test_id("insert-status")).to_contain_text("versi 2 diterbitkan")
        expect(result.get_by_test_id("placed-at")).to_contain_text("WIB")
        expect(result.get_by_test_id("insert-changes")).to_contain_text("Disisipkan")
        deliveries = result.get_by_test_id("insert-deliveries").locator("li")
        expect(deliveries).to_have_count(3)  # BXF update, XMLTV, CSV
        expect(deliveries.filter(has_text="_update.bxf.xml")).to_contain_text("hanya acara")
        expect(result.locator('[data-status="delivered"]')).to_have_count(3)
    page.screenshot(path=screenshot_dir() / "rapid-insert.png")
    assert len(list(on_air.outbox.glob("*_v2_update.bxf.xml"))) == 2

    page.get_by_role("link", name="Tampilkan hari yang diubah").first.click()
    expect(page.get_by_test_id("day-state")).to_contain_text("Versi 2")
    expect(page.get_by_test_id("day-fill")).to_contain_text("Hari terisi tepat")
    expect(page.get_by_test_id("items-table")).to_contain_text("Sisipan tanggap cepat")


def test_a_time_inside_the_safety_margin_is_refused_readably(
    rapid_page: Page, on_air: OnAir
) -> None:
    page = rapid_page
    humas = on_air.demo.channels["kanal-humas"]
    log_in(page, on_air.demo, "programmer", start=f"/inserts/new?channel_id={humas}")
    page.locator("#i-asset").select_option(index=1)
    page.get_by_test_id("insert-submit").click()  # no reason yet: the browser asks first
    expect(page.get_by_test_id("insert-result")).to_have_count(0)
    page.locator("#i-reason").fill("Peringatan dini cuaca")
    page.get_by_label("Pada jam tertentu").check()
    page.locator("#i-at").fill("10:02")
    page.get_by_test_id("insert-submit").click()
    result = page.get_by_test_id("insert-result")
    expect(result.get_by_test_id("insert-status")).to_have_text("Tidak disisipkan")
    expect(result.get_by_test_id("insert-error")).to_contain_text("di dalam batas aman")
