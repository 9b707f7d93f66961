"""Editing a schedule rule and a campaign through the UI's forms, over HTTP.

Each test makes a rule or campaign of its own, valid only on dates no other test builds
(May and June 2027), so an edit changes no other test's day. The forms are posted the way a
browser would: every field the edit page shows, with the user's changes on top.
"""

from __future__ import annotations

import copy
import html
import re
from datetime import date, time
from html.parser import HTMLParser
from typing import Any

from fastapi.testclient import TestClient
from httpx import Response
from sqlmodel import Session, select

from mux_scheduler.channels.models import Channel
from mux_scheduler.scheduling import playlists, rules_service
from mux_scheduler.scheduling.models import Campaign, ScheduleRule
from mux_scheduler.scheduling.schemas import CampaignCreate, RuleCreate, WindowSpec
from tests.web.conftest import Demo, web_login
from tests.web.seed import MINUTE, SECOND, TEST_SETTINGS, Seed, build_day, principal

Fields = list[tuple[str, str]]


class _FormReader(HTMLParser):
    """The fields one form would send: inputs (checked boxes only), selects, textareas."""

    def __init__(self, testid: str) -> None:
        super().__init__()
        self.testid = testid
        self.inside = False
        self.fields: Fields = []
        self.select: str | None = None
        self.textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("data-testid") == self.testid:
            self.inside = True
        if not self.inside or ("name" not in a and tag != "option"):
            return
        if tag == "input" and (a.get("type") not in ("checkbox", "radio") or "checked" in a):
            self.fields.append((a["name"], a.get("value", "")))
        elif tag == "select":
            self.select = a["name"]
        elif tag == "option" and self.select and "selected" in a:
            self.fields.append((self.select, a.get("value", "")))
        elif tag == "textarea":
            self.textarea = a["name"]

    def handle_data(self, data: str) -> None:
        if self.textarea:
            self.fields.append((self.textarea, data))
            self.textarea = None

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self.select = None
        elif tag == "textarea" and self.textarea:
            self.fields.append((self.textarea, ""))
            self.textarea = None
        elif tag == "form":
            self.inside = False


def form_fields(page: str, testid: str) -> Fields:
    reader = _FormReader(testid)
    reader.feed(page)
    assert reader.fields, f"no form {testid!r} on the page"
    return reader.fields


def changed(fields: Fields, **changes: str | list[str]) -> Fields:
    """The form with some fields set as a user would (a list: every value of that field)."""
    kept = [(k, v) for k, v in fields if k not in changes]
    for name, value in changes.items():
        kept += [(name, v) for v in ([value] if isinstance(value, str) else value)]
    return kept


def words(page: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def channel(db: Session, slug: str) -> Channel:
    return db.exec(select(Channel).where(Channel.slug == slug)).one()


def make_rule(db: Session, slug: str, rule: dict[str, Any]) -> int:
    row = rules_service.create_rule(
        db,
        channel=channel(db, slug),
        data=RuleCreate.model_validate(rule),
        principal=principal(db, "programmer"),
        settings=TEST_SETTINGS,
    )
    db.commit()
    assert row.id is not None
    return row.id


def evening_block(name: str) -> dict[str, Any]:
    """Weekday evenings 21:00-22:00 WIB in the first week of May 2027 only."""
    return {
        "name": name,
        "priority": 40,
        "valid_from": "2027-05-03",
        "valid_until": "2027-05-07",
        "rrule": "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
        "spec": {
            "kind": "block",
            "start": "21:00",
            "end": "22:00",
            "order": "lru",
            "pool": {"tags": ["dialog"]},
            "breaks": {"break_frames": 90 * SECOND, "every_minutes": 15},
        },
    }


def stored_rule(db: Session, rule_id: int) -> ScheduleRule:
    db.expire_all()
    row = db.get(ScheduleRule, rule_id)
    assert row is not None
    return row


def post(client: TestClient, url: str, fields: Fields, token: str) -> Response:
    body: dict[str, list[str]] = {}
    for name, value in [*(f for f in fields if f[0] != "csrf_token"), ("csrf_token", token)]:
        body.setdefault(name, []).append(value)
    response: Response = client.post(url, data=body, follow_redirects=False)
    return response


def rules_url(demo: Demo, slug: str = "kanal-humas") -> str:
    return f"/channels/{demo.channels[slug]}/rules"


def test_the_edit_page_shows_the_rule_as_it_is(
    client: TestClient, demo: Demo, schedule: Seed, db: Session
) -> None:
    rule_id = make_rule(db, "kanal-humas", evening_block("Sorotan Isian"))
    web_login(client, demo, "programmer")
    listing = client.get(rules_url(demo)).text
    assert f'href="{rules_url(demo)}/{rule_id}/edit"' in listing
    assert "Berlaku 3 Mei 2027 sampai 7 Mei 2027" in words(listing)

    page = client.get(f"{rules_url(demo)}/{rule_id}/edit")

    assert page.status_code == 200
    fields = dict(form_fields(page.text, "rule-edit-form"))
    assert {k: fields[k] for k in ("name", "start", "end", "preset", "tags", "order")} == {
        "name": "Sorotan Isian",
        "start": "21:00",
        "end": "22:00",
        "preset": "weekdays",
        "tags": "dialog",
        "order": "lru",
    }
    assert (fields["break_every"], fields["break_seconds"], fields["priority"]) == (
        "15",
        "90",
        "40",
    )
    assert (fields["valid_from"], fields["valid_until"]) == ("2027-05-03", "2027-05-07")
    assert "kinds" not in fields  # the pool picks by tag only: no kind box is ticked
    assert "Ubah aturan" in page.text and "Simpan perubahan" in page.text


def test_a_fixed_live_event_keeps_what_the_form_does_not_show(
    client: TestClient, demo: Demo, schedule: Seed, db: Session
) -> None:
    rule_id = make_rule(
        db,
        "kanal-humas",
        {
            "name": "Rilis Pers Khusus",
            "valid_from": "2027-05-10",
            "valid_until": "2027-05-10",
            "spec": {
                "kind": "fixed_event",
                "at": "10:00",
                "live": {
                    "title": "Rilis Pers",
                    "duration_frames": 20 * MINUTE,
                    "house_id": "PRESS-01",
                    "classification": "P",
                },
            },
        },
    )
    token = web_login(client, demo, "programmer")
    url = f"{rules_url(demo)}/{rule_id}/edit"
    fields = form_fields(client.get(url).text, "rule-edit-form")
    assert ("live_title", "Rilis Pers") in fields and ("live_minutes", "20") in fields

    response = post(client, url, changed(fields, at="10:30", start_mode="follow"), token)

    assert response.status_code == 303 and response.headers["location"] == rules_url(demo)
    spec = stored_rule(db, rule_id).spec
    assert (spec["at"], spec["start_mode"]) == ("10:30:00", "follow")
    live = spec["live"]
    assert (live["title"], live["duration_frames"]) == ("Rilis Pers", 20 * MINUTE)
    assert (live["house_id"], live["classification"]) == ("PRESS-01", "P")


def test_programmer_moves_a_block_and_the_next_build_fills_the_new_window(
    client: TestClient, demo: Demo, schedule: Seed, db: Session
) -> None:
    rule_id = make_rule(db, "kanal-humas", evening_block("Sorotan Geser"))
    token = web_login(client, demo, "programmer")
    url = f"{rules_url(demo)}/{rule_id}/edit"
    fields = form_fields(client.get(url).text, "rule-edit-form")

    response = post(
        client, url, changed(fields, name="Sorotan Petang", start="20:00", end="23:00"), token
    )

    assert response.status_code == 303
    rule = stored_rule(db, rule_id)
    assert rule.name == "Sorotan Petang"
    assert (rule.spec["start"], rule.spec["end"]) == ("20:00:00", "23:00:00")
    assert rule.rrule == "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR" and rule.priority == 40
    assert rule.spec["breaks"]["break_frames"] == 90 * SECOND
    assert (rule.spec["pool"]["tags"], rule.spec["pool"]["kinds"]) == (["dialog"], [])
    assert "Setiap hari kerja 20.00–23.00" in words(client.get(rules_url(demo)).text)  # noqa: RUF001

    on = date(2027, 5, 4)
    build_day(db, "kanal-humas", on)
    humas = channel(db, "kanal-humas")
    assert humas.id is not None
    latest = playlists.latest(db, channel_id=humas.id, broadcast_date=on)
    assert latest is not None
    placed = [i for i in playlists.items_of(db, latest) if i.source == f"rule:{rule_id}"]
    day = playlists.channel_day(db, humas, on)
    start, end = day.offset_of_local_time(time(20)), day.offset_of_local_time(time(23))
    assert placed and min(i.start_frames for i in placed) == start
    assert max(i.start_frames + i.duration_frames for i in placed) <= end
    assert max(i.start_frames for i in placed) > day.offset_of_local_time(time(22))


def test_an_invalid_edit_keeps_the_rule_and_the_users_input(
    client: TestClient, demo: Demo, schedule: Seed, db: Session
) -> None:
    rule_id = make_rule(db, "kanal-humas", evening_block("Sorotan Tetap"))
    token = web_login(client, demo, "programmer")
    url = f"{rules_url(demo)}/{rule_id}/edit"
    fields = form_fields(client.get(url).text, "rule-edit-form")

    same = post(
        client, url, changed(fields, name="Sorotan Baru", start="21:00", end="21:00"), token
    )
    bad_time = post(client, url, changed(fields, end="25:99", valid_until="2027-04-01"), token)
    forged = post(client, url, changed(fields, name="Sorotan Palsu"), "not-the-token")

    assert same.status_code == 422
    assert "Tidak ada yang disimpan" in same.text
    assert "start and end are equal" in same.text
    assert ("name", "Sorotan Baru") in form_fields(same.text, "rule-edit-form")
    assert bad_time.status_code == 422 and "Isi jam dengan format JJ:MM." in bad_time.text
    assert ("valid_until", "2027-04-01") in form_fields(bad_time.text, "rule-edit-form")
    assert forged.status_code == 403 and "Pemeriksaan keamanan gagal" in forged.text
    rule = stored_rule(db, rule_id)
    assert rule.name == "Sorotan Tetap"
    assert (rule.spec["start"], rule.spec["end"]) == ("21:00:00", "22:00:00")
    assert rule.valid_until == date(2027, 5, 7)


def make_campaign(db: Session, schedule: Seed, name: str) -> int:
    sehat = channel(db, "kanal-sehat")
    assert sehat.id is not None
    data = CampaignCreate(
        name=name,
        asset_ids=[schedule.ilms[0], schedule.ilms[1]],
        valid_from=date(2027, 6, 1),
        valid_until=date(2027, 6, 30),
        target_per_day=2,
        windows=[WindowSpec(start=time(8), end=time(12))],
        channel_ids=[sehat.id],
    )
    row = rules_service.create_campaign(
        db, data=data, principal=principal(db, "programmer"), settings=TEST_SETTINGS
    )
    db.commit()
    assert row.id is not None
    return row.id


def stored_campaign(db: Session, campaign_id: int) -> Campaign:
    db.expire_all()
    row = db.get(Campaign, campaign_id)
    assert row is not None
    return row


def test_programmer_edits_a_campaign_and_the_next_build_counts_the_new_target(
    client: TestClient, demo: Demo, schedule: Seed, db: Session
) -> None:
    campaign_id = make_campaign(db, schedule, "Cegah DBD")
    token = web_login(client, demo, "programmer")
    assert f'href="/campaigns/{campaign_id}/edit"' in client.get("/campaigns").text
    url = f"/campaigns/{campaign_id}/edit"
    fields = form_fields(client.get(url).text, "campaign-edit-form")
    assert ("target_per_day", "2") in fields and ("valid_from", "2027-06-01") in fields
    assert ("window_start", "08:00") in fields and ("window_end", "12:00") in fields
    assert {v for k, v in fields if k == "asset_ids"} == {
        str(schedule.ilms[0]),
        str(schedule.ilms[1]),
    }

    edit = changed(
        fields,
        name="Cegah DBD Musim Hujan",
        target_per_day="5",
        valid_from="2027-06-05",
        window_start=["08:00", "17:00"],
        window_end=["12:00", "20:00"],
        asset_ids=[str(schedule.ilms[2])],
    )
    response = post(client, url, edit, token)

    assert response.status_code == 303 and response.headers["location"] == "/campaigns"
    row = stored_campaign(db, campaign_id)
    assert (row.name, row.target_per_day, row.asset_ids) == (
        "Cegah DBD Musim Hujan",
        5,
        [schedule.ilms[2]],
    )
    assert row.valid_from == date(2027, 6, 5) and row.valid_until == date(2027, 6, 30)
    assert row.windows == [
        {"start": "08:00:00", "end": "12:00:00"},
        {"start": "17:00:00", "end": "20:00:00"},
    ]
    build_day(db, "kanal-sehat", date(2027, 6, 10))
    sehat = channel(db, "kanal-sehat")
    assert sehat.id is not None
    latest = playlists.latest(db, channel_id=sehat.id, broadcast_date=date(2027, 6, 10))
    assert latest is not None
    [report] = [c for c in latest.report["campaigns"] if c["campaign_id"] == str(campaign_id)]
    assert report["target_per_day"] == 5


def test_an_invalid_campaign_edit_changes_nothing_and_says_why(
    client: TestClient, demo: Demo, schedule: Seed, db: Session
) -> None:
    campaign_id = make_campaign(db, schedule, "Imunisasi Lengkap")
    token = web_login(client, demo, "programmer")
    url = f"/campaigns/{campaign_id}/edit"
    fields = form_fields(client.get(url).text, "campaign-edit-form")

    backwards = post(
        client, url, changed(fields, name="Imunisasi Baru", valid_until="2027-05-01"), token
    )
    half_window = post(client, url, changed(fields, window_start="09:00", window_end=""), token)

    assert backwards.status_code == 422
    assert "Tidak ada yang disimpan" in backwards.text
    assert "valid_until is before valid_from" in backwards.text
    assert ("name", "Imunisasi Baru") in form_fields(backwards.text, "campaign-edit-form")
    assert half_window.status_code == 422
    assert "Isi awal dan akhir setiap rentang waktu." in half_window.text
    row = stored_campaign(db, campaign_id)
    assert (row.name, row.valid_until, row.windows) == (
        "Imunisasi Lengkap",
        date(2027, 6, 30),
        [{"start": "08:00:00", "end": "12:00:00"}],
    )


def test_agency_editors_cannot_edit_rules_or_campaigns_by_url(
    client: TestClient, demo: Demo, schedule: Seed, db: Session
) -> None:
    rule_id = make_rule(db, "kanal-humas", evening_block("Sorotan Terkunci"))
    campaign_id = make_campaign(db, schedule, "Kampanye Terkunci")
    rule_url = f"{rules_url(demo)}/{rule_id}/edit"
    campaign_url = f"/campaigns/{campaign_id}/edit"
    token = web_login(client, demo, "editor.dki")  # sees kanal-humas, may not plan it
    assert "/edit" not in client.get(rules_url(demo)).text

    assert client.get(rule_url).status_code == 403
    refused = post(client, rule_url, [("kind", "block"), ("name", "Diretas")], token)
    assert refused.status_code == 403 and "Akses ditolak" in refused.text
    assert client.get(campaign_url).status_code == 403
    assert post(client, campaign_url, [("name", "Diretas")], token).status_code == 403

    client.post("/logout", data={"csrf_token": token})
    token = web_login(client, demo, "editor.kemenkes")  # does not even see kanal-humas
    assert client.get(rule_url).status_code == 404
    assert post(client, rule_url, [("name", "Diretas")], token).status_code == 404
    assert stored_rule(db, rule_id).name == "Sorotan Terkunci"
    assert stored_campaign(db, campaign_id).name == "Kampanye Terkunci"


SPECIAL_DAY = {
    "name": "Hari Kesehatan",
    "priority": 600,
    "dates": ["2027-05-12", "2027-05-13"],
    "spec": {
        "kind": "date_override",
        "rules": [
            {
                "name": "Pembukaan",
                "priority": 5,
                "spec": {"kind": "fixed_event", "at": "09:00", "asset_id": None},
            },
            {
                "name": "Hari Kesehatan",
                "priority": 3,
                "spec": {
                    "kind": "block",
                    "start": "10:00",
                    "end": "12:00",
                    "order": "shuffle",
                    "pool": {"kinds": ["programme", "ilm"], "asset_ids": []},
                },
            },
        ],
    },
}


def _unchanged_cases(schedule: Seed) -> list[dict[str, Any]]:
    special: dict[str, Any] = copy.deepcopy(SPECIAL_DAY)
    special["spec"]["rules"][0]["spec"]["asset_id"] = schedule.programmes[0]
    no_block = copy.deepcopy(special)
    no_block.update(name="Upacara", dates=["2027-05-14"])
    no_block["spec"]["rules"] = no_block["spec"]["rules"][:1]
    return [
        {  # as seed_default_rules makes it: the newest asset with a tag, not a chosen one
            "name": "Lagu Kebangsaan",
            "priority": 1000,
            "valid_from": "2027-05-20",
            "valid_until": "2027-05-20",
            "spec": {"kind": "mandatory", "tag": "indonesia-raya", "at": "06:00"},
        },
        {
            "name": "Pengisi Khusus",
            "valid_from": "2027-05-21",
            "valid_until": "2027-05-21",
            "spec": {
                "kind": "filler_pool",
                "pool": {
                    "kinds": ["filler"],
                    "agency_ids": [1, 2],
                    "asset_ids": [schedule.ilms[0]],
                },
            },
        },
        {
            "name": "Dua Mingguan",
            "rrule": "FREQ=WEEKLY;INTERVAL=2;BYDAY=SA",
            "valid_from": "2027-05-22",
            "valid_until": "2027-05-30",
            "spec": {
                "kind": "block",
                "start": "13:00:30",
                "end": "14:00",
                "pool": {"tags": ["dialog"]},
                "breaks": {"break_frames": 33, "every_minutes": 20, "order": "shuffle"},
            },
        },
        special,
        no_block,
    ]


def _as_saved(rule: ScheduleRule) -> dict[str, Any]:
    data = RuleCreate.model_validate({"name": rule.name, "spec": rule.spec})
    return {
        "name": rule.name,
        "priority": rule.priority,
        "rrule": rule.rrule,
        "dates": rule.dates,
        "valid": (rule.valid_from, rule.valid_until),
        "spec": data.spec.model_dump(mode="json"),
    }


def test_saving_an_edit_form_unchanged_changes_no_kind_of_rule(
    client: TestClient, demo: Demo, schedule: Seed, db: Session
) -> None:
    """What the form cannot show (a tag, several agencies, an RRULE that is no preset, a
    special day's other rules and dates, odd break lengths) survives a save."""
    token = web_login(client, demo, "programmer")
    for case in _unchanged_cases(schedule):
        rule_id = make_rule(db, "kanal-humas", case)
        before = _as_saved(stored_rule(db, rule_id))
        url = f"{rules_url(demo)}/{rule_id}/edit"
        page = client.get(url)
        assert page.status_code == 200, case["name"]

        response = post(client, url, form_fields(page.text, "rule-edit-form"), token)

        assert response.status_code == 303, (case["name"], words(response.text)[-600:])
        assert _as_saved(stored_rule(db, rule_id)) == before, case["name"]
