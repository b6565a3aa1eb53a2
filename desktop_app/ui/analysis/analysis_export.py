"""Asking where an analysis export goes and writing it, with a message when the disk says no.

A failed write is the reader's environment (a full disk, a folder that went away), not a bug:
it is said in a message box naming the file, and the window stays as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from desktop_app.io.exports import file_stem


def export_stem(title: str, slug: str) -> str:
    """The suggested file name without suffix: "Japan-s-new-leader-tags"."""
    return f"{file_stem(title)}-{slug}"


def ask_export_path(
    parent: QWidget, caption: str, folder: str, stem: str, suffix: str, file_filter: str
) -> Path | None:
    """The file the reader chose (with `suffix` added when left out), or None when cancelled.

    The dialog opens in `folder` (the last export's, or the home folder when "").
    """
    start = Path(folder) if folder else Path.home()
    chosen, _ = QFileDialog.getSaveFileName(
        parent, caption, str(start / f"{stem}{suffix}"), file_filter
    )
    if not chosen:
        return None
    path = Path(chosen)
    if path.suffix.lower() != suffix:
        path = path.with_name(path.name + suffix)
    return path


def write_export(parent: QWidget, path: Path, write: Callable[[], None]) -> bool:
    """Run `write`; on an OSError say why in a message box. True when the file was written."""
    try:
        write()
    except OSError as error:
        QMessageBox.warning(
            parent, "Export failed", f"Could not write {path}: {error.strerror or error}"
        )
        return False
    return True
