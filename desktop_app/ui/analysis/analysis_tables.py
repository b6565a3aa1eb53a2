"""The tables beside the analysis charts: the same numbers, exact, selectable and copyable.

Read-only, one row selected at a time, names left and numbers right, a swatch of the tag's
colour where a row or column is a tag; Tab leaves a table (arrows move inside it), so the
keyboard goes from the tabs to the table to the buttons.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
)

NUMBER = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
NAME = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter


def swatch(colour: str) -> QIcon:
    """A small square of `colour`, the tag's mark in a table."""
    pixmap = QPixmap(12, 12)
    pixmap.fill(QColor(colour))
    return QIcon(pixmap)


def number_table(headers: Sequence[str], name: str) -> QTableWidget:
    """An empty table of a name column (which stretches) and number columns (which fit)."""
    table = QTableWidget(0, len(headers))
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(list(headers))
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setTabKeyNavigation(False)  # Tab leaves the table, arrows move inside it
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    _align_headers(table)
    table.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
    table.setMinimumWidth(240)
    table.setMaximumWidth(380)
    return table


def set_headers(table: QTableWidget, headers: Sequence[str]) -> None:
    """Give `table` new columns (the over-time table has one a tag in use)."""
    table.setColumnCount(len(headers))
    table.setHorizontalHeaderLabels(list(headers))
    _align_headers(table)


def set_header_swatches(table: QTableWidget, colours: Sequence[str], first: int = 1) -> None:
    """Mark the column headers from `first` on with the swatches of `colours`."""
    for column, colour in enumerate(colours, start=first):
        item = table.horizontalHeaderItem(column)
        if item is not None:
            item.setIcon(swatch(colour))


def fill_rows(
    table: QTableWidget, rows: Sequence[Sequence[object]], colours: Sequence[str]
) -> None:
    """Rows of (name, numbers...); a colour gives the first cell a swatch ("" for none)."""
    table.setRowCount(len(rows))
    for row, (values, colour) in enumerate(zip(rows, colours, strict=True)):
        for column, value in enumerate(values):
            item = QTableWidgetItem(str(value))
            if column == 0:
                item.setToolTip(str(value))  # the full name when the column elides it
                if colour:
                    item.setIcon(swatch(colour))
            else:
                item.setTextAlignment(NUMBER)
            table.setItem(row, column, item)


def _align_headers(table: QTableWidget) -> None:
    """The name column's header left, the number columns' right, each as wide as it needs."""
    first = table.horizontalHeaderItem(0)
    if first is not None:
        first.setTextAlignment(NAME)
    header = table.horizontalHeader()
    for column in range(1, table.columnCount()):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        item = table.horizontalHeaderItem(column)
        if item is not None:
            item.setTextAlignment(NUMBER)
