from __future__ import annotations

import dataclasses
import subprocess
from datetime import date
from pathlib import Path

import pytest

from mux_scheduler.exports.context import ExportContextError, ExportPlaylist
from mux_scheduler.exports.registry import list_formats, render_export
from mux_scheduler.exports.writer import MANIFEST_NAME, read_manifest, write_export

DAY = date(2026, 11, 26)


def _write_all(root: Path, playlist: ExportPlaylist) -> list[Path]:
    return [
        write_export(root, "mux-nusantara", "kanal-humas", DAY, render_export(fmt.key, playlist))
        for fmt in list_formats()
    ]


def test_exports_land_in_the_day_folder_with_a_checkable_manifest(tmp_path, playlist):
    paths = _write_all(tmp_path, playlist)
    folder = tmp_path / "mux-nusantara" / "kanal-humas" / "2026-11-26"
    assert {path.parent for path in paths} == {folder}
    result = subprocess.run(
        ["sha256sum", "--check", "--strict", MANIFEST_NAME],
        cwd=folder,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert set(read_manifest(folder)) == {path.name for path in paths}
    assert not [p for p in folder.iterdir() if p.name.endswith(".tmp")]


def test_re_export_of_unchanged_content_leaves_files_untouched(tmp_path, playlist):
    paths = _write_all(tmp_path, playlist)
    manifest = paths[0].parent / MANIFEST_NAME
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in [*paths, manifest]}
    _write_all(tmp_path, playlist)
    after = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in [*paths, manifest]}
    assert before == after


def test_changed_content_replaces_the_file_and_its_checksum(tmp_path, playlist):
    rendered = render_export("csv", playlist)
    path = write_export(tmp_path, "mux-nusantara", "kanal-humas", DAY, rendered)
    changed = dataclasses.replace(
        playlist, items=(dataclasses.replace(playlist.items[0], title="Baru"), *playlist.items[1:])
    )
    new = render_export("csv", changed)
    write_export(tmp_path, "mux-nusantara", "kanal-humas", DAY, new)
    assert path.read_bytes() == new.content
    assert read_manifest(path.parent)[path.name] == new.sha256


@pytest.mark.parametrize(
    ("operator", "channel"),
    [
        ("../etc", "kanal-humas"),
        ("mux-nusantara", ".."),
        ("mux/../x", "a"),
        ("Mux", "a"),
        ("mux-nusantara", ""),
    ],
)
def test_path_traversal_in_slugs_is_refused(tmp_path, playlist, operator, channel):
    with pytest.raises(ExportContextError):
        write_export(tmp_path, operator, channel, DAY, render_export("csv", playlist))
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name", ["../x.csv", "a/b.csv", ".hidden", MANIFEST_NAME, ""])
def test_unsafe_file_names_are_refused(tmp_path, playlist, name):
    rendered = dataclasses.replace(render_export("csv", playlist), file_name=name)
    with pytest.raises(ExportContextError):
        write_export(tmp_path, "mux-nusantara", "kanal-humas", DAY, rendered)
