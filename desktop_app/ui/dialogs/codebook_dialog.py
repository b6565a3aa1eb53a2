"""The codebook editor: rename, recolour, describe, reorder, nest, merge and delete tags.

Every change is an undo command on the window's stack, so Ctrl+Z undoes it whether the editor
is open or not. The editor is not modal: the reader can keep tagging while it is open.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import (
    QColor,
    QIcon,
    QKeySequence,
    QPainter,
    QPixmap,
    QShortcut,
    QUndoCommand,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QColorDialog,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.commands.tag_commands import (
    DeleteTagCommand,
    MergeTagsCommand,
    MoveTagCommand,
    NestTagCommand,
    UpdateTagCommand,
)
from desktop_app.core.codebook import CodebookError
from desktop_app.core.records import TagRecord
from desktop_app.models.document_session import DocumentSession

TAG_ROLE = Qt.ItemDataRole.UserRole + 1


@dataclass(frozen=True, slots=True)
class TagAction:
    """One of the editor's buttons: its key in `CodebookDialog.buttons`, its label, what it
    does, and the shortcut that does the same (shown as the button's tooltip)."""

    key: str
    label: str
    slot: Callable[[], None]
    shortcut: str | None


def swatch(colour: str, size: int = 14) -> QIcon:
    """A small round colour swatch for a tag."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setBrush(QColor(colour))
    painter.setPen(QColor(colour).darker(130))
    painter.drawEllipse(1, 1, size - 2, size - 2)
    painter.end()
    return QIcon(pixmap)


def descendants(tags: Sequence[TagRecord], tag_id: int) -> set[int]:
    """Ids of every tag nested (at any depth) under `tag_id`."""
    found: set[int] = set()
    frontier = [tag_id]
    while frontier:
        parent = frontier.pop()
        for tag in tags:
            if tag.parent_id == parent and tag.id not in found:
                found.add(tag.id)
                frontier.append(tag.id)
    return found


class CodebookDialog(QDialog):
    """A tree of the codebook with the actions that change it."""

    def __init__(
        self,
        session: DocumentSession,
        undo_stack: QUndoStack,
        add_tag: Callable[[], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Codebook")
        self.setObjectName("codebookDialog")
        self.resize(720, 460)
        self._session = session
        self._undo_stack = undo_stack
        actions = self._actions(add_tag)
        self._init_widgets(actions)
        self._init_layout()
        self._connect_signals(actions)
        self.refresh()

    def _actions(self, add_tag: Callable[[], None]) -> list[TagAction]:
        """The column of buttons, top to bottom, with the key that does the same."""
        return [
            TagAction("new", "&New tag…", add_tag, "Ctrl+N"),
            TagAction("rename", "&Rename…", self.rename, "F2"),
            TagAction("colour", "&Colour…", self.recolour, None),
            TagAction("describe", "&Description…", self.describe, None),
            TagAction("up", "Move &up", lambda: self.move_tag(-1), "Alt+Up"),
            TagAction("down", "Move do&wn", lambda: self.move_tag(1), "Alt+Down"),
            TagAction("nest", "Ne&st under…", self.nest, None),
            TagAction("lift", "To &top level", self.lift, None),
            TagAction("merge", "&Merge into…", self.merge, None),
            TagAction("delete", "&Delete…", self.delete, "Delete"),
        ]

    def _init_widgets(self, actions: Sequence[TagAction]) -> None:
        self.tree = QTreeWidget()
        self.tree.setObjectName("codebookTree")
        self.tree.setColumnCount(4)
        self.tree.setHeaderLabels(["Key", "Tag", "Uses", "Description"])
        self.tree.setRootIsDecorated(True)
        self.tree.setTreePosition(1)  # nesting shows in the Tag column, keys stay aligned
        self.tree.setAlternatingRowColors(True)
        self.tree.setAccessibleName("Codebook")
        self.hint = QLabel("")
        self.hint.setWordWrap(True)
        self.hint.setObjectName("codebookHint")
        self.buttons: dict[str, QPushButton] = {}
        for action in actions:
            button = QPushButton(action.label)
            if action.shortcut is not None:
                button.setToolTip(action.shortcut)
            self.buttons[action.key] = button
        self._close_box = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)

    def _init_layout(self) -> None:
        column = QVBoxLayout()
        for button in self.buttons.values():
            column.addWidget(button)
        column.addStretch(1)
        body = QHBoxLayout()
        body.addWidget(self.tree, 1)
        body.addLayout(column)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addWidget(self.hint)
        layout.addWidget(self._close_box)

    def _connect_signals(self, actions: Sequence[TagAction]) -> None:
        for action in actions:
            self.buttons[action.key].clicked.connect(action.slot)
            if action.shortcut is not None:
                shortcut = QShortcut(QKeySequence(action.shortcut), self)
                shortcut.activated.connect(action.slot)
        self._close_box.rejected.connect(self.reject)
        self._session.tagsChanged.connect(self.refresh)
        self.tree.currentItemChanged.connect(lambda *_: self._update_buttons())

    # -- showing -------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Rebuild the tree from the codebook, keeping the selected tag selected."""
        selected = self.current()
        tags = self._session.tags
        counts = self._session.library.library_tag_counts()
        self.tree.clear()
        items: dict[int, QTreeWidgetItem] = {}
        for tag in tags:  # codebook order: parents come before their children's rows are used
            item = QTreeWidgetItem(
                [str(tag.key_number or ""), tag.name, str(counts.get(tag.id, 0)), tag.description]
            )
            item.setIcon(1, swatch(tag.colour))
            item.setData(0, TAG_ROLE, tag)
            item.setToolTip(1, tag.description or tag.name)
            items[tag.id] = item
        for tag in tags:
            parent = items.get(tag.parent_id) if tag.parent_id is not None else None
            if parent is not None:
                parent.addChild(items[tag.id])
            else:
                self.tree.addTopLevelItem(items[tag.id])
        self.tree.expandAll()
        for column in range(3):
            self.tree.resizeColumnToContents(column)
        if selected is not None and selected.id in items:
            self.tree.setCurrentItem(items[selected.id])
        elif tags:
            self.tree.setCurrentItem(items[tags[0].id])
        self.hint.setText(
            "The first nine tags have number keys (1–9) in the order shown. Ctrl+Z undoes "
            "any change. Deleting a tag keeps its annotations."
        )
        self._update_buttons()

    def current(self) -> TagRecord | None:
        """The tag selected in the tree."""
        item = self.tree.currentItem()
        return None if item is None else item.data(0, TAG_ROLE)

    def select(self, tag_id: int) -> None:
        """Select a tag's row."""
        for item in self._all_items():
            if item.data(0, TAG_ROLE).id == tag_id:
                self.tree.setCurrentItem(item)
                return

    def _all_items(self) -> list[QTreeWidgetItem]:
        found: list[QTreeWidgetItem] = []
        stack = [self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount())]
        while stack:
            item = stack.pop()
            if item is None:
                continue
            found.append(item)
            stack.extend(item.child(i) for i in range(item.childCount()))
        return found

    def _update_buttons(self) -> None:
        tag = self.current()
        tags = self._session.tags
        for key in ("rename", "colour", "describe", "delete", "nest", "merge"):
            self.buttons[key].setEnabled(tag is not None)
        self.buttons["up"].setEnabled(tag is not None and tag.position > 0)
        self.buttons["down"].setEnabled(tag is not None and tag.position < len(tags) - 1)
        self.buttons["lift"].setEnabled(tag is not None and tag.parent_id is not None)
        self.buttons["merge"].setEnabled(tag is not None and len(tags) > 1)

    def _push(self, command: QUndoCommand) -> None:
        try:
            self._undo_stack.push(command)
        except CodebookError as error:
            QMessageBox.warning(self, "Codebook", str(error))

    # -- actions -------------------------------------------------------------------------------

    def rename(self) -> None:
        tag = self.current()
        if tag is None:
            return
        name, accepted = QInputDialog.getText(self, "Rename tag", "Name:", text=tag.name)
        if accepted and " ".join(name.split()) and " ".join(name.split()) != tag.name:
            others = [t.name.casefold() for t in self._session.tags if t.id != tag.id]
            if " ".join(name.split()).casefold() in others:
                QMessageBox.warning(self, "Codebook", f"There is already a tag called “{name}”.")
                return
            self._push(UpdateTagCommand(self._session, tag, "name", name))

    def recolour(self) -> None:
        tag = self.current()
        if tag is None:
            return
        chosen = QColorDialog.getColor(QColor(tag.colour), self, f"Colour of “{tag.name}”")
        if chosen.isValid() and chosen.name() != tag.colour:
            self._push(UpdateTagCommand(self._session, tag, "colour", chosen.name()))

    def describe(self) -> None:
        tag = self.current()
        if tag is None:
            return
        text, accepted = QInputDialog.getMultiLineText(
            self, "Describe tag", f"What counts as “{tag.name}”:", tag.description
        )
        if accepted and text.strip() != tag.description:
            self._push(UpdateTagCommand(self._session, tag, "description", text))

    def move_tag(self, step: int) -> None:
        tag = self.current()
        if tag is None:
            return
        position = tag.position + step
        if 0 <= position < len(self._session.tags):
            self._push(MoveTagCommand(self._session, tag, position))

    def nest(self) -> None:
        tag = self.current()
        if tag is None:
            return
        excluded = descendants(self._session.tags, tag.id) | {tag.id}
        choices = [t for t in self._session.tags if t.id not in excluded]
        if not choices:
            return
        name, accepted = QInputDialog.getItem(
            self, "Nest tag", f"Put “{tag.name}” under:", [t.name for t in choices], 0, False
        )
        parent = next((t for t in choices if t.name == name), None)
        if accepted and parent is not None and parent.id != tag.parent_id:
            self._push(NestTagCommand(self._session, tag, parent.id))

    def lift(self) -> None:
        tag = self.current()
        if tag is not None and tag.parent_id is not None:
            self._push(NestTagCommand(self._session, tag, None))

    def merge(self) -> None:
        tag = self.current()
        if tag is None:
            return
        choices = [t for t in self._session.tags if t.id != tag.id]
        name, accepted = QInputDialog.getItem(
            self,
            "Merge tags",
            f"Merge “{tag.name}” into (its annotations get that tag instead):",
            [t.name for t in choices],
            0,
            False,
        )
        target = next((t for t in choices if t.name == name), None)
        if accepted and target is not None:
            self._push(MergeTagsCommand(self._session, tag, target))
            self.select(target.id)

    def delete(self) -> None:
        tag = self.current()
        if tag is None:
            return
        library = self._session.library
        used = library.annotations_with_tag(tag.id)
        if used:
            alone = sum(1 for a in library.all_annotations() if a.tag_ids == (tag.id,))
            kept = (
                f" {alone} of them would be left with no tag: they are kept, drawn in grey and "
                "listed under “Untagged” in the review."
                if alone
                else ""
            )
            answer = QMessageBox.question(
                self,
                "Delete tag",
                f"“{tag.name}” is used by {len(used)} annotation{'s' if len(used) != 1 else ''}."
                f"{kept} Delete the tag? Ctrl+Z brings it back.",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        self._push(DeleteTagCommand(self._session, tag))
