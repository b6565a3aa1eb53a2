"""Benchmark: exporting 10,000 annotations on a 2 MB article, in every format.

Not a pytest test: `make bench` runs it through run_benchmarks.py. The bundle is built once
(reading the library is not the exporter's cost); each format renders it, best of three.
"""

from __future__ import annotations

import random
import sys
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

from desktop_app.core.records import AnnotationRecord, DocumentRecord, TagRecord
from desktop_app.io.export_bundle import ExportBundle
from desktop_app.io.exports import FORMATS, ExportOptions

sys.path.insert(0, str(Path(__file__).resolve().parent))
from import_bench import SAMPLE, TARGET_BYTES

NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
ANNOTATIONS = 10_000
TAGS = (
    TagRecord(1, "trade", "#e69f00", 0),
    TagRecord(2, "security", "#0072b2", 1),
    TagRecord(3, "coalition", "#009e73", 2),
)


def build_bundle() -> ExportBundle:
    """A 2 MB article with 10,000 annotations on its sentences, some overlapping, some noted."""
    sample = SAMPLE.read_text(encoding="utf-8")
    copies = []
    size = number = 0
    while size < TARGET_BYTES:
        copies.append(sample.replace("around the world.", f"around the world ({number})."))
        size += len(copies[-1]) + 1
        number += 1
    text = "\n".join(copies)
    rng = random.Random(7)
    starts = [0]
    starts.extend(i + 1 for i, c in enumerate(text) if c == "\n")
    annotations = []
    for number in range(ANNOTATIONS):
        line = rng.randrange(len(starts) - 1)
        start, end = starts[line], starts[line + 1] - 1
        if number % 3 == 0:  # a part of the sentence, overlapping others
            end = start + max(1, (end - start) // 2)
        annotations.append(
            AnnotationRecord(
                id=number + 1,
                uuid=str(uuid.UUID(int=number + 1)),
                document_id=1,
                start=start,
                end=end,
                exact=text[start:end],
                prefix=text[max(0, start - 32) : start],
                suffix=text[end : end + 32],
                note="Check the figure against the ministry's statement." if number % 4 else "",
                tag_ids=(1 + number % 3,) if number % 5 else (1, 2),
                created=NOW,
                updated=NOW,
            )
        )
    annotations.sort(key=lambda a: (a.start, a.end, a.id))
    document = DocumentRecord(1, "Long article", "long.txt", text, NOW)
    return ExportBundle((document,), {1: tuple(annotations)}, TAGS, NOW)


def measure() -> dict[str, float]:
    """Seconds per format (best of three) for the 10,000-annotation bundle."""
    bundle = build_bundle()
    timings = {}
    for name, export_format in FORMATS.items():
        best = float("inf")
        for _ in range(3):
            began = time.perf_counter()
            export_format.render(bundle, ExportOptions())
            best = min(best, time.perf_counter() - began)
        timings[name] = best
    return timings


if __name__ == "__main__":
    for name, seconds in measure().items():
        print(f"export_10k_{name:<10} {seconds:.3f}s")
