"""The window paints the article before the heavy libraries load: importing the window's
modules must not import SQLAlchemy, Alembic, pysbd or the chart code (each costs tens to
hundreds of milliseconds against a ~0.13 s bare window)."""

from __future__ import annotations

import os
import subprocess
import sys

HEAVY = ("sqlalchemy", "alembic", "pysbd", "desktop_app.ui.charts", "desktop_app.ui.analysis_view")


def test_the_window_modules_import_nothing_heavy() -> None:
    code = (
        "import sys, desktop_app.ui.application\n"
        f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))"
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]"
