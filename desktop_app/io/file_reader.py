"""Reading a text or Markdown file into the one normalised text Claimmark stores.

Whatever can be wrong with a file the user picked (missing, a folder, too big, binary, unreadable,
a format we do not read) is the user's environment, not a bug: it becomes an `ImportRefused` whose
message is one line, shown as is by the window and by the command line. Anything else propagates.
"""

from __future__ import annotations

import codecs
import os
import re
import stat
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

from desktop_app.core.text_normalise import normalise_text
from desktop_app.io.markdown_text import markdown_to_text

SUPPORTED_SUFFIXES: Mapping[str, str] = MappingProxyType(
    {".txt": "text", ".md": "markdown", ".markdown": "markdown"}
)
"""The file name endings we import (compared in lower case), each with the format it means."""

DEFAULT_SIZE_LIMIT = 20 * 1024 * 1024

_MB = 1024 * 1024
_KB = 1024
# Byte-order marks in the order they are tested: (mark, codec for the rest, name we report).
_BYTE_ORDER_MARKS = (
    (codecs.BOM_UTF8, "utf-8", "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16-be"),
)
# Unicode category Cc (C0, DEL, C1) minus the controls real text uses: \t \n \f \r.
_UNEXPECTED_CONTROLS = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
# Real text has a stray escape or form feed at most; random bytes are ~24% controls.
_MAX_CONTROL_SHARE = 0.10


class ImportRefused(Exception):
    """A file Claimmark will not import, for a reason the user can act on (not a bug).

    `str(error)` is a single line, "<file as the user gave it>: <reason>", fit for a status
    bar, a message box or the command line's one-line failure.
    """

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{_display_name(path)}: {reason}")
        self.path = path
        self.reason = reason


class UndecodableText(ValueError):
    """Bytes that declare an encoding with a byte-order mark but break it.

    The message is the reason alone, without a file name: `decode_text` never sees one.
    """


@dataclass(frozen=True, slots=True)
class ImportedText:
    """A document's text as read from a file, ready to be stored once and never changed.

    `text` is normalised (line endings `\\n`, no byte-order mark), so anchors can count code
    points in it; `source` is the file's absolute path; `format` is "text" or "markdown";
    `encoding` names how the bytes were decoded (for example "utf-8" or "cp1252").
    """

    title: str
    source: str
    text: str
    format: str
    encoding: str


def read_document_file(path: Path, size_limit: int = DEFAULT_SIZE_LIMIT) -> ImportedText:
    """Read the .txt or .md file at `path` into an ImportedText, or raise ImportRefused.

    Every check that needs no content (exists, is a file, suffix, size) runs before any byte is
    read, so a huge or wrong file is refused at once. Plain text is kept exactly as written
    (after normalisation); Markdown is rendered to plain text, one paragraph a line.
    """
    info = _stat_or_refuse(path)
    if stat.S_ISDIR(info.st_mode):
        raise ImportRefused(path, "is a folder, not a file")
    if not stat.S_ISREG(info.st_mode):
        # A pipe or device would block or never end; it is never an article.
        raise ImportRefused(path, "is not a regular file")
    document_format = _format_or_refuse(path)
    if info.st_size > size_limit:
        raise ImportRefused(path, _over_limit(info.st_size, size_limit))
    data = _read_or_refuse(path, size_limit)
    if not data:
        raise ImportRefused(path, "the file is empty")

    try:
        raw, encoding = decode_text(data)
    except UndecodableText as error:
        raise ImportRefused(path, f"cannot be decoded ({error})") from None
    if _looks_binary(raw):
        raise ImportRefused(path, "not a text file (it contains binary data)")
    source_text = normalise_text(raw)
    if not source_text.strip():
        raise ImportRefused(path, "the file is empty (it contains only white space)")

    if document_format == "markdown":
        try:
            text, heading = markdown_to_text(source_text)
        except RecursionError:
            raise ImportRefused(path, "the Markdown is nested too deeply to read") from None
        if not text:
            raise ImportRefused(path, "has no text to read once the Markdown is rendered")
        title = heading or _title_from_name(path)
    else:
        text, title = source_text, _title_from_name(path)
    return ImportedText(
        title=title,
        source=str(path.resolve()),
        text=text,
        format=document_format,
        encoding=encoding,
    )


def decode_text(data: bytes) -> tuple[str, str]:
    """Decode a text file's bytes; return the text (no byte-order mark) and the encoding's name.

    A byte-order mark is the file's own declaration, so it wins and is held to strictly: bytes
    that break it raise UndecodableText rather than fall through to a guess that would store
    mojibake. Without a mark: strict UTF-8, which almost never accepts a legacy file by
    accident; then cp1252, the superset of Latin-1 that Windows editors write (curly quotes, €);
    and last Latin-1, which maps every byte and so never fails. Kept to this one function so a
    detector such as charset-normalizer can replace the guessing later.
    """
    for mark, codec, name in _BYTE_ORDER_MARKS:
        if data.startswith(mark):
            try:
                return data[len(mark) :].decode(codec), name
            except UnicodeDecodeError:
                label = codec.removesuffix("-le").removesuffix("-be").upper()
                raise UndecodableText(
                    f"it starts with a {label} byte-order mark but is not valid {label}"
                ) from None
    for codec in ("utf-8", "cp1252"):
        try:
            return data.decode(codec), codec
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1"), "latin-1"


def _looks_binary(text: str) -> bool:
    """True for decoded content no one wrote as text: NUL characters or many control codes.

    Checked on the decoded text, so a NUL byte in a UTF-8 or legacy file counts, while the
    zero bytes that UTF-16 puts in every ASCII character do not.
    """
    if "\x00" in text:
        return True
    controls = len(text) - len(_UNEXPECTED_CONTROLS.sub("", text))
    return controls > len(text) * _MAX_CONTROL_SHARE


def _stat_or_refuse(path: Path) -> os.stat_result:
    try:
        return path.stat()
    except OSError as error:
        raise _refusal_for(path, error) from None


def _read_or_refuse(path: Path, size_limit: int) -> bytes:
    # Read at most one byte past the limit: the file may have grown since it was checked.
    try:
        with path.open("rb") as file:
            data = file.read(size_limit + 1)
    except OSError as error:
        raise _refusal_for(path, error) from None
    if len(data) > size_limit:
        raise ImportRefused(path, _over_limit(len(data), size_limit))
    return data


def _refusal_for(path: Path, error: OSError) -> ImportRefused:
    """The user-facing refusal for an operating-system error on `path`."""
    if isinstance(error, FileNotFoundError | NotADirectoryError):
        return ImportRefused(path, "no such file")
    if isinstance(error, IsADirectoryError):
        return ImportRefused(path, "is a folder, not a file")
    if isinstance(error, PermissionError):
        return ImportRefused(path, "cannot be read (permission denied)")
    reason = error.strerror or type(error).__name__
    return ImportRefused(path, f"cannot be read ({reason[:1].lower()}{reason[1:]})")


def _format_or_refuse(path: Path) -> str:
    supported = ", ".join(SUPPORTED_SUFFIXES)
    suffix = path.suffix.lower()
    if suffix in SUPPORTED_SUFFIXES:
        return SUPPORTED_SUFFIXES[suffix]
    if not suffix:
        reason = f"files without an extension cannot be imported yet (supported: {supported})"
    else:
        reason = f"{suffix} files cannot be imported yet (supported: {supported})"
    raise ImportRefused(path, reason)


def _title_from_name(path: Path) -> str:
    """A readable title from the file name: `grain_corridor.txt` becomes "grain corridor"."""
    words = path.stem.replace("_", " ").replace("-", " ").split()
    return " ".join(words) or path.stem or path.name or "Untitled"


def _over_limit(size: int, limit: int) -> str:
    size_label, limit_label = _size_label(size), _size_label(limit)
    if size_label == limit_label:
        # Just over the limit rounds to the limit; "20 MB is over the 20 MB limit" would puzzle.
        size_label, limit_label = f"{size:,} bytes", f"{limit:,} bytes"
    return f"{size_label} is over the {limit_label} import limit"


def _size_label(size: int) -> str:
    """A size as people read it: "25.3 MB", "20 MB", "4.5 KB", "12 bytes"."""
    if size >= _MB:
        return f"{size / _MB:.1f}".removesuffix(".0") + " MB"
    if size >= _KB:
        return f"{size / _KB:.1f}".removesuffix(".0") + " KB"
    return "1 byte" if size == 1 else f"{size} bytes"


def _display_name(path: Path) -> str:
    """The path as the user gave it, on one line even if the name holds a line break."""
    name = str(path)
    if name.isprintable():
        return name
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode() for ch in name)
