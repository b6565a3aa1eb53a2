"""The floor start-up is measured against: a bare PySide6 window showing the same article.

A QApplication and a QMainWindow holding a QTextBrowser with the text, shown and left running.
Usage: python tests/benchmarks/bare_window.py ARTICLE.txt
"""

import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication, QMainWindow, QTextBrowser

app = QApplication(sys.argv[:1])
window = QMainWindow()
browser = QTextBrowser()
browser.setPlainText(Path(sys.argv[1]).read_text(encoding="utf-8"))
window.setCentralWidget(browser)
window.resize(1180, 780)
window.show()
sys.exit(app.exec())
