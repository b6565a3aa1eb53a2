"""How the analysis writes counts, shares and months (the same on its charts and tables)."""

from __future__ import annotations

import pytest

from desktop_app.core.chart_labels import (
    count_text,
    percent_text,
    period_label,
    period_text,
    plural,
)


@pytest.mark.parametrize(
    ("value", "text"),
    [(0, "0"), (7, "7"), (12345, "12,345"), (1_000_000, "1,000,000"), (2.6, "3"), (4.0, "4")],
)
def test_counts_are_whole_with_thousands_separators(value: float, text: str) -> None:
    assert count_text(value) == text


@pytest.mark.parametrize(
    ("share", "text"),
    [
        (0.35, "35%"),
        (1 / 3, "33.3%"),
        (0.0, "0%"),
        (1.0, "100%"),
        (5 / 120, "4.2%"),
        (0.075, "7.5%"),
        (0.0996, "10%"),  # within a twentieth of a point: written whole
        (0.001, "0.1%"),
    ],
)
def test_shares_are_percent_whole_or_to_a_tenth(share: float, text: str) -> None:
    assert percent_text(share) == text


def test_plural_counts_one_in_the_singular() -> None:
    assert plural(1, "sentence") == "1 sentence"
    assert plural(0, "sentence") == "0 sentences"
    assert plural(20, "annotation") == "20 annotations"
    assert plural(1200, "article") == "1,200 articles"


@pytest.mark.parametrize(
    ("period", "label", "text"),
    [
        ("2026-03", ("Mar", "2026"), "Mar 2026"),
        ("2025-01", ("Jan", "2025"), "Jan 2025"),
        ("2025-12", ("Dec", "2025"), "Dec 2025"),
        ("undated", ("undated", ""), "undated"),
        ("2025-13", ("2025-13", ""), "2025-13"),  # not a month: named as it is
        ("2025-00", ("2025-00", ""), "2025-00"),
        ("2025-03-01", ("2025-03-01", ""), "2025-03-01"),
    ],
)
def test_periods_are_named_by_month_and_year(
    period: str, label: tuple[str, str], text: str
) -> None:
    assert period_label(period) == label
    assert period_text(period) == text
