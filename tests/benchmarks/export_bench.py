"""Benchmark: exporting 10,000 annotations on a 2 MB article, in every format, end to end.

Not a pytest test: `make bench` runs it through run_benchmarks.py. Each figure is what the
command line pays: `exports.render(store, format, ids)` on a real library file, which reads the
article, its annotations and the codebook and then renders them. The library is built once, in
a temporary folder, so that it looks like one a user has worked in: a nested codebook, notes
that differ and mostly use Markdown (emphasis, links, lists), a few claim fields, and passages
that overlap. Each format's figure is the median of three runs.
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from desktop_app.core.anchors import anchor_for
from desktop_app.core.codebook import TagSpec
from desktop_app.io.exports import FORMATS, render
from desktop_app.storage.annotation_queries import NewAnnotation
from desktop_app.storage.library_setup import prepare_library
from desktop_app.storage.library_store import LibraryStore

sys.path.insert(0, str(Path(__file__).resolve().parent))
from large_library import large_text

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
ANNOTATIONS = 10_000
RUNS = 3
# (name, colour, parent name): two levels of nesting under the default codebook.
NESTED_TAGS = (
    ("tariffs", "#cc79a7", "trade"),
    ("exports", "#d55e00", "trade"),
    ("steel", "#56b4e9", "tariffs"),
    ("nato", "#f0e442", "security"),
    ("majority", "#882255", "coalition"),
)
SPEAKERS = ("Ana Ruiz", "Tomás Weber", "Mei Lin", "")
STANCES = ("supports", "refutes", "neutral", "")


def note_for(number: int, rng: random.Random) -> str:
    """A note like a reader writes: a quarter empty, some plain, most with some Markdown."""
    figure = rng.randrange(1, 99)
    kind = number % 8
    if kind in (0, 4):
        return ""
    if kind == 1:
        return f"Check the figure ({figure}%) against the ministry's statement."
    if kind == 2:
        return (
            f"Is *this* the {figure}% the minister quoted? See the "
            f"[report](https://example.org/reports/{number}) and **compare** the baseline."
        )
    if kind == 3:
        return (
            f"Open questions on claim {number}:\n\n"
            f"- who said {figure}% first\n- the [source](https://example.org/s/{figure})\n"
            "- _when_ it was said"
        )
    if kind == 5:
        return f"Contradicts the `{figure}%` figure in paragraph {number % 40}; ask the desk."
    if kind == 6:
        return (
            f"1. Find the original release\n2. Compare with *last year's* {figure}%\n\n"
            f"> quoted in {number % 12} outlets"
        )
    return f"Follow up with the press office (ticket {number}) before publishing."


def build_library(folder: Path) -> tuple[Path, int]:
    """A library file in `folder` with the 2 MB article and its 10,000 annotations."""
    text = large_text()
    database = folder / "library.db"
    store = LibraryStore.open(database)
    try:
        prepare_library(store)
        by_name = {tag.name: tag.id for tag in store.tags()}
        for name, colour, parent in NESTED_TAGS:
            spec = TagSpec(name, colour, f"Claims about {name}.")
            by_name[name] = store.add_tag(spec, parent_id=by_name[parent]).id
        tag_ids = list(by_name.values())
        document_id = store.add_document("Long article", "long.txt", text).id
        rng = random.Random(7)
        starts = [0, *(i + 1 for i, c in enumerate(text) if c == "\n")]
        items: list[NewAnnotation] = []
        while len(items) < ANNOTATIONS:
            number = len(items)
            line = rng.randrange(len(starts) - 1)
            start, end = starts[line], starts[line + 1] - 1
            if end - start < 4:
                continue  # an empty or very short line
            if number % 3 == 0:  # a part of the sentence, overlapping others
                end = start + max(1, (end - start) // 2)
            elif number % 3 == 1:  # from mid-sentence on, overlapping the part above
                start += (end - start) // 3
            tags = rng.sample(tag_ids, 1 + (number % 5 == 0) + (number % 11 == 0))
            items.append(
                NewAnnotation(
                    document_id=document_id,
                    uuid=str(uuid.UUID(int=number + 1)),
                    anchor=anchor_for(text, start, end),
                    tag_ids=tuple(tags),
                    note=note_for(number, rng),
                    created=NOW,
                    updated=NOW,
                    stance=STANCES[number % len(STANCES)] if number % 7 == 0 else "",
                    speaker=SPEAKERS[number % len(SPEAKERS)] if number % 9 == 0 else "",
                    checkworthiness=1 + number % 5 if number % 6 == 0 else None,
                )
            )
        store.add_annotations(items)
    finally:
        store.close()
    return database, document_id


def _forget_rendered_notes() -> None:
    """Empty the exporters' caches of rendered notes, so each run pays for every note as a
    single export from the command line does (a warm cache made runs 2 and 3 look 0.3 s
    faster)."""
    from desktop_app.io import html_export

    html_export._rendered_note.cache_clear()


def median_seconds(action: Callable[[], object], runs: int = RUNS) -> float:
    """The median wall time of `runs` calls of `action`, each with cold note caches."""
    times = []
    for _ in range(runs):
        _forget_rendered_notes()
        began = time.perf_counter()
        action()
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def measure() -> dict[str, float]:
    """Seconds per format (median of three), reading the library included."""
    timings = {}
    with tempfile.TemporaryDirectory() as folder_name:
        database, document_id = build_library(Path(folder_name))
        store = LibraryStore.open(database)
        try:
            for name in FORMATS:
                timings[name] = median_seconds(
                    lambda name=name: render(store, name, [document_id], now=NOW)  # type: ignore[misc]
                )
        finally:
            store.close()
    return timings


if __name__ == "__main__":
    for name, seconds in measure().items():
        print(f"export_10k_{name:<10} {seconds:.3f}s")
