"""Benchmark: build one channel-day with the pure playlist engine.

Target: a channel-day of ~3,000 items from a 10,000-asset library in under 100 ms (median).
Also measured: growth with the library size (1k, 10k, 100k assets) and with items per day
(750 to 6,000), as ratios to the smallest case to judge near-linearity, and a rebuild after
one manual edit (a locked item) against a full build.

    .venv/bin/python bench/bench_engine.py [--repeat 7]

Prints a markdown table and writes bench/results-engine.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from datetime import time as wall
from fractions import Fraction
from pathlib import Path

from mux_scheduler.core.timecode import broadcast_day
from mux_scheduler.engine import (
    Block,
    BreakPattern,
    BuildResult,
    Campaign,
    DayContext,
    FixedEvent,
    History,
    LibraryAsset,
    LivePlaceholder,
    LockedItem,
    PoolFilter,
    Rule,
    WallWindow,
    build_day,
    indonesia_raya,
)

RATE = Fraction(25)
FPS = 25
TARGET_MS = 100.0
RESULTS = Path(__file__).with_name("results-engine.md")
DAY = date(2026, 11, 26)
ANTHEM_ID = 1


def make_library(
    size: int, *, programme_minutes: tuple[int, int], ilm_seconds: tuple[int, ...]
) -> list[LibraryAsset]:
    """A plausible library: 60% programmes, 32% ILMs, 8% fillers and station IDs."""
    rng = random.Random(size)
    assets = [
        LibraryAsset(
            asset_id=ANTHEM_ID,
            house_id="IR-0001",
            title="Indonesia Raya",
            kind="programme",
            duration_frames=200 * FPS,
        ),
        LibraryAsset(
            asset_id=2,
            house_id="LOOP-0001",
            title="Scenic loop",
            kind="filler",
            duration_frames=1800 * FPS,
            trimmable=True,
        ),
    ]
    lo, hi = programme_minutes
    for asset_id in range(3, size + 1):
        roll = rng.random()
        classification = rng.choice(("SU", "SU", "SU", "R", "A", "P", "D"))
        tags: tuple[str, ...]
        if roll < 0.60:
            kind, seconds = "programme", rng.randint(lo * 60, hi * 60)
            tags = (rng.choice(("dialog-publik", "berita", "budaya", "edukasi", "kesehatan")),)
            if tags == ("dialog-publik",):  # a talk-show series: all-ages episodes
                classification = "SU"
        elif roll < 0.92:
            kind, seconds, tags = "ilm", rng.choice(ilm_seconds), ()
        else:
            kind, seconds, tags = (
                rng.choice(("filler", "station_id", "bumper")),
                rng.choice((5, 10, 15, 30)),
                (),
            )
            classification = "SU"
        assets.append(
            LibraryAsset(
                asset_id=asset_id,
                house_id=f"{kind[:3].upper()}-{asset_id:06d}",
                title=f"{kind} {asset_id}",
                kind=kind,  # type: ignore[arg-type]
                duration_frames=seconds * FPS + rng.randint(0, FPS - 1),
                agency_id=rng.randint(1, 20),
                classification=classification,  # type: ignore[arg-type]
                tags=tags,
                approved=rng.random() > 0.03,
                rendition_ready=rng.random() > 0.01,
                valid_until=None if rng.random() > 0.05 else DAY - timedelta(days=3),
            )
        )
    return assets


def make_rules(*, break_seconds: int, every_minutes: int) -> list[Rule]:
    breaks = BreakPattern(break_frames=break_seconds * FPS, every_minutes=every_minutes)
    return [
        indonesia_raya(ANTHEM_ID),
        FixedEvent(
            rule_id="briefing",
            at=wall(7),
            rrule="FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR",
            valid_from=date(2026, 1, 5),
            live=LivePlaceholder(title="Press briefing", duration_frames=30 * 60 * FPS),
        ),
        FixedEvent(
            rule_id="noon",
            at=wall(12),
            start_mode="follow",
            live=LivePlaceholder(title="Noon news", duration_frames=30 * 60 * FPS),
        ),
        Block(
            rule_id="day",
            start=wall(5),
            end=wall(19),
            order="shuffle",
            breaks=breaks,
            pool=PoolFilter(kinds=("programme",)),
        ),
        Block(
            rule_id="dialog-publik",
            start=wall(19),
            end=wall(21),
            order="sequential",
            pool=PoolFilter(kinds=("programme",), tags=("dialog-publik",)),
            breaks=breaks,
        ),
        Block(
            rule_id="late",
            start=wall(21),
            end=wall(5),
            order="lru",
            breaks=breaks,
            pool=PoolFilter(kinds=("programme",)),
        ),
    ]


def make_campaigns(library: list[LibraryAsset]) -> list[Campaign]:
    ilms = [a.asset_id for a in library if a.kind == "ilm" and a.approved][:40]
    return [
        Campaign(
            campaign_id=f"c{n}",
            asset_ids=tuple(ilms[n * 4 : n * 4 + 4]),
            target_per_day=6 + n,
            windows=(WallWindow(wall(6), wall(22)),),
        )
        for n in range(10)
    ]


@dataclass
class Scenario:
    context: DayContext
    library: list[LibraryAsset]
    rules: list[Rule]
    campaigns: list[Campaign]
    history: History

    def build(self, locked: tuple[LockedItem, ...] = ()) -> BuildResult:
        return build_day(
            self.context,
            library=self.library,
            rules=self.rules,
            campaigns=self.campaigns,
            locked=locked,
            history=self.history,
        )


# per target items/day: programme minutes, ILM lengths, break seconds, break every N minutes
DENSITY: dict[int, tuple[tuple[int, int], tuple[int, ...], int, int]] = {
    750: ((4, 10), (10, 15, 20, 30), 120, 15),
    1500: ((3, 8), (10, 15, 20, 30), 180, 8),
    3000: ((2, 4), (10, 15, 20), 220, 5),
    6000: ((1, 2), (5, 10, 15), 270, 5),
}


def scenario(library_size: int, items: int) -> Scenario:
    programme_minutes, ilm_seconds, break_seconds, every = DENSITY[items]
    library = make_library(
        library_size, programme_minutes=programme_minutes, ilm_seconds=ilm_seconds
    )
    rules = make_rules(break_seconds=break_seconds, every_minutes=every)
    campaigns = make_campaigns(library)
    yesterday = broadcast_day(
        DAY - timedelta(days=1), zone="Asia/Jakarta", day_start=wall(5), rate=RATE
    )
    previous = build_day(
        DayContext(channel_id=1, day=yesterday), library=library, rules=rules, campaigns=campaigns
    )
    day = broadcast_day(DAY, zone="Asia/Jakarta", day_start=wall(5), rate=RATE)
    return Scenario(DayContext(channel_id=1, day=day), library, rules, campaigns, previous.state)


def measure(fn: Callable[[], BuildResult], repeat: int) -> tuple[float, float, BuildResult]:
    """Median wall and CPU milliseconds over ``repeat`` runs (after one warm-up)."""
    result = fn()
    walls, cpus = [], []
    for _ in range(repeat):
        c0, w0 = time.process_time(), time.perf_counter()
        result = fn()
        walls.append((time.perf_counter() - w0) * 1000)
        cpus.append((time.process_time() - c0) * 1000)
    return statistics.median(walls), statistics.median(cpus), result


def verdict(ms: float) -> str:
    return "PASS" if ms < TARGET_MS else "FAIL"


def target_section(case: Scenario, repeat: int) -> tuple[list[str], BuildResult]:
    wall_ms, cpu_ms, result = measure(case.build, repeat)
    report = result.report
    return [
        "## Target",
        "",
        "| library | items | wall ms (median) | CPU ms (median) | target | wall | CPU |",
        "| ---: | ---: | ---: | ---: | ---: | --- | --- |",
        f"| 10,000 | {len(result.items):,} | {wall_ms:.1f} | {cpu_ms:.1f} | {TARGET_MS:.0f} ms "
        f"| **{verdict(wall_ms)}** | **{verdict(cpu_ms)}** |",
        "",
        f"Report of that build: {len(report.errors)} errors, {len(report.warnings)} warnings; "
        f"campaigns met {sum(c.met for c in report.campaigns)}/{len(report.campaigns)}.",
        "",
    ], result


def library_section(main_case: Scenario, repeat: int) -> list[str]:
    lines = [
        "## Growth with library size (~3,000 items/day)",
        "",
        "| library | items | wall ms | CPU ms | CPU ratio to 1k | library ratio |",
        "| ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    base = 0.0
    for size in (1_000, 10_000, 100_000):
        case = main_case if size == 10_000 else scenario(size, 3000)
        w, c, r = measure(case.build, repeat)
        base = base or c
        lines.append(
            f"| {size:,} | {len(r.items):,} | {w:.1f} | {c:.1f} | {c / base:.2f} | {size // 1000} |"
        )
    return [*lines, ""]


def items_section(main_case: Scenario, repeat: int) -> list[str]:
    lines = [
        "## Growth with items per day (10,000-asset library)",
        "",
        "| items | wall ms | CPU ms | CPU µs per item | CPU ratio to 750 | items ratio |",
        "| ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    base, first_items = 0.0, 0
    for items in (750, 1500, 3000, 6000):
        case = main_case if items == 3000 else scenario(10_000, items)
        w, c, r = measure(case.build, repeat)
        base, first_items = base or c, first_items or len(r.items)
        lines.append(
            f"| {len(r.items):,} | {w:.1f} | {c:.1f} | {c * 1000 / len(r.items):.1f} "
            f"| {c / base:.2f} | {len(r.items) / first_items:.2f} |"
        )
    return [*lines, ""]


def rebuild_section(case: Scenario, built: BuildResult, repeat: int) -> list[str]:
    """Replace the item at mid-day by hand (locked), then rebuild around it."""
    edited = built.items[len(built.items) // 2]
    replacement = next(
        a for a in case.library if a.kind == "programme" and a.approved and a.classification == "SU"
    )
    edit = LockedItem(
        start_frames=edited.start_frames,
        asset_id=replacement.asset_id,
        duration_frames=replacement.duration_frames,
    )
    w_full, c_full, _ = measure(case.build, repeat)
    w_edit, c_edit, rebuilt = measure(lambda: case.build((edit,)), repeat)
    kept = next(i for i in rebuilt.items if i.start_frames == edit.start_frames)
    assert kept.locked and kept.asset_id == replacement.asset_id
    return [
        "## Rebuild after one manual edit",
        "",
        "| build | wall ms | CPU ms | ratio |",
        "| --- | ---: | ---: | ---: |",
        f"| full build | {w_full:.1f} | {c_full:.1f} | 1.00 |",
        f"| rebuild with one locked edit | {w_edit:.1f} | {c_edit:.1f} | {c_edit / c_full:.2f} |",
        "",
        "A rebuild is a full deterministic build that schedules around the locked item; "
        "at this speed an incremental rebuild is not worth its complexity.",
        "",
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=7)
    repeat = parser.parse_args().repeat
    lines = [
        "# Playlist engine benchmark",
        "",
        f"One channel-day (Asia/Jakarta, 05:00 day start, 25 fps), median of {repeat} builds "
        f"after a warm-up; CPython {platform.python_version()}, {os.cpu_count()} CPUs, "
        f"load average {os.getloadavg()[0]:.2f} before the run (a shared machine: when the "
        "load is above the CPU count, wall time suffers and CPU time is the steadier figure). "
        "Every build includes indexing the library, all rules, 10 campaigns, exact gap "
        "filling and the full audit.",
        "",
    ]
    main_case = scenario(10_000, 3000)
    target, built = target_section(main_case, repeat)
    lines += target
    lines += library_section(main_case, repeat)
    lines += items_section(main_case, repeat)
    lines += rebuild_section(main_case, built, repeat)
    lines.append(f"Load average after the run: {os.getloadavg()[0]:.2f}.")
    text = "\n".join(lines)
    print(text)
    RESULTS.write_text(text + "\n")
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()
