"""The analysis window and its charts: drawing, numbers, exports, scope and keyboard."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPalette
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QFileDialog,
    QTableWidget,
    QTabWidget,
    QWidget,
)
from pytestqt.qtbot import QtBot

from desktop_app.core.analysis import Analysis, TagStats, analyse
from desktop_app.core.analysis_figures import Scope, summary_line
from desktop_app.core.chart_colours import DARK_CHART, EXPORT_CHART
from desktop_app.core.chart_data import Bar, Series
from desktop_app.core.chart_scales import nice_ticks
from desktop_app.core.records import AnnotationRecord, DocumentRecord, TagRecord
from desktop_app.io.stats_export import stats_csv
from desktop_app.ui.analysis.analysis_view import AnalysisView
from desktop_app.ui.analysis.charts.bar_chart import BarChart
from desktop_app.ui.analysis.charts.chart import Chart
from desktop_app.ui.analysis.charts.chart_files import render_image, render_svg, save_png, save_svg
from desktop_app.ui.analysis.charts.cooccurrence_matrix import CooccurrenceMatrix
from desktop_app.ui.analysis.charts.timeline_chart import TimelineChart

TRADE, SECURITY, COALITION = "#E69F00", "#0072B2", "#009E73"
TAGS = [
    Series(1, "trade", TRADE),
    Series(2, "security", SECURITY),
    Series(3, "coalition", COALITION),
]
LONG = "claims about disinformation, propaganda and foreign interference in elections"


def sample_analysis(title: str = "Japan's new leader", documents: int = 1) -> Analysis:
    """The sample article as the reader might have tagged it."""
    return Analysis(
        title=title,
        documents=documents,
        sentence_count=20,
        annotation_count=9,
        tagged_sentences=7,
        per_tag=(
            TagStats(1, "trade", TRADE, None, 3, 3, 0.15),
            TagStats(2, "security", SECURITY, None, 4, 3, 0.15),
            TagStats(3, "coalition", COALITION, None, 2, 2, 0.10),
        ),
        cooccurrence=((1, 2, 1),),
        over_time=(("2025-10", ((1, 3), (2, 4), (3, 2))),),
    )


def library_analysis() -> Analysis:
    """Three articles, a nested tag (rolled up into trade) and an undated article."""
    return Analysis(
        title="Library (3 articles)",
        documents=3,
        sentence_count=120,
        annotation_count=30,
        tagged_sentences=25,
        per_tag=(
            TagStats(1, "trade", TRADE, None, 14, 12, 0.1),
            TagStats(2, "security", SECURITY, None, 10, 9, 0.075),
            TagStats(3, "coalition", COALITION, None, 6, 6, 0.05),
            TagStats(4, "tariffs", "#CC79A7", 1, 5, 5, 5 / 120),
        ),
        cooccurrence=((1, 2, 3), (1, 4, 5)),
        over_time=(
            ("2025-11", ((1, 6), (2, 4), (3, 1), (4, 2))),
            ("2026-01", ((1, 5), (2, 6), (3, 3), (4, 3))),
            ("undated", ((1, 3), (2, 0), (3, 2), (4, 0))),
        ),
    )


def cells(table: QTableWidget, row: int) -> list[str]:
    """The texts of one table row."""
    items = [table.item(row, column) for column in range(table.columnCount())]
    return [item.text() if item is not None else "" for item in items]


def render(chart: Chart, scale: float = 1) -> QImage:
    image = render_image(chart, scale)
    assert not image.isNull()
    return image


def pixels_of(image: QImage, colour: str) -> list[tuple[int, int]]:
    """Every pixel of exactly `colour` (each channel within 2)."""
    want = QColor(colour)
    found = []
    for y in range(image.height()):
        for x in range(image.width()):
            got = image.pixelColor(x, y)
            if (
                abs(got.red() - want.red()) <= 2
                and abs(got.green() - want.green()) <= 2
                and abs(got.blue() - want.blue()) <= 2
            ):
                found.append((x, y))
    return found


def bar_pixels(points: list[tuple[int, int]], width: int = 20) -> list[tuple[int, int]]:
    """The points on rows where the colour runs at least `width` pixels (bars, not swatches)."""
    per_row: dict[int, int] = {}
    for _, y in points:
        per_row[y] = per_row.get(y, 0) + 1
    return [(x, y) for x, y in points if per_row[y] >= width]


def bounding_box(points: list[tuple[int, int]]) -> tuple[int, int, int, int]:
    xs = [x for x, _ in points]
    ys = [y for _, y in points]
    return min(xs), min(ys), max(xs), max(ys)


# -- charts ------------------------------------------------------------------------------------


def chart_with(kind: str, case: str) -> Chart:
    """A chart of `kind` filled with the data of `case`."""
    tags = {
        "empty": [],
        "one": TAGS[:1],
        "many": [Series(i, f"tag number {i}", TAGS[i % 3].colour) for i in range(1, 31)],
        "long": [Series(1, LONG, TRADE), Series(2, LONG + " (again)", SECURITY)],
        "zeros": TAGS,
    }[case]
    value = 0 if case == "zeros" else 1
    chart: Chart
    if kind == "bar":
        chart = BarChart("Annotations per tag", "annotations")
        chart.set_data(Bar(t.name, value * t.key, t.colour) for t in tags)
    elif kind == "coverage":
        chart = BarChart("Coverage per tag", "share", percent=True)
        chart.set_data(Bar(t.name, value * t.key / 40, t.colour) for t in tags)
    elif kind == "matrix":
        chart = CooccurrenceMatrix()
        pairs = [(a.key, b.key, value * (a.key + b.key)) for a in tags for b in tags if a != b]
        chart.set_data(tags, pairs, {t.key: value * t.key for t in tags})
    else:
        chart = TimelineChart()
        months = [f"2025-{m:02d}" for m in range(1, 13)] + ["undated"]
        chart.set_data(tags, [(m, [(t.key, value * t.key) for t in tags]) for m in months])
    return chart


@pytest.mark.parametrize("kind", ["bar", "coverage", "matrix", "timeline"])
@pytest.mark.parametrize("case", ["empty", "one", "many", "long", "zeros"])
def test_charts_draw_any_data_into_an_image(qtbot: QtBot, kind: str, case: str) -> None:
    chart = chart_with(kind, case)
    qtbot.addWidget(chart)
    image = render(chart)
    hint = chart.sizeHint()
    assert (image.width(), image.height()) == (hint.width(), hint.height())
    # Something besides the paper was drawn (the title at least).
    paper = QColor(EXPORT_CHART.paper).rgb()
    assert any(image.pixel(x, y) != paper for y in range(0, 40) for x in range(0, image.width(), 2))
    description = chart.accessibleDescription()
    assert description.startswith(chart.title)
    if case == "many" and kind in ("bar", "matrix"):
        assert "tag number 30" in description
        assert hint.height() > 30 * 20  # every tag gets a readable row
    if case == "long":
        assert LONG in description  # elided on the chart, whole in the text alternative


def test_bars_are_the_tag_colour_and_proportional(qtbot: QtBot) -> None:
    chart = BarChart("Annotations per tag", "annotations")
    qtbot.addWidget(chart)
    chart.set_data(
        [Bar("trade", 2, TRADE), Bar("security", 4, SECURITY), Bar("none", 0, COALITION)]
    )
    image = render(chart)
    trade = bounding_box(pixels_of(image, TRADE))
    security = bounding_box(pixels_of(image, SECURITY))
    for left, top, right, bottom in (trade, security):
        centre = image.pixelColor((left + right) // 2, (top + bottom) // 2)
        assert centre.name() in (QColor(TRADE).name(), QColor(SECURITY).name())
        assert bottom - top >= 10  # a bar, not a hairline
    assert security[1] > trade[3]  # security's bar is below trade's, in the order given
    trade_length = trade[2] - trade[0] + 1
    security_length = security[2] - security[0] + 1
    assert abs(security_length - 2 * trade_length) <= 2
    assert len(pixels_of(image, COALITION)) == 0  # a zero draws no bar
    assert chart.accessibleDescription() == "Annotations per tag: trade 2, security 4, none 0."


def test_coverage_is_written_as_percent_and_ticks_are_round() -> None:
    chart = BarChart("Coverage per tag", "share", percent=True)
    chart.set_data([Bar("trade", 0.35, TRADE), Bar("security", 1 / 3, SECURITY)])
    assert chart.accessibleDescription() == "Coverage per tag: trade 35%, security 33.3%."
    assert nice_ticks(0.35, whole=False) == [0.0, 0.1, 0.2, 0.3, 0.4]
    assert nice_ticks(9, whole=True) == [0.0, 2.0, 4.0, 6.0, 8.0, 10.0]
    assert nice_ticks(3, whole=True) == [0.0, 1.0, 2.0, 3.0]
    assert nice_ticks(0, whole=True) == [0.0, 1.0]


def test_matrix_writes_every_pair_and_each_tags_own_count(qtbot: QtBot) -> None:
    chart = CooccurrenceMatrix()
    qtbot.addWidget(chart)
    chart.set_data(TAGS, [(1, 2, 4), (2, 3, 1)], {1: 5, 2: 6, 3: 2})
    assert chart.count(2, 1) == 4 and chart.count(1, 3) == 0 and chart.count(3, 3) == 2
    text = chart.accessibleDescription()
    assert "trade and security 4" in text and "trade and coalition 0" in text
    assert "security and coalition 1" in text and "trade 5, security 6, coalition 2" in text
    image = render(chart)
    assert pixels_of(image, TRADE)  # the row swatches carry the tag colours


def test_timeline_stacks_in_tag_colours_with_totals(qtbot: QtBot) -> None:
    chart = TimelineChart()
    qtbot.addWidget(chart)
    chart.set_data(TAGS, [("2026-02", [(1, 3), (2, 1)]), ("undated", [(3, 2)])])
    assert chart.totals() == [4, 2]
    assert chart.accessibleDescription() == (
        "Annotations over time: Feb 2026: 4 (trade 3, security 1); undated: 2 (coalition 2)."
    )
    image = render(chart)
    trade = bounding_box(bar_pixels(pixels_of(image, TRADE)))
    security = bounding_box(bar_pixels(pixels_of(image, SECURITY)))
    assert security[3] < trade[1] + 2  # security sits on top of trade
    # 3 to 1, give or take the 1-pixel line of paper between segments.
    assert (trade[3] - trade[1] + 1) / (security[3] - security[1] + 1) == pytest.approx(3, abs=0.1)


def test_charts_follow_a_dark_palette(qtbot: QtBot) -> None:
    chart = BarChart("Annotations per tag", "annotations")
    qtbot.addWidget(chart)
    chart.set_data([Bar("trade", 2, TRADE)])
    palette = chart.palette()
    palette.setColor(QPalette.ColorRole.Window, QColor("#202020"))
    chart.setPalette(palette)
    assert chart.colours() == DARK_CHART
    chart.set_dark(False)
    assert chart.colours().paper != DARK_CHART.paper
    image = QImage(600, 240, QImage.Format.Format_ARGB32)
    painter = QPainter(image)
    chart.paint_on(painter, QRectF(0, 0, 600, 240), DARK_CHART)
    painter.end()
    assert image.pixelColor(2, 2).name() == DARK_CHART.paper


# -- files -------------------------------------------------------------------------------------


def test_png_export_is_a_png_at_twice_the_natural_size(qtbot: QtBot, tmp_path: Path) -> None:
    chart = chart_with("bar", "one")
    qtbot.addWidget(chart)
    target = tmp_path / "chart.png"
    save_png(chart, target, scale=2)
    assert target.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
    image = QImage(str(target))
    assert not image.isNull()
    assert (image.width(), image.height()) == (
        2 * chart.sizeHint().width(),
        2 * chart.sizeHint().height(),
    )
    # Drawn at twice the size, not in a corner of a bigger canvas.
    sharp = bounding_box(pixels_of(image.convertToFormat(QImage.Format.Format_RGB32), TRADE))
    plain = bounding_box(pixels_of(render(chart), TRADE))
    assert sharp[2] - sharp[0] == pytest.approx(2 * (plain[2] - plain[0]), abs=3)
    assert sharp[3] - sharp[1] == pytest.approx(2 * (plain[3] - plain[1]), abs=3)
    assert not list(tmp_path.glob("*.part"))  # written through a temporary file


def test_svg_export_keeps_text_as_text(qtbot: QtBot, tmp_path: Path) -> None:
    chart = CooccurrenceMatrix()
    qtbot.addWidget(chart)
    chart.set_data(TAGS, [(1, 2, 4)], {1: 5, 2: 6, 3: 2})
    target = tmp_path / "matrix.svg"
    save_svg(chart, target)
    root = ElementTree.fromstring(target.read_bytes())
    assert root.tag in ("svg", "{http://www.w3.org/2000/svg}svg")
    text = " ".join("".join(node.itertext()) for node in root.iter() if node.tag.endswith("text"))
    for name in ("trade", "security", "coalition", "Tags in the same sentence"):
        assert name in text
    description = [n for n in root.iter() if n.tag.endswith("desc")]
    assert description and "trade and security 4" in (description[0].text or "")
    assert render_svg(chart) == target.read_bytes()


# -- the window --------------------------------------------------------------------------------


@pytest.fixture
def calls() -> list[Scope]:
    return []


@pytest.fixture
def view(qtbot: QtBot, calls: list[Scope]) -> AnalysisView:
    def compute(scope: Scope) -> Analysis:
        calls.append(scope)
        return library_analysis() if scope == "library" else sample_analysis()

    shown = AnalysisView(compute)
    qtbot.addWidget(shown)
    shown.show()
    qtbot.waitExposed(shown)
    return shown


def test_view_shows_the_header_numbers(view: AnalysisView, calls: list[Scope]) -> None:
    assert calls == ["document"]
    assert view.heading.text() == "Japan's new leader"
    assert view.summary.text() == "20 sentences · 7 tagged (35%) · 9 annotations"
    assert view.tags_table.rowCount() == 3
    assert cells(view.tags_table, 0) == ["trade", "3", "3", "15%"]
    assert cells(view.matrix_table, 0) == ["trade + security", "1"]
    assert view.annotations_chart.accessibleDescription() == (
        "Annotations per tag: trade 3, security 4, coalition 2."
    )
    assert not view.note.isVisibleTo(view)


def test_switching_scope_computes_the_library(
    view: AnalysisView, calls: list[Scope], qtbot: QtBot
) -> None:
    with qtbot.waitSignal(view.scopeChanged) as changed:
        view.scope_library.click()
    assert changed.args == ["library"]
    assert calls == ["document", "library"]
    assert view.summary.text() == (
        "3 articles · 120 sentences · 25 tagged (20.8%) · 30 annotations"
    )
    assert view.note.isVisibleTo(view)  # tariffs is nested and counted in trade
    # Rolled up, the nested tag is not stacked again on top of its parent.
    assert [t.name for t in view.timeline_chart.tags] == ["trade", "security", "coalition"]
    assert view.timeline_chart.totals() == [11, 0, 14, 5]  # December filled in, empty
    view.scope_document.click()
    assert calls == ["document", "library", "document"]
    assert view.heading.text() == "Japan's new leader"


def test_background_results_for_another_scope_are_dropped(qtbot: QtBot) -> None:
    asked: list[Scope] = []
    view = AnalysisView(lambda scope: asked.append(scope), scope="library")
    qtbot.addWidget(view)
    assert asked == ["library"]
    assert view.summary.text() == "Counting the whole library…"
    assert not view.csv_button.isEnabled() and not view.png_button.isEnabled()
    view.scope_document.click()
    view.show_analysis(library_analysis(), "library")  # late: the reader moved on
    assert view.analysis() is None
    view.show_analysis(sample_analysis(), "document")
    assert view.analysis() == sample_analysis()
    assert view.csv_button.isEnabled()


def test_without_an_open_article_only_the_library_is_offered(qtbot: QtBot) -> None:
    asked: list[Scope] = []

    def compute(scope: Scope) -> Analysis:
        asked.append(scope)
        return library_analysis()

    view = AnalysisView(compute, has_document=False)
    qtbot.addWidget(view)
    assert asked == ["library"] and not view.scope_document.isEnabled()
    assert view.scope() == "library"


def test_export_csv_writes_stats_csv(
    view: AnalysisView, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, qtbot: QtBot
) -> None:
    target = tmp_path / "numbers"
    asked: list[str] = []

    def choose(parent, caption, suggested, file_filter):
        asked.append(suggested)
        return str(target), file_filter

    monkeypatch.setattr(QFileDialog, "getSaveFileName", choose)
    with qtbot.waitSignal(view.exported) as written:
        qtbot.keyClick(view, Qt.Key.Key_C, Qt.KeyboardModifier.AltModifier)
    assert written.args == [tmp_path / "numbers.csv"]
    assert (tmp_path / "numbers.csv").read_bytes() == stats_csv(sample_analysis()).encode()
    assert asked[0].endswith("Japan-s-new-leader-analysis.csv")
    assert view.export_folder == str(tmp_path)


def test_export_png_and_svg_write_the_visible_chart(
    view: AnalysisView, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    targets = iter([tmp_path / "tags.png", tmp_path / "time.svg"])
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a: (str(next(targets)), ""))
    view.png_button.click()
    image = QImage(str(tmp_path / "tags.png"))
    hint = view.tags_chart.sizeHint()
    assert (image.width(), image.height()) == (2 * hint.width(), 2 * hint.height())
    # Both tag charts are in the one picture, annotations above coverage.
    assert hint.height() == sum(c.sizeHint().height() for c in view.tags_chart.charts)
    view.tabs.setCurrentIndex(2)
    view.svg_button.click()
    svg = (tmp_path / "time.svg").read_text(encoding="utf-8")
    assert "Annotations per month of publication" in svg and "Oct" in svg


def test_a_failed_export_says_why_and_keeps_the_window(
    view: AnalysisView, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QMessageBox

    warnings: list[str] = []
    missing = tmp_path / "no such folder" / "chart.png"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a: (str(missing), ""))
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: warnings.append(text))
    view.png_button.click()
    assert warnings and str(missing) in warnings[0]
    assert view.isVisible()


def test_keyboard_mnemonics_are_unique_and_escape_closes(view: AnalysisView, qtbot: QtBot) -> None:
    labels = [b.text() for b in view.findChildren(QAbstractButton) if b.text()]
    tabs = view.findChild(QTabWidget)
    assert tabs is not None
    labels += [tabs.tabText(i) for i in range(tabs.count())]
    keys = [m.group(1).lower() for text in labels if (m := re.search(r"&(\w)", text))]
    assert len(keys) == len(set(keys)) >= 8
    qtbot.keyClick(view, Qt.Key.Key_I, Qt.KeyboardModifier.AltModifier)
    assert view.current_chart() is view.timeline_chart
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    assert not view.isVisible()


def test_tab_moves_from_the_scope_to_the_tabs_tables_and_buttons(
    view: AnalysisView, qtbot: QtBot
) -> None:
    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow)
    view.scope_document.setFocus()
    visited: list[QWidget | None] = []
    for _ in range(6):
        visited.append(QApplication.focusWidget())
        qtbot.keyClick(QApplication.focusWidget() or view, Qt.Key.Key_Tab)
    # The checked radio button stands for its group; arrows move inside it.
    assert visited == [
        view.scope_document,
        view.tabs.tabBar(),
        view.tags_table,
        view.png_button,
        view.svg_button,
        view.csv_button,
    ]


def test_the_real_analyse_feeds_the_view(qtbot: QtBot) -> None:
    when = datetime(2026, 3, 1)
    text = "Tariffs rose. Troops moved.\nThe coalition held."
    document = DocumentRecord(1, "Brief", "brief.txt", text, when, published="2026-03-02")
    tags = [TagRecord(1, "trade", TRADE, 0), TagRecord(2, "security", SECURITY, 1)]
    first = AnnotationRecord(1, "a", 1, 0, 13, "Tariffs rose.", "", "", "", (1, 2), when, when)
    analysis = analyse([document], {1: [first]}, tags)
    view = AnalysisView(lambda scope: analysis)
    qtbot.addWidget(view)
    assert view.summary.text() == summary_line(analysis)
    assert view.summary.text().startswith(f"{analysis.sentence_count} sentences · 1 tagged")
    assert view.matrix_chart.count(1, 2) == 1
    assert view.timeline_chart.accessibleDescription().startswith(
        "Annotations per month of publication: Mar 2026: 2"
    )
