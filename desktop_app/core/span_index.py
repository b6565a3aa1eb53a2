"""Annotations by place: which covers exactly a span, and which overlap one, without a scan.

Every tag key asks both questions about the current sentence. With 10,000 annotations a linear
scan of all of them cost a millisecond or two a key press; here they are keys sorted in reading
order (start, end, id), searched by bisection. Overlap needs a lower bound too: no annotation
that starts more than the longest annotation's length before a span can reach into it.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections.abc import Iterable

SpanKey = tuple[int, int, int]  # start, end (code points, end exclusive), annotation id


class SpanIndex:
    """Reading-order keys of a document's annotations, kept sorted as they change."""

    def __init__(self, keys: Iterable[SpanKey] = ()) -> None:
        self._keys: list[SpanKey] = sorted(keys)
        # Grows and never shrinks: a removal only makes the lower bound looser, not wrong.
        self._longest = max((end - start for start, end, _id in self._keys), default=0)

    def __len__(self) -> int:
        return len(self._keys)

    def add(self, key: SpanKey) -> None:
        """Index an annotation."""
        insort(self._keys, key)
        self._longest = max(self._longest, key[1] - key[0])

    def remove(self, key: SpanKey) -> None:
        """Forget an annotation (a key that is not indexed is ignored)."""
        row = bisect_left(self._keys, key)
        if row < len(self._keys) and self._keys[row] == key:
            del self._keys[row]

    def exact(self, start: int, end: int) -> int | None:
        """The id of the first annotation (in reading order) on exactly `[start, end)`."""
        row = bisect_left(self._keys, (start, end, -1))
        if row < len(self._keys) and self._keys[row][:2] == (start, end):
            return self._keys[row][2]
        return None

    def overlapping(self, start: int, end: int) -> list[int]:
        """Ids of the annotations sharing a character with `[start, end)`, in reading order."""
        first = bisect_left(self._keys, (start - self._longest, -1, -1))
        last = bisect_left(self._keys, (end, -1, -1))  # those starting at `end` or later miss it
        return [key[2] for key in self._keys[first:last] if key[1] > start and key[0] < end]
