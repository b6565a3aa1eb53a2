"""EPUB e-books: chapters in spine order, blocks on exact offsets, metadata, and refusals."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from document_factories import encryption_xml, epub_bytes, with_zip_member, zip_bytes

from desktop_app.core.text_normalise import normalise_text
from desktop_app.io.file_reader import read_document_file
from desktop_app.io.imported import ImportedDocument, ImportRefused

CHAPTER_ONE = (
    "one.xhtml",
    "<h1>Talks resume in Istanbul</h1>"
    "<p>Ministers met on Tuesday to resume the grain talks.</p>"
    "<ul><li>Wheat exports</li><li>Maize exports</li></ul>"
    "<blockquote><p>We will not give up, the minister said.</p></blockquote>",
)
CHAPTER_TWO = (
    "two.xhtml",
    "<h1>The corridor</h1><h2>Shipping</h2>"
    "<p>Ships left Odesa at dawn.</p><ul><li>Insurance costs rose</li></ul>",
)


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def read_book(tmp_path: Path, data: bytes, name: str = "book.epub") -> ImportedDocument:
    """The book read through the importer, checked to be one paragraph a line, normalised."""
    imported = read_document_file(write(tmp_path, name, data))
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


def test_chapters_come_in_spine_order_with_their_blocks(tmp_path: Path) -> None:
    # The spine puts chapter two first: manifest order would give the other text.
    data = epub_bytes(
        [CHAPTER_ONE, CHAPTER_TWO],
        title="Grain Talks",
        authors=["Ana Ruiz"],
        published="2024-03-05",
        spine_order=[1, 0],
    )
    imported = read_book(tmp_path, data)
    assert imported.text.split("\n") == [
        "The corridor",
        "Shipping",
        "Ships left Odesa at dawn.",
        "• Insurance costs rose",
        "Talks resume in Istanbul",
        "Ministers met on Tuesday to resume the grain talks.",
        "• Wheat exports",
        "• Maize exports",
        "We will not give up, the minister said.",
    ]
    assert block_lines(imported) == [
        ("heading1", "The corridor"),
        ("heading2", "Shipping"),
        ("list_item", "• Insurance costs rose"),
        ("heading1", "Talks resume in Istanbul"),
        ("list_item", "• Wheat exports"),
        ("list_item", "• Maize exports"),
        ("quote", "We will not give up, the minister said."),
    ]
    assert imported.format == "epub"
    assert (imported.title, imported.author, imported.published) == (
        "Grain Talks",
        "Ana Ruiz",
        "2024-03-05",
    )
    assert imported.site == ""
    assert imported.notes == ()
    assert imported.source == str((tmp_path / "book.epub").resolve())


def test_the_navigation_document_is_not_text(tmp_path: Path) -> None:
    imported = read_book(tmp_path, epub_bytes([CHAPTER_ONE], title="Grain Talks"))
    assert imported.text.startswith("Talks resume in Istanbul\n")
    assert "Chapter 1" not in imported.text  # The nav's link to the chapter.


def test_astral_characters_and_japanese_survive_on_exact_offsets(tmp_path: Path) -> None:
    chapter = (
        "ja.xhtml",
        "<p>首相は東京で会談した。😀 𠮷野家</p><h2>見出し 😀</h2><ul><li>𠮷 項目</li></ul>",
    )
    imported = read_book(tmp_path, epub_bytes([chapter], title="日本語の本 𠮷"))
    assert imported.text == "首相は東京で会談した。😀 𠮷野家\n見出し 😀\n• 𠮷 項目"
    assert imported.title == "日本語の本 𠮷"
    # Offsets count code points: each astral character is one, not two UTF-16 units.
    assert imported.blocks[0].start == len("首相は東京で会談した。😀 𠮷野家\n")
    assert block_lines(imported) == [("heading2", "見出し 😀"), ("list_item", "• 𠮷 項目")]


def test_what_a_reader_never_sees_is_left_out(tmp_path: Path) -> None:
    chapter = (
        "c.xhtml",
        "<p>Grain&nbsp;deal &amp; <script>alert(1)</script>ships<style>p{}</style> sail.</p>"
        '<p>Page<span epub:type="pagebreak" title="12">12</span> turns.</p>'
        "<p><ruby>東<rt>とう</rt>京</ruby>に着いた。</p>",
    )
    imported = read_book(tmp_path, epub_bytes([chapter]))
    assert imported.text == "Grain\u00a0deal & ships sail.\nPage turns.\n東京に着いた。"


def test_chapters_without_text_leave_no_blank_line(tmp_path: Path) -> None:
    chapters = [
        ("a.xhtml", "<p>First.</p>"),
        ("b.xhtml", "<div>   </div>"),
        ("c.xhtml", "<p>Third.</p>"),
    ]
    imported = read_book(tmp_path, epub_bytes(chapters))
    assert imported.text == "First.\nThird."


def test_an_unreadable_chapter_is_left_out_with_a_note(tmp_path: Path) -> None:
    book = epub_bytes([CHAPTER_ONE, ("two.xhtml", "<p>Lost.</p>")])
    imported = read_book(tmp_path, with_zip_member(book, "EPUB/two.xhtml", b""))
    assert imported.text.startswith("Talks resume in Istanbul\n")
    assert "Lost." not in imported.text
    assert imported.notes == ("Some chapters of the e-book could not be read and were left out.",)


def test_title_falls_back_to_the_first_heading_then_the_file_name(tmp_path: Path) -> None:
    assert read_book(tmp_path, epub_bytes([CHAPTER_TWO])).title == "The corridor"
    plain = epub_bytes([("p.xhtml", "<p>No heading here.</p>")])
    assert read_book(tmp_path, plain, "grain_talks.epub").title == "grain talks"


@pytest.mark.parametrize(
    ("declared", "published"),
    [("2024-03-05T10:00:00Z", "2024-03-05"), ("2024", ""), ("March 2024", "")],
)
def test_published_is_an_iso_date_or_nothing(tmp_path: Path, declared: str, published: str) -> None:
    imported = read_book(tmp_path, epub_bytes([CHAPTER_ONE], published=declared))
    assert imported.published == published


def test_book_with_drm_is_refused(tmp_path: Path) -> None:
    book = epub_bytes([CHAPTER_ONE], title="Grain Talks")
    protected = with_zip_member(
        book,
        "META-INF/encryption.xml",
        encryption_xml("http://www.w3.org/2001/04/xmlenc#aes128-cbc", "EPUB/one.xhtml"),
    )
    path = write(tmp_path, "locked.epub", protected)
    assert refusal(path) == f"{path}: is protected by DRM and cannot be read"


def test_obfuscated_fonts_alone_are_not_drm(tmp_path: Path) -> None:
    book = epub_bytes([CHAPTER_ONE], title="Grain Talks")
    fonts_only = with_zip_member(
        book,
        "META-INF/encryption.xml",
        encryption_xml("http://www.idpf.org/2008/embedding", "EPUB/fonts/serif.otf"),
    )
    assert read_book(tmp_path, fonts_only).text.startswith("Talks resume in Istanbul")


@pytest.mark.parametrize(
    "data",
    [
        bytes(range(256)) * 8,
        b"PK\x03\x04 truncated zip",
        epub_bytes([CHAPTER_ONE])[:400],
    ],
    ids=["random", "zip-header-only", "cut-short"],
)
def test_not_an_epub_is_refused_in_one_line(tmp_path: Path, data: bytes) -> None:
    path = write(tmp_path, "broken.epub", data)
    assert refusal(path) == f"{path}: is not an EPUB e-book (or it is damaged)"


def test_a_zip_that_is_no_book_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "archive.epub", zip_bytes({"notes.txt": b"hello"}))
    assert refusal(path) == f"{path}: is not an EPUB e-book (or it is damaged)"


def test_book_without_text_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "empty.epub", epub_bytes([("e.xhtml", "<p> </p>")]))
    assert refusal(path) == f"{path}: has no text to read"


def test_ebooklib_and_lxml_load_only_when_a_book_is_read() -> None:
    code = (
        "import sys, desktop_app.io.readers.epub_book; "
        "print(sorted(m for m in ('ebooklib', 'lxml') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
