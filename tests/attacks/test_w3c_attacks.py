"""Hostile W3C annotation files: refused in one line with nothing written, or imported whole.

Each file is imported through the real command line onto the sample article. A file that no
library could store (a lone surrogate, an integer Python cannot read) is refused naming the
place in the file; a file whose only fault is a time at the edge of the calendar is imported,
with that time left out and a note saying so; a write that fails half-way leaves the library
exactly as it was, because the whole import is one transaction.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from attack_support import SAMPLE, assert_refused, library_dump, make_library, run_cli

from desktop_app.core.text_normalise import normalise_text
from desktop_app.io.w3c_export import (
    CHECKWORTHINESS_KEY,
    CODEBOOK_KEY,
    DIGEST_PREFIX,
    SPEAKER_KEY,
    TEXT_DIGEST_KEY,
)
from desktop_app.storage.library_store import LibraryStore
from desktop_app.storage.store_base import text_digest

TEXT = normalise_text(SAMPLE.read_text(encoding="utf-8"))
QUOTE = "The focus of their summit"
START = TEXT.index(QUOTE)
# Stands for a JSON escape the test writes into the file text (json.dumps cannot write one).
SURROGATE = "@@SURROGATE@@"


def annotation(number: int, **extra: Any) -> dict[str, Any]:
    """An annotation that places on the sample article, tagged with a new tag."""
    return {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "id": f"urn:example:attack-{number}",
        "type": "Annotation",
        "body": [{"type": "TextualBody", "purpose": "tagging", "value": f"new tag {number}"}],
        "target": {
            "source": "urn:example:sample",
            TEXT_DIGEST_KEY: DIGEST_PREFIX + text_digest(TEXT),
            "selector": [
                {"type": "TextQuoteSelector", "exact": QUOTE},
                {"type": "TextPositionSelector", "start": START, "end": START + len(QUOTE)},
            ],
        },
        **extra,
    }


def collection(items: list[dict[str, Any]], codebook: list[dict[str, Any]] | None = None) -> str:
    document: dict[str, Any] = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "type": "AnnotationCollection",
        "total": len(items),
        "first": {"type": "AnnotationPage", "items": items},
    }
    if codebook is not None:
        document[CODEBOOK_KEY] = codebook
    return json.dumps(document)


def write(tmp_path: Path, text: str, name: str = "attack.json") -> Path:
    path = tmp_path / name
    path.write_text(text.replace(SURROGATE, "\\ud800"), encoding="utf-8")
    return path


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "library.db"
    make_library(path)
    return path


def good_annotation_then(bad: dict[str, Any]) -> list[dict[str, Any]]:
    """A good annotation first, so that a half-done import would leave its tag behind."""
    return [annotation(1), bad]


@pytest.mark.parametrize(
    ("bad", "where"),
    [
        (
            annotation(2, body=[{"type": "TextualBody", "value": f"note {SURROGATE}"}]),
            "first.items[1].body[0].value",
        ),
        (
            annotation(2, body=[{"purpose": "tagging", "value": f"tag{SURROGATE}"}]),
            "first.items[1].body[0].value",
        ),
        (annotation(2, **{SPEAKER_KEY: f"Takaichi {SURROGATE}"}), f"first.items[1].{SPEAKER_KEY}"),
        (annotation(2, id=f"urn:example:{SURROGATE}"), "first.items[1].id"),
        (annotation(2, **{f"x{SURROGATE}": 1}), "a key in first.items[1]"),
    ],
)
def test_a_lone_surrogate_refuses_the_whole_file(
    tmp_path: Path, db: Path, bad: dict[str, Any], where: str
) -> None:
    before = library_dump(db)
    path = write(tmp_path, collection(good_annotation_then(bad)))
    outcome = run_cli("import", path, "--db", db)
    assert_refused(outcome, str(path), "lone surrogate")
    assert where in outcome.err
    assert "\\ud800" in outcome.err
    assert library_dump(db) == before


def test_a_lone_surrogate_in_a_codebook_entry_refuses_the_file(tmp_path: Path, db: Path) -> None:
    before = library_dump(db)
    codebook = [
        {"name": "economy", "colour": "#112233", "position": 0},
        {"name": "energy", "description": f"bad {SURROGATE}", "position": 1},
    ]
    path = write(tmp_path, collection([annotation(1)], codebook))
    outcome = run_cli("import", path, "--db", db)
    assert_refused(outcome, str(path), "lone surrogate")
    assert "claimmark:codebook[1].description" in outcome.err
    assert library_dump(db) == before


@pytest.mark.parametrize(
    "place",
    ["start", "checkworthiness", "elsewhere"],
)
def test_an_integer_of_5000_digits_refuses_the_file(tmp_path: Path, db: Path, place: str) -> None:
    before = library_dump(db)
    huge = "9" * 5000
    bad = annotation(2, **{CHECKWORTHINESS_KEY: 1})
    if place == "start":
        bad["target"]["selector"][1]["start"] = 0  # replaced below
    text = collection(good_annotation_then(bad))
    if place == "start":
        text = text.replace('"start": 0', f'"start": {huge}')
        expected = "first.items[1].target.selector[1].start"
    elif place == "checkworthiness":
        text = text.replace(f'"{CHECKWORTHINESS_KEY}": 1', f'"{CHECKWORTHINESS_KEY}": -{huge}')
        expected = f"first.items[1].{CHECKWORTHINESS_KEY}"
    else:
        text = text.replace('"total": 2', f'"total": {huge}')
        expected = "total"
    path = write(tmp_path, text)
    outcome = run_cli("import", path, "--db", db)
    assert_refused(outcome, str(path), "5,000 digits")
    assert expected in outcome.err
    assert library_dump(db) == before


@pytest.mark.parametrize(
    "moment", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00", "not a time"]
)
def test_a_time_off_the_calendar_is_left_out_and_said(
    tmp_path: Path, db: Path, moment: str
) -> None:
    path = write(tmp_path, collection([annotation(1, created=moment, modified=moment)]))
    outcome = run_cli("import", path, "--db", db)
    assert outcome.code == 0, outcome.err
    assert "1 annotation placed" in outcome.out
    assert "2 times not usable" in outcome.out
    store = LibraryStore.open(db)
    try:
        (placed,) = store.annotations(1)
    finally:
        store.close()
    assert placed.exact == QUOTE
    assert placed.created.year >= 2026 and placed.updated == placed.created


def test_a_write_failing_half_way_leaves_the_library_as_it_was(
    tmp_path: Path, db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The tags are added before the annotations: a failure then must take them back too."""
    before = library_dump(db)

    def failing(self: LibraryStore, items: object) -> list[int]:
        raise OSError("disk full")

    monkeypatch.setattr(LibraryStore, "add_annotations", failing)
    codebook = [{"name": "economy", "position": 0}]
    path = write(tmp_path, collection([annotation(1), annotation(2)], codebook))
    outcome = run_cli("import", path, "--db", db)
    assert outcome.code == 1
    assert "disk full" in outcome.err
    assert library_dump(db) == before


def test_many_new_tags_are_summed_up_on_a_short_line(tmp_path: Path, db: Path) -> None:
    codebook = [{"name": f"code {n}", "position": n} for n in range(300)]
    path = write(tmp_path, collection([annotation(1)], codebook))
    outcome = run_cli("import", path, "--db", db)
    assert outcome.code == 0, outcome.err
    (summary,) = outcome.out.splitlines()
    assert summary.endswith("new tags: code 0, code 1, code 2 and 298 more")  # + "new tag 1"
    assert len(summary) < 200


def test_an_unmatched_document_is_refused_on_one_short_line(tmp_path: Path, db: Path) -> None:
    before = library_dump(db)
    item = annotation(1)
    item["target"] = {
        "source": "urn:example:\n" + "x" * 100_000,
        "selector": {"type": "TextQuoteSelector", "exact": "nowhere"},
    }
    path = write(tmp_path, collection([item]))
    outcome = run_cli("import", path, "--db", db)
    assert_refused(outcome, str(path), "no document in the library matches")
    assert library_dump(db) == before


@pytest.mark.parametrize("value", [{"a": 1}, [1, 2], 5, None])
def test_document_entries_of_any_shape_do_not_break_the_import(
    tmp_path: Path, db: Path, value: object
) -> None:
    item = annotation(1)
    del item["target"][TEXT_DIGEST_KEY]
    document = json.loads(collection([item]))
    document["claimmark:documents"] = [
        {"source": "urn:example:sample", "sha256": value, "title": value},
        {"source": "urn:example:sample", "sha256": text_digest(TEXT), "title": value},
    ]
    path = write(tmp_path, json.dumps(document))
    outcome = run_cli("import", path, "--db", db)
    assert outcome.code == 1
    assert "Traceback" not in outcome.err and "unexpected" not in outcome.err
    assert len(outcome.err_lines) == 1
