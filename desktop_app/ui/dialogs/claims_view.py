"""The claims review (Ctrl+R): every annotation of the library in a sortable, filterable table.

Filters: tag (a parent includes its children), words in the quote or note, stance, speaker,
check-worthiness and article. Enter opens an annotation in its article; several selected
annotations can be retagged or deleted at once, as one undo step.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop_app.commands.annotation_commands import DeleteAnnotationCommand, SetTagsCommand
from desktop_app.core.records import STANCES, AnnotationRecord
from desktop_app.models.claims_model import ClaimFilter, ClaimsFilter, ClaimsModel, Column
from desktop_app.models.document_session import DocumentSession
from desktop_app.ui.panels.claim_fields import STANCE_LABELS

ALL = "all"
UNTAGGED = "untagged"


class ClaimsDialog(QDialog):
    """The library's claims, filtered; opening one shows it in the reader."""

    def __init__(
        self,
        session: DocumentSession,
        undo_stack: QUndoStack,
        open_annotation: Callable[[AnnotationRecord], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Claims")
        self.setObjectName("claimsDialog")
        self.resize(1100, 620)
        self._session = session
        self._undo_stack = undo_stack
        self._open_annotation = open_annotation
        self.model = ClaimsModel(lambda: session.tags, self._titles, self)
        self.proxy = ClaimsFilter(self)
        self.proxy.setSourceModel(self.model)
        self._init_widgets()
        self._init_layout()
        self._connect_signals()
        self.reload()

    def _init_widgets(self) -> None:
        self._init_filters()
        self._init_table()
        self.count_label = QLabel("")
        self.open_button = QPushButton("&Open")
        self.add_tag_button = QPushButton("&Add tag…")
        self.remove_tag_button = QPushButton("&Remove tag…")
        self.delete_button = QPushButton("&Delete")
        # Typing in a text filter waits for a pause before filtering the whole library again.
        self._refilter_timer = QTimer(self)
        self._refilter_timer.setSingleShot(True)
        self._refilter_timer.setInterval(150)

    def _init_filters(self) -> None:
        """The row of filters above the table: article, tag, words, stance, speaker, check."""
        self.scope = QComboBox()
        self.scope.addItem("The whole library", None)
        self.tag = QComboBox()
        self.words = QLineEdit()
        self.words.setPlaceholderText("words in the quote or note")
        self.words.setClearButtonEnabled(True)
        self.stance = QComboBox()
        self.stance.addItem("any stance", "")
        for stance in STANCES:
            self.stance.addItem(STANCE_LABELS[stance], stance)
        self.speaker = QLineEdit()
        self.speaker.setPlaceholderText("speaker")
        self.speaker.setClearButtonEnabled(True)
        self.check = QComboBox()
        self.check.addItem("any check-worthiness", 0)
        for level in range(1, 6):
            self.check.addItem(f"check-worthiness ≥ {level}", level)

    def _init_table(self) -> None:
        self.table = QTableView()
        self.table.setObjectName("claimsTable")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(Column.Article, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(Column.Quote, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(Column.Note, QHeaderView.ResizeMode.Interactive)
        for column, width in self._column_widths().items():
            self.table.setColumnWidth(column, width)
        self.table.setAccessibleName("Claims")

    def _column_widths(self) -> dict[Column, int]:
        """Narrow columns for short values, so the quote (which stretches) gets the room."""
        metrics = self.table.fontMetrics()
        return {
            Column.Article: 170,
            Column.Tags: 130,
            Column.Stance: metrics.horizontalAdvance("supports") + 28,
            Column.Speaker: 120,
            Column.Check: metrics.horizontalAdvance("Check") + 28,
            Column.Note: 190,
            Column.Created: metrics.horizontalAdvance("2026-12-03 23:59") + 20,
        }

    def _init_layout(self) -> None:
        filters = QHBoxLayout()
        for widget in (self.scope, self.tag, self.words, self.stance, self.speaker, self.check):
            filters.addWidget(widget)
        filters.setStretch(2, 2)
        actions = QHBoxLayout()
        actions.addWidget(self.count_label, 1)
        for button in (self.open_button, self.add_tag_button, self.remove_tag_button):
            actions.addWidget(button)
        actions.addSpacing(16)
        actions.addWidget(self.delete_button)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addLayout(actions)

    def _connect_signals(self) -> None:
        self._refilter_timer.timeout.connect(self.apply_filter)
        for combo in (self.scope, self.tag, self.stance, self.check):
            combo.currentIndexChanged.connect(lambda _index: self.apply_filter())
        for field in (self.words, self.speaker):
            field.textChanged.connect(lambda _text: self._refilter_timer.start())
        self.table.doubleClicked.connect(lambda _index: self.open_current())
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.proxy.rowsInserted.connect(lambda *_: self._update_count())
        self.proxy.rowsRemoved.connect(lambda *_: self._update_count())
        self.proxy.modelReset.connect(self._update_count)
        self.proxy.layoutChanged.connect(self._update_count)
        self.open_button.clicked.connect(self.open_current)
        self.add_tag_button.clicked.connect(lambda: self.retag(add=True))
        self.remove_tag_button.clicked.connect(lambda: self.retag(add=False))
        self.delete_button.clicked.connect(self.delete_selected)
        for key, slot in (
            (Qt.Key.Key_Return, self.open_current),
            (Qt.Key.Key_Delete, self.delete_selected),
        ):
            shortcut = QShortcut(QKeySequence(key), self.table)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(slot)
        session = self._session
        session.annotationStored.connect(self.model.apply)
        session.tagsChanged.connect(self._on_codebook_changed)
        session.libraryChanged.connect(self.reload)

    # -- content -------------------------------------------------------------------------------

    def _titles(self) -> dict[int, str]:
        return {d.id: d.title for d in self._session.library.documents(all_versions=True)}

    def reload(self) -> None:
        """Read every annotation of the library again (the library itself changed)."""
        self._fill_scope()
        self._fill_tags()
        self.model.set_annotations(self._latest_annotations())
        self.apply_filter()

    def _latest_annotations(self) -> list[AnnotationRecord]:
        """The annotations of each article's latest version: an earlier version's copies would
        list every carried claim twice (analysis and search skip them too)."""
        library = self._session.library
        latest = {document.id for document in library.documents()}
        return [a for a in library.all_annotations() if a.document_id in latest]

    def _on_codebook_changed(self) -> None:
        self._fill_tags()
        self.model.set_annotations(self._latest_annotations())
        self.apply_filter()

    def _fill_scope(self) -> None:
        current = self.scope.currentData()
        self.scope.blockSignals(True)
        self.scope.clear()
        self.scope.addItem("The whole library", None)
        for document in self._session.library.documents():
            self.scope.addItem(document.title, document.id)
        index = self.scope.findData(current)
        self.scope.setCurrentIndex(max(0, index))
        self.scope.blockSignals(False)

    def _fill_tags(self) -> None:
        current = self.tag.currentData()
        self.tag.blockSignals(True)
        self.tag.clear()
        self.tag.addItem("any tag", ALL)
        by_id = {t.id: t for t in self._session.tags}
        for tag in self._session.tags:
            parent, level = tag.parent_id, 0
            while parent is not None and parent in by_id and level < len(by_id):
                level += 1
                parent = by_id[parent].parent_id
            self.tag.addItem(("   " * level) + tag.name, tag.id)
        self.tag.addItem("untagged", UNTAGGED)
        index = self.tag.findData(current)
        self.tag.setCurrentIndex(max(0, index))
        self.tag.blockSignals(False)

    def set_scope(self, document_id: int | None) -> None:
        """Show one article's annotations (None: the library's)."""
        self.scope.setCurrentIndex(max(0, self.scope.findData(document_id)))

    def apply_filter(self) -> None:
        """Filter by what the fields say now."""
        tag = self.tag.currentData()
        criteria = ClaimFilter(
            tag_ids=self.model.descendants(tag) if isinstance(tag, int) else set(),
            untagged=tag == UNTAGGED,
            words=self.words.text(),
            stance=str(self.stance.currentData() or ""),
            speaker=self.speaker.text().strip(),
            min_checkworthiness=int(self.check.currentData() or 0),
            document_id=self.scope.currentData(),
        )
        self.proxy.set_criteria(criteria)
        self._update_count()

    def _update_count(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        self.count_label.setText(
            f"{shown} of {total} claims" if shown != total else f"{total} claims"
        )
        self._update_buttons()

    def _update_buttons(self) -> None:
        chosen = len(self.selected())
        self.open_button.setEnabled(chosen == 1)
        for button in (self.add_tag_button, self.remove_tag_button, self.delete_button):
            button.setEnabled(chosen > 0)

    # -- actions -------------------------------------------------------------------------------

    def selected(self) -> list[AnnotationRecord]:
        """The annotations selected in the table."""
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return self.proxy.records(rows)

    def select_rows(self, rows: list[int]) -> None:
        """Select rows of the (filtered) table."""
        selection = self.table.selectionModel()
        selection.clearSelection()
        for row in rows:
            selection.select(
                self.proxy.index(row, 0),
                QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
            )

    def open_current(self) -> None:
        """Show the current annotation in its article."""
        index = self.table.currentIndex()
        if index.isValid():
            (record,) = self.proxy.records([index.row()])
            self._open_annotation(record)

    def retag(self, *, add: bool) -> None:
        """Add a tag to, or remove one from, every selected annotation (one undo step)."""
        records = self.selected()
        if not records:
            return
        tags = self._session.tags
        verb = "Add" if add else "Remove"
        name, accepted = QInputDialog.getItem(
            self,
            f"{verb} tag",
            f"{verb} which tag {'to' if add else 'from'} {len(records)} annotations?",
            [t.name for t in tags],
            0,
            False,
        )
        tag = next((t for t in tags if t.name == name), None)
        if not accepted or tag is None:
            return
        order = {t.id: t.position for t in tags}
        changes = []
        for record in records:
            current = set(record.tag_ids)
            wanted = current | {tag.id} if add else current - {tag.id}
            if wanted != current:
                changes.append((record, sorted(wanted, key=lambda t: order.get(t, 1 << 30))))
        if not changes:
            return
        self._undo_stack.beginMacro(f"{verb} “{tag.name}” on {len(changes)} annotations")
        try:
            for record, tag_ids in changes:
                self._undo_stack.push(
                    SetTagsCommand(self._session, record, tag_ids, verb, follow=False)
                )
        finally:
            self._undo_stack.endMacro()

    def delete_selected(self) -> None:
        """Delete every selected annotation (one undo step)."""
        records = self.selected()
        if not records:
            return
        self._undo_stack.beginMacro(f"Delete {len(records)} annotations")
        try:
            for record in records:
                self._undo_stack.push(DeleteAnnotationCommand(self._session, record, follow=False))
        finally:
            self._undo_stack.endMacro()
