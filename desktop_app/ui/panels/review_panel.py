"""The review list: annotations carried to a new version that the reader must confirm or place.

Each card shows what the annotation quoted in the older version and what re-anchoring found in
this one ("needs review"), or that nothing close enough was found ("orphaned"). Nothing here is
drawn in the article as settled until the reader confirms it, moves it, or deletes it.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QFontMetrics, QKeySequence, QPainter, QPalette, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QListView,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.records import ANCHOR_ORPHANED, AnnotationRecord
from desktop_app.models.annotation_list_model import AnnotationListModel, AnnotationRole
from desktop_app.ui.panels.delegates import PAD, paint_row_background
from desktop_app.ui.reader.reading_style import colours_for

Index = QModelIndex | QPersistentModelIndex


class ReviewDelegate(QStyledItemDelegate):
    """A review card: status, the old quote, and the candidate in this version."""

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        return QSize(200, 3 * QFontMetrics(option.font).lineSpacing() + 2 * PAD)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        painter.save()
        paint_row_background(painter, option)
        record: AnnotationRecord = index.data(AnnotationRole.Record)
        rect = option.rect.adjusted(PAD + 4, PAD, -PAD, -PAD)
        metrics = QFontMetrics(option.font)
        line = metrics.lineSpacing()
        orphaned = record.anchor_status == ANCHOR_ORPHANED
        badge = QFont(option.font)
        badge.setWeight(QFont.Weight.DemiBold)
        painter.setFont(badge)
        scheme = colours_for(option.palette)
        painter.setPen(QColor(scheme.error if orphaned else scheme.warning))
        status = (
            "Orphaned: not found in this version"
            if orphaned
            else f"Needs review · match {record.anchor_score:.0%}"
        )
        painter.drawText(rect.adjusted(0, 0, 0, -2 * line), Qt.AlignmentFlag.AlignLeft, status)
        painter.setFont(option.font)
        painter.setPen(option.palette.color(QPalette.ColorRole.Text))
        was = " ".join((record.previous_exact or record.exact).split())
        width = rect.width()
        painter.drawText(
            rect.adjusted(0, line, 0, -line),
            Qt.AlignmentFlag.AlignLeft,
            metrics.elidedText(f"was: {was}", Qt.TextElideMode.ElideRight, width),
        )
        painter.setPen(option.palette.color(QPalette.ColorRole.PlaceholderText))
        now = "select its new place and press Place" if orphaned else " ".join(record.exact.split())
        painter.drawText(
            rect.adjusted(0, 2 * line, 0, 0),
            Qt.AlignmentFlag.AlignLeft,
            metrics.elidedText(f"now: {now}", Qt.TextElideMode.ElideRight, width),
        )
        painter.restore()


class ReviewPanel(QWidget):
    """The list of annotations to review, with Confirm, Place and Delete.

    `model` holds only those annotations (an AnnotationListModel that keeps
    `needs_attention` ones), fed by the reading controller like the main list.

    Signals:
        selected(object): the AnnotationRecord chosen in the list (or None).
        confirmRequested(object): accept the candidate of a "needs review" annotation.
        placeRequested(object): move the annotation to the reader's selection.
        deleteRequested(object): delete the annotation.
    """

    selected = Signal(object)
    confirmRequested = Signal(object)
    placeRequested = Signal(object)
    deleteRequested = Signal(object)

    def __init__(self, model: AnnotationListModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reviewPanel")
        self.model = model
        self._init_widgets()
        self._init_layout()
        self._connect_signals()
        self._update()

    def _init_widgets(self) -> None:
        self.label = QLabel("To review")
        self.label.setObjectName("sectionLabel")
        self.list = QListView()
        self.list.setObjectName("reviewList")
        self.list.setModel(self.model)
        self.list.setItemDelegate(ReviewDelegate(self.list))
        self.list.setUniformItemSizes(True)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.setAccessibleName("Annotations to review")
        self.confirm_button = QPushButton("Confirm")
        self.confirm_button.setToolTip("Keep the annotation where it was found (Enter)")
        self.place_button = QPushButton("Place at selection")
        self.place_button.setToolTip("Select its text in the article first")
        self.delete_button = QPushButton("Delete")

    def _init_layout(self) -> None:
        buttons = QHBoxLayout()
        buttons.addWidget(self.confirm_button)
        buttons.addWidget(self.place_button)
        buttons.addStretch(1)
        buttons.addWidget(self.delete_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 8)
        layout.setSpacing(4)
        layout.addWidget(self.label)
        layout.addWidget(self.list)
        layout.addLayout(buttons)

    def _connect_signals(self) -> None:
        for signal in (self.model.rowsInserted, self.model.rowsRemoved, self.model.modelReset):
            signal.connect(self._update)
        self.model.dataChanged.connect(self._update)
        self.list.selectionModel().currentChanged.connect(self.on_current_changed)
        self.confirm_button.clicked.connect(lambda: self._emit(self.confirmRequested))
        self.place_button.clicked.connect(lambda: self._emit(self.placeRequested))
        self.delete_button.clicked.connect(lambda: self._emit(self.deleteRequested))
        for key, signal in (
            (Qt.Key.Key_Return, self.confirmRequested),
            (Qt.Key.Key_Enter, self.confirmRequested),
            (Qt.Key.Key_Delete, self.deleteRequested),
        ):
            shortcut = QShortcut(QKeySequence(key), self.list)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(lambda s=signal: self._emit(s))

    def _record(self, index: QModelIndex) -> AnnotationRecord | None:
        return index.data(AnnotationRole.Record) if index.isValid() else None

    def current(self) -> AnnotationRecord | None:
        """The annotation chosen in the list, or the first one."""
        record = self._record(self.list.currentIndex())
        if record is None and self.model.rowCount():
            record = self._record(self.model.index(0, 0))
        return record

    def _emit(self, signal: object) -> None:
        record = self.current()
        if record is not None:
            signal.emit(record)  # type: ignore[attr-defined]

    def _update(self) -> None:
        count = self.model.rowCount()
        self.setVisible(count > 0)
        self.label.setText(f"To review · {count}")
        rows = max(1, min(count, 3))
        height = self.list.sizeHintForRow(0) if count else 40
        self.list.setFixedHeight(rows * height + 2 * self.list.frameWidth() + 2)
        self._update_buttons()

    def on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        """Show the chosen annotation; an orphan has no candidate to confirm."""
        self._update_buttons()
        self.selected.emit(self._record(current))

    def _update_buttons(self) -> None:
        current = self.current()
        self.confirm_button.setEnabled(
            current is not None and current.anchor_status != ANCHOR_ORPHANED
        )
