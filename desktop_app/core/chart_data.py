"""What a chart of the analysis is given: plain values, so charts stay generic and testable.

The charts know nothing of an `Analysis`; `analysis_figures` turns one into these, and a test
or a script can build them by hand.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Series:
    """A tag as a chart knows it: a key to match counts, a name and a `#rrggbb` colour."""

    key: int
    name: str
    colour: str


@dataclass(frozen=True, slots=True)
class Bar:
    """One bar of a bar chart: its label, its value and its `#rrggbb` colour."""

    label: str
    value: float
    colour: str
