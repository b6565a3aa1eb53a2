"""Remake the README's pictures: the real app on the sample article with a few claims tagged.

The "reader" scene is the main window in light colours (docs/screenshot.png); the "analysis"
scene is the Analysis view of the same claims in dark colours (docs/analysis-dark.png).
Run by `make screenshot` under Xvfb (a real X server, so fonts and rendering are the real ones).
Usage: python packaging/make_screenshot.py OUTPUT.png [reader|analysis]
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

SCENES = ("reader", "analysis")


def stage(claimmark: ClaimmarkApplication, output: Path, scene: str) -> None:
    """Tag the way a reader would, with real key presses, then save the scene."""
    window = claimmark.window
    reader = window.reader
    window.resize(1280, 800)
    text = claimmark.session.document.text
    for keys in ("jj12", "jjj3", "j3", "jjjj2", "j2"):
        for key in keys:
            QTest.keyClick(reader, key)
    # A partial claim inside a tagged sentence: the overlap shows both colours.
    start = text.index("two seats short of a controlling number")
    reader.select_span(start, start + len("two seats short of a controlling number"))
    QTest.keyClick(reader, "2")
    # Back to the second sentence, with a note on it.
    for _ in range(3):
        QTest.keyClick(reader, "k")
    QTest.keyClick(reader, "n")
    QTest.keyClicks(
        window.side_panel.note_editor, "Framing: trade first, security second. Check the agenda."
    )
    QTest.keyClick(window.side_panel.note_editor, Qt.Key.Key_Escape)
    reader.verticalScrollBar().setValue(0)
    if scene == "analysis":
        window.comfort.set_appearance("dark")
        window.show_analysis()
        view = window.analysis.view
        QTimer.singleShot(300, lambda: save(view, output))
    else:
        QTimer.singleShot(300, lambda: save(window, output))


def save(window: object, output: Path) -> None:
    output.parent.mkdir(parents=True, exist_ok=True)
    if not window.grab().save(str(output)):  # type: ignore[attr-defined]
        raise SystemExit(f"could not write {output}")
    print(f"wrote {output}")
    QApplication.quit()


def main(argv: list[str]) -> int:
    if len(argv) not in (2, 3) or (len(argv) == 3 and argv[2] not in SCENES):
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    output = Path(argv[1]).resolve()
    scene = argv[2] if len(argv) == 3 else "reader"
    app = QApplication([argv[0]])
    app.setApplicationName(APP_NAME)
    with tempfile.TemporaryDirectory() as folder:
        claimmark = ClaimmarkApplication(Path(folder) / "library.db", Path(folder) / "settings.ini")
        claimmark.ready.connect(
            lambda: QTimer.singleShot(200, lambda: stage(claimmark, output, scene))
        )
        claimmark.start(None)
        code = app.exec()
        claimmark.shutdown()
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv))
