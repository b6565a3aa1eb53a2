"""Real EPUB, Word and PDF files built in the test, with the libraries that write them."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from pathlib import Path

from ebooklib import epub


def epub_bytes(
    chapters: Sequence[tuple[str, str]],
    *,
    title: str = "",
    authors: Sequence[str] = (),
    published: str = "",
    spine_order: Sequence[int] | None = None,
) -> bytes:
    """An EPUB 3 book of `chapters` (file name, XHTML body) with a nav document and an NCX.

    The spine lists the nav first, then the chapters in `spine_order` (their order by default).
    """
    book = epub.EpubBook()
    book.set_identifier("urn:uuid:claimmark-test-book")
    book.set_language("en")
    if title:
        book.set_title(title)
    for author in authors:
        book.add_author(author)
    if published:
        book.add_metadata("DC", "date", published)
    items = []
    for number, (file_name, body) in enumerate(chapters, start=1):
        item = epub.EpubHtml(title=f"Chapter {number}", file_name=file_name, lang="en")
        item.content = body
        book.add_item(item)
        items.append(item)
    book.toc = tuple(items)
    book.add_item(epub.EpubNcx())
    book.add_item(epub.EpubNav())
    order = range(len(items)) if spine_order is None else spine_order
    book.spine = ["nav", *(items[index] for index in order)]
    buffer = io.BytesIO()
    epub.write_epub(buffer, book)
    return buffer.getvalue()


def with_zip_member(archive: bytes, name: str, content: bytes) -> bytes:
    """A copy of the zip `archive` whose member `name` holds `content` (added or replaced)."""
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(archive)) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for member in source.infolist():
            if member.filename != name:
                target.writestr(member, source.read(member))
        target.writestr(name, content)
    return buffer.getvalue()


def zip_bytes(members: dict[str, bytes]) -> bytes:
    """A zip archive of `members` (name: content)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def encryption_xml(algorithm: str, uri: str) -> bytes:
    """META-INF/encryption.xml saying that `uri` is encrypted with `algorithm`."""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<encryption xmlns="urn:oasis:names:tc:opendocument:xmlns:container"
            xmlns:enc="http://www.w3.org/2001/04/xmlenc#">
  <enc:EncryptedData>
    <enc:EncryptionMethod Algorithm="{algorithm}"/>
    <enc:CipherData><enc:CipherReference URI="{uri}"/></enc:CipherData>
  </enc:EncryptedData>
</encryption>
""".encode()


def pdf_file(
    path: Path, pages: Sequence[Sequence[str]], *, title: str = "", page_numbers: bool = True
) -> Path:
    """A PDF with a text layer: each page's lines drawn top down, its number at the foot.

    Needs a QGuiApplication (pytest-qt's `qapp`) for the fonts.
    """
    from PySide6.QtGui import QFont, QPageSize, QPainter, QPdfWriter

    writer = QPdfWriter(str(path))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setResolution(72)  # One unit a point, so the coordinates below are on the page.
    if title:
        writer.setTitle(title)
    painter = QPainter(writer)
    font = QFont("DejaVu Sans")
    font.setPointSize(11)
    painter.setFont(font)
    for number, lines in enumerate(pages, start=1):
        if number > 1:
            writer.newPage()
        for row, line in enumerate(lines):
            painter.drawText(60, 70 + 16 * row, line)
        if page_numbers:
            painter.drawText(290, 800, str(number))
    painter.end()
    return path


def pdf_without_text(path: Path) -> Path:
    """A one-page PDF with a drawn rectangle and no text at all, like a scan."""
    from PySide6.QtGui import QColor, QPainter, QPdfWriter

    writer = QPdfWriter(str(path))
    painter = QPainter(writer)
    painter.fillRect(200, 200, 3000, 2000, QColor("darkblue"))
    painter.end()
    return path


def pdf_with_metadata(source: Path, target: Path, metadata: dict[str, str]) -> Path:
    """A copy of the PDF `source` whose document information is `metadata` ("/Title": ...)."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(source))
    writer.add_metadata(metadata)
    with target.open("wb") as file:
        writer.write(file)
    return target


def encrypted_pdf(source: Path, target: Path, *, user: str, owner: str) -> Path:
    """A copy of the PDF `source`, encrypted (RC4, which needs no extra package)."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(source))
    writer.encrypt(user_password=user, owner_password=owner, algorithm="RC4-128")
    with target.open("wb") as file:
        writer.write(file)
    return target
