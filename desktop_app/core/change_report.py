"""What a piece of work changed in the library, so the window can catch up with it.

Imports, version carrying and (later) other coders and other processes change the library
away from the window's own keys. Rather than each of them patching the window's state, they
hand the session one of these; the session re-reads what it names and sends its own signals
(`DocumentSession.absorb`). It is plain data, so it can be built on any thread.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ChangeReport:
    """Ids of what changed; an empty report changes nothing.

    Attributes:
        documents: documents added, renamed, linked as versions or deleted.
        annotations_of: documents whose annotations changed in bulk (re-read them all).
        annotations: single annotations that were added, changed or deleted.
        codebook: True when tags were added, renamed, nested or removed.
    """

    documents: frozenset[int] = frozenset()
    annotations_of: frozenset[int] = frozenset()
    annotations: frozenset[int] = frozenset()
    codebook: bool = False

    @classmethod
    def of(
        cls,
        *,
        documents: Iterable[int] = (),
        annotations_of: Iterable[int] = (),
        annotations: Iterable[int] = (),
        codebook: bool = False,
    ) -> ChangeReport:
        """A report built from any iterables of ids."""
        return cls(
            frozenset(documents), frozenset(annotations_of), frozenset(annotations), codebook
        )

    @property
    def empty(self) -> bool:
        """True when nothing changed."""
        return not (self.documents or self.annotations_of or self.annotations or self.codebook)

    @property
    def library_list_changed(self) -> bool:
        """True when the library's list (titles, versions, annotation counts) may differ."""
        return bool(self.documents or self.annotations_of or self.annotations)

    def merged(self, other: ChangeReport) -> ChangeReport:
        """Both reports' changes in one."""
        return ChangeReport(
            self.documents | other.documents,
            self.annotations_of | other.annotations_of,
            self.annotations | other.annotations,
            self.codebook or other.codebook,
        )


NO_CHANGE = ChangeReport()
