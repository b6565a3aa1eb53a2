"""Entry point: `desktop-app [FILE] [--db PATH]` opens the window; `desktop-app import|list|
export ...` run headless (see desktop_app.cli). Heavy imports wait until they are needed.
"""

from __future__ import annotations

import sys
from pathlib import Path

from desktop_app import APP_ID, APP_NAME, __version__
from desktop_app.cli import COMMANDS, OneLineParser, UsageError, run_command


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
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from desktop_app.diagnostics import install_excepthook, start_logging
    from desktop_app.paths import default_database_path, settings_path
    from desktop_app.resources import resource_path
    from desktop_app.ui.application import ClaimmarkApplication
    from desktop_app.ui.error_dialog import show_unexpected_error

    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication([sys.argv[0]])
    app.setApplicationName(APP_NAME)
    app.setDesktopFileName(APP_ID)
    app.setWindowIcon(QIcon(str(resource_path("icon.svg"))))
    claimmark = ClaimmarkApplication(database or default_database_path(), settings_path())
    claimmark.start(file)
    # After the first paint: the log file is not needed to show the article.
    install_excepthook(show_unexpected_error, start_logging())
    try:
        return app.exec()
    finally:
        claimmark.shutdown()
