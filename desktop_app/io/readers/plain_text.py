"""Plain text files: kept exactly as written, after decoding and normalisation."""

from __future__ import annotations

from pathlib import Path

from desktop_app.io.imported import ImportedDocument
from desktop_app.io.readers import title_from_name
from desktop_app.io.text_decoding import text_or_refuse


def read(path: Path, data: bytes) -> ImportedDocument:
    """A .txt file as a document; the title comes from the file name."""
    text, encoding = text_or_refuse(path, data)
    return ImportedDocument(
        title=title_from_name(path),
        source=str(path.resolve()),
        text=text,
        format="text",
        encoding=encoding,
    )
