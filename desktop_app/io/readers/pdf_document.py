"""PDF files: the text layer, page by page, rebuilt into paragraphs as well as lines allow.

A PDF stores positioned runs of glyphs, not paragraphs. pypdf extracts each page's text as lines
(its plain mode: the layout mode pads columns with spaces and blank lines, worse for prose);
this module joins the lines back into paragraphs with a few rules a reader would apply:
a word hyphenated over a line break is rejoined, a line ending a sentence before one starting
a new one (or a line much shorter than the page's lines) ends a paragraph, page numbers and
running headers at the page edges are dropped. It is a best effort: the note says so.
"""

from __future__ import annotations

import io
import logging
import re
import struct
import unicodedata
import zlib
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

from desktop_app.core.text_normalise import normalise_text
from desktop_app.io.imported import ImportedDocument, ImportRefused
from desktop_app.io.readers import title_from_name

DAMAGED = "is not a PDF file (or it is damaged)"
NO_TEXT = "has no text layer (it may be a scan); Claimmark cannot read images of text"
NOTE = (
    "PDF: the text was extracted page by page; columns, tables, footnotes and page layout "
    "may not have been kept."
)
# pypdf needs the `cryptography` package for AES, even for a file with an empty user password.
AES_UNREADABLE = "is encrypted with AES, which this installation of Claimmark cannot read"
SKIPPED_NOTE = "Some pages of the PDF could not be read and were left out."
MAX_TITLE_LENGTH = 120

# Characters that end a sentence (closing quotes and brackets after them are looked through).
_SENTENCE_ENDS = frozenset(".!?:。！？…")
_CLOSERS = "\"'”’»)]）」』】"
_OPENERS = frozenset("\"'“‘«„(（[「『【¿¡")
_HYPHENS = ("-", "\u2010")
_SOFT_HYPHEN = "\u00ad"
# A line that is only a page number: "12", "- 12 -", "(12)", "Page 12", "12 / 30", "xii".
_PAGE_NUMBER = re.compile(
    r"(?:page\s*)?[-–—(\[]?\s*"
    r"(?:\d{1,4}|(?=[ivxlc])c{0,3}(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3}))"
    r"\s*[-–—)\]]?(?:\s*(?:/|of)\s*\d{1,4})?",
    re.IGNORECASE,
)
_NOT_A_TITLE = re.compile(
    r"microsoft (?:word|powerpoint|excel) - .*"
    r"|.*\.(?:docx?|pdf|rtf|odt|pages|indd|txt|html?|tex|dvi|ps|pptx?|xlsx?|qxp)"
    r"|untitled(?:[- ]\d+)?|untitled document|document\d*",
    re.IGNORECASE,
)
_CREATION_DATE = re.compile(r"(?:D:)?(\d{4})(\d{2})(\d{2})")
# Some writers (Qt among them) place each word on its own, and pypdf puts a tab between them.
_SPACES = re.compile(r"[ \t\u00a0]+")
# A page with fewer lines says nothing about how long its full lines are.
_LINES_FOR_TYPICAL_WIDTH = 5
_SHORT_LINE = 0.6
_BLANK = ""

# pypdf keeps presentation forms that a font's glyphs stand for: ligatures, and Kangxi
# radicals where a font maps one glyph to both the radical and the ideograph (⽇ for 日).
_PRESENTATION_FORMS = {
    0xFB00: "ff",
    0xFB01: "fi",
    0xFB02: "fl",
    0xFB03: "ffi",
    0xFB04: "ffl",
    0xFB05: "st",
    0xFB06: "st",
    **{
        code: unicodedata.normalize("NFKC", chr(code))
        for code in range(0x2E80, 0x2FE0)
        if unicodedata.normalize("NFKC", chr(code)) != chr(code)
    },
}
_LINE_BREAKERS = "\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
_INVISIBLE = [*range(0x00, 0x09), *range(0x0E, 0x1C), 0x1F, *range(0x7F, 0x85), *range(0x86, 0xA0)]
_LINE_CLEANUP = {
    **dict.fromkeys(_INVISIBLE),
    **dict.fromkeys(map(ord, _LINE_BREAKERS), " "),
    0xFEFF: None,
    0xFFFE: None,
    **_PRESENTATION_FORMS,
}


def read(path: Path, data: bytes) -> ImportedDocument:
    """A .pdf file as a document: its text layer rebuilt into paragraphs, and its metadata."""
    reader, pages = _open(path, data)
    page_lines: list[list[str]] = []
    skipped = 0
    for page in pages:
        raw = _page_text(path, page)
        if raw is None:
            skipped += 1
        else:
            page_lines.append(_lines(raw))
    if pages and skipped == len(pages):
        raise ImportRefused(path, DAMAGED)
    page_lines = _without_running_heads(_without_page_numbers(page_lines))
    paragraphs = _paragraphs(page_lines)
    if not paragraphs:
        raise ImportRefused(path, NO_TEXT)
    title, author, published = _metadata(reader)
    first_line = next(line for lines in page_lines for line in lines if line)
    if not title and len(first_line) <= MAX_TITLE_LENGTH:
        title = first_line
    return ImportedDocument(
        title=title or title_from_name(path),
        source=str(path.resolve()),
        text="\n".join(paragraphs),
        format="pdf",
        author=author,
        published=published,
        notes=(NOTE, SKIPPED_NOTE) if skipped else (NOTE,),
    )


def _malformed() -> tuple[type[BaseException], ...]:
    """What pypdf raises for a damaged file: its own errors, or whatever its parsing trips over.

    Only calls into pypdf are guarded with this, so no bug of ours is hidden by it.
    """
    from pypdf.errors import PyPdfError

    return (
        PyPdfError,
        ValueError,
        KeyError,
        IndexError,
        TypeError,
        AttributeError,
        AssertionError,
        RecursionError,
        OverflowError,
        NotImplementedError,  # a filter or encryption pypdf does not implement
        struct.error,
        zlib.error,
    )


_SILENT = logging.NullHandler()


def _open(path: Path, data: bytes) -> tuple[Any, list[Any]]:
    """The reader and its pages, decrypted if the file opens without a password."""
    from pypdf import PasswordType, PdfReader
    from pypdf.errors import DependencyError

    # pypdf logs what it repairs in a damaged file ("incorrect startxref pointer"); with no
    # handler of its own, Python would print that on stderr beside our one-line reason.
    logging.getLogger("pypdf").addHandler(_SILENT)

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
            raise ImportRefused(path, "is password-protected")
        return reader, list(reader.pages)
    except DependencyError:
        raise ImportRefused(path, AES_UNREADABLE) from None
    except NotImplementedError:
        raise ImportRefused(path, "uses encryption or compression Claimmark cannot read") from None
    except _malformed():
        raise ImportRefused(path, DAMAGED) from None


def _page_text(path: Path, page: Any) -> str | None:
    """A page's text as pypdf extracts it; None if its content cannot be read."""
    from pypdf.errors import DependencyError

    try:
        text = page.extract_text()
    except DependencyError:
        # AES-128 checks the password without AES; only reading the content needs it.
        raise ImportRefused(path, AES_UNREADABLE) from None
    except _malformed():
        return None
    return text if isinstance(text, str) else ""


def _lines(raw: str) -> list[str]:
    """A page's lines, cleaned; `_BLANK` where pypdf left an empty line (a paragraph gap).

    A line that held only spaces or control characters is an artefact of how the glyphs were
    placed (a font change within a line, say) and is dropped, not taken for a gap.
    """
    lines: list[str] = []
    for piece in normalise_text(raw).split("\n"):
        if not piece:
            if lines and lines[-1]:
                lines.append(_BLANK)
            continue
        line = _SPACES.sub(" ", piece.translate(_LINE_CLEANUP)).strip()
        if line:
            lines.append(line)
    return _trimmed(lines)


def _without_page_numbers(pages: list[list[str]]) -> list[list[str]]:
    """Each page without a page-number line at its bottom or top."""
    kept = []
    for page in pages:
        lines = _trimmed(page)
        if lines and _PAGE_NUMBER.fullmatch(lines[-1]):
            lines = _trimmed(lines[:-1])
        if len(lines) > 1 and _PAGE_NUMBER.fullmatch(lines[0]):
            lines = _trimmed(lines[1:])
        kept.append(lines)
    return kept


def _without_running_heads(pages: list[list[str]]) -> list[list[str]]:
    """Each page without the header or footer line that recurs at the same edge of most pages.

    Digits are masked when lines are compared: "Page 3 of 8" and a date recur with other numbers.
    """
    with_text = [lines for lines in pages if lines]
    if len(with_text) < 2:
        return pages
    firsts = Counter(_masked(lines[0]) for lines in with_text)
    lasts = Counter(_masked(lines[-1]) for lines in with_text)
    needed = max(2, round(0.6 * len(with_text)))
    kept = []
    for lines in pages:
        if len(lines) > 1 and firsts[_masked(lines[0])] >= needed:
            lines = lines[1:]
        if len(lines) > 1 and lasts[_masked(lines[-1])] >= needed:
            lines = lines[:-1]
        kept.append(_trimmed(lines))
    return kept


def _masked(line: str) -> str:
    return re.sub(r"\d+", "#", line)


def _trimmed(lines: list[str]) -> list[str]:
    """`lines` without gap markers at either end."""
    start, end = 0, len(lines)
    while start < end and not lines[start]:
        start += 1
    while end > start and not lines[end - 1]:
        end -= 1
    return lines[start:end]


def _paragraphs(pages: list[list[str]]) -> list[str]:
    """The text's paragraphs: lines joined until a rule says a paragraph ends."""
    paragraphs: list[str] = []
    current = ""
    for lines in pages:
        typical = _typical_width(lines)
        # Empty at the top of a page: a paragraph carried over from the last page goes on.
        previous_line = ""
        for line in lines:
            if not line:
                if current:
                    paragraphs.append(current)
                current = previous_line = ""
                continue
            if not current:
                current = line
            elif previous_line and _ends_paragraph(previous_line, line, typical):
                paragraphs.append(current)
                current = line
            else:
                current = _joined(current, line)
            previous_line = line
        # A page break ends a paragraph only where the page's last sentence ended.
        if current and _ends_sentence(current):
            paragraphs.append(current)
            current = ""
    if current:
        paragraphs.append(current)
    return paragraphs


def _typical_width(lines: list[str]) -> int:
    """How long a full line of this page is, in characters; 0 when too few lines tell."""
    widths = sorted(len(line) for line in lines if line)
    if len(widths) < _LINES_FOR_TYPICAL_WIDTH:
        return 0
    return widths[int(len(widths) * 0.8)]


def _ends_paragraph(line: str, following: str, typical: int) -> bool:
    """Whether `line` ends a paragraph that `following` does not continue."""
    if _ends_in_hyphen(line) or not _starts_paragraph(following):
        return False
    if _ends_sentence(line):
        return True
    # A line well short of the page's full lines is a paragraph's last (or a heading). Not
    # before an uncased letter: a change of font within a line of Chinese or Japanese makes
    # pypdf start a new line for each piece, and only punctuation tells those apart.
    short = typical > 0 and len(line) < _SHORT_LINE * typical
    return short and unicodedata.category(following[0]) != "Lo"


def _ends_sentence(text: str) -> bool:
    stripped = text.rstrip(_CLOSERS)
    return bool(stripped) and stripped[-1] in _SENTENCE_ENDS


def _starts_paragraph(line: str) -> bool:
    """Whether `line` could begin a paragraph: a capital, digit, quote or uncased letter."""
    first = line[0]
    if first in _OPENERS:
        return True
    category = unicodedata.category(first)
    return category in ("Lu", "Lt", "Lo", "Nd")


def _ends_in_hyphen(line: str) -> bool:
    """Whether `line` ends with a word broken or joined by a hyphen: "nego-", "Franco-"."""
    if line.endswith(_SOFT_HYPHEN):
        return True
    return line.endswith(_HYPHENS) and len(line) > 1 and line[-2].isalnum()


def _joined(current: str, line: str) -> str:
    """`current` continued by `line`: rejoining a hyphenated word, no space between CJK."""
    if _ends_in_hyphen(current):
        if current.endswith(_SOFT_HYPHEN) or line[0].islower():
            return current[:-1] + line  # "nego-" and "tiations"
        return current + line  # "Franco-" and "German", "pre-" and "2020": a compound.
    if _is_cjk(current[-1]) or _is_cjk(line[0]):
        return current + line
    return f"{current} {line}"


def _is_cjk(character: str) -> bool:
    """Chinese or Japanese script or punctuation: written without spaces between words."""
    code = ord(character)
    return (
        0x3000 <= code <= 0x30FF
        or 0x31F0 <= code <= 0x31FF
        or 0x3400 <= code <= 0x4DBF
        or 0x4E00 <= code <= 0x9FFF
        or 0xF900 <= code <= 0xFAFF
        or 0xFF00 <= code <= 0xFF60
        or 0x20000 <= code <= 0x3FFFF
    )


def _metadata(reader: Any) -> tuple[str, str, str]:
    """Title (unless it is a file name), author and creation date (YYYY-MM-DD) of the file."""
    try:
        info = reader.metadata
        title, author, created = (
            (info.title, info.author, info.creation_date_raw) if info else (None, None, None)
        )
    except _malformed():
        return "", "", ""
    title = _one_line(title)
    if _NOT_A_TITLE.fullmatch(title):
        title = ""
    return title, _one_line(author), _iso_date(created)


def _one_line(value: object) -> str:
    if not isinstance(value, str):
        return ""
    return " ".join(value.translate(_LINE_CLEANUP).split())


def _iso_date(value: object) -> str:
    """A PDF date ("D:20240305…") as "2024-03-05"; "" if it is not one."""
    if not isinstance(value, str):
        return ""
    match = _CREATION_DATE.match(value.strip())
    if not match:
        return ""
    try:
        return date(*map(int, match.groups())).isoformat()
    except ValueError:
        return ""
