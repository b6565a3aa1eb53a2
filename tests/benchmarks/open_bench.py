"""Benchmark: opening a 2 MB article with 10,000 annotations in the real window.

Not a pytest test: `make bench` runs it through run_benchmarks.py. Measured in this process,
offscreen. The app starts on the sample article; each run switches to the large article
(`DocumentSession.open_document`, what File › Open Recent and the library panel call) and ends
once the event loop is idle and the window has been repainted. The baseline, in the same run,
is what Qt itself needs to show the same text with the same 10,000 spans marked: a shown
QMainWindow + QTextBrowser, `setPlainText`, then 10,000 `QTextCursor.mergeCharFormat` calls in
one edit block (the cheapest way Qt offers to format spans), then the same settle and repaint.
Medians of RUNS runs each, interleaved so that a burst of load hits both alike.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QMainWindow, QTextBrowser

sys.path.insert(0, str(Path(__file__).resolve().parent))
from large_library import LargeLibrary, build
from window_harness import settle, start_app, stop_app

from desktop_app.core.offsets import PositionMap
from desktop_app.storage.library_store import LibraryStore

RUNS = 5


def baseline_once(
    window: QMainWindow, browser: QTextBrowser, text: str, spans: list[tuple[int, int]]
) -> float:
    """Seconds for Qt alone: set the text, format the spans, settle and repaint."""
    browser.clear()
    settle(window)
    marked = QTextCharFormat()
    marked.setBackground(QColor("#f3d9a4"))
    began = time.perf_counter()
    browser.setPlainText(text)
    cursor = QTextCursor(browser.document())
    cursor.beginEditBlock()
    for start, end in spans:
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        cursor.mergeCharFormat(marked)
    cursor.endEditBlock()
    settle(window)
    return time.perf_counter() - began


def qt_spans(library: LargeLibrary) -> tuple[str, list[tuple[int, int]]]:
    """The large text and its 10,000 annotation spans in Qt (UTF-16) positions."""
    store = LibraryStore.open(library.database)
    try:
        text = store.document(library.many_id).text
        annotations = store.annotations(library.many_id)
    finally:
        store.close()
    positions = PositionMap(text, 0)
    return text, [(positions.to_qt(a.start), positions.to_qt(a.end)) for a in annotations]


def measure(runs: int = RUNS) -> tuple[float, float]:
    """Median seconds to open the large article in the window, and the Qt baseline's median."""
    with tempfile.TemporaryDirectory() as folder_name:
        folder = Path(folder_name)
        library = build(folder)
        text, spans = qt_spans(library)
        app = start_app(library.database, folder / "settings.ini")
        window = QMainWindow()
        browser = QTextBrowser()
        window.setCentralWidget(browser)
        window.resize(app.window.size())
        window.show()
        settle(window)
        opened: list[float] = []
        floor: list[float] = []
        try:
            assert app.session is not None
            for _ in range(runs):
                app.session.open_document(library.sample_id)
                settle(app.window)
                began = time.perf_counter()
                app.session.open_document(library.many_id)
                settle(app.window)
                opened.append(time.perf_counter() - began)
                assert app.session.annotation_count == len(spans)
                floor.append(baseline_once(window, browser, text, spans))
        finally:
            window.close()
            stop_app(app)
        return statistics.median(opened), statistics.median(floor)


if __name__ == "__main__":
    seconds, base = measure()
    print(f"open_2mb_10k  {seconds:.3f}s  (Qt baseline {base:.3f}s, {seconds / base:.2f}×)")
