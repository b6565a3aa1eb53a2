"""Logs and unexpected errors: a rotating log file, and a traceback that lands there.

Errors the user can act on (a bad file, a locked library) are shown as one-line messages where
they happen. Anything else is a bug: it is logged with its traceback, and the window explains
what happened and where the log is, instead of vanishing.
"""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Callable
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import TracebackType

from platformdirs import user_log_dir

from desktop_app import APP_NAME, __version__

LOG_BYTES = 1_000_000
LOG_BACKUPS = 3
log = logging.getLogger("desktop_app")

ErrorReporter = Callable[[str, str, Path], None]


def log_path() -> Path:
    """The log file: `claimmark.log` in the platform's user log folder."""
    return Path(user_log_dir(APP_NAME, appauthor=False)) / "claimmark.log"


def start_logging(path: Path | None = None) -> Path:
    """Send the program's log to a rotating file (and warnings to stderr too); returns its path.

    A log that cannot be written (read-only home, full disk) must not stop the program: it then
    logs to stderr only.
    """
    path = path or log_path()
    root = logging.getLogger("desktop_app")
    root.setLevel(logging.INFO)
    for handler in list(root.handlers):
        if getattr(handler, "claimmark", False):
            root.removeHandler(handler)
            handler.close()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        file_handler: logging.Handler = RotatingFileHandler(
            path, maxBytes=LOG_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8"
        )
    except OSError:
        file_handler = logging.StreamHandler(sys.stderr)
    file_handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    file_handler.claimmark = True  # type: ignore[attr-defined]
    root.addHandler(file_handler)
    log.info("%s %s started (Python %s)", APP_NAME, __version__, sys.version.split()[0])
    return path


def install_excepthook(report: ErrorReporter, path: Path) -> None:
    """Log every uncaught exception with its traceback and hand it to `report` for the user.

    PySide6 calls sys.excepthook for exceptions raised in slots and event handlers and then
    carries on, so the window stays up and the reader's work, already committed, stays safe.
    """

    def hook(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, error, tb)
            return
        details = "".join(traceback.format_exception(kind, error, tb))
        log.error("unexpected error\n%s", details)
        try:
            report(f"{kind.__name__}: {error}", details, path)
        except Exception:  # the report itself failed: the log still has everything
            log.exception("could not show the error to the user")

    sys.excepthook = hook


def log_bug_to_file(what: str, error: BaseException, path: Path | None = None) -> Path | None:
    """Append `error` with its traceback to the log file; its path, or None if unwritable.

    For the command line: unlike start_logging, it never falls back to stderr, where the
    traceback would reach the user's terminal instead of one line.
    """
    path = path or log_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as file:
            file.write(f"{APP_NAME} {__version__}: unexpected error in {what}\n")
            file.write("".join(traceback.format_exception(error)))
    except OSError:
        return None
    return path
