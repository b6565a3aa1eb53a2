"""Carrying annotations from one version of an article to the next, by re-anchoring.

The new version is a new document; the annotations of the version before it are copied onto
it where desktop_app.core.reanchor places them, each with its score and method. Those placed
with confidence are "ok"; the others are kept for the reader to review ("needs_review", with
the candidate span) or to place ("orphaned"): none is dropped and none is silently attached.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from desktop_app.core.anchors import Anchor
from desktop_app.core.change_report import ChangeReport
from desktop_app.core.reanchor import reanchor_all
from desktop_app.storage.annotation_queries import Placement
from desktop_app.storage.library_store import LibraryStore

Progress = Callable[[int, int], bool]


@dataclass(frozen=True, slots=True)
class CarryReport:
    """How the annotations of the previous version fared on the new one."""

    previous_id: int
    new_id: int
    counts: dict[str, int]

    @property
    def changes(self) -> ChangeReport:
        """What carrying changed: both documents (linked as versions) and the new one's
        annotations."""
        return ChangeReport.of(
            documents=(self.previous_id, self.new_id), annotations_of=(self.new_id,)
        )

    @property
    def total(self) -> int:
        """How many annotations were carried."""
        return sum(self.counts.values())

    def summary(self) -> str:
        """One line for the user: "12 annotations carried: 10 placed, 1 to review, 1 orphaned"."""
        placed = self.counts.get("ok", 0)
        review = self.counts.get("needs_review", 0)
        orphaned = self.counts.get("orphaned", 0)
        noun = "annotation" if self.total == 1 else "annotations"
        return (
            f"{self.total} {noun} carried: {placed} placed, {review} to review, {orphaned} orphaned"
        )


def carry_annotations(
    store: LibraryStore,
    previous_id: int,
    new_id: int,
    progress: Progress | None = None,
    *,
    link: bool = False,
) -> CarryReport:
    """Re-anchor every annotation of `previous_id` onto `new_id` and store the copies.

    With `link`, the same transaction makes `new_id` the next version of `previous_id`'s
    article. `progress(done, total)` may return False to cancel; then nothing is stored
    (re-anchoring raises its Cancelled before that single transaction). NotFoundError when
    either document was deleted meanwhile: then, too, nothing is stored.
    """
    old = store.document(previous_id)
    new = store.document(new_id)
    if not new.text:
        raise ValueError("a new version with no text cannot carry annotations")
    sources = store.annotations(previous_id)
    anchors = [Anchor(a.start, a.end, a.exact, a.prefix, a.suffix) for a in sources]
    placed = reanchor_all(old.text, new.text, anchors, progress)
    placements = [
        Placement(
            source=source,
            anchor=result.anchor(new.text),
            status=result.status,
            method=result.method,
            score=result.score,
        )
        for source, result in zip(sources, placed, strict=True)
    ]
    store.carry_annotations(new_id, placements, link_to=previous_id if link else None)
    counts = Counter(p.status for p in placements)
    return CarryReport(previous_id, new_id, dict(counts))
