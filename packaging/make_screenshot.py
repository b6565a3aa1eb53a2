"""Remake docs/screenshot.png: the real app on the sample article with a few claims tagged.

Run by `make screenshot` under Xvfb (a real X server, so fonts and rendering are the real ones).
Usage: python packaging/make_screenshot.py OUTPUT.png
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from desktop_app import APP_NAME
from desktop_app.ui.application import ClaimmarkApplication


def stage(claimmark: ClaimmarkApplication, output: Path) -> None:
    """Tag the way a reader would, with real key presses, then save the window."""
    window = claimmark.window
    reader = window.reader
    window.resize(1280, 800)
    for keys in ("j", "j1", "2", "jjjj3", "jjjj2", "jjjj1"):
        for key in keys:
            QTest.keyClick(reader, key)
    # A partial, overlapping claim on the defence-spending sentence.
    text = claimmark.session.document.text
    start = text.index("raise defense expenditure")
    reader.select_span(start, start + len("raise defense expenditure to two percent of GDP"))
    QTest.keyClick(reader, "1")
    QTest.keyClick(reader, "n")
    QTest.keyClicks(
        window.side_panel.note_editor, "Check: NATO-style 2% target, not a treaty duty."
    )
    QTest.keyClick(window.side_panel.note_editor, Qt.Key.Key_Escape)
    QTimer.singleShot(300, lambda: save(window, output))


def save(window: object, output: Path) -> None:
    output.parent.mkdir(parents=True, exist_ok=True)
    if not window.grab().save(str(output)):  # type: ignore[attr-defined]
        raise SystemExit(f"could not write {output}")
    print(f"wrote {output}")
    QApplication.quit()


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    output = Path(argv[1]).resolve()
    app = QApplication([argv[0]])
    app.setApplicationName(APP_NAME)
    with tempfile.TemporaryDirectory() as folder:
        claimmark = ClaimmarkApplication(Path(folder) / "library.db", Path(folder) / "settings.ini")
        claimmark.ready.connect(lambda: QTimer.singleShot(200, lambda: stage(claimmark, output)))
        claimmark.start(None)
        code = app.exec()
        claimmark.shutdown()
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv))
