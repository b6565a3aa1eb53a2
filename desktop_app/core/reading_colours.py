"""The reader's two colour schemes, shared by the app, its charts and the HTML export.

Light is warm off-white paper with near-black ink; dark is warm near-black paper with
off-white ink (pure black and white glare on long reading). Highlights are tag colours laid
over the paper at `highlight_opacity`: over dark paper the light scheme's 42 % would leave
light ink on a yellow band below WCAG's 4.5:1, so dark lays them thinner. A test holds every
colour of the default palette to 4.5:1 in both schemes.
"""

from __future__ import annotations

from dataclasses import dataclass

from desktop_app.core.highlight_layers import LAYER_OPACITY

# Annotations with no tag are marked in a neutral grey.
UNTAGGED_COLOUR = "#b5b5b5"


@dataclass(frozen=True, slots=True)
class ReadingColours:
    """Colours of the reading surface in one scheme."""

    name: str
    paper: str
    ink: str
    muted: str
    focus: str
    focus_tint: str
    rule: str
    highlight_opacity: float
    warning: str  # "needs review"
    error: str  # "orphaned", a refused name
    added: str  # backgrounds of a version comparison's lines
    removed: str
    edited: str

    @property
    def dark(self) -> bool:
        return self.name == "dark"


LIGHT = ReadingColours(
    name="light",
    paper="#fbfaf6",
    ink="#1d1d1b",
    muted="#6b6a66",
    focus="#3b5bdb",
    focus_tint="#e7ebfb",
    rule="#e2ded3",
    highlight_opacity=LAYER_OPACITY,
    warning="#8a5300",
    error="#b3261e",
    added="#e6f4ea",
    removed="#fce8e6",
    edited="#fef7e0",
)
DARK = ReadingColours(
    name="dark",
    paper="#1c1b19",
    ink="#e8e5de",
    muted="#a9a59c",
    focus="#9db1ff",
    focus_tint="#2b3150",
    rule="#3c3a35",
    highlight_opacity=0.36,
    warning="#f0b35a",
    error="#f2a8a3",
    added="#1f3526",
    removed="#43241f",
    edited="#3a321b",
)
