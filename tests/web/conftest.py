"""Web UI fixtures: a seeded SQLite database, the app served by uvicorn, one Chromium per session.

Browser tests are grouped (``xdist_group("browser")``) so one worker starts one browser.
"""

from __future__ import annotations

import os
import re
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import uvicorn
from fastapi.testclient import TestClient
from playwright.sync_api import Browser, Page, expect, sync_playwright
from sqlmodel import Session, select

from mux_scheduler.app import create_app
from mux_scheduler.channels.models import Channel
from mux_scheduler.core.db import make_engine
from mux_scheduler.core.migrate import upgrade
from mux_scheduler.core.settings import Settings
from mux_scheduler.demo import DemoLogin, seed_demo
from tests.web.seed import Seed, seed_schedule

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
browser_test = pytest.mark.xdist_group("browser")


@dataclass(frozen=True)
class Demo:
    settings: Settings
    logins: dict[str, DemoLogin]
    channels: dict[str, int]  # slug -> id


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory, _cheap_password_hashing: None) -> Demo:
    root = tmp_path_factory.mktemp("web")
    settings = Settings(
        environment="test",
        database_url=f"sqlite:///{root / 'mux.db'}",
        data_dir=root / "var",
        media_root=root / "media",
        playlists_root=root / "playlists",
    )
    engine = make_engine(settings)
    upgrade(engine)
    with Session(engine) as session:
        logins = {login.username: login for login in seed_demo(session)}
        session.commit()
        channels = {c.slug: c.id for c in session.exec(select(Channel)) if c.id is not None}
    engine.dispose()
    return Demo(settings, logins, channels)


@pytest.fixture
def client(demo: Demo) -> Iterator[TestClient]:
    """A fresh app (and log-in throttle) per test on the shared demo database."""
    with TestClient(create_app(demo.settings)) as test_client:
        yield test_client


def form_token(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "page has no CSRF token"
    return match.group(1)


def web_login(client: TestClient, demo: Demo, username: str) -> str:
    """Log in through the form; returns the CSRF token of the signed-in session."""
    token = form_token(client.get("/login").text)
    login = demo.logins[username]
    response = client.post(
        "/login",
        data={"username": username, "password": login.password, "csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return form_token(client.get("/").text)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.fixture(scope="session")
def live_url(demo: Demo) -> Iterator[str]:
    config = uvicorn.Config(
        create_app(demo.settings), host="127.0.0.1", port=_free_port(), log_level="warning"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{config.port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test-tools` installs Debian's chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser, live_url: str) -> Iterator[Page]:
    """A fresh browser context (no cookies) per test."""
    context = browser.new_context(base_url=live_url, viewport={"width": 1280, "height": 860})
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


def log_in(page: Page, demo: Demo, username: str, *, start: str = "/login") -> None:
    page.goto(start)
    page.locator("#username").fill(username)
    page.locator("#password").fill(demo.logins[username].password)
    page.locator("form.login__form button[type=submit]").click()
    expect(page).not_to_have_url(re.compile(r"/login"))


@pytest.fixture(scope="session")
def schedule(demo: Demo) -> Seed:
    """Assets and rules for the demo channels (once per session, on the shared database)."""
    engine = make_engine(demo.settings)
    with Session(engine) as session:
        seed = seed_schedule(session)
    engine.dispose()
    return seed


@pytest.fixture
def db(demo: Demo) -> Iterator[Session]:
    engine = make_engine(demo.settings)
    with Session(engine) as session:
        yield session
    engine.dispose()


def screenshot_dir() -> Path:
    """docs/screenshots when asked for (`make screenshots`), else a scratch folder, so an
    ordinary test run still takes every screenshot but leaves the work tree clean."""
    chosen = os.environ.get("MUX_SCREENSHOTS_DIR")
    folder = Path(chosen) if chosen else Path(tempfile.gettempdir()) / "mux-screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder
