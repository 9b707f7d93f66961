"""Benchmark: render 16 channels x 7 days in every built-in export format.

Target: all built-in formats for 112 channel-days in under 3 s on one core. PDF is measured
separately (one headless Chromium run per day grid) and is not part of the target.

    .venv/bin/python bench/bench_exports.py [--repeat 3] [--no-pdf]

Prints a markdown table and writes bench/results-exports.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from mux_scheduler.exports.context import ExportPlaylist
from mux_scheduler.exports.formats.html_grid import find_chromium, html_to_pdf, render_html_grid
from mux_scheduler.exports.registry import list_formats, render_export
from mux_scheduler.exports.samples import sample_playlist

CHANNELS = 16
DAYS = 7
TARGET_SECONDS = 3.0
ZONES = ("Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura")
RESULTS = Path(__file__).with_name("results-exports.md")


def build_playlists() -> list[ExportPlaylist]:
    start = date(2026, 11, 26)
    return [
        sample_playlist(
            broadcast_date=start + timedelta(days=day),
            zone=ZONES[channel % len(ZONES)],
            channel_index=channel,
        )
        for channel in range(CHANNELS)
        for day in range(DAYS)
    ]


Run = tuple[float, dict[str, float], int, int, float]


def run_once() -> Run:
    """One pass over fresh contexts (so per-playlist caches start cold, as in production)."""
    playlists = build_playlists()
    per_format = {fmt.key: 0.0 for fmt in list_formats()}
    total_bytes = 0
    cpu_started = time.process_time()
    started = time.perf_counter()
    for playlist in playlists:
        for fmt in list_formats():
            t0 = time.perf_counter()
            total_bytes += len(render_export(fmt, playlist).content)
            per_format[fmt.key] += time.perf_counter() - t0
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    return elapsed, per_format, total_bytes, len(playlists), cpu


def time_pdf() -> float | None:
    if find_chromium() is None:
        return None
    html = render_html_grid(sample_playlist())
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        html_to_pdf(html, Path(tmp) / "grid.pdf")
        return time.perf_counter() - t0


def report(runs: list[Run], pdf: float | None, load_before: float) -> str:
    totals = [run[0] for run in runs]
    cpu_totals = [run[4] for run in runs]
    best = min(runs, key=lambda run: run[0])
    _, per_format, total_bytes, playlists, best_cpu = best
    items = len(sample_playlist().items)
    renders = playlists * len(per_format)
    verdict = "PASS" if best[0] < TARGET_SECONDS else "FAIL"
    cpu_verdict = "PASS" if min(cpu_totals) < TARGET_SECONDS else "FAIL"
    lines = [
        "# Export rendering benchmark",
        "",
        f"{CHANNELS} channels x {DAYS} days = {playlists} playlists (~{items} items each), "
        f"{len(per_format)} built-in formats = {renders} renders per run.",
        f"Machine: {platform.python_implementation()} {platform.python_version()}, "
        f"{os.cpu_count()} CPUs, load average {load_before:.2f} before / "
        f"{os.getloadavg()[0]:.2f} after (a shared machine: wall time suffers when the load "
        "is above the CPU count, CPU time much less); single process, single thread.",
        "",
        "| format | seconds (best run) | ms per playlist | share |",
        "| --- | ---: | ---: | ---: |",
    ]
    for key, seconds in per_format.items():
        lines.append(
            f"| {key} | {seconds:.3f} | {seconds / playlists * 1000:.2f} | "
            f"{seconds / best[0]:.0%} |"
        )
    lines += [
        f"| **all formats** | **{best[0]:.3f}** | **{best[0] / playlists * 1000:.2f}** | 100% |",
        "",
        f"- Wall-clock runs: {', '.join(f'{t:.3f}' for t in totals)} s "
        f"(best {min(totals):.3f}, median {statistics.median(totals):.3f}).",
        f"- CPU time of the same runs: {', '.join(f'{t:.3f}' for t in cpu_totals)} s "
        f"(best {min(cpu_totals):.3f}; best wall-clock run used {best_cpu:.3f}).",
        f"- Target: {TARGET_SECONDS:.1f} s for all {renders} renders -> **{verdict}** on the "
        f"best wall-clock run, **{cpu_verdict}** on CPU time; output {total_bytes / 1e6:.1f} MB.",
        "- The first format rendered for a playlist (bxf) also pays for the shared per-item "
        "timeline (timecodes, local instants), which the other formats reuse.",
    ]
    if pdf is None:
        lines.append("- PDF: not measured (no headless Chromium found).")
    else:
        lines.append(
            f"- PDF (separate, not in the target): one day grid via headless Chromium took "
            f"{pdf:.2f} s; {playlists} PDFs would take ~{pdf * playlists:.0f} s sequentially, "
            "so PDFs belong in background jobs."
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-pdf", action="store_true")
    args = parser.parse_args()
    load_before = os.getloadavg()[0]
    runs = [run_once() for _ in range(args.repeat)]
    pdf = None if args.no_pdf else time_pdf()
    text = report(runs, pdf, load_before)
    print(text)
    RESULTS.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
