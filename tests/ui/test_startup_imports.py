"""The window paints the article before the heavy libraries load: importing the window's
modules must not import SQLAlchemy, Alembic, pysbd or the chart code (each costs tens to
hundreds of milliseconds against a ~0.13 s bare window). And when the real entry point shows
the window, nothing hidden in the first frame has been imported yet: dialogs, the find bar,
the library search, the import and analysis machinery and the log file are loaded when first
asked for (see docs/performance.md, startup_warm)."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

HEAVY = (
    "sqlalchemy",
    "alembic",
    "pysbd",
    "desktop_app.ui.analysis.charts",  # the package: every chart module in it
    "desktop_app.ui.analysis.analysis_view",
    "desktop_app.ui.analysis.analysis_tables",
    "desktop_app.ui.analysis.analysis_export",
)

# Not in the first frame, so not imported before the window shows.
HIDDEN_AT_START = (
    *HEAVY,
    "lxml",
    "markdown_it",
    "nh3",
    "hypothesis",
    "logging.handlers",
    "PySide6.QtNetwork",
    "desktop_app.diagnostics",
    "desktop_app.io",
    "desktop_app.storage.backups",
    "desktop_app.storage.library_analysis",
    "desktop_app.storage.library_store",
    "desktop_app.core.analysis",
    "desktop_app.core.analysis_figures",
    "desktop_app.ui.dialogs.add_tag_dialog",
    "desktop_app.ui.shell.background",
    "desktop_app.ui.dialogs.claims_view",
    "desktop_app.ui.dialogs.codebook_dialog",
    "desktop_app.ui.dialogs.error_dialog",
    "desktop_app.ui.dialogs.export_dialog",
    "desktop_app.ui.reader.find_bar",
    "desktop_app.ui.reader.find_controller",
    "desktop_app.ui.shell.import_controller",
    "desktop_app.ui.dialogs.recovery_dialog",
    "desktop_app.ui.panels.search_dock",
    "desktop_app.ui.panels.search_panel",
    "desktop_app.ui.shell.version_controller",
    "desktop_app.ui.dialogs.versions_dialog",
    # The window's errands, each loaded on its first use (see MainWindow).
    "desktop_app.ui.shell.menus",
    "desktop_app.ui.shell.export_flow",
    "desktop_app.ui.shell.library_actions",
    "desktop_app.ui.shell.companion_dialogs",
    "desktop_app.ui.shell.article_intake",
    # The panels and the reading controller: built by MainWindow.complete() after the paint.
    "desktop_app.ui.panels.side_panel",
    "desktop_app.ui.panels.library_panel",
    "desktop_app.ui.reader.reading_controller",
    "desktop_app.ui.reader.reading_context",
    "desktop_app.ui.reader.reading_display",
    "desktop_app.ui.reader.reading_position",
    "desktop_app.ui.reader.sentence_focus",
    "desktop_app.ui.reader.annotation_actions",
    "desktop_app.ui.reader.note_actions",
    "desktop_app.ui.panels.delegates",
    "desktop_app.models.annotation_list_model",
    "desktop_app.models.library_model",
    "desktop_app.models.tag_list_model",
    "desktop_app.core.records",  # the preview's byline comes from core.bylines
    "desktop_app.ui.shell.backup_run",
)

# Runs the real entry point and prints the modules loaded when the main window is shown.
AT_SHOW = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
from desktop_app.app import main
from desktop_app.ui.shell.main_window import MainWindow

loaded = []

def show(window):
    loaded.extend(sorted(sys.modules))
    QMainWindow.show(window)
    QTimer.singleShot(0, QApplication.quit)

MainWindow.show = show
code = main(sys.argv[1:])
print(repr(loaded))
sys.exit(code)
"""


def run_python(code: str, *args: str) -> str:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run(
        [sys.executable, "-c", code, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def present(names: tuple[str, ...], modules: list[str]) -> list[str]:
    """Which of `names` (packages included) are among `modules`."""
    return sorted(
        name for name in names if any(m == name or m.startswith(f"{name}.") for m in modules)
    )


def test_the_window_modules_import_nothing_heavy() -> None:
    code = "import sys, desktop_app.ui.shell.application\nprint(sorted(sys.modules))"
    assert present(HEAVY, ast.literal_eval(run_python(code))) == []


@pytest.mark.parametrize("library", ["new", "existing"])
def test_nothing_hidden_is_imported_before_the_window_shows(
    library: str, library_path: Path, request: pytest.FixtureRequest
) -> None:
    if library == "existing":
        request.getfixturevalue("store")  # a prepared library: its last article is previewed
    loaded = ast.literal_eval(run_python(AT_SHOW, "--db", str(library_path)))
    assert "desktop_app.ui.shell.main_window" in loaded
    assert present(HIDDEN_AT_START, loaded) == []
