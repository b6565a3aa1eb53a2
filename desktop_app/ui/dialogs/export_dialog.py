"""The export dialog (Ctrl+E): which format, which articles, and for Markdown, which order."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.io.exports import FORMATS

Scope = Literal["document", "library", "each"]


@dataclass(frozen=True, slots=True)
class ExportChoice:
    """What the reader chose to export."""

    format_name: str
    scope: Scope
    grouping: Literal["reading", "tag"]


class ExportDialog(QDialog):
    """Pick a format and a scope; the file or folder is asked for next."""

    def __init__(
        self,
        has_document: bool,
        last_format: str = "markdown",
        last_scope: str = "document",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export annotated notes")
        self.setObjectName("exportDialog")
        self._has_document = has_document
        self._init_widgets(last_format, last_scope)
        self._init_layout()
        self._connect_signals()
        self._update()
        self.formats.setFocus()

    def _init_widgets(self, last_format: str, last_scope: str) -> None:
        self._init_formats(last_format)
        self._init_scopes(last_scope)
        self.grouping = QComboBox()
        self.grouping.addItem("in reading order", "reading")
        self.grouping.addItem("grouped by tag", "tag")
        self.hint = QLabel("")
        self.hint.setWordWrap(True)
        self.hint.setObjectName("exportHint")
        self._buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self._buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Export…")

    def _init_formats(self, last_format: str) -> None:
        """Every export format, the one used last chosen."""
        self.formats = QListWidget()
        self.formats.setObjectName("exportFormats")
        for export_format in FORMATS.values():
            item = QListWidgetItem(f"{export_format.label}  ({export_format.suffix})")
            item.setData(Qt.ItemDataRole.UserRole, export_format.name)
            self.formats.addItem(item)
        names = list(FORMATS)
        self.formats.setCurrentRow(names.index(last_format) if last_format in names else 0)
        self.formats.setMinimumWidth(420)

    def _init_scopes(self, last_scope: str) -> None:
        """The three scopes, the one used last chosen (the library when no article is open)."""
        self.scope_document = QRadioButton("&This article")
        self.scope_library = QRadioButton("The whole &library, in one file")
        self.scope_each = QRadioButton("&Each article to its own file (choose a folder)")
        self.scopes = QButtonGroup(self)
        for button, value in (
            (self.scope_document, "document"),
            (self.scope_library, "library"),
            (self.scope_each, "each"),
        ):
            button.setProperty("scope", value)
            self.scopes.addButton(button)
        initial = {
            "document": self.scope_document,
            "library": self.scope_library,
            "each": self.scope_each,
        }.get(last_scope, self.scope_document)
        initial.setChecked(True)
        if not self._has_document and initial is self.scope_document:
            self.scope_library.setChecked(True)

    def _init_layout(self) -> None:
        scope_box = QWidget()
        scope_layout = QVBoxLayout(scope_box)
        scope_layout.setContentsMargins(0, 0, 0, 0)
        for button in (self.scope_document, self.scope_library, self.scope_each):
            scope_layout.addWidget(button)
        form = QFormLayout(self)
        form.addRow("&Format:", self.formats)
        form.addRow("Articles:", scope_box)
        form.addRow("&Annotations:", self.grouping)
        form.addRow(self.hint)
        form.addRow(self._buttons)

    def _connect_signals(self) -> None:
        self._buttons.accepted.connect(self.accept)
        self._buttons.rejected.connect(self.reject)
        self.formats.currentRowChanged.connect(lambda _row: self._update())
        self.formats.itemActivated.connect(lambda _item: self.accept())

    def _format_name(self) -> str:
        item = self.formats.currentItem()
        return str(item.data(Qt.ItemDataRole.UserRole)) if item else "markdown"

    def _update(self) -> None:
        name = self._format_name()
        export_format = FORMATS[name]
        codebook = name == "qdc"  # the codebook is the library's, whatever the scope
        self.scope_document.setEnabled(self._has_document and not codebook)
        self.scope_library.setEnabled(not codebook)
        self.scope_each.setEnabled(export_format.per_document)
        if not export_format.per_document and self.scope_each.isChecked():
            self.scope_library.setChecked(True)
        self.grouping.setEnabled(name == "markdown")
        self.hint.setText(
            {
                "markdown": "Quotes, tags as #hashtags, notes, and links back to web articles.",
                "html": "A standalone page: the article with its highlights, notes and a legend.",
                "csv": "One row per annotation; opens in any spreadsheet.",
                "json": "W3C Web Annotation, for Hypothesis-style tools; imports back.",
                "qdpx": "A REFI-QDA project: texts, codebook and codings; imports back.",
                "qdc": "The codebook alone (tags with colours and descriptions).",
            }[name]
        )

    def choice(self) -> ExportChoice:
        """The choices made (valid after the dialog was accepted)."""
        checked = self.scopes.checkedButton()
        scope = str(checked.property("scope")) if checked is not None else "document"
        return ExportChoice(
            self._format_name(),
            scope,  # type: ignore[arg-type]
            str(self.grouping.currentData()),  # type: ignore[arg-type]
        )
