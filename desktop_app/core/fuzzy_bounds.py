"""Bounds on approximate search, so that no quote costs more than a set amount of comparing.

rapidfuzz's `partial_ratio_alignment` slides the quote along the text and compares it with each
window of its length. Every comparison is bit-parallel, so one alignment costs about
`windows * len(quote) * ceil(len(quote) / 64)` machine-word steps ("cells"): nothing for a
sentence, minutes for a quote of many kilobytes (a whole article pasted into a W3C file). Two
things keep that bounded by construction rather than by luck:

- `WorkBudget` holds the cells one anchor's search may still spend, and (only as a last guard,
  for a slow machine) a deadline. A step it cannot afford is not taken, and the first refusal is
  kept as a one-line reason for the report.
- `locate_by_pieces` finds where a long quote lies from the short pieces of it that the text
  still holds verbatim: a few hundred linear scans, whatever the quote's length, instead of one
  quadratic alignment. An edited paragraph keeps most of its phrases intact, so their positions
  agree on where it went.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

# Pieces of a long quote looked for verbatim: long enough to be rare in prose, short enough that
# one edited word every dozen or so leaves most of them intact.
PIECE_CHARS = 24
MAX_PIECES = 128
# A piece found more often than this in the window (boilerplate) says nothing about the place.
MAX_PIECE_HITS = 4


def alignment_cost(quote_chars: int, window_chars: int) -> int:
    """Cells one `partial_ratio_alignment` of the quote in a window of this size may take.

    It also compares the windows cut short at either end of the text, hence `window + quote`.
    """
    return (window_chars + quote_chars) * quote_chars * (quote_chars // 64 + 1)


def ratio_cost(a_chars: int, b_chars: int) -> int:
    """Cells one `fuzz.ratio` of two strings of these lengths may take."""
    return max(a_chars, b_chars) * (min(a_chars, b_chars) // 64 + 1)


def piece_search_cost(quote_chars: int, window_chars: int) -> int:
    """Cells (characters scanned, which are cheaper still) of one `locate_by_pieces`."""
    return len(piece_offsets(quote_chars)) * window_chars


class WorkBudget:
    """The comparing one anchor's approximate search may still do, and until when.

    `shortfall` is empty until a step was refused; then it says why, in words fit for a report
    line ("its quote ..."). Nothing is spent by a refused step.
    """

    def __init__(
        self, cells: int, seconds: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.remaining = cells
        self.seconds = seconds
        self._clock = clock
        self._deadline = clock() + seconds
        self.shortfall = ""

    def out_of_time(self) -> bool:
        """True once the deadline has passed (cheap enough to ask in a loop)."""
        return self._clock() > self._deadline

    def spend(self, cells: int) -> bool:
        """Take `cells` from the budget when it has them and time is left; False otherwise."""
        if cells > self.remaining or self.out_of_time():
            return False
        self.remaining -= cells
        return True

    def refuse(self) -> None:
        """Note that a step the search needed was not taken (the first reason stays)."""
        if self.shortfall:
            return
        if self.out_of_time():
            self.shortfall = (
                f"looking for its quote approximately took too long "
                f"(stopped after {self.seconds:g} s)"
            )
        else:
            self.shortfall = (
                "looking for its quote approximately would take too long "
                "(the search stopped at its work limit)"
            )


@dataclass(frozen=True, slots=True)
class PieceMatch:
    """Where the intact pieces of a quote put it: text[start:end], estimated.

    `head_gap` and `tail_gap` are the characters of the quote before its first and after its
    last piece found: the edges of the estimate are only as sure as those stretches are long.
    """

    start: int
    end: int
    head_gap: int
    tail_gap: int
    pieces: int


def piece_offsets(quote_chars: int) -> list[int]:
    """Offsets of the pieces of a quote this long: spread evenly, first and last included."""
    last = quote_chars - PIECE_CHARS
    if last < 0:
        return []
    count = min(MAX_PIECES, last // PIECE_CHARS + 1)
    if count == 1:
        return [0]
    return sorted({round(i * last / (count - 1)) for i in range(count)})


def locate_by_pieces(
    quote: str, text: str, low: int, high: int, expected: int
) -> PieceMatch | None:
    """The stretch of text[low:high] that most pieces of `quote` agree on, or None.

    Each verbatim hit of a piece votes for where the quote starts (the hit less the piece's
    offset). Insertions and deletions shift later pieces, so votes within a quarter of the quote
    of each other count together; the largest such group wins (the nearest to `expected` on a
    tie). Its first and last pieces give the estimate's edges.
    """
    length = len(quote)
    votes: list[tuple[int, int, int]] = []  # (start voted for, piece offset, hit)
    for offset in piece_offsets(length):
        piece = quote[offset : offset + PIECE_CHARS]
        hits: list[int] = []
        at = text.find(piece, low, high)
        while at >= 0 and len(hits) <= MAX_PIECE_HITS:
            hits.append(at)
            at = text.find(piece, at + 1, high)
        if len(hits) <= MAX_PIECE_HITS:
            votes.extend((hit - offset, offset, hit) for hit in hits)
    if not votes:
        return None
    votes.sort()
    drift = length // 4 + PIECE_CHARS
    best: tuple[int, int] = (0, 0)
    best_key: tuple[int, int] | None = None
    first = 0
    for last in range(len(votes)):
        while votes[last][0] - votes[first][0] > drift:
            first += 1
        middle = votes[(first + last) // 2][0]
        key = (last - first + 1, -abs(middle - expected))
        if best_key is None or key > best_key:
            best, best_key = (first, last), key
    group = votes[best[0] : best[1] + 1]
    head = min(group, key=lambda vote: vote[1])
    tail = max(group, key=lambda vote: vote[1])
    start = max(head[2] - head[1], low)
    end = min(tail[2] + length - tail[1], high)
    if end <= start:
        return None
    return PieceMatch(start, end, head[1], length - tail[1] - PIECE_CHARS, len(group))
