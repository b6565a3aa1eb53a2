"""Benchmark: importing a 2 MB plain-text article into a library (read, decode, store).

Not a pytest test: `make bench` runs it through run_benchmarks.py. The floor is the time to
read the file and write its text to SQLite with the standard library, measured in the same run.
"""

from __future__ import annotations

import sqlite3
import tempfile
import time
from pathlib import Path

from desktop_app.io.import_service import DocumentImported, ImportService
from desktop_app.storage.library_store import LibraryStore

SAMPLE = Path(__file__).resolve().parents[2] / "resources" / "sample-article.txt"
TARGET_BYTES = 2_000_000


def make_article(folder: Path) -> Path:
    """A ~2 MB UTF-8 article: the sample repeated, each copy numbered so lines differ."""
    sample = SAMPLE.read_text(encoding="utf-8")
    parts = []
    size = 0
    number = 0
    while size < TARGET_BYTES:
        copy = sample.replace("around the world.", f"around the world ({number}).")
        parts.append(copy)
        size += len(copy.encode("utf-8")) + 1
        number += 1
    path = folder / "long_article.txt"
    path.write_text("\n".join(parts), encoding="utf-8")
    return path


def floor_seconds(path: Path, folder: Path) -> float:
    """Read the bytes, decode them and insert them with sqlite3: the least an import costs."""
    folder.mkdir(exist_ok=True)
    database = folder / "floor.db"
    began = time.perf_counter()
    text = path.read_bytes().decode("utf-8")
    connection = sqlite3.connect(database)
    connection.execute("CREATE TABLE t (text TEXT)")
    connection.execute("INSERT INTO t VALUES (?)", (text,))
    connection.commit()
    connection.close()
    return time.perf_counter() - began


def measure() -> tuple[float, float]:
    """Best of three (seconds) for a full import into a fresh library, and the floor."""
    best = floor = float("inf")
    with tempfile.TemporaryDirectory() as folder_name:
        folder = Path(folder_name)
        article = make_article(folder)
        for attempt in range(3):
            store = LibraryStore.open(folder / f"library{attempt}.db")
            began = time.perf_counter()
            # As the window imports: the command line also looks for an earlier version.
            outcome = ImportService(store, hint_versions=False).import_path(article)
            best = min(best, time.perf_counter() - began)
            store.close()
            assert isinstance(outcome, DocumentImported), outcome
            floor = min(floor, floor_seconds(article, folder / f"f{attempt}"))
    return best, floor


if __name__ == "__main__":
    seconds, base = measure()
    print(f"import_2mb_text  {seconds:.3f}s  (floor {base:.3f}s)")
