"""Entry point: `desktop-app [FILE] [--db PATH]` opens the window; `desktop-app import|list|
export ...` run headless (see desktop_app.cli). Heavy imports wait until they are needed.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from desktop_app import APP_ID, APP_NAME, __version__
from desktop_app.cli import COMMANDS, OneLineParser, UsageError, run_command

if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication

    from desktop_app.ui.shell.application import ClaimmarkApplication
    from desktop_app.ui.shell.single_instance import InstanceGuard


def parse_window_arguments(argv: list[str]) -> tuple[Path | None, Path | None]:
    """FILE and --db of the windowed form of the command."""
    parser = OneLineParser(
        prog="desktop-app",
        usage=(
            "desktop-app [FILE] [--db PATH]\n       desktop-app {import,list,export} ... --db PATH"
        ),
        description=f"{APP_NAME} {__version__}: read articles, tag their claims, export notes.",
    )
    parser.add_argument("file", nargs="?", type=Path, metavar="FILE", help="article to open")
    parser.add_argument("--db", type=Path, metavar="PATH", help="library file to use")
    parser.add_argument("--version", action="version", version=f"{APP_NAME} {__version__}")
    args = parser.parse_args(argv)
    return args.file, args.db


def main(argv: list[str] | None = None) -> int:
    """Run Claimmark; returns the exit code."""
    arguments = sys.argv[1:] if argv is None else argv
    if arguments and arguments[0] in COMMANDS:
        return run_command(arguments)
    try:
        file, database = parse_window_arguments(arguments)
    except UsageError as error:
        print(error, file=sys.stderr)
        return 2
    return run_window(file, database)


def run_window(file: Path | None, database: Path | None) -> int:
    """Show the window and run the event loop until it is closed."""
    from PySide6.QtWidgets import QApplication

    from desktop_app.paths import default_database_path, settings_path
    from desktop_app.ui.shell.application import ClaimmarkApplication
    from desktop_app.ui.shell.single_instance import InstanceGuard

    library = database or default_database_path()
    guard = InstanceGuard(library)
    if not guard.acquire():
        if guard.hand_over(file):
            return 0  # the window already open on this library shows it
        if not guard.acquire():
            pid = guard.owner_pid()
            print(
                f"desktop-app: {library} is open in another Claimmark window"
                f"{f' (process {pid})' if pid else ''} that does not answer; close it first.",
                file=sys.stderr,
            )
            return 1
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication([sys.argv[0]])
    app.setApplicationName(APP_NAME)
    app.setDesktopFileName(APP_ID)
    claimmark = ClaimmarkApplication(library, settings_path())
    claimmark.painted.connect(lambda: after_first_paint(app, claimmark, guard))
    claimmark.start(file)
    try:
        return app.exec()
    finally:
        claimmark.shutdown()
        guard.release()


def after_first_paint(
    app: QApplication, claimmark: ClaimmarkApplication, guard: InstanceGuard
) -> None:
    """What the first frame does not need: the icon, the log file, the hand-over socket.

    Work done between show() and the event loop held back the map request Qt had queued for
    the X server: the window became visible 25 ms after show() where the bare window took 3.
    So all of this waits for the first paint. It still comes before the library opens, so
    an error there gets the dialog and the log.
    """
    from PySide6.QtGui import QIcon

    from desktop_app.diagnostics import install_excepthook, start_logging
    from desktop_app.resources import resource_path
    from desktop_app.ui.dialogs.error_dialog import show_unexpected_error

    app.setWindowIcon(QIcon(str(resource_path("icon.svg"))))
    install_excepthook(show_unexpected_error, start_logging())
    guard.activationRequested.connect(lambda named: bring_forward(claimmark, named))
    guard.serve()


def bring_forward(claimmark: ClaimmarkApplication, file: Path | None) -> None:
    """Another `desktop-app` start on this library: raise the window and open its file."""
    from PySide6.QtCore import Qt

    window = claimmark.window
    window.setWindowState(window.windowState() & ~Qt.WindowState.WindowMinimized)
    window.show()
    window.raise_()
    window.activateWindow()
    if file is None:
        return
    if claimmark.imports is None:  # still starting: import once the library is open
        claimmark.ready.connect(lambda: claimmark.import_files([str(file)]))
    else:
        claimmark.import_files([str(file)])
