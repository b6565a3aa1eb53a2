"""What pressing a tag's key means for a span: the toggle rule, decided without Qt or storage.

A number key toggles its tag on the target span: a new annotation if the span has none, the
tag added or removed if it has one, and the annotation deleted when its last tag is removed
(an annotation with no tag is what the reader just asked to undo).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum, auto

from desktop_app.core.records import AnnotationRecord


class ToggleKind(Enum):
    """The change a toggle makes."""

    CREATE = auto()
    SET_TAGS = auto()
    DELETE = auto()


@dataclass(frozen=True, slots=True)
class TogglePlan:
    """A toggle's outcome: what to do, and the annotation's tags afterwards."""

    kind: ToggleKind
    tag_ids: tuple[int, ...]
    adds: bool


def plan_toggle(
    existing: AnnotationRecord | None, tag_id: int, positions: Mapping[int, int]
) -> TogglePlan:
    """Decide the toggle of `tag_id` on a span whose annotation is `existing` (or None).

    `positions` maps tag ids to codebook positions, so an annotation's tags stay in codebook
    order however they were added.
    """
    if existing is None:
        return TogglePlan(ToggleKind.CREATE, (tag_id,), adds=True)
    if tag_id not in existing.tag_ids:
        tags = sorted({*existing.tag_ids, tag_id}, key=lambda t: positions.get(t, len(positions)))
        return TogglePlan(ToggleKind.SET_TAGS, tuple(tags), adds=True)
    remaining = tuple(t for t in existing.tag_ids if t != tag_id)
    if not remaining:
        return TogglePlan(ToggleKind.DELETE, (), adds=False)
    return TogglePlan(ToggleKind.SET_TAGS, remaining, adds=False)
