"""How overlapping highlights are drawn: the text is cut into runs covered by the same layers.

Each annotation is a translucent layer per tag, in the tag's colour. Where annotations overlap,
the run is drawn as one band per distinct colour (stacked), so an overlap shows every category
instead of one highlight hiding another or a mixture that looks like a third tag. The cutting,
banding and blending are plain arithmetic, kept here so they can be tested without Qt.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import pairwise

LAYER_OPACITY = 0.42


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
    clipped: list[tuple[int, int, int, str]] = []
    for order, layer in enumerate(layers):
        a = layer.start if start is None else max(layer.start, start)
        b = layer.end if end is None else min(layer.end, end)
        if a < b:
            clipped.append((a, b, order, layer.colour))
    if not clipped:
        return []
    cuts = sorted({a for a, _, _, _ in clipped} | {b for _, b, _, _ in clipped})
    # Sweep: events sorted by position; a layer is active on [a, b).
    opening: dict[int, list[tuple[int, str]]] = {}
    closing: dict[int, list[int]] = {}
    for a, b, order, colour in clipped:
        opening.setdefault(a, []).append((order, colour))
        closing.setdefault(b, []).append(order)
    active: dict[int, str] = {}
    runs: list[Run] = []
    for left, right in pairwise(cuts):
        for order in closing.get(left, ()):
            active.pop(order, None)
        for order, colour in opening.get(left, ()):
            active[order] = colour
        if active:
            runs.append(Run(left, right, tuple(active[k] for k in sorted(active))))
    return runs


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
