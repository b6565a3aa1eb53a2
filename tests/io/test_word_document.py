"""Word .docx documents: paragraphs, headings, lists, quotes and tables in order, and refusals."""

from __future__ import annotations

import datetime
import io
import subprocess
import sys
from pathlib import Path

import docx
import pytest
from document_factories import zip_bytes
from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from desktop_app.core.text_normalise import normalise_text
from desktop_app.io.file_reader import read_document_file
from desktop_app.io.imported import ImportedDocument, ImportRefused

# The least a spreadsheet package holds: what python-docx opens before it sees it is no document.
SPREADSHEET = {
    "[Content_Types].xml": b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    b'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
    b'package.relationships+xml"/><Override PartName="/xl/workbook.xml" ContentType="'
    b'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>',
    "_rels/.rels": b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    b'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
    b'officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    b"</Relationships>",
    "xl/workbook.xml": b'<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
    b'2006/main"/>',
}
NOTE = "Word document: text and headings were kept; images, footnotes and page layout were not."
DAMAGED = "is not a Word .docx file (or it is damaged)"


def save(tmp_path: Path, document: Document, name: str = "report.docx") -> Path:
    path = tmp_path / name
    buffer = io.BytesIO()
    document.save(buffer)
    path.write_bytes(buffer.getvalue())
    return path


def new_document(title: str = "", author: str = "") -> Document:
    """A blank document; python-docx's template would otherwise say its author is python-docx."""
    document = docx.Document()
    document.core_properties.title = title
    document.core_properties.author = author
    return document


def read_word(path: Path) -> ImportedDocument:
    """The document read through the importer, checked to be one paragraph a line, normalised."""
    imported = read_document_file(path)
    assert imported.text == normalise_text(imported.text)
    assert imported.text.split("\n") == [line for line in imported.text.split("\n") if line.strip()]
    return imported


def refusal(path: Path) -> str:
    """The one-line message the importer refuses `path` with."""
    with pytest.raises(ImportRefused) as caught:
        read_document_file(path)
    message = str(caught.value)
    assert "\n" not in message and "\r" not in message
    assert message.startswith(f"{path}: ")
    return message


def block_lines(imported: ImportedDocument) -> list[tuple[str, str]]:
    return [(block.kind, imported.text[block.start : block.end]) for block in imported.blocks]


def test_paragraphs_headings_lists_quotes_and_tables(tmp_path: Path) -> None:
    document = new_document("Grain talks resume", "Ana Ruiz")
    document.core_properties.created = datetime.datetime(2024, 3, 5, 10, 30)
    document.add_heading("Talks resume in Istanbul", level=1)
    document.add_paragraph("Ministers met on Tuesday.")
    document.add_paragraph("")
    document.add_paragraph("They spoke for six hours.")
    document.add_paragraph("Wheat exports", style="List Bullet")
    document.add_paragraph("Maize exports", style="List Number")
    document.add_paragraph("We will not give up.", style="Quote")
    document.add_heading("Figures", level=2)
    table = document.add_table(rows=2, cols=2)
    for row, cells in enumerate([("Port", "Tonnes"), ("Odesa", "1,200")]):
        for column, text in enumerate(cells):
            table.cell(row, column).text = text
    document.add_paragraph("Talks go on.", style="Intense Quote")
    imported = read_word(save(tmp_path, document))
    assert imported.text.split("\n") == [
        "Talks resume in Istanbul",
        "Ministers met on Tuesday.",
        "They spoke for six hours.",
        "• Wheat exports",
        "• Maize exports",
        "We will not give up.",
        "Figures",
        "Port | Tonnes",
        "Odesa | 1,200",
        "Talks go on.",
    ]
    assert block_lines(imported) == [
        ("heading1", "Talks resume in Istanbul"),
        ("list_item", "• Wheat exports"),
        ("list_item", "• Maize exports"),
        ("quote", "We will not give up."),
        ("heading2", "Figures"),
        ("quote", "Talks go on."),
    ]
    assert imported.format == "docx"
    assert (imported.title, imported.author, imported.published) == (
        "Grain talks resume",
        "Ana Ruiz",
        "2024-03-05",
    )
    assert imported.notes == (NOTE,)


def test_title_style_is_a_heading_and_the_title_without_properties(tmp_path: Path) -> None:
    document = new_document()
    document.add_heading("Corridor reopens", level=0)  # Level 0 is the "Title" style.
    document.add_paragraph("Ships left Odesa.")
    imported = read_word(save(tmp_path, document))
    assert imported.title == "Corridor reopens"
    assert block_lines(imported) == [("heading1", "Corridor reopens")]


def test_title_falls_back_to_the_file_name(tmp_path: Path) -> None:
    document = new_document()
    document.add_paragraph("Only a paragraph.")
    assert read_word(save(tmp_path, document, "grain_corridor.docx")).title == "grain corridor"


def test_house_styles_take_the_role_of_the_style_they_are_based_on(tmp_path: Path) -> None:
    document = new_document()
    styles = document.styles
    house = styles.add_style("Newsroom Subhead", WD_STYLE_TYPE.PARAGRAPH)
    house.base_style = styles["Heading 2"]
    contents = styles.add_style("TOC 1", WD_STYLE_TYPE.PARAGRAPH)
    document.add_paragraph("Introduction\t1", style=contents)
    document.add_paragraph("Introduction", style=house)
    document.add_paragraph("Body text.")
    imported = read_word(save(tmp_path, document))
    # The table of contents repeats the headings with page numbers; it is left out.
    assert imported.text == "Introduction\nBody text."
    assert block_lines(imported) == [("heading2", "Introduction")]


def test_directly_numbered_paragraphs_are_list_items(tmp_path: Path) -> None:
    document = new_document()
    numbered = document.add_paragraph("First point")
    numbered._p.get_or_add_pPr().append(
        parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>')
    )
    unnumbered = document.add_paragraph("Not a point", style="List Bullet")
    unnumbered._p.get_or_add_pPr().append(
        parse_xml(f'<w:numPr {nsdecls("w")}><w:numId w:val="0"/></w:numPr>')
    )
    imported = read_word(save(tmp_path, document))
    assert imported.text == "• First point\nNot a point"
    assert block_lines(imported) == [("list_item", "• First point")]


def test_text_python_docx_leaves_out_is_kept_and_deleted_text_is_not(tmp_path: Path) -> None:
    document = new_document()
    paragraph = document.add_paragraph("Ministers ")
    w = nsdecls("w")
    for xml in (
        f'<w:ins {w} w:id="1" w:author="A" w:date="2024-03-05T00:00:00Z">'
        "<w:r><w:t>quietly </w:t></w:r></w:ins>",
        f'<w:del {w} w:id="2" w:author="A" w:date="2024-03-05T00:00:00Z">'
        "<w:r><w:tab/><w:delText>never </w:delText></w:r></w:del>",
        f"<w:sdt {w}><w:sdtPr><w:alias w:val='Verb'/></w:sdtPr>"
        "<w:sdtContent><w:r><w:t>met</w:t></w:r></w:sdtContent></w:sdt>",
        f"<w:r {w}><w:br/><w:t xml:space='preserve'>in Istanbul 😀 𠮷.</w:t></w:r>",
    ):
        paragraph._p.append(parse_xml(xml))
    # A content control around a whole paragraph, as templates and forms have.
    document.element.body.sectPr.addprevious(
        parse_xml(
            f"<w:sdt {w}><w:sdtContent><w:p><w:r><w:t>Inside a control.</w:t></w:r></w:p>"
            "</w:sdtContent></w:sdt>"
        )
    )
    imported = read_word(save(tmp_path, document))
    # A manual line break starts a new line: every line is a paragraph to the reader.
    assert imported.text == "Ministers quietly met\nin Istanbul 😀 𠮷.\nInside a control."


def test_merged_and_empty_cells_leave_no_gaps(tmp_path: Path) -> None:
    document = new_document()
    table = document.add_table(rows=3, cols=3)
    merged = table.cell(0, 0).merge(table.cell(0, 1))
    merged.text = "Port"
    table.cell(0, 2).text = "Tonnes"
    table.cell(1, 0).text = "Odesa"
    table.cell(1, 2).text = "1,200"
    imported = read_word(save(tmp_path, document))
    assert imported.text == "Port | Tonnes\nOdesa | 1,200"


def test_japanese_and_astral_characters_keep_exact_offsets(tmp_path: Path) -> None:
    document = new_document()
    document.add_paragraph("首相は東京で会談した。😀")
    document.add_heading("見出し 𠮷", level=3)
    imported = read_word(save(tmp_path, document))
    assert imported.text == "首相は東京で会談した。😀\n見出し 𠮷"
    assert imported.blocks[0].start == len("首相は東京で会談した。😀\n")
    assert block_lines(imported) == [("heading3", "見出し 𠮷")]


@pytest.mark.parametrize(
    "data",
    [
        b"Just some notes, saved as text.\n",
        bytes.fromhex("d0cf11e0a1b11ae1") + bytes(2000),  # An old .doc (OLE2) renamed.
        bytes(range(256)) * 4,
        zip_bytes({"notes.txt": b"hello"}),
        zip_bytes({"[Content_Types].xml": b"<Types"}),
        zip_bytes(SPREADSHEET),
    ],
    ids=["text", "doc", "random", "zip-without-document", "broken-xml", "spreadsheet"],
)
def test_not_a_docx_is_refused_in_one_line(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "renamed.docx"
    path.write_bytes(data)
    assert refusal(path) == f"{path}: {DAMAGED}"


def test_document_without_text_is_refused(tmp_path: Path) -> None:
    document = new_document()
    document.add_paragraph("")
    path = save(tmp_path, document, "blank.docx")
    assert refusal(path) == f"{path}: has no text to read"


def test_python_docx_and_lxml_load_only_when_a_document_is_read() -> None:
    code = (
        "import sys, desktop_app.io.readers.word_document; "
        "print(sorted(m for m in ('docx', 'lxml') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
