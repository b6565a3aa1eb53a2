"""How the analysis writes its figures: counts, shares and months, the same on charts and tables.

A chart writes its numbers beside its bars and a table writes them in its cells; both come
from here, so the picture and the table beside it never disagree on "33.3%" or "Mar 2026".
"""

from __future__ import annotations

import re

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# A period of the analysis: "2026-03" for a month; anything else ("undated") names itself.
MONTH_PERIOD = re.compile(r"^(\d{4})-(\d{2})$")


def count_text(value: float) -> str:
    """A count with thousands separators: 12,345."""
    return f"{round(value):,}"


def percent_text(share: float) -> str:
    """0.35 as "35%", 1/3 as "33.3%"."""
    value = share * 100
    if abs(value - round(value)) < 0.05:
        return f"{round(value)}%"
    return f"{value:.1f}%"


def plural(count: int, word: str) -> str:
    """ "1 sentence", "20 sentences"."""
    return f"{count_text(count)} {word}{'' if count == 1 else 's'}"


def period_label(period: str) -> tuple[str, str]:
    """ "2026-03" as ("Mar", "2026"); anything else (like "undated") as (itself, "")."""
    match = MONTH_PERIOD.match(period)
    if match and 1 <= int(match.group(2)) <= 12:
        return MONTHS[int(match.group(2)) - 1], match.group(1)
    return period, ""


def period_text(period: str) -> str:
    """ "2026-03" as "Mar 2026", "undated" as itself: a period in a sentence or a table."""
    month, year = period_label(period)
    return f"{month} {year}".strip()
