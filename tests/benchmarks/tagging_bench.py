"""Benchmark: the latency of tagging a sentence with 10,000 annotations open against 10.

Not a pytest test: `make bench` runs it through run_benchmarks.py. Measured in this process,
offscreen, in the real window, through real key presses on the reader (as the keyboard tests
do). Both documents hold the same 2 MB text (so layout and sentences are identical); one has
10,000 annotations, the other 10. For each of SENTENCES sentences: J (untimed) moves the focus,
then '1' toggles the first tag on and '1' again toggles it off, each timed from the key press
until the event loop is idle and the reader's viewport has painted. After each press, outside
the timing, the change is checked in SQLite through a connection of its own: committed, not
just shown.
"""

from __future__ import annotations

import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

sys.path.insert(0, str(Path(__file__).resolve().parent))
from large_library import LargeLibrary, build
from window_harness import settle, start_app, stop_app

from desktop_app.ui.shell.application import ClaimmarkApplication

SENTENCES = 60


class PaintCounter(QObject):
    """Counts paint events of the widget it filters: a sample only ends once one was painted."""

    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.count += 1
        return False


def stored_tags(
    connection: sqlite3.Connection, document_id: int, span: tuple[int, int]
) -> set[tuple[int, ...]]:
    """The tag sets SQLite holds for the annotations on exactly `span` of the document."""
    rows = connection.execute(
        "SELECT a.id, t.tag_id FROM annotations a LEFT JOIN annotation_tags t ON t.annotation_id "
        '= a.id WHERE a.document_id = ? AND a.start = ? AND a."end" = ?',
        (document_id, *span),
    ).fetchall()
    tags: dict[int, list[int]] = {}
    for annotation_id, tag_id in rows:
        tags.setdefault(annotation_id, [])
        if tag_id is not None:
            tags[annotation_id].append(tag_id)
    return {tuple(sorted(t)) for t in tags.values()}


def latencies(
    app: ClaimmarkApplication, database: Path, document_id: int, sentences: int
) -> list[float]:
    """Milliseconds per '1' press (on, then off, per sentence) on `document_id`."""
    assert app.session is not None
    session = app.session
    session.open_document(document_id)
    for _ in range(20):  # let Qt finish laying the article out before timing keys
        settle(app.window)
    reader = app.window.reader
    counter = PaintCounter()
    reader.viewport().installEventFilter(counter)
    connection = sqlite3.connect(database)
    samples: list[float] = []
    try:
        for _ in range(sentences):
            QTest.keyClick(reader, Qt.Key.Key_J)
            settle(app.window)
            sentence = app.window.controller.current_sentence
            assert sentence is not None
            span = (sentence.start, sentence.end)
            for _press in range(2):
                painted = counter.count
                began = time.perf_counter()
                QTest.keyClick(reader, "1")
                QApplication.processEvents()
                if counter.count == painted:  # no paint was scheduled: force one, and count it
                    reader.viewport().repaint()
                samples.append((time.perf_counter() - began) * 1000)
                record = session.annotation_with_span(*span)
                shown = set() if record is None else {tuple(sorted(record.tag_ids))}
                stored = stored_tags(connection, document_id, span)
                committed = shown <= stored if record is not None else not stored
                if not committed:
                    raise AssertionError(f"tagging {span} was shown but not committed")
    finally:
        connection.close()
        reader.viewport().removeEventFilter(counter)
    return samples


def measure(sentences: int = SENTENCES) -> tuple[float, float]:
    """Median milliseconds per tag key with 10,000 annotations, and with 10."""
    with tempfile.TemporaryDirectory() as folder_name:
        folder = Path(folder_name)
        library: LargeLibrary = build(folder)
        app = start_app(library.database, folder / "settings.ini")
        try:
            few = latencies(app, library.database, library.few_id, sentences)
            many = latencies(app, library.database, library.many_id, sentences)
        finally:
            stop_app(app)
    return statistics.median(many), statistics.median(few)


if __name__ == "__main__":
    many_ms, few_ms = measure()
    print(f"tagging_latency  {many_ms:.1f} ms with 10,000, {few_ms:.1f} ms with 10")
