"""Atomic export writes: permissions like a plain write, stale temporary files swept up."""

from __future__ import annotations

import os
import stat
import time
from pathlib import Path

import pytest

from desktop_app.io.atomic_write import STALE_PART_SECONDS, write_bytes_atomically


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_file_gets_the_umask_permissions_not_private_ones(tmp_path: Path) -> None:
    previous = os.umask(0o022)
    try:
        target = tmp_path / "notes.csv"
        write_bytes_atomically(target, b"a,b\r\n")
    finally:
        os.umask(previous)
    assert target.read_bytes() == b"a,b\r\n"
    assert mode_of(target) == 0o644


def test_a_replaced_file_keeps_its_permissions(tmp_path: Path) -> None:
    target = tmp_path / "notes.md"
    target.write_text("old")
    target.chmod(0o640)
    write_bytes_atomically(target, b"new")
    assert target.read_bytes() == b"new"
    assert mode_of(target) == 0o640


def test_a_killed_writers_old_temporary_file_is_swept_up(tmp_path: Path) -> None:
    stale = tmp_path / ".notes.html.abc123.part"
    fresh = tmp_path / ".notes.html.def456.part"  # perhaps another export still writing
    other = tmp_path / ".other.html.abc123.part"
    for part in (stale, fresh, other):
        part.write_text("half")
    old = time.time() - STALE_PART_SECONDS - 60
    os.utime(stale, (old, old))
    os.utime(other, (old, old))
    write_bytes_atomically(tmp_path / "notes.html", b"<html></html>")
    assert not stale.exists()
    assert fresh.exists() and other.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [".notes.html.def456.part", ".other.html.abc123.part", "notes.html"]
    )


def test_a_failed_write_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "notes.json"
    target.write_text("old")

    def full_disk(*_args: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(OSError):
        write_bytes_atomically(target, b"new")
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["notes.json"]
