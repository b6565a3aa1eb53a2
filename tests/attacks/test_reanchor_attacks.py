"""A W3C file whose quotes are 20 KB long is imported in seconds, not minutes.

The attack: annotations whose `exact` is a mangled copy of a long stretch of an article (or
matches nothing), so that the fuzzy search compares 20,000 characters with every window of a
long text. The import must come back (loosely timed: speed targets belong to the benchmarks),
place what it legitimately finds, and report the rest as not placed, without a traceback.
"""

from __future__ import annotations

import json
import random
import time
from pathlib import Path
from typing import Any

import pytest
from attack_support import SAMPLE, run_cli

from desktop_app.io.w3c_export import DIGEST_PREFIX, TEXT_DIGEST_KEY
from desktop_app.storage.store_base import text_digest

ARTICLE_CHARS = 250_000
QUOTE_CHARS = 20_000
QUOTE_AT = 100_000
SECONDS = 10.0


def write_article(path: Path) -> None:
    """250 KB of paragraphs in the sample article's words, drawn at random (no long repeats)."""
    rng = random.Random(11)
    vocabulary = sorted(set(SAMPLE.read_text(encoding="utf-8").split()))
    paragraphs: list[str] = []
    while sum(len(p) + 1 for p in paragraphs) < ARTICLE_CHARS:
        words = [rng.choice(vocabulary) for _ in range(rng.randint(40, 120))]
        paragraphs.append(" ".join(words).capitalize().rstrip(".,") + ".")
    path.write_text("\n\n".join(paragraphs) + "\n", encoding="utf-8")


def mangled(text: str) -> str:
    """`text` with one word in twelve replaced by another of its words."""
    rng = random.Random(12)
    words = text.split(" ")
    for index in rng.sample(range(len(words)), len(words) // 12):
        words[index] = rng.choice(words)
    return " ".join(words)


def annotation(
    number: int, text: str, exact: str, *, at: int | None = None, context: bool = False
) -> dict[str, Any]:
    """A W3C annotation on the article (found by its digest), with or without a position."""
    selectors: list[dict[str, Any]] = [{"type": "TextQuoteSelector", "exact": exact}]
    if context and at is not None:
        selectors[0]["prefix"] = text[at - 32 : at]
        selectors[0]["suffix"] = text[at + QUOTE_CHARS : at + QUOTE_CHARS + 32]
    if at is not None:
        selectors.append({"type": "TextPositionSelector", "start": at, "end": at + len(exact)})
    return {
        "id": f"urn:example:long-{number}",
        "type": "Annotation",
        "body": [{"type": "TextualBody", "value": "Important", "purpose": "tagging"}],
        "target": {
            "source": "urn:example:long-article",
            TEXT_DIGEST_KEY: DIGEST_PREFIX + text_digest(text),
            "selector": selectors,
        },
    }


@pytest.fixture
def library(tmp_path: Path) -> tuple[Path, str]:
    """A library holding the long article; returns the library and the article's stored text."""
    source = tmp_path / "long-article.txt"
    write_article(source)
    db = tmp_path / "library.db"
    imported = run_cli("import", source, "--db", db)
    assert imported.code == 0, imported.err
    shown = run_cli("show", "1", "--json", "--db", db)
    assert shown.code == 0, shown.err
    return db, json.loads(shown.out)["text"]


def import_annotations(tmp_path: Path, db: Path, items: list[dict[str, Any]], *extra: str) -> Any:
    page = tmp_path / "long-quotes.jsonld"
    page.write_text(json.dumps({"type": "AnnotationPage", "items": items}), encoding="utf-8")
    began = time.perf_counter()
    outcome = run_cli("import", page, "--db", db, *extra)
    return outcome, time.perf_counter() - began


def test_long_quotes_are_placed_or_reported_not_placed_in_seconds(
    tmp_path: Path, library: tuple[Path, str]
) -> None:
    db, text = library
    copy = mangled(text[QUOTE_AT : QUOTE_AT + QUOTE_CHARS])
    nothing = ("zqx vvkj qwpz xjjq " * (QUOTE_CHARS // 19 + 1))[:QUOTE_CHARS]
    items = [
        # Its position and context say where it is: found there, on the article's own words.
        annotation(1, text, copy, at=QUOTE_AT, context=True),
        # No position: the search near the start of the text finds nothing like it.
        annotation(2, text, copy),
        annotation(3, text, nothing, at=QUOTE_AT),
    ]

    outcome, seconds = import_annotations(tmp_path, db, items)

    assert seconds < SECONDS
    assert outcome.code == 0, outcome.err
    assert "Traceback" not in outcome.err
    assert "1 annotation placed, 2 not placed" in outcome.out
    notes = [line for line in outcome.out.splitlines() if "not placed:" in line]
    assert [n.split("not placed: ")[1].split(" ")[0] for n in notes] == [
        "urn:example:long-2",
        "urn:example:long-3",
    ]
    assert all("too long" in note for note in notes), notes  # the bound is given as the reason
    exported = run_cli("export", "--document", "1", "--format", "json", "-o", "-", "--db", db)
    (placed,) = json.loads(exported.out)["first"]["items"]
    position = next(s for s in placed["target"]["selector"] if s["type"] == "TextPositionSelector")
    # On the article's own words, where its position and context said.
    assert (position["start"], position["end"]) == (QUOTE_AT, QUOTE_AT + QUOTE_CHARS)


def test_a_long_quote_onto_a_named_document_ends_not_placed(
    tmp_path: Path, library: tuple[Path, str]
) -> None:
    db, text = library
    item = annotation(4, text, mangled(text[QUOTE_AT : QUOTE_AT + QUOTE_CHARS]))
    del item["target"][TEXT_DIGEST_KEY]

    outcome, seconds = import_annotations(tmp_path, db, [item], "--document", "1")

    assert seconds < SECONDS
    assert outcome.code == 0, outcome.err
    assert "0 annotations placed, 1 not placed" in outcome.out
    assert "urn:example:long-4" in outcome.out
