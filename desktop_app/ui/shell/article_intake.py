"""How articles reach the window: File › Open…, the clipboard (Ctrl+Shift+V) and files
dropped on it.

The window only turns what these return into its requests (`openFilesRequested`,
`pasteRequested`); reading and importing is the application's work, off the GUI thread.
"""

from __future__ import annotations

from PySide6.QtCore import QMimeData
from PySide6.QtWidgets import QApplication, QFileDialog, QWidget

OPEN_FILTER = (
    "Articles (*.html *.htm *.md *.markdown *.txt *.epub *.docx *.pdf);;"
    "Annotations (*.json *.jsonld *.qdpx *.qdc);;All files (*)"
)


def ask_files_to_open(parent: QWidget) -> list[str]:
    """The files the reader picks to open (articles or annotations); none if cancelled."""
    paths, _ = QFileDialog.getOpenFileNames(parent, "Open articles", "", OPEN_FILTER)
    return paths


def clipboard_article() -> tuple[str | None, str | None]:
    """The clipboard's HTML and plain text, each None when it holds none."""
    mime = QApplication.clipboard().mimeData()
    html = mime.html() if mime is not None and mime.hasHtml() else None
    text = mime.text() if mime is not None and mime.hasText() else None
    return html, text


def dropped_files(mime: QMimeData | None) -> list[str]:
    """The local files in a drag (links to web pages are not files to open)."""
    if mime is None or not mime.hasUrls():
        return []
    return [url.toLocalFile() for url in mime.urls() if url.isLocalFile()]
