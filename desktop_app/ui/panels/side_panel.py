"""The side panel: the codebook, the open document's annotations, and the note editor."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QListView,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.records import AnnotationRecord
from desktop_app.models.annotation_list_model import AnnotationListModel
from desktop_app.models.tag_list_model import TagListModel
from desktop_app.ui.panels.claim_fields import ClaimFieldsEditor
from desktop_app.ui.panels.delegates import AnnotationDelegate, TagDelegate
from desktop_app.ui.panels.note_editor import NoteEditor
from desktop_app.ui.panels.review_panel import ReviewPanel


class SidePanel(QWidget):
    """Codebook above, annotations in reading order below, the note of the selected one last.

    Signals:
        tagActivated(int): the tag on this row was clicked or chosen with Enter.
        addTagRequested(): the "New tag" button.
        annotationSelected(object): an AnnotationRecord, or None when the selection is cleared.
        deleteRequested(): Delete was pressed in the annotation list.
        readerRequested(): Enter or Escape in the annotation list: back to the article.
    """

    tagActivated = Signal(int)
    addTagRequested = Signal()
    annotationSelected = Signal(object)
    deleteRequested = Signal()
    readerRequested = Signal()

    def __init__(
        self,
        tag_model: TagListModel,
        annotation_model: AnnotationListModel,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("sidePanel")
        self.tag_model = tag_model
        self.annotation_model = annotation_model
        self._init_widgets()
        self._init_layout()
        self._connect_signals()
        self.fit_tag_list()

    def _init_widgets(self) -> None:
        self._init_tag_list()
        self._init_annotation_list()
        self.claim_fields = ClaimFieldsEditor()
        self.note_label = QLabel("Note")
        self.note_label.setObjectName("noteLabel")
        self.note_editor = NoteEditor()
        self.note_label.setBuddy(self.note_editor)
        self.note_editor.setMaximumHeight(140)
        self.review_model = AnnotationListModel(
            self.annotation_model.tag, self, keep=lambda record: record.needs_attention
        )
        self.review_panel = ReviewPanel(self.review_model)
        self.annotations_label = QLabel("Annotations")
        self.annotations_label.setObjectName("sectionLabel")
        self._codebook_label = QLabel("Codebook")
        self._codebook_label.setObjectName("sectionLabel")

    def _init_tag_list(self) -> None:
        """The codebook, a row per tag, and the button that adds one."""
        self.tag_list = QListView()
        self.tag_list.setObjectName("tagList")
        self.tag_list.setModel(self.tag_model)
        self.tag_list.setItemDelegate(TagDelegate(self.tag_list))
        self.tag_list.setMouseTracking(True)
        self.tag_list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tag_list.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.tag_list.setAccessibleName("Codebook")
        self.add_tag_button = QPushButton("New tag…")
        self.add_tag_button.setObjectName("addTagButton")
        self.add_tag_button.setToolTip("Add a tag to the codebook (it gets the next number key)")

    def _init_annotation_list(self) -> None:
        """The open document's annotations as cards, in reading order."""
        self.annotation_list = QListView()
        self.annotation_list.setObjectName("annotationList")
        self.annotation_list.setModel(self.annotation_model)
        self.annotation_list.setItemDelegate(
            AnnotationDelegate(self.annotation_model.tags_of, self.annotation_list)
        )
        self.annotation_list.setMouseTracking(True)
        self.annotation_list.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.annotation_list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.annotation_list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.annotation_list.setAccessibleName("Annotations")
        self.annotation_list.setUniformItemSizes(True)  # O(1) layout with 10,000 cards

    def _init_layout(self) -> None:
        header = QHBoxLayout()
        header.addWidget(self._codebook_label)
        header.addStretch(1)
        header.addWidget(self.add_tag_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(6)
        layout.addLayout(header)
        layout.addWidget(self.tag_list, 0)
        layout.addSpacing(8)
        layout.addWidget(self.review_panel)
        layout.addWidget(self.annotations_label)
        layout.addWidget(self.annotation_list, 1)
        layout.addWidget(self.claim_fields)
        layout.addWidget(self.note_label)
        layout.addWidget(self.note_editor)

    def _connect_signals(self) -> None:
        # clicked, not activated: activated also fires on double-click (or on a single click in
        # some styles), which would toggle the tag twice.
        self.tag_list.clicked.connect(self.on_tag_clicked)
        self.annotation_list.clicked.connect(lambda _index: self.readerRequested.emit())
        self.add_tag_button.clicked.connect(self.addTagRequested)
        self.annotation_list.selectionModel().currentChanged.connect(self.on_annotation_current)
        self.annotation_model.modelReset.connect(self.on_annotations_reset)
        self.annotation_model.rowsInserted.connect(self._update_annotations_label)
        self.annotation_model.rowsRemoved.connect(self._update_annotations_label)
        self.tag_model.modelReset.connect(self.fit_tag_list)
        for widget, key, slot in (
            (self.annotation_list, Qt.Key.Key_Delete, self.deleteRequested.emit),
            (self.annotation_list, Qt.Key.Key_Return, self.readerRequested.emit),
            (self.annotation_list, Qt.Key.Key_Enter, self.readerRequested.emit),
            (self.annotation_list, Qt.Key.Key_Escape, self.readerRequested.emit),
            (self.tag_list, Qt.Key.Key_Return, self._toggle_current_tag),
            (self.tag_list, Qt.Key.Key_Enter, self._toggle_current_tag),
            (self.tag_list, Qt.Key.Key_Space, self._toggle_current_tag),
        ):
            shortcut = QShortcut(QKeySequence(key), widget)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(slot)

    def _toggle_current_tag(self) -> None:
        index = self.tag_list.currentIndex()
        if index.isValid():
            self.on_tag_clicked(index)

    def on_tag_clicked(self, index: QModelIndex) -> None:
        self.tagActivated.emit(self.tag_model.tag_at(index.row()).id)

    def on_annotation_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        record = self.annotation_model.record_at(current.row()) if current.isValid() else None
        if record is None:
            self.note_editor.load(None, None)
        else:
            self.note_editor.load(record.id, record.note)
        self.claim_fields.load(record)
        self.annotationSelected.emit(record)

    def on_annotations_reset(self) -> None:
        self.note_editor.load(None, None)
        self.claim_fields.load(None)
        self._update_annotations_label()

    def _update_annotations_label(self) -> None:
        count = self.annotation_model.rowCount()
        self.annotations_label.setText(f"Annotations · {count}" if count else "Annotations")

    def fit_tag_list(self) -> None:
        """Size the codebook to its rows (up to ten) so the annotation list gets the rest."""
        rows = max(1, min(self.tag_model.rowCount(), 10))
        row_height = self.tag_list.sizeHintForRow(0) if self.tag_model.rowCount() else 32
        self.tag_list.setFixedHeight(rows * row_height + 2 * self.tag_list.frameWidth() + 2)

    def selected_annotation(self) -> AnnotationRecord | None:
        """The annotation selected in the list, or None."""
        index = self.annotation_list.currentIndex()
        if not index.isValid() or not self.annotation_list.selectionModel().isSelected(index):
            return None
        return self.annotation_model.record_at(index.row())

    def select_annotation(self, annotation_id: int | None) -> None:
        """Select an annotation's row (None clears) without moving keyboard focus."""
        selection = self.annotation_list.selectionModel()
        row = None if annotation_id is None else self.annotation_model.row_of(annotation_id)
        if row is None:
            selection.clearSelection()
            selection.setCurrentIndex(QModelIndex(), QItemSelectionModel.SelectionFlag.Clear)
            return
        index = self.annotation_model.index(row, 0)
        selection.setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        self.annotation_list.scrollTo(index)
