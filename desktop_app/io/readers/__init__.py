"""One reader per file format, each `read(path, data) -> ImportedDocument`.

The dispatcher (desktop_app.io.file_reader) has already checked that the file exists, is a
regular file within the size limit and is not empty; a reader turns the bytes into text,
blocks and metadata, or raises ImportRefused with a one-line reason.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from desktop_app.io.imported import ImportedDocument

Reader = Callable[[Path, bytes], ImportedDocument]


def title_from_name(path: Path) -> str:
    """A readable title from the file name: `grain_corridor.txt` becomes "grain corridor"."""
    words = path.stem.replace("_", " ").replace("-", " ").split()
    return " ".join(words) or path.stem or path.name or "Untitled"
