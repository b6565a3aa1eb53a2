"""The command line on a damaged or locked library: one line naming the file (and the newest
good backup), exit code 1, and the file exactly as it was."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from desktop_app.cli import run_command
from desktop_app.storage.backups import make_backup
from desktop_app.storage.library_setup import prepare_library
from desktop_app.storage.library_store import LibraryStore

PAGE = 4096
T0 = datetime(2025, 3, 1, 9, 30, tzinfo=UTC)


def make_library(path: Path, documents: int = 40) -> None:
    store = LibraryStore.open(path)
    try:
        prepare_library(store)
        for number in range(documents):
            store.add_document(f"Doc {number}", f"doc{number}.txt", f"Sentence {number}. " * 150)
    finally:
        store.close()


def run(argv: list[str]) -> tuple[int, list[str], str]:
    out, err = io.StringIO(), io.StringIO()
    code = run_command(argv, stdout=out, stderr=err)
    return code, err.getvalue().splitlines(), out.getvalue()


def truncate_to_half(path: Path) -> None:
    make_library(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


DAMAGE = {
    "truncated": truncate_to_half,
    "zero-filled": lambda p: p.write_bytes(bytes(64 * PAGE)),
    "garbage": lambda p: p.write_bytes(bytes(range(256)) * 64),
    "text": lambda p: p.write_text("Shopping list\n" * 200, encoding="utf-8"),
}


@pytest.mark.parametrize("kind", DAMAGE)
@pytest.mark.parametrize("command", [["list"], ["stats"], ["export", "-o", "-"]])
def test_a_damaged_library_gives_one_line_and_exit_1(
    library_path: Path, kind: str, command: list[str]
) -> None:
    DAMAGE[kind](library_path)
    before = library_path.read_bytes()

    code, lines, out = run([*command, "--db", str(library_path)])

    assert code == 1
    assert len(lines) == 1, lines
    assert lines[0].startswith("desktop-app: ")
    assert str(library_path) in lines[0] and "damaged" in lines[0]
    assert "No good backup was found." in lines[0]
    assert out == ""
    assert library_path.read_bytes() == before
    assert not list(library_path.parent.glob("library.db.broken-*"))  # nothing moved either


def test_the_line_names_the_newest_good_backup(library_path: Path) -> None:
    make_library(library_path)
    good = make_backup(library_path, now=T0)
    damaged = make_backup(library_path, now=T0 + timedelta(days=1))
    damaged.path.write_bytes(damaged.path.read_bytes()[:PAGE])
    truncate_to_half_again = library_path.read_bytes()[: library_path.stat().st_size // 2]
    library_path.write_bytes(truncate_to_half_again)

    code, lines, _ = run(["list", "--db", str(library_path)])

    assert code == 1 and len(lines) == 1
    assert f"The newest good backup is {good.path} (" in lines[0]
    assert str(damaged.path) not in lines[0]
    assert library_path.read_bytes() == truncate_to_half_again


def test_damage_deep_in_the_file_gives_one_line(library_path: Path) -> None:
    make_library(library_path)
    data = bytearray(library_path.read_bytes())
    last = len(data) // PAGE - 2
    data[last * PAGE : (last + 1) * PAGE] = b"\xab" * PAGE
    library_path.write_bytes(bytes(data))

    code, lines, _ = run(["list", "--db", str(library_path)])

    assert code == 1 and len(lines) == 1, lines
    assert "damaged" in lines[0]
    assert library_path.read_bytes() == bytes(data)


def test_a_library_locked_by_another_process_gives_one_line(library_path: Path) -> None:
    make_library(library_path, documents=2)
    before = library_path.read_bytes()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sqlite3, sys\n"
            f"c = sqlite3.connect({str(library_path)!r})\n"
            "c.execute('PRAGMA locking_mode=EXCLUSIVE')\n"
            "c.execute('UPDATE app_settings SET value = value')\n"
            "c.commit()\n"
            "print('locked', flush=True)\n"
            "sys.stdin.readline()\n",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        result = subprocess.run(
            [sys.executable, "-m", "desktop_app", "list", "--db", str(library_path)],
            capture_output=True,
            text=True,
            timeout=60,
            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
            check=False,
        )
    finally:
        assert holder.stdin is not None
        holder.stdin.write("\n")
        holder.stdin.close()
        holder.wait(timeout=10)
        holder.stdout.close()  # type: ignore[union-attr]
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "in use by another program" in lines[0] and str(library_path) in lines[0]
    assert result.stdout == ""
    assert library_path.read_bytes() == before
