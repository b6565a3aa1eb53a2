"""The charts' neutral colours and shading: the numbers in the matrix stay readable."""

from __future__ import annotations

import pytest

from desktop_app.core.chart_colours import (
    DARK_CHART,
    EXPORT_CHART,
    LIGHT_CHART,
    ChartColours,
    cell_colours,
    readable_on,
)
from desktop_app.core.highlight_layers import contrast_ratio, relative_luminance
from desktop_app.core.reading_colours import DARK, LIGHT

TRADE = "#E69F00"
ALL = [LIGHT_CHART, DARK_CHART, EXPORT_CHART]


def test_charts_share_the_reading_colours_and_files_are_on_white() -> None:
    assert (LIGHT_CHART.paper, LIGHT_CHART.ink, LIGHT_CHART.muted) == (
        LIGHT.paper,
        LIGHT.ink,
        LIGHT.muted,
    )
    assert (DARK_CHART.paper, DARK_CHART.ink) == (DARK.paper, DARK.ink)
    assert EXPORT_CHART.paper == "#ffffff"
    assert EXPORT_CHART.ink == LIGHT_CHART.ink and EXPORT_CHART.grid == LIGHT_CHART.grid


@pytest.mark.parametrize("colours", ALL)
def test_text_on_a_fill_is_ink_or_paper_whichever_reads_better(colours: ChartColours) -> None:
    for fill in ("#000000", "#ffffff", "#777777", TRADE, "#0072B2", colours.paper):
        chosen = readable_on(fill, colours)
        other = colours.paper if chosen == colours.ink else colours.ink
        assert chosen in (colours.ink, colours.paper)
        assert contrast_ratio(fill, chosen) >= contrast_ratio(fill, other)
    assert readable_on(colours.paper, colours) == colours.ink


@pytest.mark.parametrize("colours", ALL)
def test_a_pair_without_sentences_stays_paper_with_a_muted_zero(colours: ChartColours) -> None:
    assert cell_colours(colours, 0, 10) == (colours.paper, colours.muted)


@pytest.mark.parametrize("colours", ALL)
def test_more_shared_sentences_shade_a_pair_further_from_the_paper(colours: ChartColours) -> None:
    fills = [cell_colours(colours, value, 10)[0] for value in range(1, 11)]
    distances = [abs(relative_luminance(f) - relative_luminance(colours.paper)) for f in fills]
    assert distances == sorted(distances) and len(set(fills)) == len(fills)
    # Never the ink itself, so the most shared pair does not read as a black box.
    assert contrast_ratio(fills[-1], colours.ink) > 1.5
    for value in range(1, 11):
        fill, ink = cell_colours(colours, value, 10)
        assert ink == readable_on(fill, colours)


@pytest.mark.parametrize("colours", ALL)
def test_the_diagonal_is_a_tint_of_the_tag_whatever_its_count(colours: ChartColours) -> None:
    tinted = cell_colours(colours, 5, 10, TRADE)
    assert tinted == cell_colours(colours, None, 10, TRADE) == cell_colours(colours, 9, 9, TRADE)
    fill, ink = tinted
    assert fill not in (colours.paper, TRADE.lower())
    assert ink == readable_on(fill, colours)
    assert contrast_ratio(fill, ink) >= 4.5
