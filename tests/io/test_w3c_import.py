"""Importing W3C annotations: Claimmark's exports round-trip, foreign ones are placed by quote.

Library A is filled by export_samples and exported; library B (another SQLite file) holds the
same articles, or edited ones, and imports the export. Every check compares B's annotations with
A's through the store's public reads.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from export_samples import (
    ANNOTATIONS,
    CLAIMS,
    HOSTILE_TAG,
    HOSTILE_TAG_COLOUR,
    NESTED_TAG,
    NESTED_TAG_COLOUR,
    ORDERED_ANNOTATIONS,
    ORDERED_CODEBOOK,
    PARENT_TAG,
    add_ordered_document,
    add_sample_documents,
    codebook_rows,
    make_library,
    make_ordered_library,
    sample_bundle,
    sample_texts,
    tree_order,
)

from desktop_app.core.codebook import TagSpec, load_default_codebook
from desktop_app.core.records import ANCHOR_OK
from desktop_app.io.w3c_export import export_w3c
from desktop_app.io.w3c_import import W3CImportError, import_w3c
from desktop_app.resources import resource_path
from desktop_app.storage.library_setup import prepare_library
from desktop_app.storage.library_store import LibraryStore

REMOVED = "Not many anticipate major concessions on trade matters this week"


@pytest.fixture
def library(store: LibraryStore) -> list[int]:
    """Library A: the sample documents with their annotations."""
    return make_library(store)


@pytest.fixture
def other(tmp_path: Path) -> Iterator[LibraryStore]:
    """Library B: a second, prepared library file (default codebook, no documents)."""
    opened = LibraryStore.open(tmp_path / "other.db")
    prepare_library(opened)
    yield opened
    opened.close()


def snapshot(store: LibraryStore, document_id: int) -> list[tuple[Any, ...]]:
    """What a round trip must keep of a document's annotations (tags by name)."""
    names = {t.id: t.name for t in store.tags()}
    return [
        (
            a.uuid,
            a.start,
            a.end,
            a.exact,
            a.prefix,
            a.suffix,
            tuple(sorted(names[t] for t in a.tag_ids)),
            a.note,
            a.created,
            a.updated,
            a.anchor_status,
            a.stance,
            a.speaker,
            a.checkworthiness,
        )
        for a in store.annotations(document_id)
    ]


def codebook_tree(store: LibraryStore) -> list[tuple[str, str | None]]:
    """Each tag's name with its parent's name (None at the top), in panel order."""
    names = {t.id: t.name for t in store.tags()}
    return [(t.name, names.get(t.parent_id) if t.parent_id else None) for t in store.tags()]


def edited_article() -> str:
    """The sample article with a new first sentence, one sentence gone and one word changed."""
    text = sample_texts()[0].text
    lines = text.split("\n")
    kept = [line for line in lines if not line.startswith(REMOVED)]
    assert len(kept) == len(lines) - 1
    edited = "\n".join(["Editor's note: this article was updated on Friday.", *kept])
    return edited.replace("Recently, Trump oversaw", "Last week, Trump oversaw")


# ---- round trip -----------------------------------------------------------------------------


def test_round_trip_restores_every_annotation(
    store: LibraryStore, library: list[int], other: LibraryStore
) -> None:
    exported = export_w3c(sample_bundle(store))
    targets = add_sample_documents(other)

    report = import_w3c(other, exported)

    total = sum(len(store.annotations(i)) for i in library)
    assert report.placed == total == len(report.annotation_ids)
    assert report.not_placed == ()
    assert report.duplicates == 0
    assert report.renumbered == 0
    assert report.tags_created == (NESTED_TAG, HOSTILE_TAG)  # in the export's codebook order
    assert report.document_ids == tuple(targets)
    for source, target in zip(library, targets, strict=True):
        assert snapshot(other, target) == snapshot(store, source)
    created = next(t for t in other.tags() if t.name == HOSTILE_TAG)
    assert created.colour == HOSTILE_TAG_COLOUR
    assert created.description == "Markup & quotes in a name."
    nested = next(t for t in other.tags() if t.name == NESTED_TAG)
    assert nested.colour == NESTED_TAG_COLOUR
    assert (NESTED_TAG, PARENT_TAG) in codebook_tree(other)


def test_claim_fields_and_nesting_round_trip_into_a_fresh_library(
    store: LibraryStore, library: list[int], tmp_path: Path
) -> None:
    """Into a library with no codebook at all: every tag is added, `tariffs` under `trade`."""
    exported = export_w3c(sample_bundle(store))
    fresh = LibraryStore.open(tmp_path / "fresh.db")
    try:
        targets = add_sample_documents(fresh)
        report = import_w3c(fresh, exported)
        assert report.placed == sum(len(store.annotations(i)) for i in library)
        for source, target in zip(library, targets, strict=True):
            assert snapshot(fresh, target) == snapshot(store, source)
        assert codebook_tree(fresh) == codebook_tree(store)
        claimed = {
            a.exact: (a.stance, a.speaker, a.checkworthiness)
            for i in targets
            for a in fresh.annotations(i)
            if a.stance or a.speaker or a.checkworthiness is not None
        }
        assert claimed == {quote: fields for (_key, quote), fields in CLAIMS.items()}
    finally:
        fresh.close()


@pytest.fixture
def empty_library(tmp_path: Path) -> Iterator[LibraryStore]:
    """A library without a codebook or documents (not prepared)."""
    opened = LibraryStore.open(tmp_path / "empty.db")
    yield opened
    opened.close()


def test_the_whole_codebook_and_every_annotation_round_trip_into_an_empty_library(
    tmp_path: Path, empty_library: LibraryStore
) -> None:
    """Unused tags, an unused parent (listed after its child) and a child listed after its
    parent's sibling all come back, in order; annotations keep every field and exact times."""
    source = LibraryStore.open(tmp_path / "source.db")
    try:
        document_id = make_ordered_library(source)
        assert codebook_rows(source) == list(ORDERED_CODEBOOK)
        exported = export_w3c(sample_bundle(source))
        expected = snapshot(source, document_id)
    finally:
        source.close()
    assert ".123456Z" in exported  # the W3C export keeps sub-second times
    target = add_ordered_document(empty_library)

    report = import_w3c(empty_library, exported)

    assert report.placed == len(ORDERED_ANNOTATIONS) and report.not_placed == ()
    assert report.tags_created == tuple(name for name, *_ in ORDERED_CODEBOOK)
    assert codebook_rows(empty_library) == tree_order(ORDERED_CODEBOOK)
    assert [t.position for t in empty_library.tags()] == list(range(len(ORDERED_CODEBOOK)))
    assert snapshot(empty_library, target) == expected
    by_quote = {
        a.exact: (a.start, a.end, a.note, a.stance, a.speaker, a.checkworthiness, a.created)
        for a in empty_library.annotations(target)
    }
    text = empty_library.document(target).text
    assert by_quote == {
        quote: (text.index(quote), text.index(quote) + len(quote), note, *claim, created)
        for quote, _tags, note, claim, created, _updated in ORDERED_ANNOTATIONS
    }


def test_codebook_tags_the_library_has_are_left_as_they_are(
    tmp_path: Path, other: LibraryStore
) -> None:
    """Only the missing tags are added, after the library's own, in the exported order; a new
    child nests under the library's own tag of its parent's name, which is not changed."""
    source = LibraryStore.open(tmp_path / "source.db")
    try:
        make_ordered_library(source)
        exported = export_w3c(sample_bundle(source))
    finally:
        source.close()
    mine = other.add_tag(TagSpec("ALPHA", "#000000", "Mine."))
    before = codebook_rows(other)
    add_ordered_document(other)

    report = import_w3c(other, exported)

    assert report.tags_created == ("beta", "child", "unused", "kid", "folder")
    rows = codebook_rows(other)
    assert rows[: len(before)] == before
    # New tags follow the library's own; a nested one is listed under its parent (ALPHA, the
    # library's last tag, so still right after `before`).
    assert rows[len(before) :] == [
        ("child", "#778899", "Nested under alpha, listed after beta.", "ALPHA"),
        ("beta", "#445566", "", None),
        ("unused", "#aabbcc", "On no annotation at all.", None),
        ("folder", "#123456", "A parent whose only use is its child.", None),
        ("kid", "#ddeeff", "Listed before its parent.", "folder"),
    ]
    assert next(t for t in other.tags() if t.id == mine.id).colour == "#000000"
    again = import_w3c(other, exported)
    assert (again.placed, again.tags_created) == (0, ())
    assert codebook_rows(other) == rows


def test_a_parent_listed_after_its_child_still_nests_it(other: LibraryStore) -> None:
    document = other.add_document("T", "t.txt", "Steel duties rise. Grain duties fall.")
    item = {
        "id": "urn:uuid:5d6b8f4e-0000-4000-8000-000000000001",
        "type": "Annotation",
        "body": [
            {"type": "TextualBody", "purpose": "tagging", "value": "steel"},
            {"type": "TextualBody", "purpose": "tagging", "value": "duties"},
            {"type": "TextualBody", "purpose": "tagging", "value": "orphan"},
            {"type": "TextualBody", "purpose": "tagging", "value": "loop a"},
            {"type": "TextualBody", "purpose": "tagging", "value": "loop b"},
        ],
        "target": {
            "source": "x:y",
            "selector": {"type": "TextQuoteSelector", "exact": "Steel duties rise."},
        },
    }
    collection = {
        "type": "AnnotationCollection",
        "first": {"type": "AnnotationPage", "items": [item]},
        "claimmark:codebook": [
            {"name": "steel", "position": 0, "parent": "DUTIES"},
            {"name": "duties", "position": 1, "parent": "trade"},
            {"name": "orphan", "position": 2, "parent": "not in the library"},
            {"name": "loop a", "position": 3, "parent": "loop b"},
            {"name": "loop b", "position": 4, "parent": "loop a"},
        ],
    }
    report = import_w3c(other, json.dumps(collection), document_id=document.id)
    assert report.tags_created == ("steel", "duties", "orphan", "loop a", "loop b")
    tree = dict(codebook_tree(other))
    assert tree["steel"] == "duties" and tree["duties"] == "trade"
    assert tree["orphan"] is None
    # A loop cannot be stored: one of the two stays at the top.
    assert sorted([tree["loop a"] or "", tree["loop b"] or ""]) == ["", "loop a"]


def test_claim_values_claimmark_would_not_store_are_left_out(other: LibraryStore) -> None:
    document = other.add_document("T", "t.txt", "One claim. Two claims. Three claims. Four.")
    quotes = ("One claim.", "Two claims.", "Three claims.", "Four.")
    values: list[dict[str, Any]] = [
        {"claimmark:stance": "SUPPORTS ", "claimmark:checkworthiness": 4.0},
        {"claimmark:stance": "maybe", "claimmark:checkworthiness": 9, "claimmark:speaker": 5},
        {"claimmark:checkworthiness": True, "claimmark:speaker": "  Ana \n Ruiz "},
        {"claimmark:checkworthiness": "3", "claimmark:stance": ["opposes"]},
    ]
    text = other.document(document.id).text
    items = [
        {
            "id": f"urn:uuid:5d6b8f4e-0000-4000-8000-00000000001{n}",
            "type": "Annotation",
            "target": {
                "source": "x:y",
                "selector": [
                    {"type": "TextQuoteSelector", "exact": q},
                    {
                        "type": "TextPositionSelector",
                        "start": text.index(q),
                        "end": text.index(q) + len(q),
                    },
                ],
            },
            **extra,
        }
        for n, (q, extra) in enumerate(zip(quotes, values, strict=True))
    ]
    report = import_w3c(other, json.dumps(items), document_id=document.id)
    assert report.placed == 4
    by_quote = {
        a.exact: (a.stance, a.speaker, a.checkworthiness) for a in other.annotations(document.id)
    }
    assert by_quote == {
        "One claim.": ("supports", "", 4),
        "Two claims.": ("", "", None),
        "Three claims.": ("", "Ana Ruiz", None),
        "Four.": ("", "", None),
    }


def test_reimporting_the_same_file_adds_nothing(
    store: LibraryStore, library: list[int], other: LibraryStore
) -> None:
    exported = export_w3c(sample_bundle(store))
    targets = add_sample_documents(other)
    first = import_w3c(other, exported)
    before = [snapshot(other, i) for i in targets]
    tags_before = other.tags()

    again = import_w3c(other, exported.encode("utf-8"))

    assert again.placed == 0
    assert again.duplicates == first.placed
    assert again.tags_created == ()
    assert [snapshot(other, i) for i in targets] == before
    assert other.tags() == tags_before


def test_paged_export_round_trips(
    store: LibraryStore, library: list[int], other: LibraryStore
) -> None:
    targets = add_sample_documents(other)
    report = import_w3c(other, export_w3c(sample_bundle(store), page_size=3))
    assert report.placed == sum(len(store.annotations(i)) for i in library)
    for source, target in zip(library, targets, strict=True):
        assert snapshot(other, target) == snapshot(store, source)


def test_importing_into_the_same_library_finds_only_duplicates(
    store: LibraryStore, library: list[int]
) -> None:
    report = import_w3c(store, export_w3c(sample_bundle(store)))
    assert report.placed == 0
    assert report.duplicates == sum(len(store.annotations(i)) for i in library)


def test_utf8_bytes_with_a_byte_order_mark_are_read(
    store: LibraryStore, library: list[int], other: LibraryStore
) -> None:
    add_sample_documents(other)
    data = ("\ufeff" + export_w3c(sample_bundle(store))).encode("utf-8")
    assert import_w3c(other, data).placed == sum(len(store.annotations(i)) for i in library)


def test_importing_onto_another_version_copies_with_derived_ids(
    store: LibraryStore, library: list[int]
) -> None:
    article = library[0]
    exported = export_w3c(sample_bundle(store, [article]))
    version = store.add_document("Takaichi, updated", "edited.txt", edited_article())

    first = import_w3c(store, exported, document_id=version.id)
    again = import_w3c(store, exported, document_id=version.id)

    assert first.placed == first.renumbered == len(ANNOTATIONS["article"]) - 1
    copies = store.annotations(version.id)
    originals = {a.uuid for a in store.annotations(article)}
    assert len(copies) == first.placed and not originals & {a.uuid for a in copies}
    assert (again.placed, again.duplicates) == (0, first.placed)
    assert len(store.annotations(article)) == len(ANNOTATIONS["article"])


# ---- finding the document -----------------------------------------------------------------


def test_an_edited_text_is_annotated_by_quote_and_context(
    store: LibraryStore, library: list[int], other: LibraryStore
) -> None:
    article = library[0]
    exported = export_w3c(sample_bundle(store, [article]))
    edited = other.add_document("Takaichi, updated", "edited.txt", edited_article())

    report = import_w3c(other, exported, document_id=edited.id)

    originals = {a.exact: a for a in store.annotations(article)}
    assert report.placed == len(originals) - 1
    (missing,) = report.not_placed
    assert missing.quote == REMOVED
    assert missing.annotation_id == f"urn:uuid:{originals[REMOVED].uuid}"
    assert missing.reason == "its quote is not in this text"
    assert "\n" not in str(missing)
    placed = other.annotations(edited.id)
    assert REMOVED not in {a.exact for a in placed}
    for annotation in placed:
        original = originals[annotation.exact]
        # Every sample quote occurs once, so its place in the edited text is known.
        start = edited.text.index(annotation.exact)
        assert (annotation.start, annotation.end) == (start, start + len(annotation.exact))
        assert annotation.start != original.start  # the text around it moved
        assert annotation.prefix == edited.text[max(0, start - 32) : start]
        assert annotation.uuid == original.uuid
        assert annotation.note == original.note


def test_a_document_is_found_by_its_web_address_when_its_text_changed(
    store: LibraryStore, library: list[int], other: LibraryStore
) -> None:
    emoji = sample_texts()[1]
    exported = export_w3c(sample_bundle(store, [library[1]]))
    changed = other.add_document(
        emoji.title,
        emoji.source,
        "Update 🆕: figures were revised.\n" + emoji.text,
        canonical_url=emoji.canonical_url,
    )

    report = import_w3c(other, exported)

    assert report.placed == len(ANNOTATIONS["emoji"])
    assert report.document_ids == (changed.id,)
    for annotation in other.annotations(changed.id):
        assert changed.text[annotation.start : annotation.end] == annotation.exact


def test_the_same_text_is_preferred_to_another_version_at_the_same_address(
    store: LibraryStore, library: list[int], other: LibraryStore
) -> None:
    emoji = sample_texts()[1]
    exported = export_w3c(sample_bundle(store, [library[1]]))
    same = other.add_document(emoji.title, emoji.source, emoji.text)
    other.add_document(
        emoji.title, emoji.source, emoji.text + "More.", canonical_url=emoji.canonical_url
    )

    assert import_w3c(other, exported).document_ids == (same.id,)


def test_no_matching_document_is_refused_in_one_line(
    store: LibraryStore, library: list[int], other: LibraryStore
) -> None:
    exported = export_w3c(sample_bundle(store, [library[0]]))
    other.add_document("Unrelated", "u.txt", "Nothing to do with it.")

    with pytest.raises(W3CImportError) as caught:
        import_w3c(other, exported)

    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith("no document in the library matches “Takaichi faces")
    assert message.endswith(": import the article first")
    # Refused before anything was written: no annotation, and no tag from the codebook.
    assert all(not other.annotations(d.id) for d in other.documents())
    assert HOSTILE_TAG not in {t.name for t in other.tags()}


def test_annotations_of_a_missing_document_are_reported_not_placed(
    store: LibraryStore, library: list[int], other: LibraryStore
) -> None:
    exported = export_w3c(sample_bundle(store))
    article = sample_texts()[0]
    kept = other.add_document(article.title, article.source, article.text)

    report = import_w3c(other, exported)

    assert report.placed == len(ANNOTATIONS["article"])
    assert report.document_ids == (kept.id,)
    assert len(report.not_placed) == sum(len(ANNOTATIONS[k]) for k in ("emoji", "japanese", "crlf"))
    assert all(n.reason.endswith("import the article first") for n in report.not_placed)


def test_an_unknown_document_id_is_refused(store: LibraryStore, library: list[int]) -> None:
    with pytest.raises(W3CImportError, match="no document 999"):
        import_w3c(store, export_w3c(sample_bundle(store)), document_id=999)


# ---- other tools' annotations ------------------------------------------------------------------


def hypothesis_annotation(exact: str, prefix: str, suffix: str, **extra: Any) -> dict[str, Any]:
    """An annotation shaped like the ones the Hypothesis client makes (no position selector)."""
    return {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "id": "https://hypothes.is/a/Xy12AbCdEfGh",
        "type": "Annotation",
        "created": "2026-10-01T09:30:00.000+02:00",
        "body": [
            {"type": "TextualBody", "value": "Important", "purpose": "tagging"},
            {"type": "TextualBody", "value": "TRADE", "purpose": "tagging"},
            {"type": "TextualBody", "value": "A **comment**", "format": "text/markdown"},
        ],
        "target": [
            {
                "source": "https://example.org/news/prices-emoji",
                "selector": [
                    {"type": "RangeSelector", "startSelector": {"type": "XPathSelector"}},
                    {
                        "type": "TextQuoteSelector",
                        "exact": exact,
                        "prefix": prefix,
                        "suffix": suffix,
                    },
                ],
            }
        ],
        **extra,
    }


def test_a_foreign_annotation_is_placed_by_its_quote(other: LibraryStore) -> None:
    emoji = sample_texts()[1]
    document = other.add_document(
        emoji.title, emoji.source, emoji.text, canonical_url=emoji.canonical_url
    )
    annotation = hypothesis_annotation("beef bowl will cost more", "says the 👍🏽 ", ": 10% more")

    report = import_w3c(other, json.dumps(annotation))

    assert report.placed == 1
    palette = load_default_codebook(resource_path("codebook.json")).palette
    assert report.tags_created == ("Important",)
    tags = {t.id: t for t in other.tags()}
    (placed,) = other.annotations(document.id)
    assert document.text[placed.start : placed.end] == "beef bowl will cost more"
    assert [tags[t].name for t in placed.tag_ids] == ["trade", "Important"]  # TRADE is trade
    assert tags[placed.tag_ids[1]].colour == palette[3]  # the first colour no tag uses
    assert placed.note == "A **comment**"
    assert placed.created.isoformat() == "2026-10-01T07:30:00+00:00"
    assert placed.anchor_status == ANCHOR_OK
    # Its id is not a uuid, but a uuid derived from it still recognises it next time.
    assert import_w3c(other, json.dumps([annotation])).duplicates == 1


def test_utf16_positions_of_another_tool_are_corrected_by_the_quote(other: LibraryStore) -> None:
    text = sample_texts()[1].text
    document = other.add_document("Prices", "p.txt", text)
    quote = "call the claim 𠮷 exaggerated."
    start = len(text[: text.index(quote)].encode("utf-16-le")) // 2
    page = {
        "type": "AnnotationPage",
        "items": [
            {
                "id": "urn:uuid:1b4e28ba-2fa1-11d2-883f-0016d3cca427",
                "type": "Annotation",
                "target": {
                    "source": "urn:example:prices",
                    "selector": [
                        {"type": "TextQuoteSelector", "exact": quote},
                        {"type": "TextPositionSelector", "start": start, "end": start + 31},
                    ],
                },
            }
        ],
    }

    report = import_w3c(other, json.dumps(page), document_id=document.id)

    assert report.placed == 1
    (placed,) = other.annotations(document.id)
    assert (placed.start, placed.end) == (text.index(quote), text.index(quote) + len(quote))
    assert placed.uuid == "1b4e28ba-2fa1-11d2-883f-0016d3cca427"
    assert placed.tag_ids == () and placed.note == ""


def test_an_ambiguous_quote_is_not_placed(other: LibraryStore) -> None:
    article = sample_texts()[0]
    document = other.add_document(article.title, article.source, article.text)
    annotation = {
        "id": "urn:example:1",
        "type": "Annotation",
        "target": {"source": "x:y", "selector": {"type": "TextQuoteSelector", "exact": "Trump"}},
    }

    report = import_w3c(other, json.dumps(annotation), document_id=document.id)

    assert report.placed == 0
    (reason,) = report.not_placed
    assert reason.annotation_id == "urn:example:1"
    assert "uncertain" in reason.reason
    assert other.annotations(document.id) == []


def test_annotations_without_a_usable_target_are_reported(other: LibraryStore) -> None:
    document = other.add_document("T", "t.txt", "Tariffs will rise sharply next year.")
    items = [
        {"id": "urn:a:1", "type": "Annotation", "target": "https://example.org/page"},
        {"id": "urn:a:2", "type": "Annotation", "target": {"source": "x:y"}},
        {
            "id": "urn:a:3",
            "type": "Annotation",
            "target": {"source": "x:y", "selector": {"type": "TextQuoteSelector", "exact": ""}},
        },
        {
            "id": "urn:a:4",
            "type": "Annotation",
            "target": {
                "source": "x:y",
                "selector": {"type": "TextPositionSelector", "start": 0, "end": 7},
            },
        },
        "urn:a:5",
        {
            "id": "urn:a:6",
            "type": "Annotation",
            "body": {"type": "TextualBody", "purpose": "tagging", "value": "\x07"},
            "target": {
                "source": "x:y",
                "selector": {"type": "TextQuoteSelector", "exact": "Tariffs will rise"},
            },
        },
    ]

    report = import_w3c(other, json.dumps(items), document_id=document.id)

    assert report.placed == 0
    assert [n.annotation_id for n in report.not_placed] == [
        "urn:a:1",
        "urn:a:2",
        "urn:a:3",
        "urn:a:4",
        "annotation 5",
        "urn:a:6",
    ]
    assert all(n.reason and "\n" not in str(n) for n in report.not_placed)
    assert other.annotations(document.id) == []
    assert "Tariffs will rise" in str(report.not_placed[-1])


# ---- bad input ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("{not json", "not JSON"),
        (b"\xff\xfe\x00{", "not UTF-8"),
        ("", "not JSON"),
        ('{"hello": 1}', "not a W3C annotation"),
        ('"just a string"', "not a W3C annotation"),
        ("[1, 2, 3]", "no W3C annotations"),
        ('{"type": "AnnotationCollection", "first": "https://example.org/p1"}', "only a link"),
        ('{"type": "AnnotationPage", "items": 5}', "not an annotation page"),
        ('{"type": "AnnotationCollection", "total": 3}', "no first page"),
        ("[" * 100_000, "JSON"),
    ],
)
def test_bad_input_is_refused_in_one_line(
    store: LibraryStore, library: list[int], data: str | bytes, expected: str
) -> None:
    before = [store.annotations(i) for i in library]
    with pytest.raises(W3CImportError) as caught:
        import_w3c(store, data)
    assert expected in str(caught.value)
    assert "\n" not in str(caught.value)
    assert isinstance(caught.value, ValueError)
    assert [store.annotations(i) for i in library] == before


def test_an_empty_collection_imports_nothing(store: LibraryStore) -> None:
    document = store.add_document("Nothing", "n.txt", "No claims.")
    report = import_w3c(store, export_w3c(sample_bundle(store, [document.id])))
    assert report.placed == 0 and report.not_placed == () and report.duplicates == 0
    assert report.summary() == "0 annotations placed"


def test_summary_is_one_line(store: LibraryStore, library: list[int], other: LibraryStore) -> None:
    article = sample_texts()[0]
    other.add_document(article.title, article.source, article.text)
    report = import_w3c(other, export_w3c(sample_bundle(store)))
    assert report.summary() == (
        f"{len(ANNOTATIONS['article'])} annotations placed, "
        f"{len(report.not_placed)} not placed, new tags: {NESTED_TAG}, {HOSTILE_TAG}"
    )


def test_escaped_surrogate_pairs_are_characters_and_are_kept(other: LibraryStore) -> None:
    """JSON writes 👍 as `\\ud83d\\udc4d`: a pair is one character; only a lone half refuses."""
    emoji = sample_texts()[1]
    document = other.add_document(
        emoji.title, emoji.source, emoji.text, canonical_url=emoji.canonical_url
    )
    annotation = hypothesis_annotation("beef bowl will cost more", "says the 👍🏽 ", ": 10% more")
    annotation["body"].append({"type": "TextualBody", "value": "noted 😀", "purpose": "replying"})

    report = import_w3c(other, json.dumps(annotation, ensure_ascii=True))

    assert report.placed == 1
    (placed,) = other.annotations(document.id)
    assert placed.note == "A **comment**\n\nnoted 😀"


def test_a_lone_surrogate_is_refused_before_anything_is_read_from_the_library(
    other: LibraryStore,
) -> None:
    before = (other.tags(), other.documents())
    with pytest.raises(W3CImportError, match=r"body\[0\]\.value holds a lone surrogate"):
        import_w3c(other, '{"target": "x", "body": [{"value": "a\\udc00"}]}')
    assert (other.tags(), other.documents()) == before
