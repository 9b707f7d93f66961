"""ffplayout JSON playlist: ``{"channel", "date", "program": [{in, out, duration, source}]}``.

``in``/``out`` are seek points in the source file (the item's in and out points) in seconds,
``duration`` the file length ffplayout expects (here the out point: renditions are conformed
to end at EOM). Seconds are exact fractions rounded to the millisecond once, on the day's
running position, so rounding never accumulates: sum(out - in) equals the day within 1 ms.
"""

from __future__ import annotations

import json
import posixpath
from typing import Any

from mux_scheduler.exports.context import ExportPlaylist


def _seconds(ms: int) -> float:
    return ms / 1000


def ffplayout_document(playlist: ExportPlaylist) -> dict[str, Any]:
    program = []
    for item, times in zip(playlist.items, playlist.timeline, strict=True):
        in_ms = times.som_ms
        out_ms = in_ms + times.end_ms - times.start_ms
        program.append(
            {
                "in": _seconds(in_ms),
                "out": _seconds(out_ms),
                "duration": _seconds(out_ms),
                "source": posixpath.join(playlist.channel.media_root, item.media_file_name),
                "title": item.title,
                "category": item.item_type,
            }
        )
    return {
        "channel": playlist.channel.name,
        "date": playlist.day.broadcast_date.isoformat(),
        "program": program,
    }


def render_ffplayout(playlist: ExportPlaylist) -> str:
    """One programme entry per line: readable diffs, and json's fast C encoder."""
    document = ffplayout_document(playlist)
    program = ",\n    ".join(_dumps(entry) for entry in document["program"])
    return (
        f'{{\n  "channel": {_dumps(document["channel"])},\n'
        f'  "date": {_dumps(document["date"])},\n'
        f'  "program": [\n    {program}\n  ]\n}}\n'
    )


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))
