"""The import service on a real library: every outcome kind, and exactly what it reports changed.

The window's session absorbs these reports instead of re-reading the library, so each test
checks the ChangeReport against what the library really holds afterwards.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from export_samples import EXPORTED_AT, add_sample_documents, make_library, sample_bundle

from desktop_app.core.anchors import anchor_for
from desktop_app.core.change_report import NO_CHANGE, ChangeReport
from desktop_app.io import import_service
from desktop_app.io.import_service import (
    AnnotationsImported,
    Cancelled,
    DocumentFound,
    DocumentImported,
    ImportService,
    Refused,
    VersionCarried,
)
from desktop_app.io.imported import ImportedDocument
from desktop_app.io.refi_export import export_qdc, export_qdpx
from desktop_app.io.w3c_export import export_w3c
from desktop_app.storage.errors import NotFoundError
from desktop_app.storage.library_setup import prepare_library
from desktop_app.storage.library_store import LibraryStore

SAMPLE = Path(__file__).resolve().parents[2] / "resources" / "sample-article.txt"


@pytest.fixture
def service(store: LibraryStore) -> ImportService:
    return ImportService(store)


@pytest.fixture
def other(tmp_path: Path) -> Iterator[LibraryStore]:
    """A second prepared library (default codebook, no documents)."""
    opened = LibraryStore.open(tmp_path / "other.db")
    prepare_library(opened)
    yield opened
    opened.close()


def snapshot(store: LibraryStore) -> tuple[Any, ...]:
    """Everything an import may change: documents with their versions, annotations, tags."""
    documents = store.documents(all_versions=True)
    return (
        [(d.id, d.title, d.version_group, d.version_number) for d in documents],
        [(a.id, a.document_id, a.start, a.end) for d in documents for a in store.annotations(d.id)],
        [(t.id, t.name, t.parent_id) for t in store.tags()],
    )


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# ---- articles --------------------------------------------------------------------------------


def test_an_article_is_imported_and_reported_as_one_new_document(
    store: LibraryStore, service: ImportService, tmp_path: Path
) -> None:
    path = write(tmp_path / "talks.md", "# Talks resume\n\nTalks resumed in Geneva on Monday.\n")

    outcome = service.import_path(path)

    assert isinstance(outcome, DocumentImported)
    assert not outcome.already_present
    document = store.document(outcome.document_id)
    assert (outcome.title, outcome.length) == ("Talks resume", len(document.text))
    assert outcome.version_hint is None
    assert outcome.changes == ChangeReport.of(documents=[outcome.document_id])
    assert service.changes == outcome.changes


def test_the_readers_notes_come_with_the_outcome(
    store: LibraryStore, service: ImportService, tmp_path: Path
) -> None:
    import docx

    document = docx.Document()
    document.core_properties.title = "Grain talks"
    document.add_paragraph("Grain talks resumed on Monday.")
    path = tmp_path / "report.docx"
    document.save(str(path))

    outcome = service.import_path(path)

    assert isinstance(outcome, DocumentImported)
    assert outcome.notes == (
        "Word document: text and headings were kept; images, footnotes and page layout were not.",
    )
    assert store.document(outcome.document_id).import_notes == outcome.notes


def test_the_same_text_again_is_found_and_changes_nothing(
    store: LibraryStore, service: ImportService, tmp_path: Path
) -> None:
    first = service.import_path(write(tmp_path / "a.txt", "Talks went on.\n"))
    before = snapshot(store)

    # The same text saved with CRLF and a byte-order mark is the same document.
    again = service.import_path(write(tmp_path / "b.txt", "\ufeffTalks went on.\r\n"))

    assert isinstance(first, DocumentImported)
    assert isinstance(again, DocumentFound)
    assert again.already_present and again.notes == ()
    assert (again.document_id, again.title, again.length) == (first.document_id, "a", 15)
    assert again.not_carried == ""
    assert again.changes == NO_CHANGE
    assert snapshot(store) == before


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("missing.txt", None, "no such file"),
        ("notes.odt", b"PK\x03\x04", ".odt files cannot be imported"),
        ("empty.txt", b"", "the file is empty"),
        ("big.txt", b"x" * 2000, "is over the"),
        ("folder", "dir", "is a folder, not a file"),
        ("broken.json", b"{not json", "not JSON"),
        ("empty.qdc", b"  \n", "the file is empty"),
    ],
)
def test_a_refused_file_is_an_outcome_of_one_line_and_changes_nothing(
    store: LibraryStore, tmp_path: Path, name: str, content: bytes | str | None, reason: str
) -> None:
    path = tmp_path / name
    if content == "dir":
        path.mkdir()
    elif isinstance(content, bytes):
        path.write_bytes(content)
    service = ImportService(store, size_limit=1000)
    before = snapshot(store)

    outcome = service.import_path(path)

    assert isinstance(outcome, Refused)
    assert outcome.message.startswith(f"{path}: ") and reason in outcome.message
    assert "\n" not in outcome.message
    assert outcome.changes == NO_CHANGE and service.changes == NO_CHANGE
    assert snapshot(store) == before


def test_a_file_name_that_is_not_utf8_is_refused(
    store: LibraryStore, service: ImportService, tmp_path: Path
) -> None:
    name = os.fsencode(tmp_path) + b"/caf\xe9.txt"
    with open(name, "wb") as file:
        file.write(b"Talks resumed on Monday.\n")
    before = snapshot(store)

    outcome = service.import_path(Path(os.fsdecode(name)))

    assert outcome == Refused(
        f"{tmp_path}/caf\\xe9.txt: the file name is not valid UTF-8; "
        "rename the file and import it again"
    )
    assert snapshot(store) == before


def test_an_unexpected_error_propagates_and_the_library_is_unchanged(
    store: LibraryStore, service: ImportService, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args: object) -> object:
        raise KeyError("a bug of ours")

    monkeypatch.setattr(import_service, "_store_new_or_find", broken)
    before = snapshot(store)
    with pytest.raises(KeyError, match="a bug of ours"):
        service.import_path(write(tmp_path / "a.txt", "Talks went on.\n"))
    assert snapshot(store) == before
    assert service.changes == NO_CHANGE


def test_a_cancel_while_the_file_was_read_stores_nothing(
    store: LibraryStore, service: ImportService, tmp_path: Path
) -> None:
    before = snapshot(store)
    asked: list[bool] = []

    def keep_going() -> bool:
        asked.append(True)
        return False

    outcome = service.import_path(write(tmp_path / "a.txt", "Talks.\n"), keep_going=keep_going)

    assert outcome == Cancelled("a.txt") and asked == [True]
    assert snapshot(store) == before and service.changes == NO_CHANGE


def test_the_version_hint_names_an_article_with_the_same_title(
    store: LibraryStore, tmp_path: Path
) -> None:
    first = tmp_path / "a.md"
    second = tmp_path / "b.md"
    write(first, "# Strike called\n\nTwo unions called a strike.\n")
    write(second, "# Strike called\n\nTwo unions called a strike for Monday.\n")
    service = ImportService(store)
    earlier = service.import_path(first)

    hinted = service.import_path(second)

    assert isinstance(earlier, DocumentImported) and isinstance(hinted, DocumentImported)
    assert hinted.version_hint == earlier.document_id
    # The hint is only a suggestion: nothing was linked.
    assert [d.version_number for d in store.versions(hinted.document_id)] == [1]
    third = write(tmp_path / "c.md", "# Strike called\n\nThe strike was called off.\n")
    unhinted = ImportService(store, hint_versions=False).import_path(third)
    assert isinstance(unhinted, DocumentImported) and unhinted.version_hint is None


# ---- the clipboard -------------------------------------------------------------------------


def test_the_clipboards_text_becomes_a_document(store: LibraryStore) -> None:
    service = ImportService(store)

    outcome = service.import_clipboard(None, "Ministers met.\r\nTalks resume in May.\r\n")

    assert isinstance(outcome, DocumentImported)
    document = store.document(outcome.document_id)
    assert (document.source, document.text) == (
        "clipboard",
        "Ministers met.\nTalks resume in May.\n",
    )
    assert outcome.title == "Ministers met."
    assert outcome.changes == ChangeReport.of(documents=[outcome.document_id])
    assert isinstance(
        service.import_clipboard(None, "Ministers met.\nTalks resume in May.\n"), DocumentFound
    )


def test_the_clipboards_html_is_preferred(store: LibraryStore) -> None:
    html = "<h1>Port deal</h1><p>The port reopened on Monday after talks.</p>"

    outcome = ImportService(store).import_clipboard(html, "plain words")

    assert isinstance(outcome, DocumentImported)
    assert "The port reopened on Monday" in store.document(outcome.document_id).text


def test_an_empty_clipboard_is_refused_and_changes_nothing(store: LibraryStore) -> None:
    before = snapshot(store)
    service = ImportService(store)

    assert service.import_clipboard("<p> </p>", " \n\t") == Refused("The clipboard holds no text.")
    assert service.import_clipboard(None, None) == Refused("The clipboard holds no text.")
    assert snapshot(store) == before and service.changes == NO_CHANGE


# ---- new versions --------------------------------------------------------------------------


def annotated_sample(store: LibraryStore, service: ImportService) -> tuple[int, list[str]]:
    """The sample article imported, with three lines annotated; its id and its lines."""
    outcome = service.import_path(SAMPLE)
    assert isinstance(outcome, DocumentImported)
    text = store.document(outcome.document_id).text
    lines = text.split("\n")
    trade = store.tags()[0].id
    for line in (lines[1], lines[8], lines[18]):
        start = text.index(line)
        store.create_annotation(
            outcome.document_id, anchor_for(text, start, start + len(line)), [trade]
        )
    return outcome.document_id, lines


def test_a_new_version_carries_the_annotations_and_reports_both_documents(
    store: LibraryStore, service: ImportService, tmp_path: Path
) -> None:
    first, lines = annotated_sample(store, service)
    lines[8] = ""  # a sentence removed
    edited = write(tmp_path / "sample_v2.txt", "Breaking update.\n" + "\n".join(lines))
    stored: list[object] = []

    outcome = service.import_path(edited, version_of=first, on_stored=stored.append)

    assert isinstance(outcome, VersionCarried)
    new = outcome.document_id
    assert not outcome.already_present
    assert [type(s) for s in stored] == [DocumentImported]  # heard of before carrying
    assert (outcome.previous_id, outcome.version_number) == (first, 2)
    assert outcome.carried.total == 3 == outcome.placed + outcome.to_review + outcome.orphaned
    assert outcome.placed == 2
    assert outcome.changes == ChangeReport.of(documents=[new, first], annotations_of=[new])
    assert service.changes.documents == {first, new}
    assert [d.id for d in store.versions(first)] == [first, new]
    assert len(store.annotations(new)) == 3


def test_a_text_already_in_the_library_is_linked_once_then_left_alone(
    store: LibraryStore, service: ImportService, tmp_path: Path
) -> None:
    first = write(tmp_path / "a.md", "# Strike called\n\nTwo unions called a strike.\n")
    second = write(tmp_path / "b.md", "# Strike called\n\nTwo unions called a strike for Monday.\n")
    one = service.import_path(first)
    two = service.import_path(second)
    assert isinstance(one, DocumentImported) and isinstance(two, DocumentImported)

    linked = service.import_path(second, version_of=one.document_id)

    assert isinstance(linked, VersionCarried)
    assert linked.already_present and linked.notes == ()
    assert (linked.document_id, linked.version_number) == (two.document_id, 2)
    assert linked.changes == ChangeReport.of(
        documents=[one.document_id, two.document_id], annotations_of=[two.document_id]
    )
    before = snapshot(store)

    again = service.import_path(second, version_of=one.document_id)

    assert isinstance(again, DocumentFound)
    assert again.not_carried == f"it is already a version of document {one.document_id}"
    assert again.changes == NO_CHANGE and snapshot(store) == before


def test_an_article_with_versions_of_its_own_is_not_made_a_version_of_another(
    store: LibraryStore, service: ImportService, tmp_path: Path
) -> None:
    base = service.import_path(write(tmp_path / "a.txt", "Alpha talks.\n"))
    own = service.import_path(write(tmp_path / "b.txt", "Beta talks.\n"))
    assert isinstance(base, DocumentImported) and isinstance(own, DocumentImported)
    service.import_path(
        write(tmp_path / "b2.txt", "Beta talks went on.\n"), version_of=own.document_id
    )
    before = snapshot(store)

    outcome = service.import_path(tmp_path / "b.txt", version_of=base.document_id)

    assert isinstance(outcome, DocumentFound)
    assert outcome.not_carried == f"document {own.document_id} has versions of its own"
    assert snapshot(store) == before


def test_a_version_of_an_unknown_document_reads_nothing(
    store: LibraryStore, service: ImportService, tmp_path: Path
) -> None:
    before = snapshot(store)
    with pytest.raises(NotFoundError):
        service.import_path(tmp_path / "missing.txt", version_of=99)
    assert snapshot(store) == before


def test_a_failed_carry_still_reports_the_document_it_stored(
    store: LibraryStore, service: ImportService, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desktop_app.storage import version_carrying

    first, lines = annotated_sample(store, service)
    edited = write(tmp_path / "v2.txt", "Breaking update.\n" + "\n".join(lines))

    def locked(*_args: object, **_kwargs: object) -> object:
        raise RuntimeError("database is locked")

    monkeypatch.setattr(version_carrying, "carry_annotations", locked)
    with pytest.raises(RuntimeError, match="locked"):
        service.import_path(edited, version_of=first)

    [new] = [d.id for d in store.documents() if d.id != first]
    assert service.changes.documents == {first, new}  # the sample's import, and the new one
    assert store.annotations(new) == []


# ---- annotation files ----------------------------------------------------------------------


def test_w3c_annotations_report_the_documents_they_touched_and_new_tags(
    store: LibraryStore, other: LibraryStore, tmp_path: Path
) -> None:
    ids = make_library(store)
    exported = write(tmp_path / "notes.json", export_w3c(sample_bundle(store, ids[:2])))
    targets = add_sample_documents(other)
    service = ImportService(other)

    outcome = service.import_path(exported)

    assert isinstance(outcome, AnnotationsImported)
    assert outcome.document_ids == tuple(targets[:2])
    assert outcome.changes == ChangeReport.of(annotations_of=targets[:2], codebook=True)
    assert {a.document_id for d in targets for a in other.annotations(d)} == set(targets[:2])

    again = service.import_path(exported)

    assert isinstance(again, AnnotationsImported)
    assert "already present" in again.summary
    assert again.changes == NO_CHANGE


def test_w3c_annotations_for_one_document(
    store: LibraryStore, other: LibraryStore, tmp_path: Path
) -> None:
    ids = make_library(store)
    exported = write(tmp_path / "notes.json", export_w3c(sample_bundle(store, ids[:1])))
    target = add_sample_documents(other)[0]

    outcome = ImportService(other).import_path(exported, annotations_for=target)

    assert isinstance(outcome, AnnotationsImported)
    assert outcome.changes.annotations_of == {target}
    assert outcome.changes.documents == frozenset()


def test_a_project_reports_the_articles_it_added(
    store: LibraryStore, other: LibraryStore, tmp_path: Path
) -> None:
    make_library(store)
    archive, _ = export_qdpx(sample_bundle(store, None, EXPORTED_AT))
    project = tmp_path / "project.qdpx"
    project.write_bytes(archive)
    service = ImportService(other)

    outcome = service.import_path(project)

    assert isinstance(outcome, AnnotationsImported)
    added = {d.id for d in other.documents()}
    assert len(added) == 4
    assert outcome.changes == ChangeReport.of(documents=added, annotations_of=added, codebook=True)
    assert outcome.document_ids == ()  # the window opens nothing for a project

    again = service.import_path(project)

    assert isinstance(again, AnnotationsImported)
    assert again.changes.documents == frozenset()
    assert again.changes.annotations_of == added  # found again: named, to be safe
    assert {d.id for d in other.documents()} == added


def test_a_codebook_reports_the_codebook_alone(
    store: LibraryStore, other: LibraryStore, tmp_path: Path
) -> None:
    make_library(store)
    codebook = tmp_path / "codes.qdc"
    codebook.write_bytes(export_qdc(store.tags()))

    outcome = ImportService(other).import_path(codebook)

    assert isinstance(outcome, AnnotationsImported)
    assert "added" in outcome.summary
    assert outcome.changes == ChangeReport.of(codebook=True)
    assert {t.name for t in other.tags()} == {t.name for t in store.tags()}


# ---- normalised once -----------------------------------------------------------------------


@pytest.mark.parametrize("text", ["One.\r\nTwo.", "One.\rTwo.", "\ufeffOne.", "\ufffeOne."])
def test_storage_refuses_a_text_that_is_not_normalised(store: LibraryStore, text: str) -> None:
    before = snapshot(store)
    with pytest.raises(ValueError, match="normalised"):
        store.add_document("Raw", "raw.txt", text)
    assert snapshot(store) == before


@pytest.mark.parametrize("text", ["One.\r\nTwo.", "\ufeffOne."])
def test_an_imported_document_is_built_only_with_normalised_text(text: str) -> None:
    with pytest.raises(ValueError, match="normalised"):
        ImportedDocument(title="Raw", source="raw.txt", text=text, format="text")


def test_the_look_up_compares_the_text_as_given(store: LibraryStore) -> None:
    added = store.add_document("Two lines", "a.txt", "One.\nTwo.")

    assert store.find_document_with_text("One.\nTwo.") == added.id
    assert store.find_document_with_text("One.\r\nTwo.") is None  # not normalised again
