"""Benchmark: full-text search over a library of 1,000 articles with 10,000 annotations.

Not a pytest test: `make bench` runs it through run_benchmarks.py. The articles are numbered
copies of the sample article with words swapped from a small vocabulary, so that each query has
a different number of hits (every article, a quarter, two fifths, three); six of them carry a
Japanese paragraph for the substring scan. Each query is timed as the median of 20 runs.
"""

from __future__ import annotations

import random
import statistics
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

from desktop_app.core.anchors import anchor_for
from desktop_app.resources import sample_article
from desktop_app.storage.annotation_queries import NewAnnotation
from desktop_app.storage.library_setup import prepare_library
from desktop_app.storage.library_store import LibraryStore

ARTICLES = 1_000
ANNOTATIONS_EACH = 10
RUNS = 20
NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
JAPANESE = "高市首相は東京でトランプ前大統領と会談し、貿易と安全保障について協議した。"
NOTES = ("Check the figure against the ministry's statement.", "Who said this first?", "")
QUERIES = {
    "common_word": "tokyo",  # every article and many annotations
    "rare_word": "zeppelin",  # three articles
    "two_words": "laos ceasefire",  # a quarter of the articles
    "accented": "café",  # two fifths of the articles, as café or Café
    "prefix": "taka*",  # Takaichi, every article
    "tag_name": "coalition",  # a tag name, and a word of every article
    "cjk": "会談",  # six articles open with a Japanese paragraph
}


def article(number: int, rng: random.Random) -> tuple[str, str]:
    """The title and text of the `number`th variant of the sample article."""
    title, _source, body = sample_article()
    body = body.replace("around the world.", f"around the world ({number}).")
    body = body.replace("summit", rng.choice(("summit", "meeting", "forum", "café", "Café")))
    body = body.replace("Thailand", rng.choice(("Thailand", "Vietnam", "Laos", "Malaysia")))
    if number % 331 == 7:
        body = body.replace("soybeans", "zeppelin parts")
    if number % 199 == 3:
        body = f"{JAPANESE}\n{body}"
    return f"{title} ({number})", body


def build_library(folder: Path) -> LibraryStore:
    """1,000 articles with ten annotations each (some with notes), in a library file."""
    store = LibraryStore.open(folder / "library.db")
    prepare_library(store)
    tag_ids = [tag.id for tag in store.tags()]
    rng = random.Random(11)
    items = []
    for number in range(ARTICLES):
        title, text = article(number, rng)
        document = store.add_document(title, f"article_{number}.txt", text)
        starts = [0, *(i + 1 for i, c in enumerate(text) if c == "\n")]
        for line in rng.sample(range(len(starts) - 1), ANNOTATIONS_EACH):
            start, end = starts[line], starts[line + 1] - 1
            items.append(
                NewAnnotation(
                    document_id=document.id,
                    uuid=str(uuid.UUID(int=len(items) + 1)),
                    anchor=anchor_for(text, start, end),
                    tag_ids=(rng.choice(tag_ids),),
                    note=rng.choice(NOTES),
                    created=NOW,
                    updated=NOW,
                )
            )
    store.add_annotations(items)
    return store


def median_ms(store: LibraryStore, query: str) -> float:
    """Median milliseconds of `RUNS` searches for `query`."""
    timings = []
    for _ in range(RUNS):
        began = time.perf_counter()
        store.search(query)
        timings.append((time.perf_counter() - began) * 1000)
    return statistics.median(timings)


def measure() -> dict[str, float]:
    """Median milliseconds per query over the 1,000-article library."""
    with tempfile.TemporaryDirectory() as folder:
        store = build_library(Path(folder))
        try:
            store.search("warm up")  # the folding table is built once per process
            return {name: median_ms(store, query) for name, query in QUERIES.items()}
        finally:
            store.close()


if __name__ == "__main__":
    for name, ms in measure().items():
        print(f"search_1000_{name:<12} {ms:6.1f} ms")
