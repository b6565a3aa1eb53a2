"""Finding words in a document's text, in code points, the way a find bar expects."""

from __future__ import annotations

import re
from bisect import bisect_left


def find_all(text: str, query: str) -> list[tuple[int, int]]:
    """Every case-insensitive, non-overlapping match of `query` as (start, end) code points."""
    if not query:
        return []
    pattern = re.compile(re.escape(query), re.IGNORECASE)
    return [(m.start(), m.end()) for m in pattern.finditer(text)]


def next_match(matches: list[tuple[int, int]], offset: int) -> int | None:
    """Index of the first match starting at or after `offset`, wrapping to the first."""
    if not matches:
        return None
    index = bisect_left(matches, (offset, -1))
    return index if index < len(matches) else 0


def previous_match(matches: list[tuple[int, int]], offset: int) -> int | None:
    """Index of the last match starting before `offset`, wrapping to the last."""
    if not matches:
        return None
    index = bisect_left(matches, (offset, -1)) - 1
    return index if index >= 0 else len(matches) - 1
