"""Benchmark: the Analysis view's library count (and `desktop-app stats`) on 1,000 articles.

Not a pytest test: `make bench` runs it through run_benchmarks.py, on the same library as the
search benchmark (1,000 variants of the sample article, 10,000 annotations). The count runs on a
worker thread in the window; this is how long "Counting the whole library…" shows.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import search_bench

from desktop_app.storage.library_analysis import analyse_store


def measure() -> float:
    """Seconds to count the whole library once (the first count of a process, as in the app)."""
    with tempfile.TemporaryDirectory() as folder:
        store = search_bench.build_library(Path(folder))
        try:
            started = time.perf_counter()
            analyse_store(store)
            return time.perf_counter() - started
        finally:
            store.close()


if __name__ == "__main__":
    print(f"analysis_library_1000 {measure():.2f} s")
