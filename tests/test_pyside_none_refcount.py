"""Regression: PySide6 6.12.0 on Python 3.11 dropped a reference to None on every Qt call that
returns None; after a few thousand calls the interpreter dies with `Fatal Python error:
none_dealloc`. The editor calls such methods constantly, so this runs in a subprocess where a
crash is a failed test rather than a dead test session.
"""

from __future__ import annotations

import importlib.metadata
import os
import subprocess
import sys
import textwrap

CALLS = 10_000

SCRIPT = textwrap.dedent(
    f"""
    import sys
    from PySide6.QtCore import QObject
    from PySide6.QtGui import QTextCursor, QTextDocument
    from PySide6.QtWidgets import QApplication

    app = QApplication([])
    document = QTextDocument()
    document.setPlainText("Takaichi faces her first big test as Trump arrives in Tokyo. " * 20)
    cursor = QTextCursor(document)
    holder = QObject()
    length = document.characterCount() - 1

    before = sys.getrefcount(None)
    for index in range({CALLS}):
        result = cursor.setPosition(index % length)
        assert result is None, result
    for index in range({CALLS}):
        holder.setObjectName(f"object-{{index % 10}}")
    after = sys.getrefcount(None)

    if sys.version_info < (3, 12):
        drift = after - before
        assert abs(drift) < 100, f"refcount of None drifted by {{drift}} over {2 * CALLS} calls"
    print("ok", before, after)
    """
)


def test_qt_calls_returning_none_keep_none_alive() -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, f"exit {result.returncode}\n{result.stdout}\n{result.stderr}"
    assert "ok" in result.stdout.split()
    assert "none_dealloc" not in result.stderr


def test_pyside6_is_not_the_release_that_breaks_none_on_python_311() -> None:
    version = importlib.metadata.version("PySide6-Essentials")
    if sys.version_info[:2] == (3, 11):
        release = tuple(int(part) for part in version.split(".")[:3] if part.isdigit())
        assert release != (6, 12, 0), (
            f"PySide6-Essentials {version} is installed on Python 3.11: 6.12.0 corrupts the "
            "refcount of None there (Fatal Python error: none_dealloc). pyproject.toml pins "
            "PySide6-Essentials<6.12 for python_version < '3.12'; reinstall with that pin."
        )
    import PySide6

    assert PySide6.__version__ == version
