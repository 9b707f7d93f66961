"""The only place that starts ffmpeg/ffprobe processes and turns user paths into ffmpeg URLs."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Sequence
from fractions import Fraction
from pathlib import Path

from mux_scheduler.core.errors import MediaError

# Only plain files and our own pipes: a name like ``concat:a|b`` or ``http://..`` stays a file name.
PROTOCOL_WHITELIST = "file,pipe"
# Only media containers are read as input. Playlist and reference demuxers (hls, concat,
# image2 patterns...) would open other files or URLs named inside an upload: an HLS playlist
# saved as ``spot.mp4`` could pull another agency's rendition off the local disk. ``mov``
# covers MP4/M4V/3GP; its external data references stay off (ffmpeg's default).
FORMAT_WHITELIST = "mov,mpegts,matroska,mxf,avi,mpeg,asf,flv,dv,wav,mp3,aac"
# The largest picture decoded (8K UHD, either way up): a header claiming 16000x16000 is
# refused by the decoder instead of allocating gigabytes (``-max_pixels``).
MAX_PIXELS = 7680 * 4320


def binary(name: str) -> str:
    """Absolute path of ``ffmpeg``/``ffprobe``; a clear error if it is not installed."""
    found = shutil.which(name)
    if found is None:
        raise MediaError(f"{name} is not installed on this server; ask the administrator")
    return found


def media_url(path: str | Path) -> str:
    """An ffmpeg input/output URL that can only mean a local file."""
    return "file:" + str(Path(path).resolve())


def run_tool(
    args: Sequence[str], *, timeout: float | None = None
) -> subprocess.CompletedProcess[str]:
    """Run an argument list (never a shell string) and capture text output."""
    return subprocess.run(  # noqa: S603 - argument list built by this package
        list(args),
        capture_output=True,
        text=True,
        errors="replace",
        stdin=subprocess.DEVNULL,
        timeout=timeout,
        check=False,
    )


def refused_format(stderr: str) -> str | None:
    """The demuxer ffmpeg was stopped from using by :data:`FORMAT_WHITELIST`, if any."""
    for line in stderr.splitlines():
        if "Format not on whitelist" in line and line.startswith("["):
            return line[1:].split(" @", 1)[0]
    return None


def oversized_picture(stderr: str) -> str | None:
    """``"16000x16000"`` when a decoder refused a picture larger than :data:`MAX_PIXELS`."""
    for line in stderr.splitlines():
        if "exceeds specified max pixel count" in line and "Picture size " in line:
            return line.split("Picture size ", 1)[1].split(" ", 1)[0]
    return None


def last_error_line(stderr: str) -> str:
    """The last non-empty stderr line, for an error message a person can act on."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    return lines[-1] if lines else "no error output"


def timecode(seconds: Fraction | float) -> str:
    """``HH:MM:SS.ss`` for messages (not for schedules: those are frames)."""
    centis = round(Fraction(seconds) * 100)
    hours, rest = divmod(centis, 360_000)
    minutes, rest = divmod(rest, 6_000)
    secs, cs = divmod(rest, 100)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}.{cs:02d}"


def parse_fraction(text: str | None) -> Fraction | None:
    """``"30000/1001"``, ``"16:9"`` or ``"2.040000"`` to a Fraction; ``None`` for N/A and 0/0."""
    if text is None:
        return None
    text = text.strip()
    if not text or text in {"N/A", "0/0", "0:1", "0:0"}:
        return None
    for sep in ("/", ":"):
        if sep in text:
            num, den = text.split(sep, 1)
            if int(den) == 0:
                return None
            return Fraction(int(num), int(den))
    try:
        return Fraction(text)
    except ValueError:
        return None
