"""In Chromium: a programmer edits a rule's time window and a campaign's daily target.

The rule and the campaign are the test's own, valid only in 2027-07, so no other test's day
changes.
"""

from __future__ import annotations

from datetime import date

from playwright.sync_api import Page, expect
from sqlmodel import Session, select

from mux_scheduler.channels.models import Channel
from mux_scheduler.scheduling import rules_service
from mux_scheduler.scheduling.schemas import CampaignCreate, RuleCreate
from tests.web.conftest import Demo, browser_test, log_in, screenshot_dir
from tests.web.seed import TEST_SETTINGS, Seed, principal

pytestmark = browser_test
SCREENSHOTS = screenshot_dir()


def _channel(db: Session, slug: str) -> Channel:
    return db.exec(select(Channel).where(Channel.slug == slug)).one()


def test_programmer_changes_a_rules_window_and_a_campaigns_target(
    page: Page, demo: Demo, schedule: Seed, db: Session
) -> None:
    programmer = principal(db, "programmer")
    humas, sehat = _channel(db, "kanal-humas"), _channel(db, "kanal-sehat")
    assert sehat.id is not None
    rules_service.create_rule(
        db,
        channel=humas,
        data=RuleCreate.model_validate(
            {
                "name": "Jendela Sore",
                "valid_from": "2027-07-01",
                "valid_until": "2027-07-31",
                "spec": {"kind": "block", "start": "15:00", "end": "16:00", "pool": {}},
            }
        ),
        principal=programmer,
        settings=TEST_SETTINGS,
    )
    rules_service.create_campaign(
        db,
        data=CampaignCreate(
            name="Ayo Vaksin",
            asset_ids=[schedule.ilms[3]],
            valid_from=date(2027, 7, 1),
            valid_until=date(2027, 7, 31),
            target_per_day=3,
            channel_ids=[sehat.id],
        ),
        principal=programmer,
        settings=TEST_SETTINGS,
    )
    db.commit()

    log_in(page, demo, "programmer", start=f"/channels/{demo.channels['kanal-humas']}/rules")
    rule = page.get_by_test_id("rule").filter(has_text="Jendela Sore")
    expect(rule.get_by_test_id("rule-text")).to_contain_text("15.00–16.00")  # noqa: RUF001
    rule.get_by_role("link", name="Ubah Jendela Sore").click()
    form = page.get_by_test_id("rule-edit-form")
    expect(form.get_by_label("Mulai", exact=True)).to_have_value("15:00")
    form.get_by_label("Mulai", exact=True).fill("16:30")
    form.get_by_label("Sampai", exact=True).fill("18:45")
    page.set_viewport_size({"width": 1280, "height": 800})
    page.screenshot(path=SCREENSHOTS / "rule-edit.png", full_page=True)
    form.get_by_role("button", name="Simpan perubahan").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Aturan jadwal")
    expect(rule.get_by_test_id("rule-text")).to_contain_text("16.30–18.45")  # noqa: RUF001
    expect(rule.get_by_test_id("rule-text")).not_to_contain_text("15.00")

    page.goto("/campaigns")
    row = page.get_by_test_id("campaign-row").filter(has_text="Ayo Vaksin")
    expect(row.get_by_test_id("campaign-target")).to_have_text("3")
    row.get_by_role("link", name="Ubah Ayo Vaksin").click()
    form = page.get_by_test_id("campaign-edit-form")
    expect(form.get_by_label("Penayangan per hari")).to_have_value("3")
    form.get_by_label("Penayangan per hari").fill("8")
    page.screenshot(path=SCREENSHOTS / "campaign-edit.png", full_page=True)
    form.get_by_role("button", name="Simpan perubahan").click()
    expect(page).to_have_url(f"{page.url.split('/campaigns')[0]}/campaigns")
    expect(row.get_by_test_id("campaign-target")).to_have_text("8")
