"""What the Analysis view shows of an analysis: summary, chart data and table rows, without Qt."""

from __future__ import annotations

import subprocess
import sys

from desktop_app.core.analysis import Analysis, TagStats
from desktop_app.core.analysis_figures import (
    annotation_bars,
    continuous_months,
    counts_annotations_twice,
    coverage_bars,
    matrix_tags,
    pair_table_rows,
    period_totals,
    summary_line,
    tag_table_rows,
    timeline_columns,
    timeline_table_rows,
    timeline_tags,
)
from desktop_app.core.chart_data import Bar, Series

TRADE, SECURITY, COALITION, TARIFFS = "#E69F00", "#0072B2", "#009E73", "#CC79A7"


def library(rollup: bool = True, annotations: int = 30) -> Analysis:
    """Three articles, tariffs nested under trade, coalition never in a sentence."""
    return Analysis(
        title="Library (3 articles)",
        documents=3,
        sentence_count=120,
        annotation_count=annotations,
        tagged_sentences=25,
        per_tag=(
            TagStats(1, "trade", TRADE, None, 14, 12, 0.1),
            TagStats(2, "security", SECURITY, None, 10, 9, 0.075),
            TagStats(3, "coalition", COALITION, None, 0, 0, 0.0),
            TagStats(4, "tariffs", TARIFFS, 1, 5, 5, 5 / 120),
        ),
        cooccurrence=((1, 2, 3), (1, 4, 5)),
        over_time=(
            ("2025-11", ((1, 6), (2, 4), (3, 0), (4, 2))),
            ("2026-01", ((1, 8), (2, 6), (3, 0), (4, 3))),
            ("undated", ((1, 0), (2, 0), (3, 0), (4, 0))),
        ),
        rollup=rollup,
    )


def test_summary_of_an_article_and_of_a_library() -> None:
    one = Analysis("A", 1, 20, 9, 7, (), (), ())
    assert summary_line(one) == "20 sentences · 7 tagged (35%) · 9 annotations"
    assert summary_line(one, "library") == (
        "1 article · 20 sentences · 7 tagged (35%) · 9 annotations"
    )
    assert summary_line(library()) == (
        "3 articles · 120 sentences · 25 tagged (20.8%) · 30 annotations"
    )
    empty = Analysis("B", 1, 0, 1, 0, (), (), ())
    assert summary_line(empty) == "0 sentences · 0 tagged · 1 annotation"


def test_bars_keep_every_tag_in_codebook_order_zeros_too() -> None:
    analysis = library()
    assert annotation_bars(analysis) == [
        Bar("trade", 14, TRADE),
        Bar("security", 10, SECURITY),
        Bar("coalition", 0, COALITION),
        Bar("tariffs", 5, TARIFFS),
    ]
    assert [b.value for b in coverage_bars(analysis)] == [0.1, 0.075, 0.0, 5 / 120]


def test_the_matrix_leaves_out_tags_on_no_sentence() -> None:
    assert [t.name for t in matrix_tags(library())] == ["trade", "security", "tariffs"]


def test_rolled_up_nested_tags_are_not_stacked_twice() -> None:
    assert [t.name for t in timeline_tags(library())] == ["trade", "security", "coalition"]
    assert [t.name for t in timeline_tags(library(rollup=False))] == [
        "trade",
        "security",
        "coalition",
        "tariffs",
    ]


def test_stacks_that_add_up_past_the_annotations_are_noticed() -> None:
    assert not counts_annotations_twice(library(annotations=30))  # 14 + 10 + 0 stacked
    assert counts_annotations_twice(library(annotations=23))
    assert counts_annotations_twice(library(rollup=False, annotations=28))  # tariffs too


def test_months_without_articles_are_shown_empty() -> None:
    over_time = (("2025-11", ((1, 2),)), ("2026-02", ((1, 1),)), ("undated", ((1, 4),)))
    filled = continuous_months(over_time)
    assert [p for p, _ in filled] == ["2025-11", "2025-12", "2026-01", "2026-02", "undated"]
    assert filled[1] == ("2025-12", ())
    far = (("1990-01", ()), ("2026-01", ()))
    assert continuous_months(far) == far


def test_a_single_month_or_none_is_left_as_it_is() -> None:
    assert continuous_months((("2025-11", ((1, 2),)),)) == (("2025-11", ((1, 2),)),)
    assert continuous_months((("undated", ()),)) == (("undated", ()),)
    assert continuous_months(()) == ()


def test_period_totals_count_only_the_given_tags() -> None:
    tags = [Series(1, "trade", TRADE), Series(2, "security", SECURITY)]
    assert period_totals(tags, [{1: 3, 2: 1, 4: 9}, {4: 2}, {}]) == [4, 0, 0]


def test_table_rows_write_the_chart_numbers() -> None:
    analysis = library()
    assert tag_table_rows(analysis) == [
        ("trade", "14", "12", "10%"),
        ("security", "10", "9", "7.5%"),
        ("coalition", "0", "0", "0%"),
        ("tariffs", "5", "5", "4.2%"),
    ]
    # Most shared first; a tag the codebook no longer names is shown by its id.
    gone = Analysis("C", 1, 10, 2, 2, analysis.per_tag[:2], ((1, 2, 1), (1, 9, 2)), ())
    assert pair_table_rows(analysis) == [("trade + tariffs", "5"), ("trade + security", "3")]
    assert pair_table_rows(gone) == [("trade + 9", "2"), ("trade + security", "1")]


def test_the_over_time_table_has_a_column_a_tag_in_use() -> None:
    analysis = library()
    stacked = timeline_tags(analysis)
    periods = continuous_months(analysis.over_time)
    columns = timeline_columns(stacked, periods)
    assert [t.name for t in columns] == ["trade", "security"]  # coalition is never counted
    totals = period_totals(stacked, (dict(c) for _, c in periods))
    assert totals == [10, 0, 14, 0]
    assert timeline_table_rows(columns, periods, totals) == [
        ("Nov 2025", "6", "4", "10"),
        ("Dec 2025", "0", "0", "0"),
        ("Jan 2026", "8", "6", "14"),
        ("undated", "0", "0", "0"),
    ]


def test_the_figures_need_no_qt() -> None:
    code = (
        "import sys\n"
        "import desktop_app.core.analysis_figures, desktop_app.core.chart_colours\n"
        "import desktop_app.core.chart_scales\n"
        "print(sorted(m for m in sys.modules if m.startswith('PySide6')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.strip() == "[]"
