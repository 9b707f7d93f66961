"""Media storage: originals stored once by sha256, renditions and posters by id.

Layout under ``media_root`` (every path kept in the database is relative to it)::

    tmp/                      bytes being received (uploads, tus) - never read by anything else
    originals/ab/cd/<sha256>  uploaded files, content-addressed (one copy per content)
    thumbnails/ab/cd/<sha256>.jpg
    renditions/<asset_id>/<profile_id>.ts

Files arrive under ``tmp/`` and are moved into place with ``os.replace`` on the same volume, so a
reader never sees half a file and a crash leaves at most a temporary file behind.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import tempfile
import unicodedata
from pathlib import Path
from typing import BinaryIO

from mux_scheduler.core.errors import NotFound, PayloadTooLarge, StorageFull

CHUNK_BYTES = 1 << 20
_UNSAFE = re.compile(r"[^A-Za-z0-9._ -]+")


def safe_filename(name: str, *, limit: int = 120) -> str:
    """A display-only version of a client's file name: no directories, no control characters."""
    base = re.split(r"[\\/]", name)[-1]
    ascii_name = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode()
    cleaned = _UNSAFE.sub("_", ascii_name).strip(" .")
    return cleaned[:limit] or "upload"


class MediaStore:
    def __init__(self, root: Path) -> None:
        self.root = root

    @property
    def tmp_dir(self) -> Path:
        folder = self.root / "tmp"
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    def path(self, relative: str) -> Path:
        """The absolute path of a stored file; refuses anything that escapes the root."""
        root = self.root.resolve()
        full = (root / relative).resolve()
        if root not in full.parents:
            raise NotFound("Stored file not found.")
        return full

    def relative(self, path: Path) -> str:
        return path.resolve().relative_to(self.root.resolve()).as_posix()

    @staticmethod
    def _sharded(folder: str, sha256: str, suffix: str = "") -> str:
        if not re.fullmatch(r"[0-9a-f]{64}", sha256):
            raise ValueError("not a sha256 hex digest")
        return f"{folder}/{sha256[:2]}/{sha256[2:4]}/{sha256}{suffix}"

    def original_relpath(self, sha256: str) -> str:
        return self._sharded("originals", sha256)

    def thumbnail_relpath(self, sha256: str) -> str:
        return self._sharded("thumbnails", sha256, ".jpg")

    @staticmethod
    def rendition_relpath(asset_id: int, profile_id: int) -> str:
        return f"renditions/{asset_id}/{profile_id}.ts"

    def store_original(self, temp: Path, sha256: str) -> str:
        """Move received bytes into their content address; identical bytes are kept once."""
        relative = self.original_relpath(sha256)
        target = self.root / relative
        if target.exists():
            temp.unlink()
            return relative
        target.parent.mkdir(parents=True, exist_ok=True)
        temp.replace(target)
        return relative

    def remove(self, relative: str | None) -> None:
        if relative:
            with contextlib.suppress(FileNotFoundError):
                self.path(relative).unlink()

    def remove_abandoned_uploads(self, *, idle_since: float) -> list[str]:
        """Delete multipart upload temporaries untouched since ``idle_since`` (a Unix time).

        A request cut off by a killed server never reaches its own clean-up; a live upload
        writes continuously, so its file's mtime stays fresh. Tus uploads (``tmp/tus/``) are
        resumable and expire through their own rows instead.
        """
        removed = []
        for stray in self.tmp_dir.glob("upload-*.part"):
            with contextlib.suppress(FileNotFoundError):
                if stray.stat().st_mtime < idle_since:
                    stray.unlink()
                    removed.append(stray.name)
        return removed

    def remove_partials(self, relative: str) -> None:
        """Delete temporaries a killed process left next to ``relative`` (``.<name>.*``)."""
        target = self.root / relative
        if target.parent.is_dir():
            for stray in target.parent.glob(f".{target.stem}.*"):
                with contextlib.suppress(FileNotFoundError):
                    stray.unlink()


class IncomingFile:
    """Bytes being received: written under ``tmp/`` in chunks while hashed and counted."""

    def __init__(self, store: MediaStore, limit: int) -> None:
        fd, name = tempfile.mkstemp(prefix="upload-", suffix=".part", dir=store.tmp_dir)
        self.path = Path(name)
        self._file: BinaryIO = os.fdopen(fd, "wb")
        self._hash = hashlib.sha256()
        self._limit = limit
        self.size = 0

    def write(self, data: bytes) -> None:
        if self.size + len(data) > self._limit:
            raise PayloadTooLarge(
                f"The file is larger than this server accepts ({self._limit} bytes)."
            )
        try:
            self._file.write(data)
        except OSError as exc:
            raise _as_storage_error(exc) from exc
        self._hash.update(data)
        self.size += len(data)

    def finish(self) -> str:
        """Flush to disk and return the sha256 hex digest."""
        self._file.flush()
        os.fsync(self._file.fileno())
        self._file.close()
        return self._hash.hexdigest()

    def discard(self) -> None:
        self._file.close()
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()


def copy_into(incoming: IncomingFile, source: BinaryIO) -> None:
    while chunk := source.read(CHUNK_BYTES):
        incoming.write(chunk)


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK_BYTES):
            digest.update(chunk)
    return digest.hexdigest()


def _as_storage_error(exc: OSError) -> Exception:
    if exc.errno == 28:  # ENOSPC
        return StorageFull("The media volume is full; ask the administrator to free space.")
    return exc
