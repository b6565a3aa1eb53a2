"""Plain, immutable records that cross layer boundaries (storage -> core -> UI and exports).

Widgets and exporters never hold live ORM objects: a record is a snapshot that is safe to keep,
compare, hand to another thread, or use to undo a change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True, slots=True)
class DocumentSummary:
    """One row of the library: enough to list a document without loading its text."""

    id: int
    title: str
    source: str
    imported_at: datetime
    length: int
    annotation_count: int


@dataclass(frozen=True, slots=True)
class DocumentRecord:
    """A document with its full, normalised text (code-point offsets index into `text`)."""

    id: int
    title: str
    source: str
    text: str
    imported_at: datetime


@dataclass(frozen=True, slots=True)
class TagRecord:
    """A codebook entry. `position` (0-based) orders the panel and gives the 1-9 key."""

    id: int
    name: str
    colour: str
    position: int
    description: str = ""

    @property
    def key_number(self) -> int | None:
        """The digit key that toggles this tag, or None past the ninth tag."""
        return self.position + 1 if self.position < 9 else None


@dataclass(frozen=True, slots=True)
class AnnotationRecord:
    """A highlighted span of a document with its tags and note.

    `start`/`end` are Unicode code points (end exclusive); `exact`, `prefix` and `suffix` keep the
    quote and its context so the anchor can be checked and found again if the text ever moves.
    """

    id: int
    uuid: str
    document_id: int
    start: int
    end: int
    exact: str
    prefix: str
    suffix: str
    note: str
    tag_ids: tuple[int, ...]
    created: datetime
    updated: datetime
