"""Run one ffmpeg job: progress from ``-progress pipe:1``, cancellation, clear failures."""

from __future__ import annotations

import subprocess
import threading
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from fractions import Fraction

from mux_scheduler.core.errors import StorageFull, TranscodeFailed
from mux_scheduler.media._ffmpeg import last_error_line

ProgressCallback = Callable[[float], None]
STDERR_LINES_KEPT = 40
TERMINATE_GRACE_SECONDS = 5.0


class TranscodeCancelled(TranscodeFailed):
    code = "transcode-cancelled"
    title = "Transcode cancelled"


def progress_fraction(line: str, duration: Fraction | None) -> float | None:
    """0..1 from an ``out_time_us=`` line of ffmpeg's progress output, else ``None``."""
    key, _, value = line.strip().partition("=")
    if key != "out_time_us" or not duration or not value.lstrip("-").isdigit():
        return None
    return float(min(max(Fraction(int(value), 1_000_000) / duration, Fraction(0)), Fraction(1)))


def _report_progress(
    lines: Iterable[str], duration: Fraction | None, on_progress: ProgressCallback | None
) -> None:
    for line in lines:
        fraction = progress_fraction(line, duration)
        if fraction is not None and on_progress is not None:
            on_progress(fraction)


def _stop(process: subprocess.Popen[str]) -> None:
    process.terminate()
    try:
        process.wait(TERMINATE_GRACE_SECONDS)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _failure(returncode: int, stderr: str) -> Exception:
    if "No space left on device" in stderr:
        return StorageFull(
            "Not enough disk space to write the converted file: free space on "
            "the media volume and retry"
        )
    return TranscodeFailed(f"ffmpeg stopped with code {returncode}: {last_error_line(stderr)}")


def run_ffmpeg(
    args: Sequence[str],
    duration: Fraction | None,
    on_progress: ProgressCallback | None = None,
    cancel_event: threading.Event | None = None,
) -> None:
    """Run ``args`` (which must include ``-progress pipe:1``); return when ffmpeg succeeds.

    Raises ``TranscodeCancelled`` when ``cancel_event`` is set (ffmpeg is terminated),
    ``StorageFull`` on ENOSPC, ``TranscodeFailed`` otherwise.
    """
    process = subprocess.Popen(  # noqa: S603 - argument list built by this package
        list(args),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        errors="replace",
    )
    assert process.stdout is not None and process.stderr is not None
    stderr_tail: deque[str] = deque(maxlen=STDERR_LINES_KEPT)
    readers = [
        threading.Thread(target=stderr_tail.extend, args=(process.stderr,), daemon=True),
        threading.Thread(
            target=_report_progress, args=(process.stdout, duration, on_progress), daemon=True
        ),
    ]
    for reader in readers:
        reader.start()
    try:
        while process.poll() is None:
            if cancel_event is not None and cancel_event.wait(0.1):
                _stop(process)
                raise TranscodeCancelled("Transcode was cancelled")
            if cancel_event is None:
                _wait(process)
    except BaseException:
        if process.poll() is None:
            _stop(process)
        raise
    finally:
        for reader in readers:
            reader.join(TERMINATE_GRACE_SECONDS)
    if process.returncode != 0:
        raise _failure(process.returncode, "".join(stderr_tail))
    if on_progress is not None:
        on_progress(1.0)


def _wait(process: subprocess.Popen[str]) -> None:
    try:
        process.wait(0.1)
    except subprocess.TimeoutExpired:
        return
