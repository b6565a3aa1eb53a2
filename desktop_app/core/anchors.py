"""Anchors: where an annotation sits in a text, stored so that it can be verified and found again.

An anchor keeps start/end in Unicode code points (end exclusive), the exact quote, and about
`CONTEXT_CHARS` characters of context on either side, the same shape as the W3C
TextQuoteSelector + TextPositionSelector pair, so exports need no conversion.
"""

from __future__ import annotations

from dataclasses import dataclass

CONTEXT_CHARS = 32


class AnchorError(ValueError):
    """An anchor that does not fit the text it claims to describe."""


@dataclass(frozen=True, slots=True)
class Anchor:
    """A span of text in code points, with its quote and surrounding context."""

    start: int
    end: int
    exact: str
    prefix: str
    suffix: str

    def matches(self, text: str) -> bool:
        """True when the stored quote is still exactly at the stored position of `text`."""
        return (
            0 <= self.start <= self.end <= len(text) and text[self.start : self.end] == self.exact
        )


def anchor_for(text: str, start: int, end: int) -> Anchor:
    """Build the anchor of `text[start:end]`, refusing empty or out-of-range spans."""
    if not 0 <= start < end <= len(text):
        raise AnchorError(
            f"span {start}..{end} is empty or outside a text of {len(text)} characters"
        )
    return Anchor(
        start=start,
        end=end,
        exact=text[start:end],
        prefix=text[max(0, start - CONTEXT_CHARS) : start],
        suffix=text[end : end + CONTEXT_CHARS],
    )


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink a span so it neither starts nor ends with white space.

    A reader's drag often catches the space or line break next to a sentence; the claim is the
    words, and a trimmed anchor exports cleanly. Returns an empty span when only spaces remain.
    """
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
