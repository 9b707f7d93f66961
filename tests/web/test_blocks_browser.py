"""End to end in Chromium: a programmer drags a block's end handle on the day timeline,
confirms that the rule changes for every day it covers, and sees the band and the items move;
then proposes a new start by keyboard and cancels it."""

from __future__ import annotations

import re
from datetime import date

from playwright.sync_api import Locator, Page, expect
from sqlmodel import Session

from tests.web.conftest import Demo, browser_test, log_in, screenshot_dir
from tests.web.seed import Seed, build_day
from tests.web.test_blocks_http import block_rule, window_of

pytestmark = browser_test
expect.set_options(timeout=20_000)
DAY = date(2027, 2, 16)  # a Tuesday no other test builds
DAY_START = 5 * 60  # kanal-humas: the broadcast day starts at 05:00 WIB


def dialog_episodes_between(page: Page, first: str, last: str) -> list[str]:
    """Rows of the items table starting in [first, last) that hold a Dialog Publik episode."""
    rows = page.get_by_test_id("item-row").all_inner_texts()
    return [
        row.split("\t")[0]
        for row in rows
        if first <= row.split("\t")[0] < last and "Dialog Publik episode" in row
    ]


def drag_to_minute(page: Page, handle: Locator, lane: Locator, minutes: int) -> None:
    """Press on the handle and let go where ``minutes`` after the day start is on the lane."""
    handle_box, lane_box = handle.bounding_box(), lane.bounding_box()
    assert handle_box is not None and lane_box is not None
    y = handle_box["y"] + handle_box["height"] / 2
    page.mouse.move(handle_box["x"] + handle_box["width"] / 2, y)
    page.mouse.down()
    page.mouse.move(lane_box["x"] + lane_box["width"] * minutes / 1440, y, steps=12)


def test_drag_a_block_end_then_confirm_moves_band_and_items(
    page: Page, demo: Demo, schedule: Seed, db: Session
) -> None:
    rule_id = block_rule(db, "Sorotan Selasa", DAY)
    build_day(db, "kanal-humas", DAY)
    log_in(page, demo, "programmer", start=f"/channels/{demo.channels['kanal-humas']}/days/{DAY}")
    band = page.get_by_test_id("block-band").filter(has_text="Sorotan Selasa")
    expect(band).to_contain_text("21.00–22.00 WIB")  # noqa: RUF001
    before = dialog_episodes_between(page, "21:00:00", "22:30:00")
    assert before and before[-1] < "21:35:00"  # the last one ends by 22:00

    end_handle = band.get_by_test_id("block-end-handle")
    drag_to_minute(page, end_handle, page.get_by_test_id("block-lane"), 22 * 60 + 30 - DAY_START)
    expect(band).to_contain_text("21.00–22.30")  # noqa: RUF001  (live, while dragging)
    expect(band).to_have_class(re.compile("tl-block--changed"))
    page.mouse.up()
    dialog = page.get_by_test_id("block-dialog")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("“Sorotan Selasa” akan tayang 21.00–22.30 WIB.")  # noqa: RUF001
    expect(dialog).to_contain_text("setiap hari yang dicakup aturan (Pada 16 Feb 2027)")
    page.screenshot(path=screenshot_dir() / "block-resize.png")
    dialog.get_by_role("button", name="Terapkan ke setiap hari").click()

    expect(page.get_by_test_id("resize-done")).to_be_visible()
    expect(page.get_by_test_id("day-state")).to_contain_text("Versi 2")
    expect(band).to_contain_text("21.00–22.30 WIB")  # noqa: RUF001
    expect(band).not_to_have_class(re.compile("tl-block--changed"))
    after = dialog_episodes_between(page, "21:00:00", "22:30:00")
    assert len(after) == len(before) + 1 and after[-1] > "21:35:00"  # it runs past 22:00
    assert window_of(db, rule_id) == ("21:00:00", "22:30:00")

    start_handle = band.get_by_test_id("block-start-handle")
    start_handle.focus()
    for _ in range(6):
        start_handle.press("ArrowLeft")
    expect(start_handle).to_have_attribute("aria-valuetext", "20.30 WIB")
    expect(page.locator(f"#block-{rule_id}-start")).to_have_value("20:30")  # the form follows
    start_handle.press("Enter")
    expect(dialog).to_contain_text("20.30–22.30")  # noqa: RUF001
    dialog.get_by_role("button", name="Batal").click()
    expect(dialog).to_be_hidden()
    expect(band).to_contain_text("21.00–22.30")  # noqa: RUF001
    expect(page.get_by_test_id("day-state")).to_contain_text("Versi 2")
    assert window_of(db, rule_id) == ("21:00:00", "22:30:00")
