"""`desktop-app stats` on a real library, against numbers worked out by hand.

The library (default codebook trade, security, coalition, plus `tariffs` under `trade`):

- article 1, version 1 (2026-03-12): the sample (20 sentences, one per line) with trade on
  line 2, coalition across lines 5-6, and security on line 9 left needing review;
- article 1, version 2 (2026-03-14): the sample plus line 21 "The summit ended early.", with
  trade+security on line 12, tariffs on line 13 and security on line 21;
- article 2 (no date): "Tariffs rose again." / "The coalition held.", with tariffs on the first
  line and coalition on the second.

The library's numbers count version 2 and article 2 (the latest version of each article):
23 sentences, 5 annotations, 5 tagged sentences.
"""

from __future__ import annotations

import csv
import io
import json
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest

from desktop_app.cli import run_command
from desktop_app.core.anchors import anchor_for
from desktop_app.core.codebook import TagSpec
from desktop_app.storage.library_setup import prepare_library
from desktop_app.storage.library_store import LibraryStore, NewAnnotation

TITLE = "Takaichi faces her first big test as Trump arrives in Tokyo"


def line_span(text: str, line: int) -> tuple[int, int]:
    lines = text.split("\n")
    start = sum(len(earlier) + 1 for earlier in lines[: line - 1])
    return start, start + len(lines[line - 1])


def phrase(text: str, words: str) -> tuple[int, int]:
    assert text.count(words) == 1, words
    start = text.find(words)
    return start, start + len(words)


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run_command(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def library(tmp_path: Path, sample_text: str) -> tuple[Path, int, int]:
    """The library described above; returns its path and the ids of versions 1 and 2."""
    path = tmp_path / "library.db"
    store = LibraryStore.open(path)
    prepare_library(store)
    tags = {t.name: t.id for t in store.tags()}
    trade, security, coalition = tags["trade"], tags["security"], tags["coalition"]
    tariffs = store.add_tag(TagSpec("tariffs", "#cc79a7"), parent_id=trade).id

    first = store.add_document(TITLE, "sample", sample_text, published="2026-03-12")
    assert first.text == sample_text
    store.create_annotation(
        first.id, anchor_for(sample_text, *phrase(sample_text, "center on trade")), [trade]
    )
    span = (phrase(sample_text, "having formed")[0], phrase(sample_text, "approve laws")[1])
    store.create_annotation(first.id, anchor_for(sample_text, *span), [coalition])
    now = datetime(2026, 3, 12, tzinfo=UTC)
    store.add_annotations(
        [
            NewAnnotation(
                first.id,
                str(uuid.uuid4()),
                anchor_for(sample_text, *line_span(sample_text, 9)),
                (security,),
                "",
                now,
                now,
                anchor_status="needs_review",
            )
        ]
    )

    text = sample_text + "\nThe summit ended early."
    second = store.add_document(TITLE, "sample", text, published="2026-03-14", version_of=first.id)
    store.create_annotation(second.id, anchor_for(text, *line_span(text, 12)), [trade, security])
    store.create_annotation(
        second.id, anchor_for(text, *phrase(text, "duty adjustments")), [tariffs]
    )
    store.create_annotation(second.id, anchor_for(text, *line_span(text, 21)), [security])

    other_text = "Tariffs rose again.\nThe coalition held."
    other = store.add_document("Tariffs", "other", other_text)
    store.create_annotation(other.id, anchor_for(other_text, 0, 19), [tariffs])
    store.create_annotation(
        other.id, anchor_for(other_text, *phrase(other_text, "coalition")), [coalition]
    )
    store.close()
    return path, first.id, second.id


def csv_sections(text: str) -> list[list[list[str]]]:
    """The CSV's tables, split at its blank lines."""
    sections: list[list[list[str]]] = [[]]
    for row in csv.reader(io.StringIO(text, newline="")):
        if row:
            sections[-1].append(row)
        else:
            sections.append([])
    return sections


def test_library_stats_as_csv(library: tuple[Path, int, int]) -> None:
    path, _first, _second = library
    code, out, err = run("stats", "--db", str(path), "--format", "csv")
    assert (code, err) == (0, "")
    assert "\r\n" in out
    per_tag, pairs, over_time = csv_sections(out)
    assert per_tag == [
        ["tag", "parent", "annotations", "sentences", "coverage"],
        # version 2 lines 12 and 13 (tariffs rolls up) + article 2 line 1: 3 of 23 sentences
        ["trade", "", "3", "3", "0.1304"],
        ["tariffs", "trade", "2", "2", "0.0870"],  # line 13, article 2 line 1 (under trade)
        ["security", "", "2", "2", "0.0870"],  # lines 12 and 21
        ["coalition", "", "1", "1", "0.0435"],  # article 2 line 2 (version 1 is not counted)
    ]
    assert pairs == [
        ["tag_a", "tag_b", "sentences"],
        ["trade", "tariffs", "2"],  # line 13, article 2 line 1
        ["trade", "security", "1"],  # line 12
    ]
    assert over_time == [
        ["period", "tag", "annotations"],
        ["2026-03", "trade", "2"],
        ["2026-03", "tariffs", "1"],
        ["2026-03", "security", "2"],
        ["2026-03", "coalition", "0"],
        ["undated", "trade", "1"],
        ["undated", "tariffs", "1"],
        ["undated", "security", "0"],
        ["undated", "coalition", "1"],
    ]


def test_library_stats_as_json(library: tuple[Path, int, int]) -> None:
    path, _first, _second = library
    code, out, err = run("stats", "--db", str(path), "--format", "json")
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert {k: data[k] for k in ("title", "documents", "sentences", "annotations")} == {
        "title": "Library (2 articles)",
        "documents": 2,
        "sentences": 23,
        "annotations": 5,
    }
    assert data["tagged_sentences"] == 5
    assert data["rollup"] is True
    assert list(data["tags"]) == ["trade", "tariffs", "security", "coalition"]
    trade_id = data["tags"]["trade"]["id"]
    assert data["tags"]["tariffs"] == {
        "id": data["tags"]["tariffs"]["id"],
        "parent": "trade",
        "parent_id": trade_id,
        "colour": "#cc79a7",
        "annotations": 2,
        "sentences": 2,
        "coverage": 0.087,
    }
    assert {name: (t["annotations"], t["sentences"]) for name, t in data["tags"].items()} == {
        "trade": (3, 3),
        "security": (2, 2),
        "coalition": (1, 1),
        "tariffs": (2, 2),
    }
    assert [(p["tag_a"], p["tag_b"], p["sentences"]) for p in data["cooccurrence"]] == [
        ("trade", "tariffs", 2),
        ("trade", "security", 1),
    ]
    assert data["cooccurrence"][0]["tag_a_id"] == trade_id
    assert data["over_time"] == {
        "2026-03": {"trade": 2, "security": 2, "coalition": 0, "tariffs": 1},
        "undated": {"trade": 1, "security": 0, "coalition": 1, "tariffs": 1},
    }


def test_one_document_stats(library: tuple[Path, int, int]) -> None:
    """Version 1 alone: trade on line 2, coalition on lines 5 and 6; the review is ignored."""
    path, first, _second = library
    code, out, err = run("stats", "--db", str(path), "--document", str(first), "--format", "json")
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert (data["title"], data["documents"], data["sentences"]) == (TITLE, 1, 20)
    assert (data["annotations"], data["tagged_sentences"]) == (2, 3)
    assert {
        name: (t["annotations"], t["sentences"], t["coverage"]) for name, t in data["tags"].items()
    } == {
        "trade": (1, 1, 0.05),
        "security": (0, 0, 0.0),
        "coalition": (1, 2, 0.1),
        "tariffs": (0, 0, 0.0),
    }
    assert data["cooccurrence"] == []
    assert data["over_time"] == {
        "2026-03": {"trade": 1, "security": 0, "coalition": 1, "tariffs": 0}
    }


def test_csv_is_the_default_format(library: tuple[Path, int, int]) -> None:
    path, first, _second = library
    code, out, _err = run("stats", "--db", str(path), "--document", str(first))
    assert code == 0
    assert out.startswith("tag,parent,annotations,sentences,coverage\r\n")


def test_unknown_document_is_one_line_and_exit_1(library: tuple[Path, int, int]) -> None:
    path, _first, _second = library
    code, out, err = run("stats", "--db", str(path), "--document", "999", "--format", "csv")
    assert code == 1
    assert out == ""
    assert err.count("\n") == 1
    assert "999" in err
