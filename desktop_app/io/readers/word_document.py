"""Word .docx documents: the body's paragraphs and tables in order, headings, lists and quotes kept.

python-docx opens the package and resolves paragraph styles; the text of each paragraph is read
from its XML here rather than with `Paragraph.text`, which leaves out tracked insertions, inline
content controls and field results. Deleted text, text boxes, pictures, footnotes, headers and
footers, and a table of contents are left out: they are not the running text of the document.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from desktop_app.core.text_normalise import normalise_text
from desktop_app.io.archive_members import ZIP_ERRORS, ArchiveRefused, verify_archive
from desktop_app.io.html_text import BULLET, CELL_SEPARATOR
from desktop_app.io.imported import Block, ImportedDocument, ImportRefused
from desktop_app.io.readers import title_from_name

DAMAGED = "is not a Word .docx file (or it is damaged)"
NOTE = "Word document: text and headings were kept; images, footnotes and page layout were not."

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_PARAGRAPH, _TABLE, _ROW, _CELL = f"{_W}p", f"{_W}tbl", f"{_W}tr", f"{_W}tc"
_TEXT, _TAB, _PTAB, _BREAK, _CARRIAGE_RETURN = (
    f"{_W}t",
    f"{_W}tab",
    f"{_W}ptab",
    f"{_W}br",
    f"{_W}cr",
)
_NO_BREAK_HYPHEN, _VAL, _BREAK_TYPE = f"{_W}noBreakHyphen", f"{_W}val", f"{_W}type"
# Containers whose children are body content: content controls, custom XML, their contents.
_WRAPPERS = frozenset({f"{_W}sdt", f"{_W}sdtContent", f"{_W}customXml", f"{_W}smartTag"})
# Never part of the running text: deleted or moved-away text, drawings and text boxes (their
# paragraphs would be spliced into the one anchoring them), ruby readings, the fallback copy
# of alternate content, and properties. (Deleted text and field instructions are not `w:t`.)
_NOT_TEXT = frozenset(
    {
        f"{_W}del",
        f"{_W}moveFrom",
        f"{_W}drawing",
        f"{_W}pict",
        f"{_W}object",
        f"{_W}txbxContent",
        f"{_W}rt",
        f"{_W}pPr",
        f"{_W}rPr",
        f"{_W}sdtPr",
        f"{_W}sdtEndPr",
        f"{_MC}Fallback",
    }
)
_HEADING_STYLE = re.compile(r"heading ([1-9])")
_MAX_UNPACKED = 256 * 1024 * 1024
# Characters that would start a new line inside one become a space; controls and byte-order
# marks are dropped. Tabs stay: they are the author's.
_LINE_BREAKERS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_INVISIBLE = [*range(0x00, 0x09), *range(0x0E, 0x1C), 0x1F, *range(0x7F, 0x85), *range(0x86, 0xA0)]
_LINE_CLEANUP = {
    **dict.fromkeys(_INVISIBLE),
    **dict.fromkeys(map(ord, _LINE_BREAKERS), " "),
    0xFEFF: None,
    0xFFFE: None,
}


def read(path: Path, data: bytes) -> ImportedDocument:
    """A .docx file as a document: body text in order, headings, lists, quotes and tables."""
    document = _open(path, data)
    # python-docx gives a part its own element class only if the root is the one expected.
    body = getattr(document.element, "body", None)
    if body is None:
        raise ImportRefused(path, DAMAGED)
    _refuse_parts_out_of_reach(path, document)
    roles = _StyleRoles(document)
    lines: list[tuple[str, str]] = []
    for element in _block_elements(body):
        if element.tag == _PARAGRAPH:
            lines.extend(_paragraph_lines(element, roles.role_of(element)))
        else:
            lines.extend(_table_lines(element))
    text, blocks = _assemble(lines)
    if not text:
        raise ImportRefused(path, "has no text to read")
    title, author, published = _core_metadata(document)
    first_heading = next((line for line, kind in lines if kind.startswith("heading")), "")
    return ImportedDocument(
        title=title or first_heading or title_from_name(path),
        source=str(path.resolve()),
        text=text,
        format="docx",
        author=author,
        published=published,
        blocks=blocks,
        notes=(NOTE, *_entity_note(body)),
    )


def _open(path: Path, data: bytes) -> Any:
    """The document as python-docx reads it, or a refusal if it is not a sound .docx."""
    # python-docx unpacks every part into memory, trusting the sizes the zip declares: every
    # part is unpacked here first, as a stream, so that it only reads parts that proved them.
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            verify_archive(archive, _MAX_UNPACKED)
    except ArchiveRefused as refused:
        raise ImportRefused(path, str(refused)) from None
    except ZIP_ERRORS:
        raise ImportRefused(path, DAMAGED) from None
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from lxml import etree

    # A spreadsheet or presentation renamed .docx is a ValueError; a package missing a part is a
    # KeyError. Only this one library call is guarded, so no bug of ours is hidden.
    malformed = (
        PackageNotFoundError,
        etree.LxmlError,
        KeyError,
        ValueError,
        TypeError,
        AttributeError,
        IndexError,
        *ZIP_ERRORS,
    )
    try:
        return docx.Document(io.BytesIO(data))
    except malformed:
        raise ImportRefused(path, DAMAGED) from None


def _refuse_parts_out_of_reach(path: Path, document: Any) -> None:
    """Refuse a file whose styles or properties are not one part inside it.

    Hyperlinks and linked pictures point outside the file (TargetMode="External") in many real
    documents and are never followed. python-docx fails with a ValueError, though, when the
    relationship to a part it must open is external or given twice; only a crafted file has
    either, and it is refused as such rather than read with some of its styles guessed.
    """
    from docx.opc.constants import RELATIONSHIP_TYPE

    wanted = {
        RELATIONSHIP_TYPE.STYLES: ("styles", document.part.rels),
        RELATIONSHIP_TYPE.CORE_PROPERTIES: ("properties", document.part.package.rels),
    }
    for reltype, (label, rels) in wanted.items():
        found = [rel for rel in rels.values() if rel.reltype == reltype]
        if any(rel.is_external for rel in found):
            reason = f'its {label} are outside the file (TargetMode="External")'
            raise ImportRefused(path, f"{reason}; a Word file keeps them inside")
        if len(found) > 1:
            raise ImportRefused(path, f"it has {len(found)} {label} parts; a Word file has one")


def _entity_note(body: Any) -> tuple[str, ...]:
    """A note naming the entity references left out of the text, if the file has any.

    Word never writes a DTD, so a document whose DTD declares entities was made by hand; its
    references are not expanded (that is how a "billion laughs" file would fill memory), and
    the note says exactly which were left out, while the text around them is kept.
    """
    from lxml import etree

    names = [entity.name for entity in body.iter(etree.Entity)]
    if not names:
        return ()
    shown = ", ".join(f"&{name};" for name in sorted(set(names))[:5])
    more = ", ..." if len(set(names)) > 5 else ""
    count = f"{len(names)} reference{'' if len(names) == 1 else 's'}"
    return (
        f"Word document: {count} to entities its DTD declares ({shown}{more}) "
        "were left out; the text around them was kept.",
    )


def _block_elements(container: Any) -> Iterator[Any]:
    """The paragraphs and tables of the body in order, looking inside content controls."""
    for child in container:
        if child.tag in (_PARAGRAPH, _TABLE):
            yield child
        elif child.tag in _WRAPPERS:
            yield from _block_elements(child)


class _StyleRoles:
    """The role ("heading1", "list_item", "quote", "skip", "paragraph") a paragraph plays.

    A role comes from the paragraph's style or the styles it is based on, so a house style
    based on "Heading 2" is a heading too; direct numbering makes a list item.
    """

    def __init__(self, document: Any) -> None:
        self._document = document
        self._by_style: dict[str | None, str] = {}

    def role_of(self, paragraph: Any) -> str:
        """The role of a `w:p` element."""
        properties = paragraph.find(f"{_W}pPr")
        style_id = None
        numbering = None
        if properties is not None:
            style = properties.find(f"{_W}pStyle")
            style_id = None if style is None else style.get(_VAL)
            numbering = _numbering_id(properties)
        role = self._style_role(style_id)
        if role.startswith("heading") or role == "skip" or numbering is None:
            return role
        # Direct numbering wins over the style's; numId 0 switches a list style's bullets off.
        if numbering == "0":
            return "paragraph" if role == "list_item" else role
        return "list_item"

    def _style_role(self, style_id: str | None) -> str:
        if style_id not in self._by_style:
            self._by_style[style_id] = self._resolve(style_id)
        return self._by_style[style_id]

    def _resolve(self, style_id: str | None) -> str:
        from docx.enum.style import WD_STYLE_TYPE

        try:
            style = self._document.part.get_style(style_id, WD_STYLE_TYPE.PARAGRAPH)
        except AttributeError:
            # A styles part whose root is not `w:styles` has no styles python-docx can use.
            return "paragraph"
        seen: set[int] = set()
        # Base styles can form a loop in a damaged file; each is visited once.
        while style is not None and id(style.element) not in seen:
            seen.add(id(style.element))
            role = _role_of_style(style)
            if role:
                return role
            style = style.base_style
        return "paragraph"


def _role_of_style(style: Any) -> str:
    """The role a style's own name or numbering gives, "" if it gives none."""
    name = " ".join((style.name or "").lower().split())
    heading = _HEADING_STYLE.fullmatch(name)
    if name == "title":
        return "heading1"
    if heading:
        return f"heading{min(int(heading.group(1)), 6)}"
    if name.startswith("toc"):
        return "skip"  # A table of contents repeats the headings, with page numbers.
    if name.startswith(("list bullet", "list number")):
        return "list_item"
    if name in ("quote", "intense quote"):
        return "quote"
    properties = style.element.find(f"{_W}pPr")
    if properties is not None and _numbering_id(properties) not in (None, "0"):
        return "list_item"
    return ""


def _numbering_id(properties: Any) -> str | None:
    """The numId of a `w:pPr`'s numbering: None without one, "0" for numbering switched off."""
    numbering = properties.find(f"{_W}numPr")
    if numbering is None:
        return None
    number_id = numbering.find(f"{_W}numId")
    return None if number_id is None else (number_id.get(_VAL) or "").strip()


def _paragraph_lines(paragraph: Any, role: str) -> Iterator[tuple[str, str]]:
    """A paragraph's lines (a manual line break starts a new one) with their block kind."""
    if role == "skip":
        return
    marker = BULLET if role == "list_item" else ""
    for piece in normalise_text(_paragraph_text(paragraph)).split("\n"):
        line = _clean(piece)
        if line:
            yield marker + line, role
            marker = ""


def _paragraph_text(element: Any) -> str:
    return "".join(_text_pieces(element))


def _text_pieces(element: Any) -> Iterator[str]:
    """The visible text inside `element`, in order (tabs as tabs, line breaks as newlines)."""
    for child in element:
        tag = child.tag
        if not isinstance(tag, str) or tag in _NOT_TEXT:
            continue
        if tag == _TEXT:
            yield child.text or ""
            # Only an entity reference or a comment can sit inside `w:t`; the text after it
            # is its tail, not part of the element's text.
            for inner in child:
                yield inner.tail or ""
        elif tag in (_TAB, _PTAB):
            yield "\t"
        elif tag == _CARRIAGE_RETURN:
            yield "\n"
        elif tag == _BREAK:
            # A page or column break separates words without starting a line of its own.
            yield "\n" if child.get(_BREAK_TYPE) in (None, "textWrapping") else " "
        elif tag == _NO_BREAK_HYPHEN:
            yield "-"
        else:
            yield from _text_pieces(child)


def _table_lines(table: Any) -> Iterator[tuple[str, str]]:
    """One line a row, its non-empty cells joined by " | " (nested tables flattened into cells)."""
    for row in _children(table, _ROW):
        cells = [_cell_text(cell) for cell in _children(row, _CELL)]
        yield CELL_SEPARATOR.join(cell for cell in cells if cell), "paragraph"


def _children(element: Any, tag: str) -> Iterator[Any]:
    """The children of `element` called `tag`, including those wrapped in content controls."""
    for child in element:
        if child.tag == tag:
            yield child
        elif child.tag in _WRAPPERS:
            yield from _children(child, tag)


def _cell_text(cell: Any) -> str:
    return " ".join(
        text for text in map(_clean, map(_paragraph_text, _paragraphs_in(cell))) if text
    )


def _paragraphs_in(element: Any) -> Iterator[Any]:
    """Every paragraph inside `element` in order, nested tables included, text boxes not."""
    for child in element:
        if child.tag == _PARAGRAPH:
            yield child
        elif isinstance(child.tag, str) and child.tag not in _NOT_TEXT:
            yield from _paragraphs_in(child)


def _clean(line: str) -> str:
    return line.translate(_LINE_CLEANUP).strip()


def _assemble(lines: list[tuple[str, str]]) -> tuple[str, tuple[Block, ...]]:
    """Join lines into the document text, one paragraph a line, with blocks for non-plain ones."""
    kept: list[str] = []
    blocks: list[Block] = []
    offset = 0
    for raw, kind in lines:
        line = _clean(raw)
        if not line:
            continue
        if kind != "paragraph":
            blocks.append(Block(offset, offset + len(line), kind))
        kept.append(line)
        offset += len(line) + 1
    return "\n".join(kept), tuple(blocks)


def _core_metadata(document: Any) -> tuple[str, str, str]:
    """Title, author and creation date (YYYY-MM-DD) from the document properties, "" if unset."""
    from docx.opc.constants import RELATIONSHIP_TYPE

    try:
        document.part.package.part_related_by(RELATIONSHIP_TYPE.CORE_PROPERTIES)
    except KeyError:
        # Without the part python-docx would make one up, titled "Word Document".
        return "", "", ""
    try:
        properties = document.core_properties
        title, author, created = properties.title, properties.author, properties.created
    except AttributeError:
        return "", "", ""  # The part's root is not `cp:coreProperties`.
    published = created.date().isoformat() if created is not None else ""
    return _one_line(title or ""), _one_line(author or ""), published


def _one_line(value: str) -> str:
    return " ".join(value.translate(_LINE_CLEANUP).split())
