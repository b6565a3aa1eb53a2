"""The analysis window: how much of an article (or of the library) each tag covers, and with what.

The window does not count anything itself: it is given `compute(scope)`, which returns an
`Analysis` at once, or None when the caller counts in the background and will call
`show_analysis` later (counting the whole library segments every article, which takes a while).
Each chart sits beside a table with the same numbers, so figures can be read exactly and copied;
what the charts and tables show of an `Analysis` is decided in `core/analysis_figures`.

Export PNG… and Export SVG… write the picture of the visible tab (one picture a file, which is
what goes into a slide or a report; on "By tag" that is both bar charts, one above the other),
at its natural size and on white, whatever the window's size and colours. Export CSV… writes
every table (`stats_csv`).
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QTableWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.analysis import Analysis
from desktop_app.core.analysis_figures import (
    Scope,
    annotation_bars,
    continuous_months,
    counts_annotations_twice,
    coverage_bars,
    matrix_tags,
    pair_table_rows,
    summary_line,
    tag_table_rows,
    timeline_columns,
    timeline_table_rows,
    timeline_tags,
)
from desktop_app.io.atomic_write import write_text_atomically
from desktop_app.io.stats_export import stats_csv
from desktop_app.ui.analysis.analysis_export import ask_export_path, export_stem, write_export
from desktop_app.ui.analysis.analysis_tables import (
    fill_rows,
    number_table,
    set_header_swatches,
    set_headers,
)
from desktop_app.ui.analysis.charts.bar_chart import BarChart
from desktop_app.ui.analysis.charts.chart import Chart
from desktop_app.ui.analysis.charts.chart_files import save_png, save_svg
from desktop_app.ui.analysis.charts.chart_group import ChartGroup
from desktop_app.ui.analysis.charts.cooccurrence_matrix import CooccurrenceMatrix
from desktop_app.ui.analysis.charts.timeline_chart import TimelineChart
from desktop_app.ui.reader.reading_style import interface_font

Compute = Callable[[Scope], Analysis | None]

MANY_TAGS_NOTE = "An annotation with several tags counts once for each of them."


class AnalysisView(QDialog):
    """Counts of the open article or the library: charts, tables, and exports of both.

    Signals:
        scopeChanged(str): the reader chose "document" or "library".
        exported(object): the Path of a file just written.
    """

    scopeChanged = Signal(str)
    exported = Signal(object)

    def __init__(
        self,
        compute: Compute,
        *,
        scope: Scope = "document",
        has_document: bool = True,
        export_folder: str = "",
        analysis: Analysis | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("analysisView")
        self.setWindowTitle("Analysis")
        self._compute = compute
        self._analysis: Analysis | None = None
        self.export_folder = export_folder
        self._init_widgets(has_document)
        self._init_layout()
        self._init_tab_order()
        initial = scope if has_document else "library"
        self._scope_buttons[initial].setChecked(True)
        self._connect_signals()
        self.resize(1040, 660)
        if analysis is not None:
            self.show_analysis(analysis)
        else:
            self.refresh()

    # -- construction --------------------------------------------------------------------------

    def _init_widgets(self, has_document: bool) -> None:
        self._init_header()
        self._init_scope(has_document)
        self._init_tabs()
        self._init_buttons()

    def _init_header(self) -> None:
        self.heading = QLabel("")
        self.heading.setObjectName("analysisTitle")
        heading_font = interface_font(14)
        heading_font.setWeight(QFont.Weight.DemiBold)
        self.heading.setFont(heading_font)
        self.heading.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary = QLabel("")
        self.summary.setObjectName("analysisSummary")
        self.summary.setFont(interface_font(11))
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.note = QLabel("Nested tags also count toward their parents.")
        self.note.setObjectName("analysisNote")
        self.note.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.note.hide()

    def _init_scope(self, has_document: bool) -> None:
        self.scope_document = QRadioButton("This &article")
        self.scope_library = QRadioButton("The whole &library")
        self.scope_document.setEnabled(has_document)
        self.scopes = QButtonGroup(self)
        self._scope_buttons: dict[Scope, QRadioButton] = {
            "document": self.scope_document,
            "library": self.scope_library,
        }
        for value, radio in self._scope_buttons.items():
            radio.setProperty("scope", value)
            self.scopes.addButton(radio)
        self._scope_label = QLabel("Count in:")
        self._scope_label.setBuddy(self.scope_document)

    def _init_tabs(self) -> None:
        """A tab a chart, each beside its table: by tag, co-occurrence, over time."""
        self.annotations_chart = BarChart("Annotations per tag", "annotations")
        self.coverage_chart = BarChart("Coverage per tag", "share of the sentences", percent=True)
        self.tags_chart = ChartGroup("Tags", [self.annotations_chart, self.coverage_chart])
        self.matrix_chart = CooccurrenceMatrix("Tags in the same sentence")
        self.timeline_chart = TimelineChart("Annotations per month of publication")
        self.tags_table = number_table(("Tag", "Annotations", "Sentences", "Coverage"), "tagsTable")
        self.matrix_table = number_table(("Tags", "Sentences"), "cooccurrenceTable")
        self.timeline_table = number_table(("Month", "Total"), "timelineTable")
        self.tabs = QTabWidget()
        self.tabs.setObjectName("analysisTabs")
        self.tabs.setDocumentMode(True)
        self._charts: list[Chart] = []
        self._tables: list[QTableWidget] = []
        for label, chart, table, slug in (
            ("By &tag", self.tags_chart, self.tags_table, "tags"),
            ("Co-&occurrence", self.matrix_chart, self.matrix_table, "co-occurrence"),
            ("Over t&ime", self.timeline_chart, self.timeline_table, "over-time"),
        ):
            chart.setObjectName(f"{slug}Chart")
            chart.setProperty("slug", slug)
            self.tabs.addTab(self._page(chart, table), label)
            self._charts.append(chart)
            self._tables.append(table)

    @staticmethod
    def _page(chart: Chart, table: QTableWidget) -> QWidget:
        page = QWidget()
        row = QHBoxLayout(page)
        row.setContentsMargins(0, 10, 0, 0)
        row.setSpacing(14)
        scroll = QScrollArea()
        scroll.setWidget(chart)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        row.addWidget(scroll, 3)
        row.addWidget(table, 2)
        return page

    def _init_buttons(self) -> None:
        self.png_button = QPushButton("Export &PNG…")
        self.svg_button = QPushButton("Export &SVG…")
        self.csv_button = QPushButton("Export &CSV…")
        self.close_button = QPushButton("Close")
        self.png_button.setToolTip("The chart on the visible tab, as an image")
        self.svg_button.setToolTip("The chart on the visible tab, as a vector drawing")
        self.csv_button.setToolTip("Every table, for a spreadsheet")
        self.close_button.setToolTip("Close (Esc)")
        for button in (*self._export_buttons(), self.close_button):
            button.setAutoDefault(False)

    def _init_layout(self) -> None:
        scope_row = QHBoxLayout()
        scope_row.addWidget(self._scope_label)
        scope_row.addWidget(self.scope_document)
        scope_row.addWidget(self.scope_library)
        scope_row.addStretch(1)
        buttons = QHBoxLayout()
        for button in self._export_buttons():
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 14, 18, 14)
        layout.setSpacing(6)
        layout.addLayout(scope_row)
        layout.addSpacing(4)
        layout.addWidget(self.heading)
        layout.addWidget(self.summary)
        layout.addWidget(self.note)
        layout.addSpacing(6)
        layout.addWidget(self.tabs, 1)
        layout.addSpacing(4)
        layout.addLayout(buttons)

    def _init_tab_order(self) -> None:
        """Scope, tabs, the tables, then the buttons: the order the window reads in."""
        chain: list[QWidget] = [
            self.scope_document,
            self.scope_library,
            self.tabs.tabBar(),
            *self._tables,
            *self._export_buttons(),
            self.close_button,
        ]
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)

    def _connect_signals(self) -> None:
        self.scopes.buttonToggled.connect(self.on_scope_toggled)
        self.png_button.clicked.connect(self.on_export_png)
        self.svg_button.clicked.connect(self.on_export_svg)
        self.csv_button.clicked.connect(self.on_export_csv)
        self.close_button.clicked.connect(self.reject)

    def _export_buttons(self) -> tuple[QPushButton, ...]:
        return (self.png_button, self.svg_button, self.csv_button)

    # -- public ------------------------------------------------------------------------------

    def scope(self) -> Scope:
        """The scope chosen now."""
        return "library" if self.scope_library.isChecked() else "document"

    def analysis(self) -> Analysis | None:
        """The analysis shown (None while counting)."""
        return self._analysis

    def current_chart(self) -> Chart:
        """The chart on the visible tab (what Export PNG/SVG writes)."""
        return self._charts[self.tabs.currentIndex()]

    def charts(self) -> list[Chart]:
        """Every chart, in tab order."""
        return list(self._charts)

    def refresh(self) -> None:
        """Count the chosen scope again (shows "Counting…" until the result is in)."""
        scope = self.scope()
        self.show_busy()
        result = self._compute(scope)
        if result is not None:
            self.show_analysis(result, scope)

    def show_busy(self) -> None:
        """Say that counting is under way; exports wait for the result."""
        self._analysis = None
        where = "the whole library" if self.scope() == "library" else "this article"
        self.summary.setText(f"Counting {where}…")
        self.tabs.setEnabled(False)
        for button in self._export_buttons():
            button.setEnabled(False)

    def show_analysis(self, analysis: Analysis, scope: Scope | None = None) -> None:
        """Show `analysis`; with `scope`, a late result for a scope no longer chosen is dropped."""
        if scope is not None and scope != self.scope():
            return
        self._analysis = analysis
        shown_scope = scope or self.scope()
        self.heading.setText(analysis.title)
        self.summary.setText(summary_line(analysis, shown_scope))
        self.note.setVisible(analysis.rollup and any(t.parent_id for t in analysis.per_tag))
        note = MANY_TAGS_NOTE if counts_annotations_twice(analysis) else ""
        self.annotations_chart.set_note(note)
        self.timeline_chart.set_note(note)
        self._fill_tags(analysis)
        self._fill_matrix(analysis)
        self._fill_timeline(analysis)
        self.tabs.setEnabled(True)
        for button in self._export_buttons():
            button.setEnabled(True)

    # -- filling -------------------------------------------------------------------------------

    def _fill_tags(self, analysis: Analysis) -> None:
        self.annotations_chart.set_data(annotation_bars(analysis))
        self.coverage_chart.set_data(coverage_bars(analysis))
        self.tags_chart.refresh()
        fill_rows(self.tags_table, tag_table_rows(analysis), [t.colour for t in analysis.per_tag])

    def _fill_matrix(self, analysis: Analysis) -> None:
        own = {t.tag_id: t.sentences for t in analysis.per_tag}
        self.matrix_chart.set_data(matrix_tags(analysis), analysis.cooccurrence, own)
        rows = pair_table_rows(analysis)
        fill_rows(self.matrix_table, rows, [""] * len(rows))

    def _fill_timeline(self, analysis: Analysis) -> None:
        stacked = timeline_tags(analysis)
        periods = continuous_months(analysis.over_time)
        self.timeline_chart.set_data(stacked, periods)
        columns = timeline_columns(stacked, periods)
        set_headers(self.timeline_table, ["Month", *(t.name for t in columns), "Total"])
        rows = timeline_table_rows(columns, periods, self.timeline_chart.totals())
        fill_rows(self.timeline_table, rows, [""] * len(rows))
        set_header_swatches(self.timeline_table, [t.colour for t in columns])

    # -- slots ---------------------------------------------------------------------------------

    def on_scope_toggled(self, button: QRadioButton, checked: bool) -> None:
        """Count again for the scope just chosen."""
        if not checked:
            return
        self.scopeChanged.emit(self.scope())
        self.refresh()

    def on_export_png(self) -> None:
        """Write the visible chart as a PNG (twice its size on screen, for sharp print)."""
        chart = self.current_chart()
        path = self._ask_path("Export chart as PNG", chart, ".png", "PNG image (*.png)")
        if path is not None:
            self._write(path, lambda: save_png(chart, path))

    def on_export_svg(self) -> None:
        """Write the visible chart as an SVG drawing."""
        chart = self.current_chart()
        path = self._ask_path("Export chart as SVG", chart, ".svg", "SVG drawing (*.svg)")
        if path is not None:
            self._write(path, lambda: save_svg(chart, path))

    def on_export_csv(self) -> None:
        """Write every table of the analysis as CSV."""
        analysis = self._analysis
        if analysis is None:
            return
        path = self._ask_path("Export analysis as CSV", None, ".csv", "CSV table (*.csv)")
        if path is not None:
            self._write(path, lambda: write_text_atomically(path, stats_csv(analysis)))

    # -- helpers -------------------------------------------------------------------------------

    def _ask_path(
        self, caption: str, chart: Chart | None, suffix: str, file_filter: str
    ) -> Path | None:
        """Where to write: named after the analysis and the chart's tab ("-analysis" for all)."""
        title = self._analysis.title if self._analysis else "analysis"
        stem = export_stem(title, chart.property("slug") if chart else "analysis")
        return ask_export_path(self, caption, self.export_folder, stem, suffix, file_filter)

    def _write(self, path: Path, write: Callable[[], None]) -> None:
        """Write, then remember the folder for the next export and say what was written."""
        if write_export(self, path, write):
            self.export_folder = str(path.parent)
            self.exported.emit(path)
