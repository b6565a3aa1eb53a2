"""Full and read-only disks: one line that says so, exit 1, and the library as it was."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from attack_support import library_dump, make_library, run_cli, run_cli_process


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 1 MiB file system (tmpfs), so the disk fills as a real one does."""
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount_point)],
        capture_output=True,
        check=False,
    )
    if os.geteuid() != 0 or mounted.returncode != 0:
        pytest.skip("mounting a small tmpfs needs root (CI runs as root)")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def _remount(mount_point: Path, option: str) -> None:
    subprocess.run(["mount", "-o", f"remount,{option}", str(mount_point)], check=True)


def _big_article(folder: Path) -> Path:
    path = folder / "big.txt"
    path.write_text(("Talks on tariffs and troops went on all night. " * 20 + "\n") * 2500, "utf-8")
    return path


def test_an_import_onto_a_full_disk_changes_nothing(small_disk: Path, tmp_path: Path) -> None:
    library = small_disk / "library.db"
    make_library(library)
    before = library_dump(library)
    outcome = run_cli_process("import", _big_article(tmp_path), "--db", library)
    assert outcome.code == 1, outcome
    assert "Traceback" not in outcome.err
    assert len(outcome.err.splitlines()) == 1, outcome.err
    assert str(library) in outcome.err
    assert "full" in outcome.err
    assert len(outcome.err) < 400  # not the article's text as SQL parameters
    assert library_dump(library) == before


def test_an_export_onto_a_full_disk_says_so(small_disk: Path, tmp_path: Path) -> None:
    library = tmp_path / "library.db"
    make_library(library)
    filler = small_disk / "filler"
    with filler.open("wb") as file, pytest.raises(OSError):
        file.write(b"\0" * (2 * 1024 * 1024))
    target = small_disk / "notes.md"
    outcome = run_cli("export", "--db", library, "--format", "markdown", "-o", target)
    assert outcome.code == 1
    assert len(outcome.err_lines) == 1 and str(target) in outcome.err, outcome.err
    assert "not a Claimmark library" not in outcome.err
    assert not target.exists()


def test_a_library_on_a_read_only_disk_is_named_as_such(small_disk: Path, tmp_path: Path) -> None:
    library = small_disk / "library.db"
    make_library(library)
    before = library_dump(library)
    article = tmp_path / "new.txt"
    article.write_text("A new article to store.\n", encoding="utf-8")
    _remount(small_disk, "ro")
    try:
        outcome = run_cli("import", article, "--db", library)
        assert outcome.code == 1
        assert "Traceback" not in outcome.err and len(outcome.err_lines) == 1, outcome.err
        assert str(library) in outcome.err
        assert "not a Claimmark library" not in outcome.err
        assert "read-only" in outcome.err or "cannot" in outcome.err
    finally:
        _remount(small_disk, "rw")
    assert library_dump(library) == before
