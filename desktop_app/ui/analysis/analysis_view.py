"""The analysis window: how much of an article (or of the library) each tag covers, and with what.

The window does not count anything itself: it is given `compute(scope)`, which returns an
`Analysis` at once, or None when the caller counts in the background and will call
`show_analysis` later (counting the whole library segments every article, which takes a while).
Each chart sits beside a table with the same numbers, so figures can be read exactly and copied.

Export PNG… and Export SVG… write the picture of the visible tab (one picture a file, which is
what goes into a slide or a report; on "By tag" that is both bar charts, one above the other),
at its natural size and on white, whatever the window's size and colours. Export CSV… writes
every table (`stats_csv`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from itertools import pairwise
from pathlib import Path
from typing import Literal

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QFont, QIcon, QPalette, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.analysis import Analysis
from desktop_app.io.atomic_write import write_text_atomically
from desktop_app.io.exports import file_stem
from desktop_app.io.stats_export import stats_csv
from desktop_app.ui.analysis.charts import (
    Bar,
    BarChart,
    Chart,
    ChartGroup,
    CooccurrenceMatrix,
    Series,
    TimelineChart,
    count_text,
    percent_text,
    period_label,
    save_png,
    save_svg,
)
from desktop_app.ui.reader.reading_style import interface_font

Scope = Literal["document", "library"]
Compute = Callable[[Scope], Analysis | None]

MANY_TAGS_NOTE = "An annotation with several tags counts once for each of them."

Period = tuple[str, tuple[tuple[int, int], ...]]

_NUMBER = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_NAME = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def plural(count: int, word: str) -> str:
    """ "1 sentence", "20 sentences"."""
    return f"{count_text(count)} {word}{'' if count == 1 else 's'}"


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
    dated = [(int(m[1]), int(m[2])) for p, _ in over_time if (m := _MONTH.match(p))]
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
    return (*months, *((p, c) for p, c in over_time if not _MONTH.match(p)))


def counts_annotations_twice(analysis: Analysis) -> bool:
    """True when some annotation carries several of the stacked tags, so that stacks add up
    to more than the annotations (the header's count)."""
    stacked = {t.key for t in timeline_tags(analysis)}
    total = sum(t.annotations for t in analysis.per_tag if t.tag_id in stacked)
    return total > analysis.annotation_count


def _swatch(colour: str) -> QIcon:
    pixmap = QPixmap(12, 12)
    pixmap.fill(QColor(colour))
    return QIcon(pixmap)


def _table(headers: Sequence[str], name: str) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(list(headers))
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setTabKeyNavigation(False)  # Tab leaves the table, arrows move inside it
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.verticalHeader().setVisible(False)
    header = table.horizontalHeader()
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    first = table.horizontalHeaderItem(0)
    if first is not None:
        first.setTextAlignment(_NAME)
    for column in range(1, len(headers)):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        item = table.horizontalHeaderItem(column)
        if item is not None:
            item.setTextAlignment(_NUMBER)
    table.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
    table.setMinimumWidth(240)
    table.setMaximumWidth(380)
    return table


def _fill(table: QTableWidget, rows: Sequence[Sequence[object]], colours: Sequence[str]) -> None:
    """Rows of (name, numbers...); a colour gives the first cell a swatch ("" for none)."""
    table.setRowCount(len(rows))
    for row, (values, colour) in enumerate(zip(rows, colours, strict=True)):
        for column, value in enumerate(values):
            item = QTableWidgetItem(str(value))
            if column == 0:
                item.setToolTip(str(value))  # the full name when the column elides it
                if colour:
                    item.setIcon(_swatch(colour))
            else:
                item.setTextAlignment(_NUMBER)
            table.setItem(row, column, item)


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
        self._build(has_document)
        initial = scope if has_document else "library"
        self._scope_buttons[initial].setChecked(True)
        self._connect_signals()
        self.resize(1040, 660)
        if analysis is not None:
            self.show_analysis(analysis)
        else:
            self.refresh()

    # -- construction --------------------------------------------------------------------------

    def _build(self, has_document: bool) -> None:
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
        scope_row = QHBoxLayout()
        scope_label = QLabel("Count in:")
        scope_label.setBuddy(self.scope_document)
        scope_row.addWidget(scope_label)
        scope_row.addWidget(self.scope_document)
        scope_row.addWidget(self.scope_library)
        scope_row.addStretch(1)

        self.annotations_chart = BarChart("Annotations per tag", "annotations")
        self.coverage_chart = BarChart("Coverage per tag", "share of the sentences", percent=True)
        self.tags_chart = ChartGroup("Tags", [self.annotations_chart, self.coverage_chart])
        self.matrix_chart = CooccurrenceMatrix("Tags in the same sentence")
        self.timeline_chart = TimelineChart("Annotations per month of publication")
        self.tags_table = _table(("Tag", "Annotations", "Sentences", "Coverage"), "tagsTable")
        self.matrix_table = _table(("Tags", "Sentences"), "cooccurrenceTable")
        self.timeline_table = _table(("Month", "Total"), "timelineTable")
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

        self.png_button = QPushButton("Export &PNG…")
        self.svg_button = QPushButton("Export &SVG…")
        self.csv_button = QPushButton("Export &CSV…")
        self.close_button = QPushButton("Close")
        self.png_button.setToolTip("The chart on the visible tab, as an image")
        self.svg_button.setToolTip("The chart on the visible tab, as a vector drawing")
        self.csv_button.setToolTip("Every table, for a spreadsheet")
        self.close_button.setToolTip("Close (Esc)")
        buttons = QHBoxLayout()
        for button in (self.png_button, self.svg_button, self.csv_button):
            button.setAutoDefault(False)
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.close_button.setAutoDefault(False)
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

        chain: list[QWidget] = [
            self.scope_document,
            self.scope_library,
            self.tabs.tabBar(),
            *self._tables,
            self.png_button,
            self.svg_button,
            self.csv_button,
            self.close_button,
        ]
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)

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

    def _connect_signals(self) -> None:
        self.scopes.buttonToggled.connect(self.on_scope_toggled)
        self.png_button.clicked.connect(self.on_export_png)
        self.svg_button.clicked.connect(self.on_export_svg)
        self.csv_button.clicked.connect(self.on_export_csv)
        self.close_button.clicked.connect(self.reject)

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
        for button in (self.png_button, self.svg_button, self.csv_button):
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
        for button in (self.png_button, self.svg_button, self.csv_button):
            button.setEnabled(True)

    # -- filling -------------------------------------------------------------------------------

    def _fill_tags(self, analysis: Analysis) -> None:
        self.annotations_chart.set_data(annotation_bars(analysis))
        self.coverage_chart.set_data(coverage_bars(analysis))
        self.tags_chart.refresh()
        _fill(
            self.tags_table,
            [
                (
                    t.name,
                    count_text(t.annotations),
                    count_text(t.sentences),
                    percent_text(t.coverage),
                )
                for t in analysis.per_tag
            ],
            [t.colour for t in analysis.per_tag],
        )

    def _fill_matrix(self, analysis: Analysis) -> None:
        own = {t.tag_id: t.sentences for t in analysis.per_tag}
        self.matrix_chart.set_data(matrix_tags(analysis), analysis.cooccurrence, own)
        names = {t.tag_id: t.name for t in analysis.per_tag}
        pairs = sorted(analysis.cooccurrence, key=lambda pair: -pair[2])
        _fill(
            self.matrix_table,
            [(f"{names.get(a, a)} + {names.get(b, b)}", count_text(n)) for a, b, n in pairs],
            [""] * len(pairs),
        )

    def _fill_timeline(self, analysis: Analysis) -> None:
        stacked = timeline_tags(analysis)
        periods = continuous_months(analysis.over_time)
        self.timeline_chart.set_data(stacked, periods)
        counts = [dict(c) for _, c in periods]
        used = [t for t in stacked if any(c.get(t.key) for c in counts)]
        headers = ["Month", *(t.name for t in used), "Total"]
        self.timeline_table.setColumnCount(len(headers))
        self.timeline_table.setHorizontalHeaderLabels(headers)
        first = self.timeline_table.horizontalHeaderItem(0)
        if first is not None:
            first.setTextAlignment(_NAME)
        header = self.timeline_table.horizontalHeader()
        for column in range(1, len(headers)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
            item = self.timeline_table.horizontalHeaderItem(column)
            if item is not None:
                item.setTextAlignment(_NUMBER)
        rows = []
        for (period, _), period_counts, total in zip(
            periods, counts, self.timeline_chart.totals(), strict=True
        ):
            month, year = period_label(period)
            values = [count_text(period_counts.get(t.key, 0)) for t in used]
            rows.append((f"{month} {year}".strip(), *values, count_text(total)))
        _fill(self.timeline_table, rows, [""] * len(rows))
        for column, tag in enumerate(used, start=1):
            item = self.timeline_table.horizontalHeaderItem(column)
            if item is not None:
                item.setIcon(_swatch(tag.colour))

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
        title = self._analysis.title if self._analysis else "analysis"
        stem = file_stem(title) + (f"-{chart.property('slug')}" if chart else "-analysis")
        folder = Path(self.export_folder) if self.export_folder else Path.home()
        chosen, _ = QFileDialog.getSaveFileName(
            self, caption, str(folder / f"{stem}{suffix}"), file_filter
        )
        if not chosen:
            return None
        path = Path(chosen)
        if path.suffix.lower() != suffix:
            path = path.with_name(path.name + suffix)
        return path

    def _write(self, path: Path, write: Callable[[], None]) -> None:
        try:
            write()
        except OSError as error:
            QMessageBox.warning(
                self, "Export failed", f"Could not write {path}: {error.strerror or error}"
            )
            return
        self.export_folder = str(path.parent)
        self.exported.emit(path)
