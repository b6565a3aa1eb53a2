"""Both colour schemes keep every highlight of the default palette readable (WCAG AA)."""

from __future__ import annotations

import pytest

from desktop_app.core.codebook import load_default_codebook
from desktop_app.core.highlight_layers import composite, contrast_ratio
from desktop_app.core.reading_colours import DARK, LIGHT, UNTAGGED_COLOUR, ReadingColours
from desktop_app.resources import resource_path


@pytest.mark.parametrize("scheme", [LIGHT, DARK], ids=lambda s: s.name)
def test_ink_on_every_default_highlight_meets_four_and_a_half_to_one(scheme: ReadingColours):
    codebook = load_default_codebook(resource_path("codebook.json"))
    colours = [*codebook.palette, UNTAGGED_COLOUR]
    for colour in colours:
        band = composite([colour], scheme.paper, scheme.highlight_opacity)
        assert contrast_ratio(scheme.ink, band) >= 4.5, (scheme.name, colour)


@pytest.mark.parametrize("scheme", [LIGHT, DARK], ids=lambda s: s.name)
def test_secondary_text_and_state_colours_are_readable_on_the_paper(scheme: ReadingColours):
    for name in ("muted", "focus", "warning", "error"):
        assert contrast_ratio(getattr(scheme, name), scheme.paper) >= 4.5, name
    for name in ("added", "removed", "edited", "focus_tint"):
        assert contrast_ratio(scheme.ink, getattr(scheme, name)) >= 7, name


def test_the_schemes_are_opposite() -> None:
    assert not LIGHT.dark and DARK.dark
    assert contrast_ratio(LIGHT.paper, DARK.paper) > 10
