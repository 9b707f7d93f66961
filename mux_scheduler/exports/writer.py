"""Write rendered exports under ``root/<operator>/<channel>/<date>/``, atomically.

Each file is written to a temporary name in its final folder, fsynced and renamed into
place, then the folder's ``SHA256SUMS`` manifest (``sha256sum -c`` format) is rewritten the
same way under a lock. Re-exporting unchanged content leaves the file (and its mtime) alone.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from mux_scheduler.exports.context import SLUG_RE, ExportContextError
from mux_scheduler.exports.registry import RenderedExport

MANIFEST_NAME = "SHA256SUMS"
LOCK_NAME = ".export.lock"
_FILE_NAME_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_MANIFEST_LINE_RE = re.compile(r"([0-9a-f]{64}) [ *](.+)")


def _check_slug(label: str, slug: str) -> None:
    if SLUG_RE.fullmatch(slug) is None:
        raise ExportContextError(f"{label} slug must match [a-z0-9-]+: {slug!r}")


def _check_file_name(name: str) -> None:
    if _FILE_NAME_RE.fullmatch(name) is None or name in (MANIFEST_NAME, LOCK_NAME):
        raise ExportContextError(f"export file name not allowed: {name!r}")


def export_folder(root: Path, operator_slug: str, channel_slug: str, day: date) -> Path:
    _check_slug("operator", operator_slug)
    _check_slug("channel", channel_slug)
    folder = root / operator_slug / channel_slug / day.isoformat()
    if not folder.resolve().is_relative_to(root.resolve()):
        raise ExportContextError(f"export folder escapes the export root: {folder}")
    return folder


def write_export(
    root: Path, operator_slug: str, channel_slug: str, day: date, rendered: RenderedExport
) -> Path:
    """Place ``rendered`` in its day folder and record its checksum; returns the file path."""
    return write_exports(root, operator_slug, channel_slug, day, [rendered])[0]


def write_exports(
    root: Path,
    operator_slug: str,
    channel_slug: str,
    day: date,
    rendered: Sequence[RenderedExport],
) -> list[Path]:
    """Several formats of one day: each file atomically, then one manifest update and one
    folder fsync for the lot (fsyncs dominate the cost of exporting many formats)."""
    for item in rendered:
        _check_file_name(item.file_name)
    folder = export_folder(root, operator_slug, channel_slug, day)
    folder.mkdir(parents=True, exist_ok=True)
    targets = [folder / item.file_name for item in rendered]
    with _folder_lock(folder):
        changed = False
        for target, item in zip(targets, rendered, strict=True):
            if not _same_content(target, item.content):
                atomic_write(target, item.content, sync_folder=False)
                changed = True
        checksums = {item.file_name: hashlib.sha256(item.content).hexdigest() for item in rendered}
        if not _update_manifest(folder, checksums) and changed:
            _fsync_dir(folder)
    return targets


def atomic_write(target: Path, content: bytes, *, sync_folder: bool = True) -> None:
    """Temp file in the same folder -> fsync -> ``os.replace`` -> fsync the folder."""
    fd, temp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        temp_path = Path(temp_name)
        temp_path.chmod(0o644)  # exports are read by operator staff and delivery jobs
        temp_path.replace(target)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    if sync_folder:
        _fsync_dir(target.parent)


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _same_content(target: Path, content: bytes) -> bool:
    try:
        return target.stat().st_size == len(content) and target.read_bytes() == content
    except FileNotFoundError:
        return False


@contextmanager
def _folder_lock(folder: Path) -> Iterator[None]:
    """Serialise writers of one day folder, so concurrent manifest updates are not lost."""
    with (folder / LOCK_NAME).open("a") as lock:
        fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock.fileno(), fcntl.LOCK_UN)


def read_manifest(folder: Path) -> dict[str, str]:
    """File name -> sha256 from ``SHA256SUMS`` (missing file -> empty)."""
    try:
        text = (folder / MANIFEST_NAME).read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    entries: dict[str, str] = {}
    for line in text.splitlines():
        match = _MANIFEST_LINE_RE.fullmatch(line)
        if match is not None:
            entries[match.group(2)] = match.group(1)
    return entries


def _update_manifest(folder: Path, checksums: dict[str, str]) -> bool:
    """Record ``checksums``; returns whether the manifest was rewritten (and synced)."""
    entries = read_manifest(folder)
    if all(entries.get(name) == sha256 for name, sha256 in checksums.items()):
        return False
    entries.update(checksums)
    body = "".join(f"{entries[name]}  {name}\n" for name in sorted(entries))
    atomic_write(folder / MANIFEST_NAME, body.encode("utf-8"))
    return True
