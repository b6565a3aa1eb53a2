"""The library panel: every article in the library, filtered by title, opened with Enter."""

from __future__ import annotations

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QSize,
    Qt,
    Signal,
    SignalInstance,
)
from PySide6.QtGui import QFont, QFontMetrics, QKeySequence, QPainter, QPalette, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QLineEdit,
    QListView,
    QMenu,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.models.library_model import LibraryFilter, LibraryModel, LibraryRole
from desktop_app.ui.panels.delegates import PAD, paint_row_background

Index = QModelIndex | QPersistentModelIndex


class LibraryDelegate(QStyledItemDelegate):
    """A library row: the title, and under it site, date and counts."""

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        line = QFontMetrics(option.font).lineSpacing()
        return QSize(200, 2 * line + 2 * PAD)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        painter.save()
        paint_row_background(painter, option)
        rect = option.rect.adjusted(PAD + 4, PAD, -PAD, -PAD)
        font = QFont(option.font)
        font.setWeight(QFont.Weight.DemiBold)
        metrics = QFontMetrics(font)
        painter.setFont(font)
        painter.setPen(option.palette.color(QPalette.ColorRole.Text))
        title = index.data(Qt.ItemDataRole.DisplayRole) or ""
        painter.drawText(
            rect.adjusted(0, 0, 0, -metrics.lineSpacing()),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop,
            metrics.elidedText(title, Qt.TextElideMode.ElideRight, rect.width()),
        )
        small = QFont(option.font)
        small.setPointSizeF(option.font.pointSizeF() * 0.9)
        painter.setFont(small)
        painter.setPen(option.palette.color(QPalette.ColorRole.PlaceholderText))
        details = index.data(LibraryRole.Details) or ""
        painter.drawText(
            rect.adjusted(0, metrics.lineSpacing(), 0, 0),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop,
            QFontMetrics(small).elidedText(details, Qt.TextElideMode.ElideRight, rect.width()),
        )
        painter.restore()


class LibraryPanel(QWidget):
    """A filter field over the list of documents.

    Signals:
        documentActivated(int): open this document (click, Enter).
        renameRequested(int): F2 or the context menu.
        deleteRequested(int): Delete or the context menu.
        versionsRequested(int): the context menu's "Compare versions…".
    """

    documentActivated = Signal(int)
    renameRequested = Signal(int)
    deleteRequested = Signal(int)
    versionsRequested = Signal(int)

    def __init__(self, model: LibraryModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("libraryPanel")
        self.model = model
        self.proxy = LibraryFilter(self)
        self.proxy.setSourceModel(model)
        self._init_widgets()
        self._init_layout()
        self._connect_signals()

    def _init_widgets(self) -> None:
        self.filter_field = QLineEdit()
        self.filter_field.setObjectName("libraryFilter")
        self.filter_field.setPlaceholderText("Filter by title")
        self.filter_field.setClearButtonEnabled(True)
        self.list = QListView()
        self.list.setObjectName("libraryList")
        self.list.setModel(self.proxy)
        self.list.setItemDelegate(LibraryDelegate(self.list))
        self.list.setUniformItemSizes(True)
        self.list.setMouseTracking(True)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list.setAccessibleName("Library")
        self._section_label = QLabel("Library")
        self._section_label.setObjectName("sectionLabel")

    def _init_layout(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 6, 12)
        layout.setSpacing(6)
        layout.addWidget(self._section_label)
        layout.addWidget(self.filter_field)
        layout.addWidget(self.list, 1)

    def _connect_signals(self) -> None:
        self.filter_field.textChanged.connect(self.proxy.setFilterFixedString)
        self.filter_field.returnPressed.connect(self._activate_first_match)
        self.list.clicked.connect(lambda index: self._emit(self.documentActivated, index))
        self.list.customContextMenuRequested.connect(self._show_menu)
        for key, signal in (
            (Qt.Key.Key_Return, self.documentActivated),
            (Qt.Key.Key_Enter, self.documentActivated),
            (Qt.Key.Key_F2, self.renameRequested),
            (Qt.Key.Key_Delete, self.deleteRequested),
        ):
            shortcut = QShortcut(QKeySequence(key), self.list)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(lambda s=signal: self._emit(s, self.list.currentIndex()))

    def _emit(self, signal: SignalInstance, index: QModelIndex) -> None:
        if index.isValid():
            signal.emit(int(index.data(LibraryRole.DocumentId)))

    def _activate_first_match(self) -> None:
        if self.proxy.rowCount():
            self._emit(self.documentActivated, self.proxy.index(0, 0))

    def _show_menu(self, point: QPoint) -> None:
        index = self.list.indexAt(point)
        if not index.isValid():
            return
        menu = QMenu(self)
        menu.addAction("Open", lambda: self._emit(self.documentActivated, index))
        menu.addAction("Rename…", lambda: self._emit(self.renameRequested, index))
        menu.addAction("Compare versions…", lambda: self._emit(self.versionsRequested, index))
        menu.addSeparator()
        menu.addAction("Delete…", lambda: self._emit(self.deleteRequested, index))
        menu.exec(self.list.viewport().mapToGlobal(point))

    def select_document(self, document_id: int | None) -> None:
        """Highlight the open document's row (it stays findable when the filter hides it)."""
        row = None if document_id is None else self.model.row_of(document_id)
        if row is None:
            self.list.clearSelection()
            return
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if index.isValid():
            self.list.setCurrentIndex(index)
            self.list.scrollTo(index)
