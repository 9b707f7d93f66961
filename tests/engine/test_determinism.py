"""The same inputs give the same playlist in another process (no hash-seed dependence)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SCRIPT = """
import hashlib
from datetime import time
from mux_scheduler.engine import (
    Block, BreakPattern, Campaign, PoolFilter, WallWindow, build_day, indonesia_raya,
)
from tests.engine.factories import asset, context, make_day, standard_fillers

library = [
    asset(seconds=300 + 7 * n, agency_id=n % 5, tags=(f"t{n % 3}",), house_id=f"P{n:03d}",
          asset_id=n + 1, classification=("SU", "P", "D", "R")[n % 4])
    for n in range(80)
]
library += [asset("ilm", seconds=15 + n % 3 * 15, agency_id=10 + n % 4, asset_id=500 + n,
                  house_id=f"I{n:03d}") for n in range(60)]
library += standard_fillers()
rules = [
    indonesia_raya(1),
    Block(rule_id="day", start=time(5), end=time(22), pool=PoolFilter(kinds=("programme",)),
          order="shuffle", breaks=BreakPattern(break_frames=25 * 90, every_minutes=20)),
    Block(rule_id="night", start=time(22), end=time(5), pool=PoolFilter(tags=("t1", "t2")),
          order="lru"),
]
campaigns = [Campaign(campaign_id="c", asset_ids=(500, 501, 502), target_per_day=6,
                      windows=(WallWindow(time(6), time(22)),))]
result = build_day(context(make_day()), library=library, rules=rules, campaigns=campaigns)
print(hashlib.sha256(repr((result.items, result.report, result.state)).encode()).hexdigest())
"""


def _run(hash_seed: str) -> str:
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONHASHSEED": hash_seed, "PYTHONPATH": str(root)}
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def test_build_is_identical_across_processes_with_different_hash_seeds() -> None:
    assert _run("1") == _run("2") == _run("12345")
