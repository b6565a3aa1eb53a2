"""Both colour schemes keep every highlight of the default palette readable (WCAG AA)."""

from __future__ import annotations

import itertools

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


# Machado, Oliveira and Fernandes (2009), severity 1.0, on linear RGB.
_DEFICIENCIES = {
    "deuteranopia": (
        (0.367322, 0.860646, -0.227968),
        (0.280085, 0.672501, 0.047413),
        (-0.011820, 0.042940, 0.968881),
    ),
    "protanopia": (
        (0.152286, 1.052583, -0.204868),
        (0.114503, 0.786281, 0.099216),
        (-0.003882, -0.048116, 1.051998),
    ),
    "tritanopia": (
        (1.255528, -0.076749, -0.178779),
        (-0.078411, 0.930809, 0.147602),
        (0.004733, 0.691367, 0.303900),
    ),
}


def _lab(colour: str, deficiency: str | None = None) -> tuple[float, float, float]:
    """CIELAB of an sRGB colour, as seen with `deficiency` (None: typical vision)."""

    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    rgb = [linear(int(colour[i : i + 2], 16)) for i in (1, 3, 5)]
    if deficiency is not None:
        matrix = _DEFICIENCIES[deficiency]
        rgb = [
            min(1.0, max(0.0, sum(m * c for m, c in zip(row, rgb, strict=True)))) for row in matrix
        ]
    x = (0.4124 * rgb[0] + 0.3576 * rgb[1] + 0.1805 * rgb[2]) / 0.95047
    y = 0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2]
    z = (0.0193 * rgb[0] + 0.1192 * rgb[1] + 0.9505 * rgb[2]) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def _delta_e(first: str, second: str, deficiency: str | None = None) -> float:
    a, b = _lab(first, deficiency), _lab(second, deficiency)
    return sum((p - q) ** 2 for p, q in zip(a, b, strict=True)) ** 0.5


@pytest.mark.parametrize("deficiency", [None, *_DEFICIENCIES])
@pytest.mark.parametrize("scheme", [LIGHT, DARK], ids=["light", "dark"])
def test_every_two_highlights_stay_apart_for_colour_blind_readers(scheme, deficiency) -> None:
    # ΔE 5 is clearly visible side by side; the bands are drawn as the reader sees them.
    codebook = load_default_codebook(resource_path("codebook.json"))
    bands = {
        colour: composite([colour], scheme.paper, scheme.highlight_opacity)
        for colour in [*codebook.palette, UNTAGGED_COLOUR]
    }
    for (first, band_a), (second, band_b) in itertools.combinations(bands.items(), 2):
        distance = _delta_e(band_a, band_b, deficiency)
        assert distance >= 5, (scheme.name, deficiency, first, second, round(distance, 1))
    for colour, band in bands.items():
        assert _delta_e(band, scheme.paper, deficiency) >= 8, (scheme.name, colour)
