"""Benchmark: peak memory of the window holding the 2 MB / 10,000-annotation article.

Not a pytest test: `make bench` runs it through run_benchmarks.py. Each figure is the peak
resident set (VmHWM of /proc/self/status, read at the end) of a process of its own, so that
neither the library building nor the other side's memory counts. "app" starts Claimmark
offscreen on the benchmark library, opens the large article and repaints; "bare" is a
QApplication with a shown QMainWindow + QTextBrowser whose `setPlainText` holds the same text,
repainted the same way. Both import PySide6, so the ratio is what Claimmark adds. Each side
runs RUNS times and the medians are compared (peak RSS varies little, but allocator timing
does).

Usage (what the parent runs): python memory_bench.py app|bare LIBRARY_FOLDER
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
RUNS = 2


def peak_rss_mib() -> float:
    """This process's peak resident set size so far, in MiB (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


def child_app(folder: Path, ids: dict[str, int]) -> float:
    """Open the large article in the real window; the peak RSS afterwards."""
    sys.path.insert(0, str(HERE))
    from window_harness import settle, start_app, stop_app

    app = start_app(folder / "library.db", folder / "settings.ini")
    assert app.session is not None
    app.session.open_document(ids["many_id"])
    settle(app.window)
    peak = peak_rss_mib()
    stop_app(app)
    return peak


def child_bare(folder: Path) -> float:
    """Hold the same text in a bare QTextBrowser; the peak RSS afterwards."""
    from PySide6.QtWidgets import QApplication, QMainWindow, QTextBrowser

    app = QApplication(["bare"])
    window = QMainWindow()
    browser = QTextBrowser()
    window.setCentralWidget(browser)
    window.resize(1180, 780)
    window.show()
    browser.setPlainText((folder / "large.txt").read_text(encoding="utf-8"))
    app.processEvents()
    window.repaint()
    return peak_rss_mib()


def run_child(kind: str, folder: Path) -> float:
    """Peak RSS in MiB of one child process of `kind`."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), kind, str(folder)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return float(done.stdout.strip().splitlines()[-1])


def measure(runs: int = RUNS) -> tuple[float, float]:
    """Median peak RSS (MiB) of the app process and of the bare Qt process."""
    sys.path.insert(0, str(HERE))
    from large_library import build

    with tempfile.TemporaryDirectory() as folder_name:
        folder = Path(folder_name)
        library = build(folder)
        ids = {"many_id": library.many_id}
        (folder / "ids.json").write_text(json.dumps(ids), encoding="utf-8")
        app_peaks, bare_peaks = [], []
        for _ in range(runs):
            app_peaks.append(run_child("app", folder))
            bare_peaks.append(run_child("bare", folder))
    return statistics.median(app_peaks), statistics.median(bare_peaks)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] in ("app", "bare"):
        library_folder = Path(sys.argv[2])
        if sys.argv[1] == "app":
            document_ids = json.loads((library_folder / "ids.json").read_text(encoding="utf-8"))
            print(child_app(library_folder, document_ids))
        else:
            print(child_bare(library_folder))
    else:
        app_mib, bare_mib = measure()
        print(f"peak_memory_2mb_10k  {app_mib:.0f} MiB  (bare {bare_mib:.0f} MiB)")
