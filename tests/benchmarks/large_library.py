"""The library the window benchmarks open: a 2 MB article with 10,000 annotations.

Shared by open_bench, tagging_bench and memory_bench so that they measure the same thing.
The library holds the sample article (opened first, so that opening the large one is a real
switch), the 2 MB article with 10,000 annotations, and the same 2 MB text with 10 annotations
(the baseline of the tagging benchmark: same text, same layout, only the annotation count
differs). The text is the sample repeated with each copy numbered, as in the export benchmark.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from desktop_app.core.anchors import anchor_for
from desktop_app.resources import sample_article
from desktop_app.storage.annotation_queries import NewAnnotation
from desktop_app.storage.library_setup import prepare_library
from desktop_app.storage.library_store import LAST_DOCUMENT_KEY, LibraryStore

TARGET_CHARS = 2_000_000
MANY = 10_000
FEW = 10
NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)


@dataclass(frozen=True)
class LargeLibrary:
    """Where the benchmark library is and which of its documents is which."""

    database: Path
    text_file: Path
    sample_id: int
    many_id: int
    few_id: int


def large_text() -> str:
    """About 2 MB: the sample article repeated, its closing line numbered per copy."""
    _title, _source, sample = sample_article()
    copies = []
    size = number = 0
    while size < TARGET_CHARS:
        copies.append(sample.replace("around the world.", f"around the world ({number})."))
        size += len(copies[-1]) + 1
        number += 1
    return "\n".join(copies)


def annotations_on(
    text: str, document_id: int, count: int, tag_ids: list[int], seed: int
) -> list[NewAnnotation]:
    """`count` annotations on random lines; a third cover half a line, overlapping others."""
    rng = random.Random(seed)
    starts = [0, *(i + 1 for i, c in enumerate(text) if c == "\n")]
    items = []
    for number in range(count):
        line = rng.randrange(len(starts) - 1)
        start, end = starts[line], starts[line + 1] - 1
        if end <= start:
            continue  # an empty line
        if number % 3 == 0:
            end = start + max(1, (end - start) // 2)
        tags = (tag_ids[number % len(tag_ids)],) if number % 5 else tuple(tag_ids[:2])
        items.append(
            NewAnnotation(
                document_id=document_id,
                uuid=str(uuid.UUID(int=seed * 1_000_000 + number + 1)),
                anchor=anchor_for(text, start, end),
                tag_ids=tags,
                note="Check the figure against the ministry's statement." if number % 4 else "",
                created=NOW,
                updated=NOW,
            )
        )
    return items


def build(folder: Path) -> LargeLibrary:
    """Create the library in `folder` (library.db) and the bare text (large.txt) beside it."""
    text = large_text()
    text_file = folder / "large.txt"
    text_file.write_text(text, encoding="utf-8")
    database = folder / "library.db"
    store = LibraryStore.open(database)
    try:
        prepare_library(store)
        tag_ids = [tag.id for tag in store.tags()]
        title, source, sample = sample_article()
        sample_id = store.add_document(title, source, sample).id
        many_id = store.add_document("Long article", "long.txt", text).id
        few_id = store.add_document("Long article, few notes", "long_few.txt", text).id
        store.add_annotations(annotations_on(text, many_id, MANY, tag_ids, seed=7))
        store.add_annotations(annotations_on(text, few_id, FEW, tag_ids, seed=8))
        store.set_setting(LAST_DOCUMENT_KEY, str(sample_id))
    finally:
        store.close()
    return LargeLibrary(database, text_file, sample_id, many_id, few_id)
