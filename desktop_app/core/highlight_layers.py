"""How overlapping highlights are drawn: the text is cut into runs covered by the same layers.

Each annotation is a translucent layer per tag, in the tag's colour. Where annotations overlap,
the run is drawn as one band per distinct colour (stacked), so an overlap shows every category
instead of one highlight hiding another or a mixture that looks like a third tag. The cutting,
banding and blending are plain arithmetic, kept here so they can be tested without Qt.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import TypeVar

LAYER_OPACITY = 0.42
Item = TypeVar("Item")


@dataclass(frozen=True, slots=True)
class Layer:
    """One highlight to draw: a code-point span and its colour as `#rrggbb`."""

    start: int
    end: int
    colour: str


@dataclass(frozen=True, slots=True)
class Run:
    """A stretch of text covered by the same layers (bottom first), and the colour they make."""

    start: int
    end: int
    colours: tuple[str, ...]

    @property
    def depth(self) -> int:
        """How many highlights overlap on this run."""
        return len(self.colours)


def layer_runs(
    layers: Iterable[Layer], start: int | None = None, end: int | None = None
) -> list[Run]:
    """Cut the union of `layers` into runs, optionally clipped to `[start, end)`.

    Layers keep the order they are given in (the caller puts earlier annotations first), so the
    composite colour is stable. Cost is O(n log n) in the number of layers.
    """
    spans = (
        (
            layer.start if start is None or layer.start > start else start,
            layer.end if end is None or layer.end < end else end,
            layer.colour,
        )
        for layer in layers
    )
    # Few distinct colour stacks make up thousands of runs: each is kept once.
    stacks: dict[tuple[str, ...], tuple[str, ...]] = {}
    return [
        Run(a, b, stacks.setdefault(colours, colours)) for a, b, colours in covering_runs(spans)
    ]


def covering_runs(
    spans: Iterable[tuple[int, int, Item]],
) -> Iterator[tuple[int, int, tuple[Item, ...]]]:
    """Cut the union of `spans` (start, end exclusive, item) into runs, in text order:
    `(start, end, items)` with the items of every span covering the run, in the order the
    spans are given. Empty and reversed spans are ignored.

    The sweep behind `layer_runs`, for callers that need to know which spans make a run (the
    HTML export names the annotations of each highlight). Runs are made as they are asked
    for, so a caller that keeps only a summary of each never holds them all.
    """
    starts: list[int] = []
    ends: list[int] = []
    items: list[Item] = []
    for a, b, item in spans:
        if a < b:
            starts.append(a)
            ends.append(b)
            items.append(item)
    count = len(items)
    # Callers usually give spans sorted by start (the reader and the exports do). Then every
    # span opens after all the active ones in input order too, so the active dict is already
    # in input order and no run needs a sort of its own.
    in_order = all(a <= b for a, b in pairwise(starts))
    # Spans by where they open and by where they close (stable: ties keep the input order).
    opening = range(count) if in_order else sorted(range(count), key=starts.__getitem__)
    closing = sorted(range(count), key=ends.__getitem__)
    cuts = sorted({*starts, *ends})
    active: dict[int, Item] = {}
    opened = closed = 0
    for left, right in pairwise(cuts):
        while closed < count and ends[closing[closed]] == left:
            del active[closing[closed]]
            closed += 1
        while opened < count and starts[opening[opened]] == left:
            active[opening[opened]] = items[opening[opened]]
            opened += 1
        if active:
            covering = active.values() if in_order else [active[k] for k in sorted(active)]
            yield left, right, tuple(covering)


def _rgb(colour: str) -> tuple[int, int, int]:
    value = colour.lstrip("#")
    if len(value) != 6:
        raise ValueError(f"not a #rrggbb colour: {colour!r}")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def hex_colour(rgb: Sequence[float]) -> str:
    """`#rrggbb` of an RGB triple, rounding and clamping each channel."""
    return "#" + "".join(f"{min(255, max(0, round(c))):02x}" for c in rgb)


def composite(colours: Sequence[str], paper: str, opacity: float = LAYER_OPACITY) -> str:
    """The colour seen when `colours` are laid over `paper`, each at `opacity`, bottom first."""
    r, g, b = (float(c) for c in _rgb(paper))
    for colour in colours:
        cr, cg, cb = _rgb(colour)
        r += (cr - r) * opacity
        g += (cg - g) * opacity
        b += (cb - b) * opacity
    return hex_colour((r, g, b))


def relative_luminance(colour: str) -> float:
    """WCAG relative luminance of a `#rrggbb` colour (0 black .. 1 white)."""

    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = _rgb(colour)
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast_ratio(first: str, second: str) -> float:
    """WCAG contrast ratio between two colours (1 .. 21)."""
    a, b = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def bands(colours: Sequence[str]) -> list[tuple[str, int]]:
    """The distinct colours of a run in order, each with how many layers share it.

    Two annotations with the same tag deepen one band; different tags get a band each, so
    an overlap of trade and security shows both colours instead of a muddy mixture.
    """
    counted: dict[str, int] = {}
    for colour in colours:
        counted[colour] = counted.get(colour, 0) + 1
    return list(counted.items())


class RunIndex:
    """The runs of a whole document, kept sorted, updated span by span.

    Re-cutting 10,000 annotations on every key press would cost tens of milliseconds; a change
    only alters the runs inside the changed span, so only those are recomputed and spliced in.
    """

    def __init__(self, layers: Iterable[Layer] = ()) -> None:
        self._runs: list[Run] = layer_runs(layers)
        self._ends: list[int] = [r.end for r in self._runs]

    def __len__(self) -> int:
        return len(self._runs)

    @property
    def runs(self) -> list[Run]:
        """Every run in text order (a copy)."""
        return list(self._runs)

    def replace(self, layers: Iterable[Layer], start: int, end: int) -> None:
        """Recompute `[start, end)` from `layers`, which must be every layer that overlaps it."""
        first = bisect_right(self._ends, start)
        last = first
        while last < len(self._runs) and self._runs[last].start < end:
            last += 1
        kept_before: list[Run] = []
        kept_after: list[Run] = []
        for run in self._runs[first:last]:
            if run.start < start:
                kept_before.append(Run(run.start, start, run.colours))
            if run.end > end:
                kept_after.append(Run(end, run.end, run.colours))
        middle = layer_runs(layers, start, end)
        replacement = kept_before + middle + kept_after
        self._runs[first:last] = replacement
        self._ends[first:last] = [r.end for r in replacement]

    def between(self, start: int, end: int) -> list[Run]:
        """Runs that overlap `[start, end)`, in text order."""
        first = bisect_right(self._ends, start)
        found: list[Run] = []
        for run in self._runs[first:]:
            if run.start >= end:
                break
            found.append(run)
        return found

    def colours_at(self, offset: int) -> tuple[str, ...]:
        """The layer colours on the character at `offset` (empty when none)."""
        runs = self.between(offset, offset + 1)
        return runs[0].colours if runs else ()
