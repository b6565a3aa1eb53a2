"""Round axis ticks for the analysis charts, so a scale reads 0, 5, 10, 15 rather than 0, 3.7, 7.4.

Kept apart from the painting so the rule (steps of 1, 2, 2.5 or 5 times a power of ten, never
a fraction of a count) can be tested without a screen.
"""

from __future__ import annotations

import math


def nice_ticks(maximum: float, *, whole: bool, count: int = 5) -> list[float]:
    """Round axis ticks from 0 to at least `maximum` (steps of 1, 2, 2.5 or 5 times 10^k).

    `whole` is for counts: a step is then a whole number, and at least 1.
    """
    if maximum <= 0:
        return [0.0, 1.0] if whole else [0.0, 0.25, 0.5, 0.75, 1.0]
    raw = maximum / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = 10 * magnitude
    for multiple in (1, 2, 2.5, 5, 10):
        if whole and multiple == 2.5 and magnitude < 10:
            continue
        if multiple * magnitude >= raw:
            step = multiple * magnitude
            break
    if whole:
        step = max(1.0, round(step))
    steps = max(1, math.ceil(maximum / step - 1e-9))
    return [round(i * step, 10) for i in range(steps + 1)]
