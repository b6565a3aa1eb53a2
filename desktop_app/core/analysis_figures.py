"""From an `Analysis` to what the Analysis view shows: the summary line, chart data, table rows.

The view only places these; the choices (zeros kept, unused tags left out of the matrix,
nested tags not stacked twice, empty months filled in) live here, where they are tested
without Qt and where a script can ask for the same figures.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Literal

from desktop_app.core.chart_data import Bar, Series
from desktop_app.core.chart_labels import (
    MONTH_PERIOD,
    count_text,
    percent_text,
    period_text,
    plural,
)

if TYPE_CHECKING:  # the counting itself is loaded by whoever counts
    from desktop_app.core.analysis import Analysis

Scope = Literal["document", "library"]
# ("2026-03", ((tag_id, annotations), ...)), as `Analysis.over_time` has them.
Period = tuple[str, tuple[tuple[int, int], ...]]


def summary_line(analysis: Analysis, scope: Scope = "document") -> str:
    """ "20 sentences · 7 tagged (35%) · 9 annotations", with the articles for a library."""
    tagged = f"{count_text(analysis.tagged_sentences)} tagged"
    if analysis.sentence_count:
        tagged += f" ({percent_text(analysis.tagged_sentences / analysis.sentence_count)})"
    parts = [
        plural(analysis.sentence_count, "sentence"),
        tagged,
        plural(analysis.annotation_count, "annotation"),
    ]
    if scope == "library" or analysis.documents > 1:
        parts.insert(0, plural(analysis.documents, "article"))
    return " · ".join(parts)


def annotation_bars(analysis: Analysis) -> list[Bar]:
    """Every tag's annotations, in codebook order (zeros too: "nothing on coalition" is news)."""
    return [Bar(t.name, t.annotations, t.colour) for t in analysis.per_tag]


def coverage_bars(analysis: Analysis) -> list[Bar]:
    """Every tag's share of the sentences, in codebook order."""
    return [Bar(t.name, t.coverage, t.colour) for t in analysis.per_tag]


def matrix_tags(analysis: Analysis) -> list[Series]:
    """Tags on at least one sentence: unused tags would only add rows of zeros."""
    return [Series(t.tag_id, t.name, t.colour) for t in analysis.per_tag if t.sentences]


def timeline_tags(analysis: Analysis) -> list[Series]:
    """The tags to stack over time, bottom first.

    Rolled up, a parent's count already holds its nested tags' annotations; stacking both
    would count those twice, so only top-level tags are stacked then.
    """
    known = {t.tag_id for t in analysis.per_tag}
    return [
        Series(t.tag_id, t.name, t.colour)
        for t in analysis.per_tag
        if not analysis.rollup or t.parent_id is None or t.parent_id not in known
    ]


def continuous_months(over_time: Sequence[Period], limit: int = 120) -> tuple[Period, ...]:
    """`over_time` with the months between the first and the last dated one filled in (empty).

    A month without articles is a gap worth seeing, not a month to skip; spans over `limit`
    months are left as they are, since hundreds of empty bars would hide the few full ones.
    """
    dated = [(int(m[1]), int(m[2])) for p, _ in over_time if (m := MONTH_PERIOD.match(p))]
    if len(dated) < 2:
        return tuple(over_time)
    (first_year, first_month), (last_year, last_month) = min(dated), max(dated)
    span = (last_year - first_year) * 12 + last_month - first_month + 1
    if span > limit:
        return tuple(over_time)
    counts = dict(over_time)
    months = []
    for step in range(span):
        year, month = divmod(first_year * 12 + first_month - 1 + step, 12)
        key = f"{year:04d}-{month + 1:02d}"
        months.append((key, counts.get(key, ())))
    return (*months, *((p, c) for p, c in over_time if not MONTH_PERIOD.match(p)))


def counts_annotations_twice(analysis: Analysis) -> bool:
    """True when some annotation carries several of the stacked tags, so that stacks add up
    to more than the annotations (the header's count)."""
    stacked = {t.key for t in timeline_tags(analysis)}
    total = sum(t.annotations for t in analysis.per_tag if t.tag_id in stacked)
    return total > analysis.annotation_count


def period_totals(tags: Iterable[Series], periods: Iterable[Mapping[int, int]]) -> list[int]:
    """Each period's total over `tags` (what is written on top of its stack), from each
    period's annotations by tag key."""
    keys = {t.key for t in tags}
    return [sum(c for k, c in counts.items() if k in keys) for counts in periods]


def tag_table_rows(analysis: Analysis) -> list[tuple[str, str, str, str]]:
    """The "By tag" table: name, annotations, sentences and coverage of every tag."""
    return [
        (t.name, count_text(t.annotations), count_text(t.sentences), percent_text(t.coverage))
        for t in analysis.per_tag
    ]


def pair_table_rows(analysis: Analysis) -> list[tuple[str, str]]:
    """The co-occurrence table: "trade + security" and its sentences, most shared first."""
    names = {t.tag_id: t.name for t in analysis.per_tag}
    pairs = sorted(analysis.cooccurrence, key=lambda pair: -pair[2])
    return [(f"{names.get(a, a)} + {names.get(b, b)}", count_text(n)) for a, b, n in pairs]


def timeline_columns(stacked: Sequence[Series], periods: Sequence[Period]) -> list[Series]:
    """The stacked tags found in some period: a column each in the over-time table."""
    counts = [dict(c) for _, c in periods]
    return [t for t in stacked if any(c.get(t.key) for c in counts)]


def timeline_table_rows(
    columns: Sequence[Series], periods: Sequence[Period], totals: Sequence[int]
) -> list[tuple[str, ...]]:
    """The over-time table: the period, each column tag's annotations in it, and its total."""
    rows = []
    for (period, counts), total in zip(periods, totals, strict=True):
        by_tag = dict(counts)
        values = [count_text(by_tag.get(t.key, 0)) for t in columns]
        rows.append((period_text(period), *values, count_text(total)))
    return rows
