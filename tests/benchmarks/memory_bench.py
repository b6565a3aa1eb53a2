"""Benchmark: peak memory of the window holding the 2 MB / 10,000-annotation article.

Not a pytest test: `make bench` runs it through run_benchmarks.py. Each figure is the peak
resident set (VmHWM of /proc/self/status, read at the end) of a process of its own, so that
neither the library building nor the other side's memory counts. Claimmark is measured on the
two ways a reader comes to the article, each on a fresh copy of the benchmark library:
"opened" starts on the sample article and opens the large one, as choosing it in the library
does; "restarted" starts with the large article as the last one read, so the window shows it
from the start. "bare" is a QApplication with a shown QMainWindow + QTextBrowser whose
`setPlainText` holds the same text, repainted the same way. All import PySide6, so the ratio is
what Claimmark adds; the benchmark reports the worse of the two Claimmark paths. Each runs
RUNS times and the medians are compared (peak RSS varies little, but allocator timing does).

Usage (what the parent runs): python memory_bench.py opened|restarted|bare LIBRARY_FOLDER
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
RUNS = 2
KINDS = ("opened", "restarted", "bare")


def peak_rss_mib() -> float:
    """This process's peak resident set size so far, in MiB (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


def child_app(folder: Path, ids: dict[str, int], path: str) -> float:
    """Show the large article in the real window, by `path`; the peak RSS afterwards."""
    sys.path.insert(0, str(HERE))
    from window_harness import settle, start_app, stop_app

    from desktop_app.storage.library_store import LAST_DOCUMENT_KEY, LibraryStore

    start_with = ids["many_id"] if path == "restarted" else ids["sample_id"]
    store = LibraryStore.open(folder / "library.db")
    store.set_setting(LAST_DOCUMENT_KEY, str(start_with))
    store.close()
    app = start_app(folder / "library.db", folder / "settings.ini")
    assert app.session is not None and app.session.document is not None
    assert app.session.document.id == start_with
    if path == "opened":
        app.window.open_document(ids["many_id"])
    settle(app.window)
    peak = peak_rss_mib()
    assert app.session.document.id == ids["many_id"]
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
    """Peak RSS in MiB of one child process of `kind`, on a fresh copy of the library."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    with tempfile.TemporaryDirectory() as copy_name:
        copy = Path(copy_name)
        for name in ("library.db", "large.txt", "ids.json"):
            shutil.copy(folder / name, copy / name)
        done = subprocess.run(
            [sys.executable, str(Path(__file__).resolve()), kind, str(copy)],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
    return float(done.stdout.strip().splitlines()[-1])


def measure(runs: int = RUNS) -> dict[str, float]:
    """Median peak RSS (MiB) of each Claimmark path ("opened", "restarted") and of "bare"."""
    sys.path.insert(0, str(HERE))
    from large_library import build

    with tempfile.TemporaryDirectory() as folder_name:
        folder = Path(folder_name)
        library = build(folder)
        ids = {"many_id": library.many_id, "sample_id": library.sample_id}
        (folder / "ids.json").write_text(json.dumps(ids), encoding="utf-8")
        peaks: dict[str, list[float]] = {kind: [] for kind in KINDS}
        for _ in range(runs):
            for kind in KINDS:
                peaks[kind].append(run_child(kind, folder))
    return {kind: statistics.median(values) for kind, values in peaks.items()}


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] in KINDS:
        library_folder = Path(sys.argv[2])
        if sys.argv[1] == "bare":
            print(child_bare(library_folder))
        else:
            document_ids = json.loads((library_folder / "ids.json").read_text(encoding="utf-8"))
            print(child_app(library_folder, document_ids, sys.argv[1]))
    else:
        medians = measure()
        for kind in KINDS:
            print(f"peak_memory_2mb_10k_{kind:<9} {medians[kind]:.0f} MiB")
