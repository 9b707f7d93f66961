"""Transcode benchmarks: our pipeline against the raw ffmpeg it wraps.

Run: ``python bench/bench_transcode.py [--seconds 60]``. Prints a markdown table and writes
``bench/results-transcode.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from mux_scheduler.media.loudness import measure_loudness
from mux_scheduler.media.probe import probe
from mux_scheduler.media.profile import DVB_T2_HD
from mux_scheduler.media.testmedia import make_1080i25_master, make_conforming_hd_ts
from mux_scheduler.media.transcode import build_transcode_command, transcode

RESULTS = Path(__file__).with_name("results-transcode.md")


def timed(action: Callable[[], object]) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def raw(cmd: list[str]) -> None:
    subprocess.run(cmd, check=True, capture_output=True)


def naive_two_pass(src: Path, out: Path) -> None:
    """What a script would do: loudnorm analysis over the whole file, then a second full run."""
    first = subprocess.run(
        [
            "ffmpeg",
            "-nostdin",
            "-hide_banner",
            "-i",
            str(src),
            "-af",
            "loudnorm=I=-23:TP=-1:LRA=20:print_format=json",
            "-f",
            "null",
            "-",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stderr
    m = json.loads(first[first.rindex("{") : first.rindex("}") + 1])
    source = probe(src, decode_check=False)
    cmd = build_transcode_command(source, None, DVB_T2_HD, src, out)
    af = (
        f"loudnorm=I=-23:TP=-1:LRA=20:linear=true:measured_I={m['input_i']}:"
        f"measured_LRA={m['input_lra']}:measured_TP={m['input_tp']}:"
        f"measured_thresh={m['input_thresh']}:offset={m['target_offset']},aresample=48000"
    )
    graph = cmd[cmd.index("-filter_complex") + 1]
    audio_label = graph.rsplit("[", 1)[1].rstrip("]")
    cmd[cmd.index("-filter_complex") + 1] = graph.replace(
        f"[{audio_label}]", f",{af}[{audio_label}]", 1
    )
    raw(cmd)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=60.0)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-transcode-"))
    master = make_1080i25_master(work / "master.mov", seconds=args.seconds)
    conforming = make_conforming_hd_ts(
        work / "conforming.ts", seconds=args.seconds, preset="veryfast"
    )
    source = probe(master)
    loudness = measure_loudness(master, channels=2, sample_rate=48_000)
    rows: list[tuple[str, float, float, str]] = []

    ours_cmd = build_transcode_command(source, loudness, DVB_T2_HD, master, work / "raw.ts")
    t_raw = timed(lambda: raw(ours_cmd))
    t_ours = timed(
        lambda: transcode(master, work / "ours.ts", DVB_T2_HD, source=source, loudness=loudness)
    )
    rows.append(("1. transcode() vs the same single raw ffmpeg command", t_ours, t_raw, "<= 1.05x"))

    plain_cmd = build_transcode_command(source, None, DVB_T2_HD, master, work / "plain.ts")
    t_plain = timed(lambda: raw(plain_cmd))

    def measured_then_encoded() -> None:
        measured = measure_loudness(master, channels=2, sample_rate=48_000)
        transcode(master, work / "loud.ts", DVB_T2_HD, source=source, loudness=measured)

    t_loud = timed(measured_then_encoded)
    rows.append(
        (
            "2a. measure + normalised transcode() vs plain encode (no loudness)",
            t_loud,
            t_plain,
            "<= 1.10x",
        )
    )
    t_naive = timed(lambda: naive_two_pass(master, work / "naive.ts"))
    rows.append(
        ("2b. measure + normalised transcode() vs naive two-pass loudnorm", t_loud, t_naive, "< 1x")
    )

    c_source = probe(conforming)
    c_loud = measure_loudness(conforming, channels=2, sample_rate=48_000)
    remuxed: list[bool] = []
    t_remux = timed(
        lambda: remuxed.append(
            transcode(
                conforming, work / "remux.ts", DVB_T2_HD, source=c_source, loudness=c_loud
            ).remuxed
        )
    )
    reencode_cmd = build_transcode_command(
        c_source, None, DVB_T2_HD, conforming, work / "reencode.ts"
    )
    t_reencode = timed(lambda: raw(reencode_cmd))
    rows.append(
        (
            "3. conforming source: remux transcode() vs re-encode",
            t_remux,
            t_reencode,
            ">= 20x faster",
        )
    )

    final = measure_loudness(work / "loud.ts")
    lines = [
        f"## {datetime.now(UTC):%Y-%m-%d %H:%M} UTC - {args.seconds:g} s 1080i25 source, "
        f"DVB_T2_HD preset {DVB_T2_HD.preset}, {os.cpu_count()} CPUs, {platform.machine()}",
        "",
        "| comparison | ours (s) | baseline (s) | ratio ours/baseline | target |",
        "| --- | ---: | ---: | ---: | --- |",
        *[
            f"| {name} | {a:.2f} | {b:.2f} | {a / b:.3f}x | {target} |"
            for name, a, b, target in rows
        ],
        "",
        f"Remux chosen: {remuxed[0]}; speed-up {t_reencode / t_remux:.1f}x. "
        f"Normalised output re-measured: {final.integrated_lufs} LUFS, "
        f"true peak {final.true_peak_dbtp} dBTP. Output mux "
        f"rate: {probe(work / 'ours.ts', decode_check=False).bit_rate} b/s.",
        "",
    ]
    text = "\n".join(lines)
    print(text)
    with RESULTS.open("a", encoding="utf-8") as handle:
        handle.write(text + "\n")
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
