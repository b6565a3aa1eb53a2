"""EPUB e-books: the chapters in reading order, flattened like web pages, and the book's metadata.

An EPUB is a zip of XHTML chapters listed by a package file. EbookLib reads the package, lxml
parses each chapter as XML (entities are left unexpanded and the network is off) and
`html_to_text` flattens it, so headings, list items and quotes keep their roles. A book with DRM is
refused before anything is parsed: its chapters are ciphertext. Nothing is ever fetched.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

from desktop_app.io.archive_members import (
    ZIP_ERRORS,
    ArchiveRefused,
    member_bytes,
    shown_name,
    verify_archive,
)
from desktop_app.io.html_text import FlatText, html_to_text
from desktop_app.io.imported import Block, ImportedDocument, ImportRefused
from desktop_app.io.readers import title_from_name

DAMAGED = "is not an EPUB e-book (or it is damaged)"
PROTECTED = "is protected by DRM and cannot be read"
SKIPPED_NOTE = "Some chapters of the e-book could not be read and were left out."

_ENCRYPTION_FILE = "META-INF/encryption.xml"
_XMLENC = "{http://www.w3.org/2001/04/xmlenc#}"
# Publishers "encrypt" embedded fonts with these to deter copying them; the text stays readable,
# so a book whose encryption.xml lists only these is not a book with DRM.
_FONT_OBFUSCATION = frozenset(
    {"http://www.idpf.org/2008/embedding", "http://ns.adobe.com/pdf/enc#RC"}
)
# EbookLib unpacks every item into memory: the most an e-book may unpack to.
_MAX_UNPACKED = 256 * 1024 * 1024
_HTML_MEDIA_TYPES = frozenset({"application/xhtml+xml", "text/html"})
# Not text a reader sees: ruby readings (rt, rp) would run into the words they annotate.
_DROPPED_ELEMENTS = frozenset({"head", "script", "style", "template", "svg", "rt", "rp"})
_DROP_MARK = "claimmark-dropped"
_OPS_TYPE = "{http://www.idpf.org/2007/ops}type"
# Characters that would start a new line (or paragraph, for Qt) inside one, become a space;
# controls and byte-order marks are dropped (normalise_text would strip a leading one later,
# moving every offset).
_LINE_BREAKERS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_INVISIBLE = [*range(0x00, 0x09), *range(0x0E, 0x1C), 0x1F, *range(0x7F, 0x85), *range(0x86, 0xA0)]
_LINE_CLEANUP = {
    **dict.fromkeys(_INVISIBLE),
    **dict.fromkeys(map(ord, _LINE_BREAKERS), " "),
    0xFEFF: None,
    0xFFFE: None,
}


def read(path: Path, data: bytes) -> ImportedDocument:
    """An .epub e-book as a document: its chapters in spine order, title, author and date."""
    _refuse_unreadable_package(path, data)
    book = _load_book(path, data)
    chapters: list[FlatText] = []
    skipped = False
    for name, content in _chapter_contents(book):
        flat = _chapter_text(path, name, content)
        if flat is None:
            skipped = True
        else:
            chapters.append(flat)
    text, blocks = _assemble(line for flat in chapters for line in _lines_of(flat))
    if not text:
        raise ImportRefused(path, "has no text to read")
    first_heading = next((flat.first_heading for flat in chapters if flat.first_heading), "")
    return ImportedDocument(
        title=_first_value(book, "title") or _one_line(first_heading) or title_from_name(path),
        source=str(path.resolve()),
        text=text,
        format="epub",
        author=_authors(book),
        published=_published(book),
        blocks=blocks,
        notes=(SKIPPED_NOTE,) if skipped else (),
    )


def _refuse_unreadable_package(path: Path, data: bytes) -> None:
    """Refuse what is not a zip, unpacks to too much, or is protected by DRM.

    Every member is unpacked here first, as a stream, so that EbookLib (which trusts the sizes
    a zip declares) only ever reads members that have proven them.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            verify_archive(archive, _MAX_UNPACKED)
            names = set(archive.namelist())
            if _ENCRYPTION_FILE in names:
                encryption = member_bytes(archive, archive.getinfo(_ENCRYPTION_FILE))
                if _has_drm(encryption):
                    raise ImportRefused(path, PROTECTED)
    except ArchiveRefused as refused:
        raise ImportRefused(path, str(refused)) from None
    except ZIP_ERRORS:
        raise ImportRefused(path, DAMAGED) from None


def _has_drm(encryption_xml: bytes) -> bool:
    """Whether META-INF/encryption.xml encrypts anything beyond obfuscated fonts."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    try:
        root = etree.fromstring(encryption_xml, parser)
    except etree.XMLSyntaxError:
        return True  # Unreadable: assume the worst rather than show ciphertext as text.
    for encrypted in root.iter(f"{_XMLENC}EncryptedData"):
        method = encrypted.find(f"{_XMLENC}EncryptionMethod")
        algorithm = "" if method is None else (method.get("Algorithm") or "").strip()
        if algorithm not in _FONT_OBFUSCATION:
            return True
    return False


def _load_book(path: Path, data: bytes) -> Any:
    """The book as EbookLib reads it, or a refusal if its package is damaged."""
    from ebooklib import epub
    from lxml import etree

    # EbookLib reports a malformed package by whatever error its parsing trips over (a missing
    # element is a TypeError or AttributeError); only this one library call is guarded.
    malformed = (
        epub.EpubException,
        etree.LxmlError,
        AssertionError,  # lxml's, for a package file with no root element
        KeyError,
        IndexError,
        ValueError,
        TypeError,
        AttributeError,
        *ZIP_ERRORS,
    )
    try:
        return epub.read_epub(io.BytesIO(data), {"ignore_ncx": True})
    except malformed:
        raise ImportRefused(path, DAMAGED) from None


def _chapter_contents(book: Any) -> Iterator[tuple[str, bytes]]:
    """The name and raw XHTML of each document in the spine, in reading order, without nav or
    cover."""
    import ebooklib
    from ebooklib import epub

    items = {item.get_id(): item for item in book.get_items()}
    covers = {
        (entry.get("href") or "").split("#")[0]
        for entry in getattr(book, "guide", [])
        if entry.get("type") == "cover"
    }
    seen: set[str] = set()
    for entry in book.spine:
        idref = entry[0] if isinstance(entry, tuple) else entry
        item = items.get(idref)
        if item is None or idref in seen:
            continue
        seen.add(idref)
        is_document = (
            item.get_type() == ebooklib.ITEM_DOCUMENT or item.media_type in _HTML_MEDIA_TYPES
        )
        navigation = isinstance(item, epub.EpubNav) or "nav" in getattr(item, "properties", [])
        cover = isinstance(item, epub.EpubCoverHtml) or item.get_name() in covers
        if is_document and not navigation and not cover and isinstance(item.content, bytes):
            yield item.get_name(), item.content


def _chapter_text(path: Path, name: str, content: bytes) -> FlatText | None:
    """A chapter's body flattened to lines and blocks; None if it cannot be parsed at all.

    A chapter the parser could read only in part is refused, saying why: recovering, it would
    otherwise hand back the text up to where it stopped, as if that were all.
    """
    from lxml import etree

    # Recovering, so that a stray `&` or an HTML-style `<br>` does not lose the chapter; entities
    # stay references (`&nbsp;`, declared by a DTD that is never loaded) for html_to_text.
    # huge_tree lifts libxml2's 10,000,000-byte cap on one text node (and its nesting cap of
    # 256), which would cut a long chapter short; the archive caps what a chapter can hold, and
    # the cap on entity amplification still holds.
    parser = etree.XMLParser(recover=True, resolve_entities=False, no_network=True, huge_tree=True)
    try:
        root = etree.fromstring(content, parser)
    except etree.XMLSyntaxError:
        return None
    _refuse_cut_short(path, name, parser.error_log)
    if root is None:
        return None
    body = root.find(".//{*}body")
    if body is None:
        body = root
    for element in body.iter():
        if not isinstance(element.tag, str):
            continue  # A comment, processing instruction or entity reference.
        # html_to_text knows elements by their HTML names; XHTML puts them in a namespace.
        element.tag = etree.QName(element).localname
        if element.tag in _DROPPED_ELEMENTS or _is_page_break(element):
            element.tag = _DROP_MARK
    etree.strip_elements(body, _DROP_MARK, with_tail=False)
    return html_to_text(etree.tostring(body, encoding="unicode", with_tail=False))


def _refuse_cut_short(path: Path, name: str, errors: Any) -> None:
    """Refuse the book if the parser stopped inside chapter `name` at one of its limits."""
    from lxml import etree

    for error in errors:
        if error.type == etree.ErrorTypes.ERR_RESOURCE_LIMIT:
            # libxml2 ends its message with advice for programmers ("see ...", "try ...").
            message = error.message.split(", see ")[0].split(", try ")[0].split(", use ")[0]
            raise ImportRefused(
                path,
                f"cannot read chapter {shown_name(name)} in full: the XML parser stopped at "
                f"line {error.line} ({message.strip().rstrip('.')})",
            )


def _is_page_break(element: Any) -> bool:
    """A print page number marker: inline in the text, never part of it."""
    kinds = (element.get(_OPS_TYPE) or "").split() + (element.get("role") or "").split()
    return "pagebreak" in kinds or "doc-pagebreak" in kinds


def _lines_of(flat: FlatText) -> Iterator[tuple[str, str]]:
    """Each line of a flattened chapter with its block kind ("paragraph" when it has none)."""
    kinds = {block.start: block.kind for block in flat.blocks}
    offset = 0
    for line in flat.text.split("\n"):
        yield line, kinds.get(offset, "paragraph")
        offset += len(line) + 1


def _assemble(lines: Iterator[tuple[str, str]]) -> tuple[str, tuple[Block, ...]]:
    """Join lines into normalised text, one paragraph a line, with blocks for the non-plain ones."""
    kept: list[str] = []
    blocks: list[Block] = []
    offset = 0
    for raw, kind in lines:
        line = raw.translate(_LINE_CLEANUP)
        # Code keeps its indentation; any other line is trimmed.
        line = line.rstrip() if kind == "preformatted" else line.strip()
        if not line.strip():
            continue
        if kind != "paragraph":
            blocks.append(Block(offset, offset + len(line), kind))
        kept.append(line)
        offset += len(line) + 1
    return "\n".join(kept), tuple(blocks)


def _metadata(book: Any, name: str) -> list[tuple[str, dict[str, str]]]:
    """The Dublin Core entries called `name`, each (value, attributes)."""
    try:
        entries = book.get_metadata("DC", name)
    except KeyError:  # The book declares no Dublin Core metadata at all.
        return []
    return [(_one_line(value or ""), others or {}) for value, others in entries]


def _first_value(book: Any, name: str) -> str:
    return next((value for value, _others in _metadata(book, name) if value), "")


def _authors(book: Any) -> str:
    """The book's creators, except those credited for another role (illustrator, editor)."""
    names: list[str] = []
    for value, others in _metadata(book, "creator"):
        roles = [role for key, role in others.items() if key.endswith("role")]
        if value and value not in names and all(role == "aut" for role in roles):
            names.append(value)
    return ", ".join(names)


def _published(book: Any) -> str:
    """The publication date as YYYY-MM-DD; a modification date is never taken for it."""
    dated: list[tuple[int, str]] = []
    for value, others in _metadata(book, "date"):
        events = [event for key, event in others.items() if key.endswith("event")]
        if not events or "publication" in events:
            dated.append((0 if events else 1, value))
    for _rank, value in sorted(dated, key=lambda pair: pair[0]):
        published = _iso_date(value)
        if published:
            return published
    return ""


def _iso_date(value: str) -> str:
    """`value` as an ISO date if it is an ISO 8601 date or timestamp, else ""."""
    value = value.strip()
    try:
        return datetime.fromisoformat(value).date().isoformat()
    except ValueError:
        pass
    if len(value) > 10 and value[10] in "T ":
        try:
            return date.fromisoformat(value[:10]).isoformat()
        except ValueError:
            pass
    return ""


def _one_line(value: str) -> str:
    return " ".join(value.translate(_LINE_CLEANUP).split())
