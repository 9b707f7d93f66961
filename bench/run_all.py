"""Run every benchmark side by side with its baseline and collect bench/results.md.

    make bench              # all of them
    .venv/bin/python bench/run_all.py bench_engine bench_exports   # a few

Each ``bench_*.py`` writes its own ``results-<name>.md`` (a markdown table of ratios against
its baseline); this script runs them one after another on the same machine and joins those
tables under a header that names the machine, so figures are always read with their context.
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

BENCH = Path(__file__).resolve().parent
RESULTS = BENCH / "results.md"


def machine() -> str:
    cpu = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3
    ffmpeg = subprocess.run(["ffmpeg", "-version"], capture_output=True, text=True, check=False)
    ffmpeg_version = ffmpeg.stdout.splitlines()[0] if ffmpeg.stdout else "ffmpeg not found"
    return (
        f"{platform.node()}: {os.cpu_count()} cores ({cpu}), {memory:.0f} GiB, "
        f"Python {platform.python_version()}, {ffmpeg_version}"
    )


def main(selected: list[str]) -> int:
    scripts = sorted(BENCH.glob("bench_*.py"))
    if selected:
        scripts = [s for s in scripts if s.stem in selected]
    failures = []
    for script in scripts:
        print(f"== {script.stem}", flush=True)
        completed = subprocess.run([sys.executable, str(script)], cwd=BENCH.parent, check=False)
        if completed.returncode != 0:
            failures.append(script.stem)
    sections = [
        "# Benchmark results",
        "",
        f"Generated {datetime.now(UTC):%Y-%m-%d %H:%M} UTC by `make bench` on {machine()}.",
        "Each figure is a ratio against a baseline measured in the same run on the same machine.",
        "",
    ]
    for part in sorted(BENCH.glob("results-*.md")):
        sections += [part.read_text().strip(), ""]
    if failures:
        sections += [f"Benchmarks that failed in this run: {', '.join(failures)}", ""]
    RESULTS.write_text("\n".join(sections))
    print(f"wrote {RESULTS}")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
