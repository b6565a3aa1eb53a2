"""What every importer returns, and how it refuses a file: one shape for all formats."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from desktop_app.core.text_normalise import is_normalised

BLOCK_KINDS = (
    "heading1",
    "heading2",
    "heading3",
    "heading4",
    "heading5",
    "heading6",
    "list_item",
    "quote",
    "preformatted",
)


@dataclass(frozen=True, slots=True)
class Block:
    """A paragraph (one line of the text) with a role beyond plain paragraph, kept for display.

    `start`/`end` are code points of the document text; `kind` is one of BLOCK_KINDS.
    """

    start: int
    end: int
    kind: str


@dataclass(frozen=True, slots=True)
class ImportedDocument:
    """A document as read from a file, the clipboard or an export, before it is stored.

    `text` is normalised (desktop_app.core.text_normalise) and is what anchors count in:
    the reader normalises it while it builds the text, so that the blocks it counts line up
    with it, and nothing normalises it again. A text that is not normalised is a reader's bug
    and is refused here (ValueError), before it can reach the library.
    `notes` are short remarks for the user about what could not be kept (layout of a PDF,
    say); `encoding` is the character encoding that was used, where there was a choice.
    """

    title: str
    source: str
    text: str
    format: str
    encoding: str = ""
    author: str = ""
    site: str = ""
    published: str = ""
    canonical_url: str = ""
    blocks: tuple[Block, ...] = ()
    notes: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        if not is_normalised(self.text):
            raise ValueError(
                "ImportedDocument needs normalised text (desktop_app.core.text_normalise): "
                "the reader must normalise it where it builds the text and its blocks"
            )


def display_name(path: Path) -> str:
    """A file name as the user gave it, on one line (a newline in a name is shown escaped).

    Bytes of a name that are not UTF-8 (Python keeps them as lone surrogates) are shown as
    `\\xe9`: printing the surrogates themselves would fail.
    """
    shown = os.fsencode(path).decode("utf-8", "backslashreplace")
    return shown.replace("\n", "\\n").replace("\r", "\\r")


def check_file_name(path: Path) -> None:
    """Refuse a file whose name is not UTF-8: the library stores where each text came from,
    in UTF-8, and could not record this one."""
    try:
        str(path).encode("utf-8")
    except UnicodeEncodeError:
        raise ImportRefused(
            path, "the file name is not valid UTF-8; rename the file and import it again"
        ) from None


class ImportRefused(Exception):
    """A file Claimmark will not import, for a reason the user can act on (not a bug).

    `str(error)` is a single line, "<file as the user gave it>: <reason>", fit for a status
    bar, a message box or the command line's one-line failure.
    """

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{display_name(path)}: {reason}")
        self.path = path
        self.reason = reason
