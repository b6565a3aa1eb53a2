"""The CSV export parses back (csv.reader) to exactly the annotations, and spreadsheets cannot
run any of its cells as a formula.
"""

from __future__ import annotations

import csv
import dataclasses
import io
from datetime import UTC, datetime, timedelta, timezone

import pytest
from export_samples import (
    CLAIMS,
    HOSTILE_SPEAKERS,
    HOSTILE_STRINGS,
    HOSTILE_TAG,
    NESTED_TAG,
    PARENT_TAG,
    make_library,
    sample_bundle,
)
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
# Where each column is, by name (tests read cells by name, not by a number that moves).
COLUMN = {name: index for index, name in enumerate(HEADER)}


def rows_of(exported: str) -> list[list[str]]:
    """The CSV parsed back as a spreadsheet importer would (RFC 4180)."""
    return list(csv.reader(io.StringIO(exported, newline="")))


def original(cell: str) -> str:
    """A user-text cell with the formula guard taken off again."""
    return cell[1:] if cell.startswith("'") and cell[1:].startswith(FORMULA_TRIGGERS) else cell


def single(
    text: str,
    title: str,
    spans: list[tuple[int, int, str, tuple[int, ...]]],
    tags: tuple[TagRecord, ...] = TAGS,
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
    return ExportBundle((doc,), {3: annotations}, tags, EXPORTED_AT)


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
        paths = [
            "/".join([tags[t.parent_id].name, t.name] if t.parent_id else [t.name]) for t in ordered
        ]
        assert original(record["tag_paths"]) == ";".join(paths)
        assert original(record["note"]) == a.note
        assert original(record["stance"]) == a.stance
        assert original(record["speaker"]) == a.speaker
        cw = record["checkworthiness"]
        assert (int(cw) if cw else None) == a.checkworthiness
        assert record["status"] == a.anchor_status
        assert record["created"] == a.created.strftime("%Y-%m-%dT%H:%M:%SZ")
        assert record["updated"] == a.updated.strftime("%Y-%m-%dT%H:%M:%SZ")
    cells = [dict(zip(HEADER, r, strict=True)) for r in rows[1:]]
    assert any("𠮷" in r["quote"] or "👍🏽" in r["quote"] for r in cells)
    assert any(HOSTILE_TAG in r["tags"] and ";" in r["tags"] for r in cells)
    assert any(r["status"] == "needs_review" for r in cells)
    assert f"{PARENT_TAG}/{NESTED_TAG}" in {p for r in cells for p in r["tag_paths"].split(";")}


def test_claim_fields_read_back_exactly(library_bundle: ExportBundle) -> None:
    """Every sample claim is in its row, hostile speakers included; unset fields are empty."""
    cells = [dict(zip(HEADER, r, strict=True)) for r in rows_of(export_csv(library_bundle))[1:]]
    found = {
        r["quote"]: (original(r["stance"]), original(r["speaker"]), r["checkworthiness"])
        for r in cells
        if r["stance"] or r["speaker"] or r["checkworthiness"]
    }
    expected = {
        quote: (stance, speaker, "" if cw is None else str(cw))
        for (_key, quote), (stance, speaker, cw) in CLAIMS.items()
    }
    assert found == expected
    speakers = {r["speaker"] for r in cells}
    assert "'" + HOSTILE_SPEAKERS[0] in speakers  # =HYPERLINK(...) is shown as text
    assert HOSTILE_SPEAKERS[1] in speakers
    assert all(r["checkworthiness"] in {"", "1", "2", "3", "4", "5"} for r in cells)


def test_tag_paths_follow_every_level_and_names_stay_plain() -> None:
    tags = (
        TagRecord(id=1, name="trade", colour="#e69f00", position=0),
        TagRecord(id=2, name="tariffs", colour="#0072b2", position=1, parent_id=1),
        TagRecord(id=3, name="=steel", colour="#009e73", position=2, parent_id=2),
        TagRecord(id=4, name="orphan", colour="#cc79a7", position=3, parent_id=99),
    )
    bundle = single("Steel duties rise.", "t", [(0, 5, "", (3, 4, 1))], tags)
    record = dict(zip(HEADER, rows_of(export_csv(bundle))[1], strict=True))
    assert record["tags"] == "trade;=steel;orphan"
    # The cell starts with "trade", so no guard; a parent missing from the codebook is left out.
    assert record["tag_paths"] == "trade;trade/tariffs/=steel;orphan"


def test_claim_fields_are_neutralised_and_empty_when_unset() -> None:
    bundle = single("=1+1 and more", "t", [(0, 4, "", ()), (5, 8, "", ())])
    first, second = bundle.annotations[3]
    claimed = dataclasses.replace(
        first, stance="opposes", speaker='=HYPERLINK("x")', checkworthiness=5
    )
    doc = bundle.documents[0]
    exported = export_csv(ExportBundle((doc,), {doc.id: (claimed, second)}, TAGS, EXPORTED_AT))
    rows = [dict(zip(HEADER, r, strict=True)) for r in rows_of(exported)[1:]]
    assert (rows[0]["stance"], rows[0]["speaker"], rows[0]["checkworthiness"]) == (
        "opposes",
        '\'=HYPERLINK("x")',
        "5",
    )
    assert (rows[1]["stance"], rows[1]["speaker"], rows[1]["checkworthiness"]) == ("", "", "")


def test_lines_end_with_crlf_and_no_bom_unless_asked(library_bundle: ExportBundle) -> None:
    exported = export_csv(library_bundle)
    assert exported.startswith(
        "document_id,document_title,start,end,quote,tags,tag_paths,note,"
        "stance,speaker,checkworthiness,status,"
    )
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
    rows = [dict(zip(HEADER, r, strict=True)) for r in rows_of(export_csv(bundle))[1:]]
    by_start_end = {(int(r["start"]), int(r["end"])): r for r in rows}
    assert [r["document_title"] for r in rows] == ['Title, with "quotes"\nand a line'] * 4
    assert by_start_end[(0, 18)]["quote"] == text[0:18]
    assert by_start_end[(0, 18)]["note"] == notes[0]
    assert by_start_end[(8, 30)]["note"] == notes[1]
    assert by_start_end[(19, 40)]["quote"] == text[19:40]
    assert by_start_end[(19, 40)]["tags"] == "trade;security"
    assert by_start_end[(0, 4)]["note"] == "x\r\ny"  # a carriage return inside a cell is kept


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
    assert record["tags"] == record["tag_paths"] == "'" + TAGS[2].name
    claimed = dataclasses.replace(bundle.annotations[3][0], speaker=hostile)
    doc = bundle.documents[0]
    row = rows_of(export_csv(ExportBundle((doc,), {doc.id: (claimed,)}, TAGS, EXPORTED_AT)))[1]
    assert dict(zip(HEADER, row, strict=True))["speaker"] == "'" + hostile
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
    notes = {original(r[COLUMN["note"]]) for r in rows_of(export_csv(library_bundle))[1:]}
    used = {
        n
        for d in library_bundle.documents
        for n in (a.note for a in library_bundle.annotations_of(d.id))
    }
    assert notes == used
    assert "=1+1" in notes and HOSTILE_STRINGS[8] in notes
    user_text = ("document_title", "quote", "tags", "tag_paths", "note", "stance", "speaker")
    formula_cells = [
        r[COLUMN[name]] for r in rows_of(export_csv(library_bundle))[1:] for name in user_text
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
    assert row[COLUMN["created"]] == "2026-11-20T08:30:00Z"


@given(st.text(min_size=1))
def test_any_text_round_trips_through_the_guard(cell: str) -> None:
    guarded = neutralise_formula(cell)
    assert not guarded.startswith(FORMULA_TRIGGERS)
    assert original(guarded) == cell or cell.startswith("'")
    rows = rows_of(export_csv(single(cell + "!", cell, [(0, len(cell), cell, ())])))
    for column in ("quote", "note", "document_title"):
        assert rows[1][COLUMN[column]] == guarded
