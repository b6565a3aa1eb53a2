"""Reading an article file into the one normalised text Claimmark stores, whatever its format.

Whatever can be wrong with a file the user picked (missing, a folder, too big, binary, unreadable,
a format we do not read) is the user's environment, not a bug: it becomes an `ImportRefused` whose
message is one line, shown as is by the window and by the command line. Anything else propagates.
The checks that need no content run here, before any byte is read; the format's reader in
desktop_app.io.readers does the rest.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Mapping
from importlib import import_module
from pathlib import Path
from types import MappingProxyType

from desktop_app.io.imported import ImportedDocument, ImportRefused
from desktop_app.io.readers import Reader

SUPPORTED_SUFFIXES: Mapping[str, str] = MappingProxyType(
    {
        ".txt": "text",
        ".md": "markdown",
        ".markdown": "markdown",
        ".html": "html",
        ".htm": "html",
        ".epub": "epub",
        ".docx": "docx",
        ".pdf": "pdf",
    }
)
"""The file name endings we import (compared in lower case), each with the format it means."""

_READER_MODULES = {
    "text": "plain_text",
    "markdown": "markdown_file",
    "html": "html_page",
    "epub": "epub_book",
    "docx": "word_document",
    "pdf": "pdf_document",
}

DEFAULT_SIZE_LIMIT = 20 * 1024 * 1024

_MB = 1024 * 1024
_KB = 1024


def read_document_file(path: Path, size_limit: int = DEFAULT_SIZE_LIMIT) -> ImportedDocument:
    """Read the article file at `path`, or raise ImportRefused with a one-line reason.

    Every check that needs no content (exists, is a file, format, size) runs before any byte is
    read, so a huge or wrong file is refused at once.
    """
    info = _stat_or_refuse(path)
    if stat.S_ISDIR(info.st_mode):
        raise ImportRefused(path, "is a folder, not a file")
    if not stat.S_ISREG(info.st_mode):
        # A pipe or device would block or never end; it is never an article.
        raise ImportRefused(path, "is not a regular file")
    reader = _reader_or_refuse(path)
    if info.st_size > size_limit:
        raise ImportRefused(path, _over_limit(info.st_size, size_limit))
    data = _read_or_refuse(path, size_limit)
    if not data:
        raise ImportRefused(path, "the file is empty")
    return reader(path, data)


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


def _reader_or_refuse(path: Path) -> Reader:
    supported = ", ".join(SUPPORTED_SUFFIXES)
    suffix = path.suffix.lower()
    if suffix in SUPPORTED_SUFFIXES:
        return _reader(SUPPORTED_SUFFIXES[suffix])
    if not suffix:
        reason = f"files without an extension cannot be imported (supported: {supported})"
    else:
        reason = f"{suffix} files cannot be imported (supported: {supported})"
    raise ImportRefused(path, reason)


def _reader(document_format: str) -> Reader:
    """The reader module of a format, imported on first use (some pull in lxml or pypdf)."""
    module = import_module(f"desktop_app.io.readers.{_READER_MODULES[document_format]}")
    reader: Reader = module.read
    return reader


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
