"""The codebook's rules: default tags, tag names, colours, and which colour a new tag gets."""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

MAX_TAG_NAME = 64
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


class CodebookError(ValueError):
    """A tag name or colour the codebook refuses, with a message fit to show the user."""


@dataclass(frozen=True, slots=True)
class TagSpec:
    """A tag before it is stored: what a codebook file or the add-tag dialog describes."""

    name: str
    colour: str
    description: str = ""


@dataclass(frozen=True, slots=True)
class DefaultCodebook:
    """The tags a new library starts with, and the palette new tags take colours from."""

    tags: tuple[TagSpec, ...]
    palette: tuple[str, ...]


def load_default_codebook(path: Path) -> DefaultCodebook:
    """Read the default codebook file shipped in `resources/`."""
    data = json.loads(path.read_text(encoding="utf-8"))
    tags = tuple(
        TagSpec(clean_tag_name(t["name"]), clean_colour(t["colour"]), t.get("description", ""))
        for t in data["tags"]
    )
    return DefaultCodebook(tags=tags, palette=tuple(clean_colour(c) for c in data["palette"]))


def clean_tag_name(name: str) -> str:
    """A tag name with white space collapsed, or CodebookError if it cannot be a tag name."""
    cleaned = " ".join(name.split())
    if not cleaned:
        raise CodebookError("A tag needs a name.")
    if len(cleaned) > MAX_TAG_NAME:
        raise CodebookError(f"A tag name can have at most {MAX_TAG_NAME} characters.")
    if any(unicodedata.category(ch) == "Cc" for ch in cleaned):
        raise CodebookError("A tag name cannot contain control characters.")
    return cleaned


def clean_colour(colour: str) -> str:
    """A colour as lower-case `#rrggbb`, or CodebookError."""
    if not _COLOUR.match(colour.strip()):
        raise CodebookError(f"{colour!r} is not a colour of the form #rrggbb.")
    return colour.strip().lower()


def check_unique_name(name: str, existing: Iterable[str]) -> None:
    """Refuse a name that another tag already has (compared without case)."""
    folded = name.casefold()
    if any(folded == other.casefold() for other in existing):
        raise name_taken(name)


def name_taken(name: str) -> CodebookError:
    """The refusal of a tag name another tag already has."""
    return CodebookError(f"There is already a tag called “{name}”.")


def next_colour(palette: Iterable[str], used: Iterable[str]) -> str:
    """The first palette colour no tag uses yet; when all are taken, cycle through the palette."""
    return ColourPicker(list(palette), list(used)).next()


class ColourPicker:
    """Colours for new tags: the first palette colour no tag has, then round the palette.

    Kept up to date as tags are added (`take`) rather than recomputed from every colour in use
    for each one, so an import of a codebook of thousands of tags stays linear.
    """

    def __init__(self, palette: Sequence[str], used: Sequence[str]) -> None:
        self._palette = [colour.lower() for colour in palette]
        self._taken = {colour.lower() for colour in used}
        self._count = len(used)

    def next(self) -> str:
        """The colour for the next new tag."""
        free = next((c for c in self._palette if c not in self._taken), None)
        return free or self._palette[self._count % len(self._palette)]

    def take(self, colour: str) -> None:
        """A tag was added with `colour`."""
        self._taken.add(colour.lower())
        self._count += 1
