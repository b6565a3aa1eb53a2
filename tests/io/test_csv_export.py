"""The CSV export parses back (csv.reader) to exactly the annotations, and spreadsheets cannot
run any of its cells as a formula.
"""

from __future__ import annotations

import csv
import dataclasses
import io
from datetime import UTC, datetime, timedelta, timezone

import pytest
from export_samples import HOSTILE_STRINGS, HOSTILE_TAG, make_library, sample_bundle
from hypothesis import given
from hypothesis import strategies as st

from desktop_app.core.records import AnnotationRecord, DocumentRecord, TagRecord
from desktop_app.io.csv_export import FORMULA_TRIGGERS, HEADER, export_csv, neutralise_formula
from desktop_app.io.export_bundle import ExportBundle
from desktop_app.storage.library_store import LibraryStore

EXPORTED_AT = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
CREATED = datetime(2026, 11, 20, 8, 30, tzinfo=UTC)
TAGS = (
    TagRecord(id=1, name="trade", colour="#e69f00", position=0),
    TagRecord(id=2, name="security", colour="#0072b2", position=1),
    TagRecord(id=3, name="=cmd|' /C calc'!A0", colour="#009e73", position=2),
)


def rows_of(exported: str) -> list[list[str]]:
    """The CSV parsed back as a spreadsheet importer would (RFC 4180)."""
    return list(csv.reader(io.StringIO(exported, newline="")))


def original(cell: str) -> str:
    """A user-text cell with the formula guard taken off again."""
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(FORMULA_TRIGGERS) else cell


def single(
    text: str, title: str, spans: list[tuple[int, int, str, tuple[int, ...]]]
) -> ExportBundle:
    """One document with annotations over `(start, end, note, tag ids)`."""
    doc = DocumentRecord(id=3, title=title, source="a.txt", text=text, imported_at=CREATED)
    annotations = tuple(
        AnnotationRecord(
            id=n,
            uuid=f"u-{n}",
            document_id=3,
            start=start,
            end=end,
            exact=text[start:end],
            prefix="",
            suffix="",
            note=note,
            tag_ids=tag_ids,
            created=CREATED,
            updated=CREATED + timedelta(hours=n),
        )
        for n, (start, end, note, tag_ids) in enumerate(spans, start=1)
    )
    return ExportBundle((doc,), {3: annotations}, TAGS, EXPORTED_AT)


@pytest.fixture
def library_bundle(store: LibraryStore) -> ExportBundle:
    """The shared sample library: the article, emoji and CJK, Japanese and CRLF documents."""
    make_library(store)
    return sample_bundle(store)


def test_rows_match_the_library_annotations(library_bundle: ExportBundle) -> None:
    exported = export_csv(library_bundle)
    rows = rows_of(exported)
    assert tuple(rows[0]) == HEADER
    expected = [
        (d, a)
        for d in library_bundle.documents
        for a in sorted(library_bundle.annotations_of(d.id), key=lambda a: (a.start, a.end, a.id))
    ]
    assert len(rows) - 1 == len(expected) == library_bundle.annotation_count
    tags = {t.id: t for t in library_bundle.tags}
    for row, (doc, a) in zip(rows[1:], expected, strict=True):
        record = dict(zip(HEADER, row, strict=True))
        assert int(record["document_id"]) == doc.id
        assert original(record["document_title"]) == doc.title
        start, end = int(record["start"]), int(record["end"])
        assert (start, end) == (a.start, a.end)
        # code points: the emoji document's quotes are exact slices of the Python string
        assert original(record["quote"]) == doc.text[start:end] == a.exact
        ordered = sorted((tags[i] for i in a.tag_ids), key=lambda t: (t.position, t.id))
        assert original(record["tags"]) == ";".join(t.name for t in ordered)
        assert original(record["note"]) == a.note
        assert record["status"] == a.anchor_status
        assert record["created"] == a.created.strftime("%Y-%m-%dT%H:%M:%SZ")
        assert record["updated"] == a.updated.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert any("𠮷" in r[4] or "👍🏽" in r[4] for r in rows[1:])
    assert any(HOSTILE_TAG in r[5] and ";" in r[5] for r in rows[1:])
    assert any(r[7] == "needs_review" for r in rows[1:])


def test_lines_end_with_crlf_and_no_bom_unless_asked(library_bundle: ExportBundle) -> None:
    exported = export_csv(library_bundle)
    assert exported.startswith("document_id,document_title,start,end,quote,tags,note,status,")
    assert exported.endswith("\r\n")
    assert not exported.startswith("\ufeff")
    # every record ends with CRLF; a bare \n only appears inside a quoted cell
    assert exported.splitlines(keepends=True)[0].endswith("created,updated\r\n")
    with_bom = export_csv(library_bundle, excel_bom=True)
    assert with_bom == "\ufeff" + exported
    assert with_bom.encode("utf-8").startswith(b"\xef\xbb\xbf")


def test_newlines_quotes_and_commas_survive_a_round_trip() -> None:
    text = 'He said "no", then\nleft; later, she\r\nreplied.'
    notes = ['a "quoted", comma\nand newline', "tab\there", 'only "quotes"', "x\r\ny"]
    bundle = single(
        text,
        'Title, with "quotes"\nand a line',
        [
            (0, 18, notes[0], (1,)),
            (8, 30, notes[1], ()),
            (19, 40, notes[2], (2, 1)),
            (0, 4, notes[3], ()),
        ],
    )
    rows = rows_of(export_csv(bundle))
    by_start_end = {(int(r[2]), int(r[3])): r for r in rows[1:]}
    assert [r[1] for r in rows[1:]] == ['Title, with "quotes"\nand a line'] * 4
    assert by_start_end[(0, 18)][4] == text[0:18] and by_start_end[(0, 18)][6] == notes[0]
    assert by_start_end[(8, 30)][6] == notes[1]
    assert (
        by_start_end[(19, 40)][4] == text[19:40] and by_start_end[(19, 40)][5] == "trade;security"
    )
    assert by_start_end[(0, 4)][6] == "x\r\ny"  # a carriage return inside a cell is kept


@pytest.mark.parametrize(
    "hostile", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx", '=HYPERLINK("http://x")']
)
def test_formula_cells_are_neutralised_in_every_user_column(hostile: str) -> None:
    text = hostile + " rest of the text"
    bundle = single(text, hostile, [(0, len(hostile), hostile, (3,))])
    row = rows_of(export_csv(bundle))[1]
    record = dict(zip(HEADER, row, strict=True))
    for column in ("document_title", "quote", "note"):
        assert record[column] == "'" + hostile, column
    assert record["tags"] == "'" + TAGS[2].name
    for column in ("document_id", "start", "end", "created", "updated", "status"):
        assert not record[column].startswith("'"), column
    assert record["start"] == "0"


def test_negative_looking_numbers_are_not_touched() -> None:
    bundle = single("Prices fell", "-5% prices", [(0, 6, "", ())])
    record = dict(zip(HEADER, rows_of(export_csv(bundle))[1], strict=True))
    assert record["document_title"] == "'-5% prices"
    assert record["start"] == "0" and record["end"] == "6"


def test_guard_can_be_turned_off_for_programs() -> None:
    bundle = single("=1+1 and more", "=title", [(0, 4, "=note", (3,))])
    record = dict(
        zip(HEADER, rows_of(export_csv(bundle, neutralise_formulas=False))[1], strict=True)
    )
    assert (record["document_title"], record["quote"], record["note"]) == (
        "=title",
        "=1+1",
        "=note",
    )


def test_hostile_sample_notes_read_back(library_bundle: ExportBundle) -> None:
    notes = {original(r[6]) for r in rows_of(export_csv(library_bundle))[1:]}
    used = {
        n
        for d in library_bundle.documents
        for n in (a.note for a in library_bundle.annotations_of(d.id))
    }
    assert notes == used
    assert "=1+1" in notes and HOSTILE_STRINGS[8] in notes
    formula_cells = [
        c for r in rows_of(export_csv(library_bundle))[1:] for c in (r[1], r[4], r[5], r[6])
    ]
    assert all(not c.startswith(FORMULA_TRIGGERS) for c in formula_cells)


def test_naive_timestamps_are_refused() -> None:
    bundle = single("Some text", "t", [(0, 4, "", ())])
    doc = bundle.documents[0]
    naive = dataclasses.replace(bundle.annotations[3][0], created=datetime(2026, 1, 1))
    with pytest.raises(ValueError, match="naive"):
        export_csv(ExportBundle((doc,), {doc.id: (naive,)}, TAGS, EXPORTED_AT))


def test_other_zones_are_written_in_utc() -> None:
    bundle = single("Some text", "t", [(0, 4, "", ())])
    a = bundle.annotations[3][0]
    tokyo = timezone(timedelta(hours=9))
    shifted = dataclasses.replace(a, created=datetime(2026, 11, 20, 17, 30, tzinfo=tokyo))
    doc = bundle.documents[0]
    row = rows_of(export_csv(ExportBundle((doc,), {doc.id: (shifted,)}, TAGS, EXPORTED_AT)))[1]
    assert row[8] == "2026-11-20T08:30:00Z"


@given(st.text(min_size=1))
def test_any_text_round_trips_through_the_guard(cell: str) -> None:
    guarded = neutralise_formula(cell)
    assert not guarded.startswith(FORMULA_TRIGGERS)
    assert original(guarded) == cell or cell.startswith("'")
    rows = rows_of(export_csv(single(cell + "!", cell, [(0, len(cell), cell, ())])))
    assert rows[1][4] == guarded and rows[1][6] == guarded and rows[1][1] == guarded
