"""The W3C export passes the standard's own MUST tests and says exactly what the library holds.

The library is real (SQLite in tmp_path, filled by export_samples) and every check reads the
exported JSON back: the validator from tests/data/standards runs on the written file as a
separate process, as a user would run it.
"""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from export_samples import (
    CLAIMS,
    EXPORTED_AT,
    HOSTILE_SPEAKERS,
    HOSTILE_STRINGS,
    HOSTILE_TAG,
    NESTED_TAG,
    PARENT_TAG,
    UNDER_REVIEW,
    make_library,
    sample_bundle,
    sample_texts,
)

from desktop_app.core.records import (
    ANCHOR_NEEDS_REVIEW,
    AnnotationRecord,
    DocumentRecord,
    TagRecord,
)
from desktop_app.io.export_bundle import ExportBundle
from desktop_app.io.w3c_export import (
    ANNO_CONTEXT,
    CLAIMMARK_NS,
    export_w3c,
    target_source,
)
from desktop_app.storage.library_store import LibraryStore, text_digest

VALIDATOR = Path(__file__).resolve().parents[1] / "data" / "standards" / "validate_w3c.py"


@pytest.fixture
def library(store: LibraryStore) -> list[int]:
    """The sample documents and annotations in the test's library."""
    return make_library(store)


def validate(path: Path) -> subprocess.CompletedProcess[str]:
    """Run validate_w3c.py on `path` as its own process."""
    return subprocess.run(
        [sys.executable, str(VALIDATOR), str(path)],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


def items_of(collection: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The annotations of every embedded page, in order."""
    page = collection.get("first")
    while page is not None:
        yield from page["items"]
        page = page.get("next")


def records_by_urn(bundle: ExportBundle) -> dict[str, tuple[DocumentRecord, AnnotationRecord]]:
    return {
        f"urn:uuid:{a.uuid}": (d, a) for d in bundle.documents for a in bundle.annotations_of(d.id)
    }


def selector(annotation: dict[str, Any], kind: str) -> dict[str, Any]:
    found = [s for s in annotation["target"]["selector"] if s["type"] == kind]
    assert len(found) == 1
    return found[0]


def bodies(annotation: dict[str, Any], purpose: str) -> list[dict[str, Any]]:
    return [b for b in annotation.get("body", []) if b["purpose"] == purpose]


# ---- the standard ---------------------------------------------------------------------------


def test_export_passes_the_w3c_validator(
    store: LibraryStore, library: list[int], tmp_path: Path
) -> None:
    bundle = sample_bundle(store)
    path = tmp_path / "export.jsonld"
    path.write_text(export_w3c(bundle), encoding="utf-8")

    result = validate(path)

    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == f"w3c: {bundle.annotation_count} annotations valid"
    assert bundle.annotation_count == sum(
        len(annotations) for annotations in (store.annotations(i) for i in library)
    )


def test_pages_are_chained_and_every_page_validates(
    store: LibraryStore, library: list[int], tmp_path: Path
) -> None:
    bundle = sample_bundle(store)
    exported = export_w3c(bundle, page_size=4)
    path = tmp_path / "paged.jsonld"
    path.write_text(exported, encoding="utf-8")

    collection = json.loads(exported)
    pages, page = [], collection["first"]
    while page is not None:
        pages.append(page)
        page = page.get("next")

    assert [len(p["items"]) for p in pages[:-1]] == [4] * (len(pages) - 1)
    assert 1 <= len(pages[-1]["items"]) <= 4
    assert [p["startIndex"] for p in pages] == [4 * n for n in range(len(pages))]
    assert {p["partOf"] for p in pages} == {collection["id"]}
    assert collection["last"] == pages[-1]["id"]
    assert collection["total"] == bundle.annotation_count == len(list(items_of(collection)))
    result = validate(path)
    assert result.returncode == 0, result.stdout
    assert result.stdout.strip() == f"w3c: {bundle.annotation_count} annotations valid"


def test_collection_declares_the_annotation_context_and_the_claimmark_namespace(
    store: LibraryStore, library: list[int]
) -> None:
    collection = json.loads(export_w3c(sample_bundle(store)))

    assert collection["@context"] == [ANNO_CONTEXT, {"claimmark": CLAIMMARK_NS}]
    assert collection["type"] == "AnnotationCollection"
    assert collection["id"].startswith("urn:uuid:")
    assert collection["label"] == "Claimmark annotations: 4 documents"
    names = {t.id: t.name for t in store.tags()}
    assert collection["claimmark:codebook"] == [
        {"name": t.name, "colour": t.colour, "description": t.description, "position": t.position}
        | ({"parent": names[t.parent_id]} if t.parent_id is not None else {})
        for t in store.tags()
    ]
    nested = [e for e in collection["claimmark:codebook"] if "parent" in e]
    assert [(e["name"], e["parent"]) for e in nested] == [(NESTED_TAG, PARENT_TAG)]
    texts = [store.document(i) for i in library]
    assert collection["claimmark:documents"] == [
        {"source": target_source(d), "title": d.title, "sha256": text_digest(d.text)} for d in texts
    ]
    # No text is embedded: a W3C annotation points at its source.
    exported = json.dumps(collection, ensure_ascii=False)
    assert texts[0].text[:200] not in exported


# ---- what each annotation says ----------------------------------------------------------------


def test_positions_are_code_points_and_quote_and_context_match_the_text(
    store: LibraryStore, library: list[int]
) -> None:
    bundle = sample_bundle(store)
    records = records_by_urn(bundle)
    exported = list(items_of(json.loads(export_w3c(bundle))))
    assert len(exported) == len(records)

    differs_from_utf16 = 0
    for annotation in exported:
        document, record = records[annotation["id"]]
        text = document.text
        quote = selector(annotation, "TextQuoteSelector")
        position = selector(annotation, "TextPositionSelector")
        start, end = position["start"], position["end"]
        assert (start, end) == (record.start, record.end)
        assert text[start:end] == quote["exact"] == record.exact
        assert quote["prefix"] == text[max(0, start - 32) : start]
        assert quote["suffix"] == text[end : end + 32]
        assert annotation["target"]["source"] == target_source(document)
        assert annotation["target"]["claimmark:textDigest"] == "sha256:" + text_digest(text)
        if len(text[:start].encode("utf-16-le")) // 2 != start:
            differs_from_utf16 += 1
    # The emoji and 𠮷 document really tests code points: UTF-16 offsets would be off.
    assert differs_from_utf16 >= 3


def test_tagging_bodies_name_the_tags_and_the_note_is_the_commenting_body(
    store: LibraryStore, library: list[int]
) -> None:
    bundle = sample_bundle(store)
    records = records_by_urn(bundle)
    names = {t.id: t.name for t in store.tags()}
    notes = set()
    for annotation in items_of(json.loads(export_w3c(bundle))):
        _, record = records[annotation["id"]]
        assert [b["value"] for b in bodies(annotation, "tagging")] == [
            names[t] for t in record.tag_ids
        ]
        assert all(b["type"] == "TextualBody" for b in annotation.get("body", []))
        comments = bodies(annotation, "commenting")
        if record.note:
            assert comments == [
                {
                    "type": "TextualBody",
                    "purpose": "commenting",
                    "format": "text/markdown",
                    "value": record.note,
                }
            ]
            notes.add(comments[0]["value"])
        else:
            assert comments == []
        if not record.tag_ids and not record.note:
            assert "body" not in annotation
            assert annotation["motivation"] == "highlighting"
    assert set(HOSTILE_STRINGS) <= notes
    exported_tags = {
        b["value"] for a in items_of(json.loads(export_w3c(bundle))) for b in bodies(a, "tagging")
    }
    assert HOSTILE_TAG in exported_tags


def test_times_are_utc_with_z_and_keep_their_precision(
    store: LibraryStore, library: list[int]
) -> None:
    bundle = sample_bundle(store)
    records = records_by_urn(bundle)
    for annotation in items_of(json.loads(export_w3c(bundle))):
        _, record = records[annotation["id"]]
        for key, moment in (("created", record.created), ("modified", record.updated)):
            assert annotation[key].endswith("Z")
            assert annotation[key] == moment.replace(tzinfo=None).isoformat() + "Z"


def test_only_unsettled_anchors_carry_their_review_state(
    store: LibraryStore, library: list[int]
) -> None:
    bundle = sample_bundle(store)
    records = records_by_urn(bundle)
    flagged = {
        records[a["id"]][1].exact: a["claimmark:anchorStatus"]
        for a in items_of(json.loads(export_w3c(bundle)))
        if "claimmark:anchorStatus" in a
    }
    assert flagged == {UNDER_REVIEW[1]: ANCHOR_NEEDS_REVIEW}


def test_claim_fields_travel_as_extension_properties_only_when_set(
    store: LibraryStore, library: list[int]
) -> None:
    bundle = sample_bundle(store)
    records = records_by_urn(bundle)
    keys = ("claimmark:stance", "claimmark:speaker", "claimmark:checkworthiness")
    claimed = {}
    for annotation in items_of(json.loads(export_w3c(bundle))):
        _, record = records[annotation["id"]]
        expected = {
            key: value
            for key, value in zip(
                keys, (record.stance, record.speaker, record.checkworthiness), strict=True
            )
            if value not in ("", None)
        }
        assert {k: annotation[k] for k in keys if k in annotation} == expected
        if expected:
            claimed[record.exact] = (
                annotation.get("claimmark:stance", ""),
                annotation.get("claimmark:speaker", ""),
                annotation.get("claimmark:checkworthiness"),
            )
    assert claimed == {quote: fields for (_key, quote), fields in CLAIMS.items()}
    assert {c[1] for c in claimed.values()} >= set(HOSTILE_SPEAKERS)
    assert all(isinstance(c[2], int) for c in claimed.values() if c[2] is not None)


def test_target_is_the_web_address_when_there_is_one_else_an_id_from_the_text(
    store: LibraryStore, library: list[int], tmp_path: Path
) -> None:
    article, emoji = store.document(library[0]), store.document(library[1])
    assert target_source(emoji) == sample_texts()[1].canonical_url
    urn = target_source(article)
    assert urn.startswith("urn:uuid:")
    uuid.UUID(urn.removeprefix("urn:uuid:"))
    # The same text in another library gets the same id.
    other = LibraryStore.open(tmp_path / "other.db")
    try:
        copy = other.add_document("Another title", "elsewhere.txt", article.text)
        assert target_source(copy) == urn
    finally:
        other.close()


@pytest.mark.parametrize("url", ["example.org/a", "/home/me/a.html", "C:\\news\\a.html", "x"])
def test_a_relative_or_local_address_is_not_a_target_source(url: str) -> None:
    document = DocumentRecord(1, "T", "s", "text", EXPORTED_AT, canonical_url=url)
    assert target_source(document).startswith("urn:uuid:")


# ---- stable and deterministic -----------------------------------------------------------------


def test_ids_are_stable_across_exports(store: LibraryStore, library: list[int]) -> None:
    first = export_w3c(sample_bundle(store))
    assert export_w3c(sample_bundle(store)) == first

    later = json.loads(export_w3c(sample_bundle(store, exported_at=EXPORTED_AT + timedelta(1))))
    earlier = json.loads(first)
    assert [a["id"] for a in items_of(later)] == [a["id"] for a in items_of(earlier)]
    assert {a["id"] for a in items_of(earlier)} == {
        f"urn:uuid:{a.uuid}" for i in library for a in store.annotations(i)
    }
    # The collection is another export, so another id.
    assert later["id"] != earlier["id"]


def test_output_is_pretty_utf8_json_that_keeps_every_character(
    store: LibraryStore, library: list[int]
) -> None:
    exported = export_w3c(sample_bundle(store))
    assert exported.endswith("}\n")
    assert "𠮷野家" in exported and "\\u" not in exported
    assert exported.startswith('{\n  "@context"')
    exported.encode("utf-8")


def test_an_empty_export_has_no_pages(store: LibraryStore) -> None:
    document = store.add_document("Nothing marked", "empty.txt", "No claims here.")
    collection = json.loads(export_w3c(sample_bundle(store, [document.id])))
    assert collection["total"] == 0
    assert "first" not in collection
    assert collection["label"] == "Claimmark annotations: Nothing marked"


def test_a_tag_missing_from_the_codebook_is_skipped() -> None:
    text = "Tariffs will rise."
    record = AnnotationRecord(
        id=1,
        uuid="00000000-0000-4000-8000-000000000001",
        document_id=1,
        start=0,
        end=7,
        exact="Tariffs",
        prefix="",
        suffix=" will rise.",
        note="",
        tag_ids=(1, 99),
        created=EXPORTED_AT,
        updated=EXPORTED_AT,
    )
    bundle = ExportBundle(
        (DocumentRecord(1, "T", "t.txt", text, EXPORTED_AT),),
        {1: (record,)},
        (TagRecord(1, "trade", "#e69f00", 0),),
        EXPORTED_AT,
    )
    (annotation,) = items_of(json.loads(export_w3c(bundle)))
    assert [b["value"] for b in annotation["body"]] == ["trade"]


def test_page_size_must_be_positive(store: LibraryStore) -> None:
    with pytest.raises(ValueError):
        export_w3c(sample_bundle(store), page_size=0)


def test_each_annotation_is_the_line_json_dumps_writes(
    store: LibraryStore, library: list[int]
) -> None:
    # Annotations are written straight as JSON text (for speed): every one must be exactly what
    # the standard library's encoder writes for its parsed value, hostile strings included.
    exported = export_w3c(sample_bundle(store))
    lines = [line.strip().rstrip(",") for line in exported.splitlines()]
    written = [line for line in lines if line.startswith('{"id": "urn:uuid:')]
    assert len(written) == json.loads(exported)["total"]
    for line in written:
        assert json.dumps(json.loads(line), ensure_ascii=False) == line
