"""PySide6's import hook reads the source of each module imported after PySide6 (and linecache
keeps it: 19 MiB of SQLAlchemy). desktop_app.ui turns that reading off; these tests hold both
the behaviour it works around and the fix, so a PySide6 that changes either is noticed."""

from __future__ import annotations

import linecache
import subprocess
import sys
import uuid
from pathlib import Path

from desktop_app.ui.shell.pyside_import_hook import skip_source_reading


def write_probe_module(folder: Path) -> tuple[str, Path]:
    """A module nobody has imported yet: its name and file."""
    name = f"claimmark_probe_{uuid.uuid4().hex}"
    path = folder / f"{name}.py"
    path.write_text("VALUE = 'PySide6 is not imported here'\n", encoding="utf-8")
    return name, path


def import_reads_source(folder: Path, *, with_fix: bool) -> bool:
    """In a fresh interpreter that imported PySide6: does importing a module cache its source?"""
    name, path = write_probe_module(folder)
    fix = "import desktop_app.ui\n" if with_fix else ""
    code = (
        f"import sys, linecache\nimport PySide6.QtCore\n{fix}"
        f"sys.path.insert(0, {str(folder)!r})\nimport {name}\n"
        f"print({str(path)!r} in linecache.cache)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    return done.stdout.strip() == "True"


def test_pyside_reads_the_source_of_modules_imported_after_it(tmp_path: Path) -> None:
    assert import_reads_source(tmp_path, with_fix=False)


def test_the_window_package_stops_that_reading(tmp_path: Path) -> None:
    assert not import_reads_source(tmp_path, with_fix=True)


def test_modules_imported_in_this_process_are_not_read(tmp_path: Path) -> None:
    assert skip_source_reading()  # the pinned PySide6 has the check this module replaces
    name, path = write_probe_module(tmp_path)
    sys.path.insert(0, str(tmp_path))
    try:
        module = __import__(name)
    finally:
        sys.path.remove(str(tmp_path))
        sys.modules.pop(name, None)
    assert module.VALUE
    assert str(path) not in linecache.cache
