"""REFI-QDA import: our own exports round-trip, foreign and hostile files are read defensively.

Foreign projects are built here with lxml, element by element, in the shapes other tools write
(nested codes, `#RGB` colours, CRLF texts, inline texts, PDF and picture sources, NoteRefs).
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from export_samples import (
    ORDERED_ANNOTATIONS,
    ORDERED_CODEBOOK,
    ORDERED_TEXT,
    codebook_rows,
    make_ordered_library,
    tree_order,
)
from lxml import etree
from lxml.builder import ElementMaker
from test_refi_export import EXPORTED_AT, build_library, project_of, tag_tree, validate

from desktop_app.core.codebook import TagSpec
from desktop_app.core.records import AnnotationRecord, DocumentSummary, TagRecord
from desktop_app.io.export_bundle import collect_bundle
from desktop_app.io.refi_export import (
    CODEBOOK_NS,
    ORDER_SET_GUID,
    PROJECT_NS,
    code_guid,
    export_qdc,
    export_qdpx,
)
from desktop_app.io.refi_import import (
    RefiImportError,
    RefiImportReport,
    import_qdc,
    import_qdpx,
)
from desktop_app.storage.library_store import LibraryStore

E = ElementMaker(namespace=PROJECT_NS, nsmap={None: PROJECT_NS})
TRADE = "11111111-1111-4111-8111-111111111111"
SECURITY = "22222222-2222-4222-8222-222222222222"
CHILD = "33333333-3333-4333-8333-333333333333"
SOURCE = "44444444-4444-4444-8444-444444444444"
TEXT = "😀 First claim: tariffs rise.\nSecond claim: 𠮷 troops leave.\n"


@pytest.fixture
def empty(tmp_path: Path) -> Iterator[LibraryStore]:
    """A library with no codebook and no documents (not prepared)."""
    store = LibraryStore.open(tmp_path / "empty.db")
    yield store
    store.close()


@pytest.fixture
def library(tmp_path: Path) -> Iterator[LibraryStore]:
    store = build_library(tmp_path / "library.db")
    yield store
    store.close()


def guid(number: int) -> str:
    return f"00000000-0000-4000-8000-{number:012d}"


def selection(number: int, start: Any, end: Any, *codes: str, note: str = "") -> etree._Element:
    """A PlainTextSelection coded with `codes`, with `note` as its Description."""
    children = [E.Description(note)] if note else []
    children += [
        E.Coding(E.CodeRef(targetGUID=code), guid=guid(900 + i)) for i, code in enumerate(codes)
    ]
    return E.PlainTextSelection(
        *children, guid=guid(number), startPosition=str(start), endPosition=str(end)
    )


def codebook() -> etree._Element:
    """Trade (described), and a folder code "security" (not codable) holding "troops"."""
    trade = E.Code(E.Description("Money"), guid=TRADE, name="Trade", isCodable="true")
    trade.set("color", "#E69F00")
    troops = E.Code(guid=CHILD, name="troops", isCodable="true", color="#0a0")
    security = E.Code(troops, guid=SECURITY, name="security", isCodable="false")
    return E.CodeBook(E.Codes(trade, security))


def project(*sections: etree._Element) -> bytes:
    root = E.Project(*sections, name="Foreign", origin="Another tool")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def qdpx(project_xml: bytes, files: dict[str, bytes] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("project.qde", project_xml)
        for name, data in (files or {}).items():
            zf.writestr(name, data)
    return buffer.getvalue()


def text_source(*selections: etree._Element, path: str = f"internal://{SOURCE}.txt") -> Any:
    return E.TextSource(*selections, guid=SOURCE, name="Foreign text", plainTextPath=path)


Snapshot = tuple[
    tuple[DocumentSummary, ...], tuple[TagRecord, ...], tuple[tuple[AnnotationRecord, ...], ...]
]


def snapshot(store: LibraryStore) -> Snapshot:
    """Everything an import could change: documents, tags and every annotation."""
    documents = store.documents(all_versions=True)
    annotations = tuple(tuple(store.annotations(d.id)) for d in documents)
    return tuple(documents), tuple(store.tags()), annotations


def library_content(store: LibraryStore) -> dict[str, list[tuple[int, int, str, set[str], str]]]:
    """Per document text: each annotation's span, quote, tag names and note."""
    names = {tag.id: tag.name for tag in store.tags()}
    return {
        store.document(d.id).text: [
            (a.start, a.end, a.exact, {names[t] for t in a.tag_ids}, a.note)
            for a in store.annotations(d.id)
        ]
        for d in store.documents()
    }


# ---- round trips ---------------------------------------------------------------------------------


def test_round_trip_into_an_empty_library(
    library: LibraryStore, empty: LibraryStore, tmp_path: Path
) -> None:
    archive, _ = export_qdpx(collect_bundle(library, None, EXPORTED_AT))
    path = tmp_path / "library.qdpx"
    path.write_bytes(archive)
    report = import_qdpx(empty, path)
    assert (report.documents_added, report.tags_added) == (4, 5)
    assert report.annotations_added == sum(
        len(library.annotations(d.id)) for d in library.documents()
    )
    assert (report.selections_out_of_range, report.selections_skipped, report.notes) == (0, 0, ())
    tags = [(t.name, t.colour, t.description) for t in library.tags()]
    assert [(t.name, t.colour, t.description) for t in empty.tags()] == tags
    assert tag_tree(empty.tags()) == tag_tree(library.tags())
    assert ("tariffs", "trade") in tag_tree(empty.tags())
    assert library_content(empty) == library_content(library)
    assert [d.title for d in empty.documents()] == [d.title for d in library.documents()]
    assert {a.uuid for d in empty.documents() for a in empty.annotations(d.id)} == {
        a.uuid for d in library.documents() for a in library.annotations(d.id)
    }


def test_importing_again_adds_nothing(library: LibraryStore) -> None:
    archive, _ = export_qdpx(collect_bundle(library, None, EXPORTED_AT))
    before = snapshot(library)
    report = import_qdpx(library, archive)
    assert snapshot(library) == before
    assert (report.documents_added, report.documents_matched, report.tags_matched) == (0, 4, 5)
    assert report.annotations_added == 0
    assert report.annotations_present == sum(len(a) for a in before[2])


def test_codes_match_tags_without_case_and_texts_match_documents(empty: LibraryStore) -> None:
    empty.add_tag(TagSpec("TRADE", "#123456"))
    existing = empty.add_document("Mine", "clipboard", TEXT)
    files = {f"sources/{SOURCE}.txt": TEXT.encode()}
    report = import_qdpx(
        empty, qdpx(project(codebook(), E.Sources(text_source(selection(1, 2, 14, TRADE)))), files)
    )
    assert (report.tags_matched, report.tags_added, report.documents_matched) == (1, 2, 1)
    assert [(t.name, t.colour) for t in empty.tags()] == [
        ("TRADE", "#123456"),
        ("security", "#e69f00"),  # no colour in the file: the palette's first free one
        ("troops", "#00aa00"),
    ]
    # The nested code keeps its place under its (new) parent; nothing had to be flattened.
    assert tag_tree(empty.tags()) == [("TRADE", None), ("security", None), ("troops", "security")]
    assert [d.id for d in empty.documents()] == [existing.id]
    (annotation,) = empty.annotations(existing.id)
    assert (annotation.exact, annotation.tag_ids) == ("First claim:", (empty.tags()[0].id,))
    assert report.notes == ()


def test_a_new_code_nests_under_a_tag_the_library_has(empty: LibraryStore) -> None:
    """The parent matches an existing tag: the new child goes under it, the parent stays put."""
    security = empty.add_tag(TagSpec("Security", "#123456"))
    empty.add_tag(TagSpec("troops", "#654321"))  # already there, at the top: left as it is
    deeper = E.Code(guid=guid(701), name="navy", isCodable="true")
    troops = E.Code(deeper, guid=CHILD, name="troops", isCodable="true")
    ships = E.Code(guid=guid(702), name="ships", isCodable="true")
    codes = E.CodeBook(
        E.Codes(E.Code(troops, ships, guid=SECURITY, name="security", isCodable="false"))
    )
    report = import_qdpx(empty, qdpx(project(codes)))
    assert report.tags_added == 2 and report.tags_matched == 2
    assert tag_tree(empty.tags()) == [
        ("Security", None),
        ("ships", "Security"),  # listed under its parent
        ("troops", None),
        ("navy", "troops"),
    ]
    assert empty.tags()[0].id == security.id


def test_a_code_without_a_guid_hands_its_children_to_its_own_parent(empty: LibraryStore) -> None:
    child = E.Code(guid=CHILD, name="troops", isCodable="true")
    broken = E.Code(child, guid="not a guid", name="broken", isCodable="true")
    codes = E.CodeBook(E.Codes(E.Code(broken, guid=SECURITY, name="security", isCodable="true")))
    import_qdpx(empty, qdpx(project(codes)))
    assert tag_tree(empty.tags()) == [("security", None), ("troops", "security")]


def test_codebook_round_trip(library: LibraryStore, empty: LibraryStore) -> None:
    data = export_qdc(library.tags())
    assert import_qdc(empty, data).tags_added == 5
    assert [(t.name, t.colour, t.description) for t in empty.tags()] == [
        (t.name, t.colour, t.description) for t in library.tags()
    ]
    assert tag_tree(empty.tags()) == tag_tree(library.tags())
    assert import_qdc(empty, data).tags_added == 0
    with pytest.raises(RefiImportError):
        import_qdc(empty, b"<CodeBook")
    with pytest.raises(RefiImportError):
        import_qdc(empty, project())


@pytest.fixture
def ordered(tmp_path: Path) -> Iterator[LibraryStore]:
    """A library with ORDERED_CODEBOOK (a child after its parent's sibling, a child before its
    unused parent, an unused tag) and ORDERED_ANNOTATIONS."""
    store = LibraryStore.open(tmp_path / "ordered.db")
    make_ordered_library(store)
    yield store
    store.close()


def test_the_codebook_order_and_every_annotation_round_trip_into_an_empty_library(
    ordered: LibraryStore, empty: LibraryStore, tmp_path: Path
) -> None:
    archive, losses = export_qdpx(collect_bundle(ordered, None, EXPORTED_AT))
    path = tmp_path / "ordered.qdpx"
    path.write_bytes(archive)
    assert validate(path).returncode == 0, validate(path).stdout

    report = import_qdpx(empty, path)

    assert report.notes == ()  # the tag-order Set is ours: not reported as "sets not imported"
    assert (report.tags_added, report.annotations_added) == (6, len(ORDERED_ANNOTATIONS))
    assert codebook_rows(empty) == tree_order(ORDERED_CODEBOOK)
    assert [t.position for t in empty.tags()] == list(range(len(ORDERED_CODEBOOK)))
    (document,) = empty.documents()
    names = {t.id: t.name for t in empty.tags()}
    original = {a.uuid: a for a in ordered.annotations(ordered.documents()[0].id)}
    for annotation in empty.annotations(document.id):
        source = original[annotation.uuid]
        assert (annotation.exact, annotation.start, annotation.end, annotation.note) == (
            source.exact,
            source.start,
            source.end,
            source.note,
        )
        assert sorted(names[t] for t in annotation.tag_ids) == sorted(
            names_of(ordered, source.tag_ids)
        )
        # REFI-QDA has no claim fields (the export says so) and Claimmark writes its times to
        # the second, as other tools expect.
        assert (annotation.stance, annotation.speaker, annotation.checkworthiness) == ("", "", None)
        assert annotation.created == source.created.replace(microsecond=0)
        assert annotation.updated == source.updated.replace(microsecond=0)
    assert len(empty.annotations(document.id)) == len(original)
    assert any("Claim fields" in line for line in losses)
    assert empty.document(document.id).text == ORDERED_TEXT


def names_of(store: LibraryStore, tag_ids: Sequence[int]) -> list[str]:
    names = {t.id: t.name for t in store.tags()}
    return [names[t] for t in tag_ids]


def test_the_order_set_lists_every_code_in_panel_order_only_when_nesting_cannot(
    ordered: LibraryStore, library: LibraryStore, tmp_path: Path
) -> None:
    root, _ = project_of(export_qdpx(collect_bundle(ordered, None, EXPORTED_AT))[0])
    (order,) = root.iterfind(f"{{{PROJECT_NS}}}Sets/{{{PROJECT_NS}}}Set")
    assert order.get("guid") == ORDER_SET_GUID
    members = [m.get("targetGUID") for m in order.iterfind(f"{{{PROJECT_NS}}}MemberCode")]
    assert members == [code_guid(name) for name, *_ in ORDERED_CODEBOOK]
    # Where the panel order is the tree order (tariffs right after trade), nothing is added.
    plain, _ = project_of(export_qdpx(collect_bundle(library, None, EXPORTED_AT))[0])
    assert plain.find(f"{{{PROJECT_NS}}}Sets") is None
    qdc = tmp_path / "ordered.qdc"
    qdc.write_bytes(export_qdc(ordered.tags()))
    assert validate(qdc).returncode == 0, validate(qdc).stdout
    assert etree.fromstring(export_qdc(library.tags())).find(f"{{{CODEBOOK_NS}}}Sets") is None


def test_a_codebook_keeps_its_order(ordered: LibraryStore, empty: LibraryStore) -> None:
    assert import_qdc(empty, export_qdc(ordered.tags())).tags_added == len(ORDERED_CODEBOOK)
    assert codebook_rows(empty) == tree_order(ORDERED_CODEBOOK)


def test_a_stale_order_set_falls_back_to_the_tree_order(empty: LibraryStore) -> None:
    """Another tool added a code but left our Set as it was: the file's own order stands."""
    stale = E.Set(E.MemberCode(targetGUID=CHILD), E.MemberCode(targetGUID=TRADE))
    stale.set("guid", ORDER_SET_GUID)
    stale.set("name", "Claimmark tag order")
    report = import_qdpx(empty, qdpx(project(codebook(), E.Sets(stale))))
    assert tag_tree(empty.tags()) == [("Trade", None), ("security", None), ("troops", "security")]
    assert report.notes == ()


def test_other_sets_are_still_reported(empty: LibraryStore) -> None:
    mine = E.Set(E.MemberCode(targetGUID=TRADE), guid=guid(800), name="Favourites")
    report = import_qdpx(empty, qdpx(project(codebook(), E.Sets(mine))))
    assert report.notes == ("Not imported: sets.",)


# ---- foreign shapes ------------------------------------------------------------------------------


def test_crlf_and_bom_texts_keep_selections_on_their_words(empty: LibraryStore) -> None:
    raw = "\ufeffOne.\r\nTwo claims here.\r\nThree."
    # Other tools count positions after the file's BOM, and CRLF as two characters.
    start = raw.removeprefix("\ufeff").index("Two claims")
    sources = E.Sources(text_source(selection(1, start, start + 10)))
    files = {f"sources/{SOURCE}.txt": raw.encode("utf-8")}
    report = import_qdpx(empty, qdpx(project(sources), files))
    assert report.annotations_added == 1
    (document,) = empty.documents()
    assert empty.document(document.id).text == "One.\nTwo claims here.\nThree."
    assert [a.exact for a in empty.annotations(document.id)] == ["Two claims"]


def test_inline_text_notes_and_note_references(empty: LibraryStore) -> None:
    note_guid = guid(77)
    notes = E.Notes(E.Note(E.PlainTextContent("A memo\nover two lines"), guid=note_guid))
    chosen = selection(1, 2, 28, note="Described & <kept>")
    chosen.append(E.NoteRef(targetGUID=note_guid))
    source = E.TextSource(E.PlainTextContent(TEXT), chosen, guid=SOURCE, name="Inline")
    report = import_qdpx(empty, qdpx(project(E.Sources(source), notes)))
    assert report.annotations_added == 1
    (document,) = empty.documents()
    (annotation,) = empty.annotations(document.id)
    assert annotation.exact == "First claim: tariffs rise."
    assert annotation.note == "Described & <kept>\n\nA memo\nover two lines"


def test_out_of_range_selections_are_counted_not_attached(empty: LibraryStore) -> None:
    length = len(TEXT)
    sources = E.Sources(
        text_source(
            selection(1, 2, 14, TRADE),  # the one good selection
            selection(2, 5, 5),  # empty
            selection(3, -1, 4),
            selection(4, 10, length + 1),  # one past the end in code points
            selection(5, 20, 10),
            selection(6, "x", 10),
            selection(7, length - 1, length + 2),
        )
    )
    files = {f"sources/{SOURCE}.txt": TEXT.encode()}
    report = import_qdpx(empty, qdpx(project(codebook(), sources), files))
    assert (report.annotations_added, report.selections_out_of_range) == (1, 6)
    assert "6 selections outside" in " ".join(report.notes)
    assert report.summary() == "1 document, 1 annotation and 3 tags imported; 6 selections skipped"


def test_other_kinds_of_sources_and_selections_are_skipped(empty: LibraryStore) -> None:
    pdf = E.PDFSource(
        E.PDFSelection(guid=guid(10), page="1", firstX="0", firstY="0", secondX="5", secondY="5"),
        guid=guid(11), path="internal://a.pdf",
    )  # fmt: skip
    picture = E.PictureSource(
        E.PictureSelection(guid=guid(12), firstX="0", firstY="0", secondX="5", secondY="5"),
        guid=guid(13), path="internal://a.png",
    )  # fmt: skip
    sources = E.Sources(
        pdf,
        picture,
        text_source(selection(1, 2, 14)),
        E.TextSource(selection(2, 0, 1), guid=guid(14), plainTextPath="file:///etc/hostname"),
        E.TextSource(selection(3, 0, 1), guid=guid(15), plainTextPath="internal://../x.txt"),
        E.TextSource(guid=guid(16), plainTextPath="internal://missing.txt"),
        E.TextSource(guid=guid(17), richTextPath="internal://a.docx"),
    )
    files = {f"sources/{SOURCE}.txt": TEXT.encode(), "sources/not-utf8.txt": b"\xff\xfe"}
    report = import_qdpx(empty, qdpx(project(sources), files))
    assert (report.documents_added, report.annotations_added) == (1, 1)
    assert (report.sources_skipped, report.selections_skipped) == (6, 4)


def test_codings_of_unknown_codes_are_ignored(empty: LibraryStore) -> None:
    unknown = "99999999-9999-4999-8999-999999999999"
    sources = E.Sources(text_source(selection(1, 2, 14, TRADE, unknown)))
    files = {f"sources/{SOURCE}.txt": TEXT.encode()}
    report = import_qdpx(empty, qdpx(project(codebook(), sources), files))
    (annotation,) = empty.annotations(empty.documents()[0].id)
    assert [empty.tags()[0].id] == list(annotation.tag_ids)
    assert "1 coding naming no known code ignored." in report.notes


def test_entities_are_not_resolved(empty: LibraryStore, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET", encoding="utf-8")
    xml = (
        f'<?xml version="1.0"?><!DOCTYPE p [<!ENTITY x SYSTEM "file://{secret}">]>'
        f'<Project xmlns="{PROJECT_NS}" name="p"><Sources><TextSource guid="{SOURCE}">'
        f"<PlainTextContent>{TEXT}</PlainTextContent>"
        f'<PlainTextSelection guid="{guid(1)}" startPosition="2" endPosition="14">'
        "<Description>before &x; after</Description></PlainTextSelection>"
        "</TextSource></Sources></Project>"
    ).encode()
    import_qdpx(empty, qdpx(xml))
    (annotation,) = empty.annotations(empty.documents()[0].id)
    assert "SECRET" not in annotation.note


def test_long_names_and_odd_colours_become_valid_tags(empty: LibraryStore) -> None:
    codes = E.CodeBook(
        E.Codes(
            E.Code(guid=guid(1), name="x" * 100, isCodable="true", color="red"),
            E.Code(guid=guid(2), name=" \t ", isCodable="true", color="#ABC"),
        )
    )
    report = import_qdpx(empty, qdpx(project(codes)))
    assert report.tags_added == 2
    assert [(t.name, t.colour) for t in empty.tags()] == [
        ("x" * 64, "#e69f00"),
        ("Unnamed code", "#aabbcc"),
    ]


# ---- refused files, nothing written -------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"plain text, not a zip", "not a ZIP"),
        (qdpx(b"<Project"), "not well-formed"),
        (qdpx(b'<CodeBook xmlns="urn:QDA-XML:codebook:1.0"/>'), "does not hold a REFI-QDA project"),
    ],
)
def test_unreadable_files_are_refused(library: LibraryStore, data: bytes, message: str) -> None:
    before = snapshot(library)
    with pytest.raises(RefiImportError, match=message):
        import_qdpx(library, data)
    assert snapshot(library) == before


def test_archive_without_project_is_refused(library: LibraryStore, tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("sources/a.txt", "text")
    with pytest.raises(RefiImportError, match=r"no project\.qde") as caught:
        import_qdpx(library, buffer.getvalue())
    assert "\n" not in str(caught.value)
    with pytest.raises(RefiImportError, match="Cannot read"):
        import_qdpx(library, tmp_path / "missing.qdpx")


@pytest.mark.parametrize(
    "name",
    ["../evil.txt", "/etc/evil.txt", "sources/../../evil.txt", "C:/evil.txt", "..\\evil.txt"],
)
def test_zip_slip_names_refuse_the_archive(library: LibraryStore, name: str) -> None:
    sources = E.Sources(text_source(selection(1, 2, 14)))
    archive = qdpx(project(sources), {f"sources/{SOURCE}.txt": TEXT.encode(), name: b"x"})
    before = snapshot(library)
    with pytest.raises(RefiImportError, match="unsafe entry name"):
        import_qdpx(library, archive)
    assert snapshot(library) == before


def test_oversized_archives_are_refused(empty: LibraryStore) -> None:
    files = {f"sources/{SOURCE}.txt": b"a" * 5000}
    with pytest.raises(RefiImportError, match="more than"):
        import_qdpx(empty, qdpx(project(), files), size_limit=4000)
    assert snapshot(empty) == ((), (), ())


@pytest.mark.parametrize(("method", "failing_call"), [("add_document", 2), ("add_annotations", 1)])
def test_a_failed_write_takes_back_the_whole_import(
    library: LibraryStore, monkeypatch: pytest.MonkeyPatch, method: str, failing_call: int
) -> None:
    """Tags and documents commit one by one, so a failure later on is undone by the importer."""
    archive, _ = export_qdpx(collect_bundle(library, None, EXPORTED_AT))
    other = LibraryStore.open(Path(str(library.path) + ".other"))
    try:
        other.add_tag(TagSpec("trade", "#000000"))
        other.add_document("Already here", "x", library.document(1).text)
        before = snapshot(other)
        real = getattr(other, method)
        calls: list[object] = []

        def failing(*args: Any, **kwargs: Any) -> Any:
            calls.append(args)
            if len(calls) == failing_call:
                raise OSError("disk full")
            return real(*args, **kwargs)

        monkeypatch.setattr(other, method, failing)
        with pytest.raises(OSError, match="disk full"):
            import_qdpx(other, archive)
        assert len(calls) == failing_call
        assert snapshot(other) == before
    finally:
        other.close()


def test_a_guid_used_by_another_document_gets_a_fresh_one(empty: LibraryStore) -> None:
    first = E.TextSource(E.PlainTextContent(TEXT), selection(1, 2, 14), guid=SOURCE)
    import_qdpx(empty, qdpx(project(E.Sources(first))))
    other = E.TextSource(
        E.PlainTextContent("Another text entirely."), selection(1, 0, 7), guid=SOURCE
    )
    report = import_qdpx(empty, qdpx(project(E.Sources(other))))
    assert (report.annotations_added, report.annotations_present) == (1, 0)
    uuids = [a.uuid for d in empty.documents() for a in empty.annotations(d.id)]
    assert uuids[0] == guid(1) and len(set(uuids)) == 2


def test_report_summary_reads_well() -> None:
    report = RefiImportReport(documents_added=1, annotations_added=2, tags_added=0)
    assert report.summary() == "1 document, 2 annotations and 0 tags imported"


def test_selection_times_are_kept(empty: LibraryStore) -> None:
    chosen = selection(1, 2, 14)
    chosen.set("creationDateTime", "2020-05-06T07:08:09Z")
    import_qdpx(
        empty, qdpx(project(E.Sources(E.TextSource(E.PlainTextContent(TEXT), chosen, guid=SOURCE))))
    )
    (annotation,) = empty.annotations(empty.documents()[0].id)
    assert annotation.created == datetime(2020, 5, 6, 7, 8, 9, tzinfo=UTC)


def test_an_entity_that_would_double_the_project_is_left_out(empty: LibraryStore) -> None:
    big = "x" * 2000
    xml = (
        f'<?xml version="1.0"?><!DOCTYPE p [<!ENTITY big "{big}">]>'
        f'<Project xmlns="{PROJECT_NS}" name="p"><Sources><TextSource guid="{SOURCE}" name="T">'
        f"<PlainTextContent>{TEXT}&big;&big;&big; end</PlainTextContent>"
        f'<PlainTextSelection guid="{guid(1)}" startPosition="2" endPosition="14"/>'
        "</TextSource></Sources></Project>"
    ).encode()
    report = import_qdpx(empty, qdpx(xml))
    assert empty.document(empty.documents()[0].id).text == TEXT + big + " end"
    assert report.notes == (
        "Left out: &big; in the text of “T” (the project would grow past twice its size), "
        "&big; in the text of “T” (the project would grow past twice its size).",
    )
