"""Resizing a block from the channel-day page, by its plain form (the path without a script).

Each test gives kanal-humas a block rule of its own on one date no other test builds, so a
resize changes no other test's day.
"""

from __future__ import annotations

import html
import re
from datetime import date, time

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from mux_scheduler.channels.models import Channel
from mux_scheduler.scheduling import playlists, rules_service
from mux_scheduler.scheduling.models import Playlist, PlaylistItem, ScheduleRule
from mux_scheduler.scheduling.schemas import RuleCreate
from tests.web.conftest import Demo, web_login
from tests.web.seed import TEST_SETTINGS, Seed, build_day, principal

HTMX = {"HX-Request": "true"}


def _humas(db: Session) -> Channel:
    return db.exec(select(Channel).where(Channel.slug == "kanal-humas")).one()


def block_rule(db: Session, name: str, on: date) -> int:
    """A late-evening block (21:00-22:00 WIB) of Dialog Publik episodes, on ``on`` only."""
    rule = {
        "name": name,
        "priority": 50,
        "dates": [on.isoformat()],
        "spec": {
            "kind": "block",
            "start": "21:00",
            "end": "22:00",
            "order": "lru",
            "pool": {"tags": ["dialog"]},
        },
    }
    row = rules_service.create_rule(
        db,
        channel=_humas(db),
        data=RuleCreate.model_validate(rule),
        principal=principal(db, "programmer"),
        settings=TEST_SETTINGS,
    )
    db.commit()
    assert row.id is not None
    return row.id


def window_of(db: Session, rule_id: int) -> tuple[str, str]:
    db.expire_all()
    rule = db.get(ScheduleRule, rule_id)
    assert rule is not None
    return rule.spec["start"], rule.spec["end"]


def versions(db: Session, on: date) -> list[tuple[int, str]]:
    rows = db.exec(
        select(Playlist)
        .where(Playlist.channel_id == _humas(db).id, Playlist.broadcast_date == on)
        .order_by(col(Playlist.version))
    )
    return [(row.version, row.state) for row in rows]


def block_items(db: Session, on: date, rule_id: int) -> list[PlaylistItem]:
    """The latest version's items that the block placed (programmes and their breaks)."""
    channel = _humas(db)
    assert channel.id is not None
    latest = playlists.latest(db, channel_id=channel.id, broadcast_date=on)
    assert latest is not None
    return [i for i in playlists.items_of(db, latest) if i.source == f"rule:{rule_id}"]


def offset(db: Session, on: date, wall: time) -> int:
    return playlists.channel_day(db, _humas(db), on).offset_of_local_time(wall)


def words(page: str) -> str:
    """The page's text as a reader sees it: no tags, single spaces."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def resize(client: TestClient, url: str, rule_id: int, token: str, **form: str) -> str:
    response = client.post(
        f"{url}/blocks/{rule_id}", data={"csrf_token": token, **form}, follow_redirects=False
    )
    return f"{response.status_code} {html.unescape(response.text)}"


def test_programmer_widens_a_block_and_the_published_day_gets_a_new_draft(
    client: TestClient, demo: Demo, schedule: Seed, db: Session
) -> None:
    on = date(2027, 2, 9)
    rule_id = block_rule(db, "Sorotan Malam", on)
    build_day(db, "kanal-humas", on, publish=True)
    before = block_items(db, on, rule_id)
    assert before and max(i.start_frames + i.duration_frames for i in before) <= offset(
        db, on, time(22)
    )
    token = web_login(client, demo, "programmer")
    url = f"/channels/{demo.channels['kanal-humas']}/days/{on}"
    page = client.get(url).text
    assert "Sorotan Malam 21.00–22.00 WIB" in words(page)  # noqa: RUF001
    assert f'id="block-form-{rule_id}"' in page and 'data-testid="block-end-handle"' in page

    answer = resize(client, url, rule_id, token, start="21:00", end="23:00", confirm="yes")

    assert answer.startswith("303")
    assert window_of(db, rule_id) == ("21:00:00", "23:00:00")
    assert versions(db, on) == [(1, "published"), (2, "draft")]
    start, old_end, end = (offset(db, on, time(h)) for h in (21, 22, 23))
    after = block_items(db, on, rule_id)
    assert after[0].start_frames == start
    assert all(start <= i.start_frames and i.start_frames + i.duration_frames <= end for i in after)
    assert any(i.start_frames >= old_end for i in after), "the block did not grow past 22:00"
    assert "Sorotan Malam 21.00–23.00 WIB" in words(client.get(url).text)  # noqa: RUF001


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"start": "22:00", "end": "21:00"}, "Akhir 21.00 lebih awal daripada awal 22.00."),
        ({"start": "21:30", "end": "21:30"}, "Awal dan akhir sama-sama 21.30"),
        ({"start": "04:00", "end": "06:00"}, "akan melewati awal hari siaran pukul 05.00"),
        ({"start": "21:00", "end": "jam sepuluh"}, "Isi awal dan akhir sebagai jam"),
        ({"start": "21:00", "end": "22:00"}, "Blok sudah berjalan 21.00–22.00"),  # noqa: RUF001
    ],
)
def test_an_invalid_window_is_refused_in_words_and_nothing_is_saved(
    client: TestClient,
    demo: Demo,
    schedule: Seed,
    db: Session,
    form: dict[str, str],
    message: str,
) -> None:
    on = date(2027, 2, 10)
    rule_id = block_rule(db, f"Sorotan {form['start']}-{form['end']}", on)
    build_day(db, "kanal-humas", on)
    built = versions(db, on)
    token = web_login(client, demo, "programmer")
    url = f"/channels/{demo.channels['kanal-humas']}/days/{on}"

    answer = resize(client, url, rule_id, token, confirm="yes", **form)

    assert answer.startswith("422") and "Blok tidak diubah." in answer
    assert message in answer
    assert window_of(db, rule_id) == ("21:00:00", "22:00:00")
    assert versions(db, on) == built


def test_without_the_confirmation_or_on_a_locked_day_nothing_is_saved(
    client: TestClient, demo: Demo, schedule: Seed, db: Session
) -> None:
    on = date(2027, 2, 11)
    rule_id = block_rule(db, "Sorotan Terkunci", on)
    build_day(db, "kanal-humas", on, publish=True)
    token = web_login(client, demo, "programmer")
    url = f"/channels/{demo.channels['kanal-humas']}/days/{on}"

    unconfirmed = resize(client, url, rule_id, token, start="21:00", end="23:00")
    assert unconfirmed.startswith("422") and "Centang konfirmasi" in unconfirmed

    client.post(url + "/lock", data={"csrf_token": token})
    page = client.get(url).text
    assert 'data-testid="block-band"' in page and "block-end-handle" not in page
    locked = resize(client, url, rule_id, token, start="21:00", end="23:00", confirm="yes")
    assert locked.startswith("422") and "Hari ini terkunci" in locked
    assert window_of(db, rule_id) == ("21:00:00", "22:00:00")
    assert versions(db, on) == [(1, "locked")]


def test_agency_editor_sees_the_block_but_may_not_resize_it(
    client: TestClient, demo: Demo, schedule: Seed, db: Session
) -> None:
    on = date(2027, 2, 12)
    rule_id = block_rule(db, "Sorotan Editor", on)
    build_day(db, "kanal-humas", on, publish=True)
    token = web_login(client, demo, "editor.dki")
    url = f"/channels/{demo.channels['kanal-humas']}/days/{on}"
    page = client.get(url).text
    assert "Sorotan Editor" in page
    assert "block-end-handle" not in page and 'data-testid="block-form"' not in page

    answer = resize(client, url, rule_id, token, start="21:00", end="23:00", confirm="yes")

    assert answer.startswith("403")
    assert window_of(db, rule_id) == ("21:00:00", "22:00:00")
    assert versions(db, on) == [(1, "published")]
