"""Every violation and build note the engine makes, worded in Bahasa Indonesia and English.

The reports come from real engine builds (stored as the service stores them), so a parameter
the engine renames or drops shows up here as an English fallback, not in production.
"""

from __future__ import annotations

import ast
import re
from dataclasses import replace
from datetime import date, time
from pathlib import Path
from typing import Any

import pytest

from mux_scheduler.core.timecode import BroadcastDay
from mux_scheduler.engine import (
    Block,
    BreakPattern,
    Campaign,
    Constraints,
    FixedEvent,
    LockedItem,
    MandatoryItem,
    PlaylistItem,
    PoolFilter,
    Report,
    Rule,
    WallWindow,
    build_day,
    validate_day,
)
from mux_scheduler.scheduling.mapping import report_to_json
from mux_scheduler.scheduling.schemas import InsertChannelResult
from mux_scheduler.web.insert_text import INSERT_ERRORS, insert_error
from mux_scheduler.web.labels import VIOLATION_TITLES
from mux_scheduler.web.report_words import Names, ReportContext
from mux_scheduler.web.violation_text import WORDINGS, describe
from tests.engine.factories import asset, at, context, make_day, mins, standard_fillers

PACKAGE = Path(__file__).resolve().parents[2] / "mux_scheduler"
NAMES = Names(
    agencies={5: "KOMDIGI"},
    rules={"1": "Film Malam", "13": "Berita Sore"},
    campaigns={"40": "Cegah Stunting"},
)
# Words that give away an English sentence; "slate", "frame" and "episode" are Indonesian too.
ENGLISH_WORDS = (
    "at the is rated content rule agency campaign minute minutes second seconds hour hours "
    "because cannot not only item day air airs repeats after before placed was cut short its of "
    "for and or yet may which to by has no with file edit met series waits next gap overlap "
    "starts start late planned other filler pool covers could be filled exactly on this channel "
    "library approved valid duration holds must less more than airtime above cap times aired "
    "names slot during recommended"
)
ENGLISH = set(ENGLISH_WORDS.split())
INDONESIAN = {"pukul", "konten", "tayang", "berklasifikasi", "dipotong", "instansi", "aturan"}
UNTIMED = {"agency_share", "campaign_short", "day_length"}

Stored = tuple[dict[str, Any], ReportContext]


def _stored(report: Report, day: BroadcastDay, items: tuple[PlaylistItem, ...]) -> list[Stored]:
    context = ReportContext(day, items, NAMES)
    return [(v, context) for v in report_to_json(report)["violations"]]


def _main_day(day: BroadcastDay) -> list[Stored]:
    """One day that breaks nearly every rule: ratings, spacing, agencies, anchors, locks."""
    film = asset(seconds=45 * 60, classification="D", title="Film Dewasa", agency_id=5)
    kids = asset(seconds=20 * 60, classification="P", title="Dongeng Anak", agency_id=6)
    dialog = asset(seconds=20 * 60, title="Dialog Desa", agency_id=5)
    pending = asset(seconds=10 * 60, rendition_ready=False, title="Promo Baru", agency_id=7)
    draft = asset(seconds=600, approved=False, title="Draf Liputan")
    old = asset(seconds=600, valid_until=date(2026, 1, 1), title="Liputan Lama")
    future = asset(seconds=600, valid_from=date(2026, 12, 1), title="Liputan Nanti")
    empty = asset(seconds=0, title="Berkas Kosong")
    long_show = asset(seconds=90 * 60, title="Acara Panjang", agency_id=8)
    news = asset(seconds=30 * 60, title="Berita Sore", agency_id=9)
    night = asset(seconds=90 * 60, title="Acara Malam", agency_id=10)
    follower = asset(seconds=40 * 60, title="Warta Susulan", agency_id=11)

    def fixed(rule_id: str, hh: int, mm: int, content: int, **fields: Any) -> FixedEvent:
        return FixedEvent(rule_id=rule_id, at=time(hh, mm), asset_id=content, **fields)

    rules: list[Rule] = [
        fixed("1", 20, 0, film.asset_id),
        fixed("2", 12, 0, kids.asset_id),
        fixed("3", 12, 20, dialog.asset_id),
        fixed("4", 12, 40, dialog.asset_id),
        fixed("5", 9, 0, pending.asset_id),
        fixed("6", 9, 30, draft.asset_id),
        fixed("7", 9, 40, old.asset_id),
        fixed("8", 9, 50, future.asset_id),
        fixed("9", 10, 0, empty.asset_id),
        fixed("10", 10, 10, 987_654),
        MandatoryItem(rule_id="11", at=time(10, 20), asset_id=0),
        fixed("12", 14, 0, long_show.asset_id),
        fixed("13", 15, 0, news.asset_id),
        fixed("14", 15, 0, dialog.asset_id),
        MandatoryItem(rule_id="15", at=time(16), asset_id=news.asset_id, priority=5),
        MandatoryItem(rule_id="16", at=time(15, 50), asset_id=dialog.asset_id),
        MandatoryItem(rule_id="17", at=time(4, 50), asset_id=dialog.asset_id),
        fixed("18", 4, 0, night.asset_id),
        fixed("19", 4, 10, follower.asset_id, start_mode="follow"),
        fixed("20", 17, 0, long_show.asset_id),
        fixed("21", 17, 30, follower.asset_id, start_mode="follow"),
        fixed("22", 19, 0, news.asset_id),
    ]
    locked = [
        LockedItem(start_frames=day.frames + 100, duration_frames=mins(5), title="Sisipan Luar"),
        LockedItem(start_frames=at(day, 11), duration_frames=mins(10), title="Edit Manual A"),
        LockedItem(start_frames=at(day, 11, 5), duration_frames=mins(10), title="Edit Manual B"),
    ]
    library = [film, kids, dialog, pending, draft, old, future, empty, long_show, news, night]
    library += [follower, *standard_fillers()]
    shares = Constraints(max_agency_share_percent=1)
    built = build_day(context(day, shares), library=library, rules=rules, locked=locked)
    # A hand edit gone wrong: a draft in the day, an item a second late, the last item missing.
    items = list(built.items)
    first = next(n for n, item in enumerate(items) if item.item_type == "programme")
    items[first] = replace(items[first], asset_id=draft.asset_id, title=draft.title)
    items[first + 1] = replace(items[first + 1], start_frames=items[first + 1].start_frames + 25)
    edited = tuple(items[:-1])
    checked = validate_day(context(day), edited, library=library)
    return _stored(built.report, day, built.items) + _stored(checked, day, edited)


def _other_days(day: BroadcastDay) -> list[Stored]:
    """A gap only a slate can close, a series that must wait, a campaign it cannot meet."""
    odd = asset("filler", seconds=7, agency_id=None)
    slate = build_day(context(day), library=[odd], rules=[])
    episodes = [
        asset(seconds=20 * 60, classification="D", title="Serial Malam 1", tags=("serial",)),
        asset(seconds=20 * 60, title="Serial Malam 2", tags=("serial",)),
    ]
    series = Block(rule_id="30", start=time(8), end=time(12), pool=PoolFilter(tags=("serial",)))
    stalled = build_day(context(day), library=[*episodes, *standard_fillers()], rules=[series])
    spot = asset("ilm", seconds=30, title="ILM Stunting", agency_id=99)
    campaign = Campaign(
        campaign_id="40",
        asset_ids=(spot.asset_id,),
        target_per_day=6,
        windows=(WallWindow(time(6), time(8)),),
    )
    all_day = Block(
        rule_id="31",
        start=time(5),
        end=time(5),
        pool=PoolFilter(kinds=("programme",)),
        order="shuffle",
        breaks=BreakPattern(break_frames=mins(2), every_minutes=30),
    )
    programmes = [asset(seconds=600, agency_id=n % 5) for n in range(60)]
    library = [spot, *programmes, *standard_fillers()]
    short = build_day(context(day), library=library, rules=[all_day], campaigns=[campaign])
    return [
        *_stored(slate.report, day, slate.items),
        *_stored(stalled.report, day, stalled.items),
        *_stored(short.report, day, short.items),
    ]


@pytest.fixture(scope="module")
def day() -> BroadcastDay:
    return make_day(date(2026, 3, 4), zone="Asia/Makassar")  # WITA: UTC+8


@pytest.fixture(scope="module")
def stored(day: BroadcastDay) -> list[Stored]:
    return _main_day(day) + _other_days(day)


def _engine_codes() -> set[str]:
    """Every code the engine source can put in a Violation: ``code=`` literals, the first
    argument of ``note(...)``, literals assigned to ``code``/``problem`` and what
    ``Library.problem`` returns."""
    codes: set[str] = set()
    for path in (PACKAGE / "engine").glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            values: list[ast.AST] = []
            if isinstance(node, ast.Call):
                values += [k.value for k in node.keywords if k.arg == "code"]
                name = getattr(node.func, "attr", getattr(node.func, "id", ""))
                if name == "note" and node.args:
                    values.append(node.args[0])
            elif isinstance(node, ast.Assign):
                if any(getattr(t, "id", "") in ("code", "problem") for t in node.targets):
                    values.append(node.value)
            elif isinstance(node, ast.FunctionDef) and node.name == "problem":
                values += [n.value for n in ast.walk(node) if isinstance(n, ast.Return) and n.value]
            for value in values:
                codes |= {
                    c.value
                    for c in ast.walk(value)
                    if isinstance(c, ast.Constant) and isinstance(c.value, str)
                }
    return codes


def test_every_code_the_engine_can_produce_has_a_title_a_wording_and_a_scenario(
    stored: list[Stored],
) -> None:
    codes = _engine_codes()
    assert {"classification_window", "asset_separation", "campaign_short", "expired"} <= codes
    assert len(codes) >= 20
    assert codes - WORDINGS.keys() == set(), "add a wording in mux_scheduler/web/violation_text"
    assert codes - VIOLATION_TITLES.keys() == set(), "add a title in mux_scheduler/web/labels"
    produced = {v["code"] for v, _ in stored}
    assert codes - produced == set(), "add a scenario producing the code to this test"


def _without_titles(text: str) -> str:
    return re.sub(r"“[^”]*”", "", text)


def test_every_real_violation_reads_as_indonesian_with_wall_clock_times(
    stored: list[Stored],
) -> None:
    for violation, report_context in stored:
        sentence = describe(violation, report_context, "id")
        text = sentence.text
        assert sentence.lang == "id", (violation, text)
        assert text != violation["message"]
        english = set(re.findall(r"[A-Za-z]+", _without_titles(text))) & ENGLISH
        assert english == set(), (violation["code"], text)
        assert not re.search(r"(?<![#\d])\d{5,}", text), f"a frame count in {text!r}"
        assert "WIB" not in text and "WIT " not in text
        if violation["code"] not in UNTIMED:
            assert re.search(r"\d\d\.\d\d(\.\d\d)? WITA", text), text


def test_every_real_violation_reads_as_english_without_frame_counts(
    stored: list[Stored],
) -> None:
    for violation, report_context in stored:
        sentence = describe(violation, report_context, "en")
        assert sentence.lang == "en" and sentence.text != violation["message"]
        words = set(re.findall(r"\w+", _without_titles(sentence.text).lower()))
        assert words & INDONESIAN == set(), sentence.text
        assert not re.search(r"(?<![#\d])\d{5,}", sentence.text), sentence.text


def _find(stored: list[Stored], code: str, **params: object) -> Stored:
    return next(
        (v, c)
        for v, c in stored
        if v["code"] == code and all(v["params"].get(k) == p for k, p in params.items())
    )


@pytest.mark.parametrize(
    ("code", "params", "indonesian", "english"),
    [
        (
            "classification_window",
            {},
            "“Film Dewasa” pukul 20.00 WITA berklasifikasi D: konten berklasifikasi D hanya "
            "boleh tayang pukul 22.00\N{EN DASH}03.00 WITA.",
            "“Film Dewasa” at 20:00 WITA is rated D: content rated D may only air during "
            "22:00\N{EN DASH}03:00 WITA.",
        ),
        (
            "classification_recommended",
            {},
            "“Dongeng Anak” pukul 12.00 WITA berklasifikasi P: konten berklasifikasi P "
            "dianjurkan tayang pukul 07.00\N{EN DASH}09.00 atau 15.00\N{EN DASH}18.00 WITA.",
            "“Dongeng Anak” at 12:00 WITA is rated P: content rated P is recommended during "
            "07:00\N{EN DASH}09:00 or 15:00\N{EN DASH}18:00 WITA.",
        ),
        (
            "asset_separation",
            {"title": "Dialog Desa"},
            "“Dialog Desa” tayang ulang pukul 12.40 WITA, baru 0 detik setelah penayangan "
            "sebelumnya (jarak minimal 1 jam).",
            "“Dialog Desa” repeats at 12:40 WITA, only 0 seconds after its previous airing "
            "(at least 1 hour apart).",
        ),
        (
            "overrun_trimmed",
            {"cut_for": "rule"},
            "“Acara Panjang” pukul 14.00 WITA dipotong 30 menit agar aturan “Berita Sore” "
            "mulai tepat waktu.",
            "“Acara Panjang” at 14:00 WITA was cut short by 30 minutes so that rule "
            "“Berita Sore” starts on time.",
        ),
        (
            "locked_conflict",
            {"reason": "starts_inside"},
            "Perubahan manual tidak ditempatkan: “Edit Manual B” pukul 11.05 WITA, karena "
            "tayangan akan mulai di tengah perubahan manual pukul 11.00 WITA.",
            "Manual edit not placed: “Edit Manual B” at 11:05 WITA, because it would start in "
            "the middle of the manual edit at 11:00 WITA.",
        ),
        (
            "campaign_short",
            {},
            "Target belum tercapai: kampanye “Cegah Stunting” tayang 2 dari 6 kali pada hari "
            "siaran ini.",
            "Target not met: campaign “Cegah Stunting” airs 2 of 6 times on this day.",
        ),
        (
            "agency_share",
            {"agency_id": 5},
            "Waktu tayang melebihi batas: KOMDIGI mendapat 5,9% dari hari siaran ini (batas 1%).",
            "Airtime above the cap: KOMDIGI has 5.9% of the day (cap 1%).",
        ),
    ],
)
def test_sentences_a_humas_officer_reads(
    stored: list[Stored],
    code: str,
    params: dict[str, object],
    indonesian: str,
    english: str,
) -> None:
    violation, context = _find(stored, code, **params)
    assert describe(violation, context, "id").text == indonesian
    assert describe(violation, context, "en").text == english


def test_unknown_codes_and_old_reports_fall_back_to_the_english_message(
    day: BroadcastDay,
) -> None:
    context = ReportContext(day)
    unknown = {"code": "brand_new_check", "message": "something new is wrong", "params": {}}
    assert describe(unknown, context, "id").text == "something new is wrong"
    assert describe(unknown, context, "id").lang == "en"
    # Stored before the engine gave its parameters: no hours, no title, no playlist at hand.
    old = {
        "code": "classification_window",
        "message": "D-rated 'X' at 15:00:00:00 is outside the hours allowed for D",
        "item_index": 3,
        "params": {"classification": "D"},
    }
    assert describe(old, context, "id").text == old["message"]
    broken = {"code": "asset_separation", "message": "m", "params": {"gap_frames": "soon"}}
    assert describe(broken, context, "en").text == "m"
    assert describe({"code": None}, context, "id").text == ""
    odd = {"code": "late_start", "message": "m", "params": ["not", "a", "mapping"]}
    assert describe(odd, context, "id").text == "m"
    far = {
        "code": "gap_filled_with_slate",
        "message": "m",
        "params": {"frames": 1, "start_frames": 10**30},
    }
    assert describe(far, context, "id").text == "m"


def test_an_old_report_borrows_title_and_time_from_the_playlist(day: BroadcastDay) -> None:
    item = PlaylistItem(
        start_frames=at(day, 21, 30),
        duration_frames=mins(5),
        som_frames=0,
        eom_frames=mins(5),
        item_type="promo",
        asset_id=3,
        house_id="P-3",
        title="Promo Pilkada",
        source="fill",
    )
    old = {"code": "pending_rendition", "message": "m", "item_index": 0, "params": {}}
    text = describe(old, ReportContext(day, [item]), "id").text
    assert text.startswith("“Promo Pilkada” pukul 21.30 WITA belum memiliki berkas")


def _insert_reasons() -> set[str]:
    codes: set[str] = set()
    for path in (PACKAGE / "engine" / "amend.py", PACKAGE / "scheduling" / "inserts.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "InsertDoesNotFit":
                codes |= {k.value.value for k in node.keywords if k.arg == "reason"}  # type: ignore[attr-defined]
            if (
                isinstance(node, ast.Assign)
                and isinstance(node.value, ast.Constant)
                and isinstance(node.value.value, str)
                and any(getattr(t, "attr", "") == "error_code" for t in node.targets)
            ):
                codes.add(node.value.value)
    return codes


def test_every_insert_failure_is_worded_in_both_languages() -> None:
    reasons = _insert_reasons()
    assert {"too_soon", "no_room", "not_published", "no_rendition"} <= reasons
    assert reasons - INSERT_ERRORS.keys() == set()
    rate = make_day().rate
    for reason in reasons:
        result = InsertChannelResult(
            channel_id=1,
            ok=False,
            broadcast_date=date(2026, 12, 2),
            error="English",
            error_code=reason,
            error_params={"remaining_frames": mins(2), "needed_frames": mins(3)}
            if reason == "no_room"
            else {},
        )
        indonesian = insert_error(result, "Kanal Humas", rate, "id")
        english = insert_error(result, "Kanal Humas", rate, "en")
        assert indonesian.lang == "id" and english.lang == "en"
        assert indonesian.text != english.text != "English"
    no_room = InsertChannelResult(
        channel_id=1,
        ok=False,
        error="English",
        error_code="no_room",
        error_params={"remaining_frames": mins(2), "needed_frames": mins(3)},
    )
    assert insert_error(no_room, "Kanal Humas", rate, "id").text == (
        "Hanya tersisa 2 menit sebelum tayangan berjam tetap berikutnya; sisipan memerlukan "
        "3 menit."
    )
    assert insert_error(no_room, "Kanal Humas", None, "id").text == "English"
