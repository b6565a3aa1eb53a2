"""Round axis ticks: 0, 5, 10, 15 rather than 0, 3.7, 7.4, whatever the largest value."""

from __future__ import annotations

import math
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop_app.core.chart_scales import nice_ticks


@pytest.mark.parametrize(
    ("maximum", "whole", "ticks"),
    [
        (0.35, False, [0.0, 0.1, 0.2, 0.3, 0.4]),
        (0.1, False, [0.0, 0.02, 0.04, 0.06, 0.08, 0.1]),
        (1.0, False, [0.0, 0.2, 0.4, 0.6, 0.8, 1.0]),
        (9, True, [0.0, 2.0, 4.0, 6.0, 8.0, 10.0]),
        (3, True, [0.0, 1.0, 2.0, 3.0]),
        (1, True, [0.0, 1.0]),
        (14, True, [0.0, 5.0, 10.0, 15.0]),
        (12, True, [0.0, 5.0, 10.0, 15.0]),  # counts skip 2.5: no tick at 7.5 annotations
        (24, False, [0.0, 5.0, 10.0, 15.0, 20.0, 25.0]),
        (0.12, False, [0.0, 0.025, 0.05, 0.075, 0.1, 0.125]),  # shares may step by 2.5
        (120, True, [0.0, 25.0, 50.0, 75.0, 100.0, 125.0]),
    ],
)
def test_ticks_by_example(maximum: float, whole: bool, ticks: list[float]) -> None:
    assert nice_ticks(maximum, whole=whole) == ticks


def test_nothing_to_count_still_gets_a_scale() -> None:
    assert nice_ticks(0, whole=True) == [0.0, 1.0]
    assert nice_ticks(0, whole=False) == [0.0, 0.25, 0.5, 0.75, 1.0]
    assert nice_ticks(-3, whole=True) == [0.0, 1.0]


def test_fewer_ticks_when_asked() -> None:
    assert nice_ticks(14, whole=True, count=4) == [0.0, 5.0, 10.0, 15.0]
    assert nice_ticks(40, whole=True, count=4) == [0.0, 10.0, 20.0, 30.0, 40.0]


@given(
    maximum=st.floats(min_value=1e-6, max_value=1e9, allow_nan=False),
    whole=st.booleans(),
    count=st.integers(min_value=2, max_value=8),
)
def test_ticks_are_round_even_steps_from_zero_past_the_maximum(
    maximum: float, whole: bool, count: int
) -> None:
    ticks = nice_ticks(maximum, whole=whole, count=count)
    assert ticks[0] == 0.0
    assert ticks[-1] >= maximum * (1 - 1e-9)
    assert ticks[-2] < maximum  # the last tick is the first one past the maximum
    assert len(ticks) <= count + 1
    step = ticks[1]
    assert all(math.isclose(b - a, step, rel_tol=1e-6) for a, b in pairwise(ticks))
    mantissa = step / 10 ** math.floor(math.log10(step))
    assert any(math.isclose(mantissa, m, rel_tol=1e-6) for m in (1, 2, 2.5, 5))
    if whole:
        assert step >= 1 and all(t == int(t) for t in ticks)
