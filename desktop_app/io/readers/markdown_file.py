"""Markdown files: rendered with the `markdown` package; headings, lists and quotes kept."""

from __future__ import annotations

from pathlib import Path

from desktop_app.io.imported import ImportedDocument, ImportRefused
from desktop_app.io.markdown_text import render_markdown
from desktop_app.io.readers import title_from_name
from desktop_app.io.text_decoding import text_or_refuse


def read(path: Path, data: bytes) -> ImportedDocument:
    """A .md file as a document; the title is its first heading, else the file name."""
    source, encoding = text_or_refuse(path, data)
    try:
        flat = render_markdown(source)
    except RecursionError:
        raise ImportRefused(path, "the Markdown is nested too deeply to read") from None
    if not flat.text.strip():
        raise ImportRefused(path, "has no text to read once the Markdown is rendered")
    return ImportedDocument(
        title=flat.first_heading or title_from_name(path),
        source=str(path.resolve()),
        text=flat.text,
        format="markdown",
        encoding=encoding,
        blocks=flat.blocks,
    )
