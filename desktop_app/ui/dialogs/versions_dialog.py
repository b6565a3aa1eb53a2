"""The versions view: what changed between two versions of an article, sentence by sentence,
beside the annotations carried to the newer one that wait for the reader's decision.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from desktop_app.core.anchors import anchor_for
from desktop_app.core.records import ANCHOR_ORPHANED, AnnotationRecord, DocumentSummary
from desktop_app.core.text_diff import SentenceChange, compare_sentences
from desktop_app.ui.reader.reading_style import colours_for

if TYPE_CHECKING:
    from PySide6.QtGui import QUndoStack

    from desktop_app.models.document_session import DocumentSession

# Mark and label of each kind of change; the background comes from the colour scheme.
CHANGE_LOOK = {
    "added": ("+", "Added"),
    "removed": ("−", "Removed"),
    "edited": ("~", "Edited"),
    "same": (" ", "Unchanged"),
}
ROLE_CHANGE = Qt.ItemDataRole.UserRole + 1
ROLE_RECORD = Qt.ItemDataRole.UserRole + 2


def _flat(text: str) -> str:
    return " ".join(text.split())


class VersionsDialog(QDialog):
    """Two versions side by side as a list of sentence changes, and the review of annotations."""

    def __init__(
        self,
        session: DocumentSession,
        undo_stack: QUndoStack,
        document_id: int,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Versions")
        self.setObjectName("versionsDialog")
        self.resize(1000, 640)
        self._session = session
        self._undo_stack = undo_stack
        self._versions: list[DocumentSummary] = session.library.versions(document_id)
        self._changes: list[SentenceChange] = []
        self._init_widgets()
        self._init_layout()
        self._connect_signals()
        self.refresh()

    def _init_widgets(self) -> None:
        self.old_box = QComboBox()
        self.new_box = QComboBox()
        for box in (self.old_box, self.new_box):
            for summary in self._versions:
                box.addItem(f"Version {summary.version_number} · {summary.title}", summary.id)
        self.old_box.setCurrentIndex(max(0, len(self._versions) - 2))
        self.new_box.setCurrentIndex(len(self._versions) - 1)
        self.show_unchanged = QCheckBox("Show unchanged sentences")
        self.summary_label = QLabel("")
        self.changes = QListWidget()
        self.changes.setObjectName("changesList")
        self.changes.setWordWrap(True)
        self.changes.setSpacing(3)
        self.changes.setAccessibleName("Sentence changes")
        self.review = QListWidget()
        self.review.setObjectName("versionReviewList")
        self.review.setWordWrap(True)
        self.review.setSpacing(3)
        self.review.setAccessibleName("Annotations to review")
        self.confirm_button = QPushButton("Confirm")
        self.move_button = QPushButton("Move to selected sentence")
        self.delete_button = QPushButton("Delete")
        self._close_box = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)

    def _init_layout(self) -> None:
        header = QHBoxLayout()
        header.addWidget(QLabel("Compare"))
        header.addWidget(self.old_box, 1)
        header.addWidget(QLabel("with"))
        header.addWidget(self.new_box, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self._changes_column())
        splitter.addWidget(self._review_column())
        splitter.setSizes([600, 400])
        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(splitter, 1)
        layout.addWidget(self._close_box)

    def _changes_column(self) -> QWidget:
        """The left of the splitter: the count of changes, the changes, the unchanged switch."""
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.summary_label)
        left_layout.addWidget(self.changes, 1)
        left_layout.addWidget(self.show_unchanged)
        return left

    def _review_column(self) -> QWidget:
        """The right of the splitter: the annotations to review and what to do with them."""
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(QLabel("Annotations to review in the newer version"))
        right_layout.addWidget(self.review, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.confirm_button)
        buttons.addWidget(self.move_button)
        buttons.addWidget(self.delete_button)
        right_layout.addLayout(buttons)
        return right

    def _connect_signals(self) -> None:
        self._close_box.rejected.connect(self.reject)
        self.old_box.currentIndexChanged.connect(self.refresh)
        self.new_box.currentIndexChanged.connect(self.refresh)
        self.show_unchanged.toggled.connect(self._fill_changes)
        self.confirm_button.clicked.connect(self.confirm_selected)
        self.move_button.clicked.connect(self.move_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        self.review.currentItemChanged.connect(lambda *_: self._update_buttons())
        # Any push, undo or redo (here or Ctrl+Z in the main window) may settle or unsettle an
        # annotation under review: the list follows the undo stack.
        self._undo_stack.indexChanged.connect(self.on_undo_index_changed)
        self.changes.currentItemChanged.connect(lambda *_: self._update_buttons())
        confirm = QShortcut(QKeySequence(Qt.Key.Key_Return), self.review)
        confirm.setContext(Qt.ShortcutContext.WidgetShortcut)
        confirm.activated.connect(self.confirm_selected)

    # -- filling -------------------------------------------------------------------------------

    def _id(self, box: QComboBox) -> int:
        return int(box.currentData())

    def refresh(self) -> None:
        """Recompute the sentence changes and the review list for the chosen versions."""
        library = self._session.library
        old = library.document(self._id(self.old_box))
        new = library.document(self._id(self.new_box))
        self._old_text, self._new_text = old.text, new.text
        self._changes = compare_sentences(old.text, new.text)
        counts = {kind: sum(1 for c in self._changes if c.kind == kind) for kind in CHANGE_LOOK}
        self.summary_label.setText(
            f"{counts['edited']} edited · {counts['added']} added · "
            f"{counts['removed']} removed · {counts['same']} unchanged"
        )
        self._fill_changes()
        self._fill_review()

    def _fill_changes(self) -> None:
        self.changes.clear()
        for change in self._changes:
            if change.kind == "same" and not self.show_unchanged.isChecked():
                continue
            mark, label = CHANGE_LOOK[change.kind]
            old = _flat(self._old_text[slice(*change.old_span)]) if change.old_span else ""
            new = _flat(self._new_text[slice(*change.new_span)]) if change.new_span else ""
            text = {
                "added": f"{mark}  {new}",
                "removed": f"{mark}  {old}",
                "edited": f"{mark}  was: {old}\n    now: {new}",
                "same": f"   {new}",
            }[change.kind]
            item = QListWidgetItem(text)
            if change.kind != "same":
                scheme = colours_for(self.palette())
                colour = {"added": scheme.added, "removed": scheme.removed}.get(
                    change.kind, scheme.edited
                )
                item.setBackground(QBrush(QColor(colour)))
            item.setData(ROLE_CHANGE, change)
            item.setToolTip(label)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{label}: {new or old}")
            self.changes.addItem(item)

    def on_undo_index_changed(self, _index: int) -> None:
        """A bound slot, so Qt drops the connection when the dialog goes (a lambda would
        outlive it and touch deleted widgets)."""
        self._fill_review()

    def _fill_review(self) -> None:
        self.review.clear()
        new_id = self._id(self.new_box)
        for record in self._session.library.annotations_of(new_id):
            if not record.needs_attention:
                continue
            was = _flat(record.previous_exact or record.exact)
            if record.anchor_status == ANCHOR_ORPHANED:
                text = f"Orphaned\nwas: {was}\nnot found: choose a sentence and Move"
            else:
                text = (
                    f"Needs review ({record.anchor_score:.0%})\nwas: {was}\n"
                    f"now: {_flat(record.exact)}"
                )
            item = QListWidgetItem(text)
            item.setData(ROLE_RECORD, record)
            self.review.addItem(item)
        self._update_buttons()

    def _update_buttons(self) -> None:
        record = self._selected_record()
        change = self._selected_change()
        self.confirm_button.setEnabled(
            record is not None and record.anchor_status != ANCHOR_ORPHANED
        )
        self.move_button.setEnabled(
            record is not None and change is not None and change.new_span is not None
        )
        self.delete_button.setEnabled(record is not None)

    def _selected_record(self) -> AnnotationRecord | None:
        item = self.review.currentItem()
        return None if item is None else item.data(ROLE_RECORD)

    def _selected_change(self) -> SentenceChange | None:
        item = self.changes.currentItem()
        return None if item is None else item.data(ROLE_CHANGE)

    # -- actions -------------------------------------------------------------------------------

    def confirm_selected(self) -> None:
        """Keep the selected annotation where re-anchoring found it."""
        from desktop_app.commands.annotation_commands import PlaceAnnotationCommand

        record = self._selected_record()
        if record is None or record.anchor_status == ANCHOR_ORPHANED:
            return
        anchor = anchor_for(self._new_text, record.start, record.end)
        self._undo_stack.push(PlaceAnnotationCommand(self._session, record, anchor, "confirmed"))

    def move_selected(self) -> None:
        """Move the selected annotation onto the sentence chosen in the list of changes."""
        from desktop_app.commands.annotation_commands import PlaceAnnotationCommand

        record = self._selected_record()
        change = self._selected_change()
        if record is None or change is None or change.new_span is None:
            return
        anchor = anchor_for(self._new_text, *change.new_span)
        self._undo_stack.push(PlaceAnnotationCommand(self._session, record, anchor, "moved"))

    def delete_selected(self) -> None:
        """Delete the selected annotation (undoable from the main window)."""
        from desktop_app.commands.annotation_commands import DeleteAnnotationCommand

        record = self._selected_record()
        if record is not None:
            self._undo_stack.push(DeleteAnnotationCommand(self._session, record))
