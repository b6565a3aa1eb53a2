"""The REFI-QDA export validates against the standard and carries every quote, tag and note exactly.

The library is built through the real store, so the records are the ones the app exports; each
check opens the archive and compares it with those records (no stored copy of the output).
"""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from lxml import etree

from desktop_app.core.anchors import anchor_for
from desktop_app.core.codebook import TagSpec
from desktop_app.core.records import (
    ANCHOR_NEEDS_REVIEW,
    ANCHOR_ORPHANED,
    AnnotationRecord,
    DocumentRecord,
    TagRecord,
)
from desktop_app.core.text_normalise import normalise_text
from desktop_app.io.export_bundle import ExportBundle, collect_bundle
from desktop_app.io.refi_export import (
    PROJECT_NS,
    RefiExportError,
    code_guid,
    export_qdc,
    export_qdpx,
)
from desktop_app.resources import sample_article
from desktop_app.storage.library_setup import prepare_library
from desktop_app.storage.library_store import LibraryStore

VALIDATOR = Path(__file__).resolve().parents[1] / "data" / "standards" / "validate_refi.py"
EXPORTED_AT = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
NS = {"q": PROJECT_NS}

HOSTILE_NOTES = [
    "<script>alert('x')</script>",
    "ends a CDATA ]]> here",
    "AT&T &amp; &lt;not an entity&gt;",
    "double \"quotes\" and single 'quotes'",
    "line one\nline two\n\nafter a blank line",
    "  leading and trailing spaces  ",
    "carriage\r\nreturn kept as typed",
    "emoji 😀 and 𠮷 in a note",
]
EMOJI_TEXT = (
    "😀👍🏽 Reactions were mixed. 𠮷野家 said the tariff on beef will double by 2027.\n"
    "🇯🇵 Officials called the deal “historic”, and 𠮷 appeared again.\n"
)
JAPANESE_TEXT = (
    "高市首相はトランプ大統領と会談した。\n"
    "両首脳は「貿易」と『安全保障』について協議する見通しだ。\n"
)
CRLF_TEXT = "Ministers met on Monday.\r\nThe coalition has 231 seats.\r\nTalks resume in May.\r\n"


def build_library(path: Path) -> LibraryStore:
    """A library like a reader's: four articles, overlapping and multi-tag claims, hostile notes,
    `tariffs` nested under `trade` (right after it in panel order) and a few claim fields."""
    store = LibraryStore.open(path)
    prepare_library(store)
    store.add_tag(TagSpec("economy & <markets>", "#CC79A7", 'Money, "markets" & ]]> prices'))
    trade, security, coalition, economy = (tag.id for tag in store.tags())
    tariffs = store.add_tag(
        TagSpec("tariffs", "#D55E00", "Duties on imports."), position=1, parent_id=trade
    ).id
    title, source, sample = sample_article()
    article = store.add_document(title, source, sample, site="Example Daily")
    emoji = store.add_document("Emoji 😀 & 𠮷", "pasted", EMOJI_TEXT)
    japanese = store.add_document("日本語の記事", "https://example.jp/a", JAPANESE_TEXT)
    crlf = store.add_document("Windows notes", "notes.txt", normalise_text(CRLF_TEXT))

    def annotate(
        document: DocumentRecord, quote: str, tags: list[int], note: str = ""
    ) -> AnnotationRecord:
        start = document.text.index(quote)
        anchor = anchor_for(document.text, start, start + len(quote))
        return store.create_annotation(document.id, anchor, tags, note)

    annotate(article, "center on trade and security matters", [trade, security], HOSTILE_NOTES[0])
    annotate(article, "trade and security", [economy], HOSTILE_NOTES[1])  # inside the one above
    annotate(article, "formed a coalition", [coalition])
    beef = annotate(emoji, "the tariff on beef will double", [tariffs], HOSTILE_NOTES[2])
    store.set_claim_fields(beef.id, "supports", '=HYPERLINK("x")', 4)
    double = annotate(emoji, "will double by 2027", [economy, trade, tariffs], HOSTILE_NOTES[3])
    store.set_claim_fields(double.id, "", "", 2)
    annotate(emoji, "“historic”, and 𠮷 appeared", [], HOSTILE_NOTES[4])
    annotate(japanese, "「貿易」と『安全保障』", [trade, security], HOSTILE_NOTES[5])
    annotate(japanese, "高市首相", [coalition], HOSTILE_NOTES[7])
    annotate(crlf, "The coalition has 231 seats.", [coalition], HOSTILE_NOTES[6])
    talks = annotate(crlf, "Talks resume in May.", [security])
    store.set_claim_fields(talks.id, "", '<b>Ana</b> "Ruiz"', None)
    return store


@pytest.fixture
def library(tmp_path: Path) -> Iterator[LibraryStore]:
    store = build_library(tmp_path / "library.db")
    yield store
    store.close()


@pytest.fixture
def bundle(library: LibraryStore) -> ExportBundle:
    return collect_bundle(library, None, EXPORTED_AT)


def validate(path: Path) -> subprocess.CompletedProcess[str]:
    """Run the standards validator as the README says."""
    return subprocess.run(
        [sys.executable, str(VALIDATOR), str(path)], capture_output=True, text=True, check=False
    )


def project_of(archive: bytes) -> tuple[etree._Element, dict[str, bytes]]:
    """The parsed project.qde and the raw bytes of every entry."""
    with zipfile.ZipFile(io.BytesIO(archive)) as zf:
        entries = {name: zf.read(name) for name in zf.namelist()}
    return etree.fromstring(entries["project.qde"]), entries


def test_export_validates_and_counts_every_selection(bundle: ExportBundle, tmp_path: Path) -> None:
    archive, _ = export_qdpx(bundle)
    path = tmp_path / "library.qdpx"
    path.write_bytes(archive)
    result = validate(path)
    assert result.returncode == 0, result.stdout + result.stderr
    expected = f"refi: 4 sources, {bundle.annotation_count} selections valid"
    assert result.stdout.strip().splitlines()[-1] == expected


def test_sources_are_the_stored_texts_as_utf8_without_bom(bundle: ExportBundle) -> None:
    root, entries = project_of(export_qdpx(bundle)[0])
    sources = root.findall("q:Sources/q:TextSource", NS)
    assert [s.get("name") for s in sources] == [d.title for d in bundle.documents]
    for source, document in zip(sources, bundle.documents, strict=True):
        path = source.get("plainTextPath")
        assert path == f"internal://{source.get('guid')}.txt"
        raw = entries["sources/" + path.removeprefix("internal://")]
        assert not raw.startswith(b"\xef\xbb\xbf")
        assert raw.decode("utf-8") == document.text
    assert "\r" not in bundle.documents[3].text  # the CRLF input was normalised on import


def test_every_selection_quotes_its_annotation_in_code_points(bundle: ExportBundle) -> None:
    root, entries = project_of(export_qdpx(bundle)[0])
    by_uuid = {
        a.uuid: a for document in bundle.documents for a in bundle.annotations_of(document.id)
    }
    names = {tag.id: tag.name for tag in bundle.tags}
    seen = 0
    for source in root.findall("q:Sources/q:TextSource", NS):
        text = entries["sources/" + source.get("guid", "") + ".txt"].decode("utf-8")
        for selection in source.findall("q:PlainTextSelection", NS):
            annotation = by_uuid[selection.get("guid", "")]
            start, end = (
                int(selection.get("startPosition", "")),
                int(selection.get("endPosition", "")),
            )
            assert (start, end) == (annotation.start, annotation.end)
            assert text[start:end] == annotation.exact
            description = selection.find("q:Description", NS)
            assert (description.text if description is not None else "") == annotation.note
            targets = [
                ref.get("targetGUID") for ref in selection.iterfind("q:Coding/q:CodeRef", NS)
            ]
            assert sorted(targets) == sorted(code_guid(names[t]) for t in annotation.tag_ids)
            seen += 1
    assert seen == bundle.annotation_count


def test_emoji_document_would_fail_with_utf16_offsets(bundle: ExportBundle) -> None:
    """The fixture really tests code points: UTF-16 positions differ for the emoji spans."""
    document = bundle.documents[1]
    annotation = bundle.annotations_of(document.id)[0]
    utf16_start = len(document.text[: annotation.start].encode("utf-16-le")) // 2
    assert utf16_start != annotation.start


def test_hostile_notes_survive_exactly(bundle: ExportBundle) -> None:
    root, _ = project_of(export_qdpx(bundle)[0])
    descriptions = [d.text for d in root.iterfind(".//q:PlainTextSelection/q:Description", NS)]
    assert sorted(descriptions) == sorted(HOSTILE_NOTES)
    code = root.find("q:CodeBook/q:Codes/q:Code[@name='economy & <markets>']", NS)
    assert code is not None
    assert code.findtext("q:Description", namespaces=NS) == 'Money, "markets" & ]]> prices'
    assert code.get("color") == "#CC79A7"


def test_project_attributes_and_element_order(bundle: ExportBundle) -> None:
    root, _ = project_of(export_qdpx(bundle, user_name="Ana Ruiz")[0])
    assert root.get("origin", "").startswith("Claimmark ")
    assert root.get("creationDateTime") == "2026-11-25T10:00:00Z"
    user = root.find("q:Users/q:User", NS)
    assert user is not None and user.get("name") == "Ana Ruiz"
    assert root.get("creatingUserGUID") == user.get("guid")
    assert [etree.QName(child).localname for child in root] == ["Users", "CodeBook", "Sources"]


def test_two_exports_are_identical(library: LibraryStore) -> None:
    first = export_qdpx(collect_bundle(library, None, EXPORTED_AT))
    second = export_qdpx(collect_bundle(library, None, EXPORTED_AT))
    assert first == second
    with zipfile.ZipFile(io.BytesIO(first[0])) as zf:
        assert zf.namelist()[0] == "project.qde"
        assert {i.compress_type for i in zf.infolist()} == {zipfile.ZIP_DEFLATED}


def test_codebook_export_validates(bundle: ExportBundle, tmp_path: Path) -> None:
    path = tmp_path / "codebook.qdc"
    path.write_bytes(export_qdc(bundle.tags))
    result = validate(path)
    assert result.returncode == 0, result.stdout + result.stderr
    root = etree.parse(str(path)).getroot()
    names = [c.get("name") for c in root.iterfind(".//{urn:QDA-XML:codebook:1.0}Code")]
    assert names == [tag.name for tag in bundle.tags]
    assert code_tree(root, "urn:QDA-XML:codebook:1.0") == tag_tree(bundle.tags)


def code_tree(root: etree._Element, ns: str) -> list[tuple[str, str | None]]:
    """Each Code's name with the name of the Code it sits in (None at the top), in file order."""
    found = []
    for code in root.iterfind(f".//{{{ns}}}Code"):
        parent = code.getparent()
        inside = parent.get("name") if etree.QName(parent).localname == "Code" else None
        found.append((code.get("name"), inside))
    return found


def tag_tree(tags: Sequence[TagRecord]) -> list[tuple[str, str | None]]:
    """Each tag's name with its parent's name (None at the top), in panel order."""
    names = {t.id: t.name for t in tags}
    return [(t.name, names.get(t.parent_id) if t.parent_id else None) for t in tags]


def test_nested_tags_become_nested_codes_and_still_validate(
    bundle: ExportBundle, tmp_path: Path
) -> None:
    archive, _ = export_qdpx(bundle)
    root, _ = project_of(archive)
    assert ("tariffs", "trade") in code_tree(root, PROJECT_NS)
    assert code_tree(root, PROJECT_NS) == tag_tree(bundle.tags)
    trade = root.find("q:CodeBook/q:Codes/q:Code[@name='trade']", NS)
    assert trade is not None
    # The XSD's sequence: the parent's Description comes before the Codes nested in it.
    assert [etree.QName(c).localname for c in trade] == ["Description", "Code"]
    # Codings of a nested tag point at its own Code.
    coded = {r.get("targetGUID") for r in root.iterfind(".//q:CodeRef", NS)}
    assert code_guid("tariffs") in coded


def test_deep_and_out_of_order_nesting_validates(tmp_path: Path) -> None:
    tags = (
        TagRecord(1, "steel", "#e69f00", 0, parent_id=3),
        TagRecord(2, "security", "#0072b2", 1),
        TagRecord(3, "tariffs", "#009e73", 2, parent_id=4),
        TagRecord(4, "trade", "#cc79a7", 3),
        TagRecord(5, "orphan", "#d55e00", 4, parent_id=99),
    )
    path = tmp_path / "deep.qdc"
    path.write_bytes(export_qdc(tags))
    assert validate(path).returncode == 0
    root = etree.parse(str(path)).getroot()
    assert code_tree(root, "urn:QDA-XML:codebook:1.0") == [
        ("security", None),
        ("trade", None),
        ("tariffs", "trade"),
        ("steel", "tariffs"),
        ("orphan", None),  # its parent is not in the codebook
    ]


def test_empty_codebook_is_refused() -> None:
    with pytest.raises(RefiExportError):
        export_qdc([])


def test_empty_library_still_validates(tmp_path: Path) -> None:
    archive, report = export_qdpx(ExportBundle((), {}, (), EXPORTED_AT))
    path = tmp_path / "empty.qdpx"
    path.write_bytes(archive)
    assert validate(path).returncode == 0
    assert report == []


# ---- what the format cannot carry ----------------------------------------------------------------


def _with_status(bundle: ExportBundle, statuses: dict[int, str]) -> ExportBundle:
    """The bundle with the annotations at the given indexes (of the first document) re-marked."""
    first = bundle.documents[0].id
    changed = tuple(
        replace(a, anchor_status=statuses.get(index, a.anchor_status))
        for index, a in enumerate(bundle.annotations_of(first))
    )
    return replace(bundle, annotations={**bundle.annotations, first: changed})


def test_report_mentions_review_only_when_there_is_some(bundle: ExportBundle) -> None:
    _, clean = export_qdpx(bundle)
    assert not any("review" in line for line in clean)
    archive, report = export_qdpx(_with_status(bundle, {0: ANCHOR_NEEDS_REVIEW}))
    assert any("1 annotation waiting for review was exported" in line for line in report)
    root, _ = project_of(archive)
    assert len(root.findall(".//q:PlainTextSelection", NS)) == bundle.annotation_count


def test_orphaned_annotations_are_left_out_and_reported(
    bundle: ExportBundle, tmp_path: Path
) -> None:
    archive, report = export_qdpx(_with_status(bundle, {0: ANCHOR_ORPHANED, 1: ANCHOR_ORPHANED}))
    assert any(line.startswith("2 annotations that lost their place") for line in report)
    path = tmp_path / "orphans.qdpx"
    path.write_bytes(archive)
    assert f"{bundle.annotation_count - 2} selections valid" in validate(path).stdout


def test_report_names_the_metadata_that_applies(bundle: ExportBundle) -> None:
    _, report = export_qdpx(bundle)
    metadata = [line for line in report if line.startswith("Document metadata")]
    assert metadata == [
        "Document metadata (site, source) is not carried; only titles and texts are."
    ]


def test_report_mentions_claim_fields_only_when_some_are_set(bundle: ExportBundle) -> None:
    _, report = export_qdpx(bundle)
    claims = [line for line in report if "Claim fields" in line]
    assert claims == [
        "Claim fields (stance, speaker, check-worthiness) of 3 annotations are not part of "
        "REFI-QDA and were not exported."
    ]
    cleared = replace(
        bundle,
        annotations={
            d: tuple(replace(a, stance="", speaker="", checkworthiness=None) for a in annotations)
            for d, annotations in bundle.annotations.items()
        },
    )
    assert not any("Claim" in line for line in export_qdpx(cleared)[1])
    one = replace(
        cleared,
        annotations={
            **cleared.annotations,
            bundle.documents[0].id: (
                replace(cleared.annotations_of(bundle.documents[0].id)[0], stance="unclear"),
                *cleared.annotations_of(bundle.documents[0].id)[1:],
            ),
        },
    )
    assert (
        "Claim fields (stance, speaker, check-worthiness) of 1 annotation are not part of "
        "REFI-QDA and were not exported."
    ) in export_qdpx(one)[1]
    # Nothing of a claim leaks into the project: a speaker is neither a note nor a name.
    root, _ = project_of(export_qdpx(bundle)[0])
    assert "HYPERLINK" not in etree.tostring(root, encoding="unicode")


def test_bare_documents_lose_nothing() -> None:
    created = datetime(2026, 1, 1, tzinfo=UTC)
    document = DocumentRecord(1, "Plain", "", "A claim.", created)
    tag = TagRecord(1, "trade", "#e69f00", 0)
    annotation = AnnotationRecord(
        1, "00000000-0000-4000-8000-000000000001", 1, 0, 7, "A claim", "", ".", "", (1,),
        created, created,
    )  # fmt: skip
    _, report = export_qdpx(ExportBundle((document,), {1: (annotation,)}, (tag,), EXPORTED_AT))
    assert report == []


def test_characters_xml_cannot_hold_are_replaced_and_reported(tmp_path: Path) -> None:
    created = datetime(2026, 1, 1, tzinfo=UTC)
    document = DocumentRecord(1, "Form\x0cfeed", "", "A claim.", created)
    annotation = AnnotationRecord(
        1, "00000000-0000-4000-8000-000000000001", 1, 0, 7, "A claim", "", ".", "bell\x07", (),
        created, created,
    )  # fmt: skip
    archive, report = export_qdpx(ExportBundle((document,), {1: (annotation,)}, (), EXPORTED_AT))
    path = tmp_path / "controls.qdpx"
    path.write_bytes(archive)
    assert validate(path).returncode == 0
    assert any(line.startswith("2 names or notes held control characters") for line in report)


def test_project_is_written_exactly_as_lxml_writes_it(bundle: ExportBundle) -> None:
    # Selections are written as text for speed (see _SelectionWriter); parsing the file and
    # letting lxml write the tree again must give the same bytes: same escaping (hostile notes,
    # tabs, carriage returns) and the same indentation.
    _, entries = project_of(export_qdpx(bundle)[0])
    written = entries["project.qde"]
    parser = etree.XMLParser(remove_blank_text=True)
    tree = etree.fromstring(written, parser)
    assert len(tree.findall(".//q:PlainTextSelection", NS)) == bundle.annotation_count
    again = etree.tostring(tree, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    assert written == again


def test_selection_text_keeps_white_space_and_markup_exactly() -> None:
    created = datetime(2026, 1, 1, tzinfo=UTC)
    text = 'Tab\there, "quoted" <b>&amp;</b> and\r\na line'
    document = DocumentRecord(1, "Doc", "", text, created)
    note = 'cr\r\nlf\n\ttab & <x> "q" ]]> \'s'
    annotation = AnnotationRecord(
        1, "00000000-0000-4000-8000-000000000001", 1, 0, len(text), text, "", "", note, (),
        created, created + timedelta(seconds=1),
    )  # fmt: skip
    archive, _ = export_qdpx(ExportBundle((document,), {1: (annotation,)}, (), EXPORTED_AT))
    root, _ = project_of(archive)
    (selection,) = root.iterfind(".//q:PlainTextSelection", NS)
    assert selection.get("name") == " ".join(text.split())
    assert selection.findtext("q:Description", namespaces=NS) == note
    assert selection.get("modifiedDateTime") == "2026-01-01T00:00:01Z"
