"""The colours the analysis charts draw with, light, dark and for files, and the shading rules.

Tag colours come with the data; these are the neutral ones around them (paper, ink, grid
lines). They follow the reading colours, which the HTML export shares, so a chart and a page
agree. Plain strings, no Qt: the rules (which ink reads on a fill, how a count shades a cell)
are tested without a screen.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from desktop_app.core.highlight_layers import composite, contrast_ratio
from desktop_app.core.reading_colours import DARK, LIGHT


@dataclass(frozen=True, slots=True)
class ChartColours:
    """The neutral colours a chart draws with; tag colours come with the data."""

    paper: str
    ink: str
    muted: str
    grid: str
    rule: str


LIGHT_CHART = ChartColours(
    paper=LIGHT.paper,
    ink=LIGHT.ink,
    muted=LIGHT.muted,
    grid="#e6e4dd",
    rule="#a9a69d",
)
# The dark reading colours, which the HTML export shares: a chart and a page agree.
DARK_CHART = ChartColours(
    paper=DARK.paper,
    ink=DARK.ink,
    muted=DARK.muted,
    grid="#36342f",
    rule="#6a675f",
)
# Files go into reports and slides, which are nearly always white.
EXPORT_CHART = replace(LIGHT_CHART, paper="#ffffff")

# How strongly a tag's colour tints its own cell on the matrix's diagonal.
OWN_TINT = 0.22
# The grey of a pair's cell runs from PAIR_LIGHTEST (one sentence) to PAIR_LIGHTEST +
# PAIR_RANGE (the most shared sentences): never as dark as ink, so the number stays readable.
PAIR_LIGHTEST = 0.08
PAIR_RANGE = 0.52


def readable_on(fill: str, colours: ChartColours) -> str:
    """Ink or paper, whichever reads better on `fill`."""
    ink, paper = colours.ink, colours.paper
    return ink if contrast_ratio(fill, ink) >= contrast_ratio(fill, paper) else paper


def cell_colours(
    colours: ChartColours, value: int | None, most: int, own_colour: str | None = None
) -> tuple[str, str]:
    """The fill of a co-occurrence cell and the colour of the number written in it.

    `own_colour` marks a cell of the diagonal (a tag with itself): a tint of the tag's colour,
    so it neither competes with the pairs for the strongest shade nor looks like one of them.
    A pair is shaded in a neutral grey by `value` against `most` (so the shade never reads as a
    tag's colour); a pair with no sentence stays paper, its zero muted.
    """
    if own_colour is not None:
        fill = composite([own_colour], colours.paper, OWN_TINT)
        return fill, readable_on(fill, colours)
    if value:
        fill = composite([colours.ink], colours.paper, PAIR_LIGHTEST + PAIR_RANGE * value / most)
        return fill, readable_on(fill, colours)
    return colours.paper, colours.muted
