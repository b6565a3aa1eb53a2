"""The dialog that adds a tag to the codebook: a name, a colour, an optional description."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QButtonGroup,
    QColorDialog,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QToolButton,
    QWidget,
)

from desktop_app.core.codebook import CodebookError, TagSpec, check_unique_name, clean_tag_name
from desktop_app.ui.reader.reading_style import colours_for


class AddTagDialog(QDialog):
    """Asks for a new tag; refuses empty or duplicate names with a message beside the field."""

    def __init__(
        self,
        palette: Sequence[str],
        suggested_colour: str,
        existing_names: Sequence[str],
        parent: QWidget | None = None,
        choose_colour: Callable[[QColor, QWidget], QColor] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("New tag")
        self.setObjectName("addTagDialog")
        self._existing = list(existing_names)
        self._colour = suggested_colour
        self._choose_colour = choose_colour or (
            lambda initial, owner: QColorDialog.getColor(initial, owner, "Tag colour")
        )
        self._init_widgets(palette, suggested_colour)
        self._init_layout()
        self._connect_signals()
        self.name_field.setFocus(Qt.FocusReason.OtherFocusReason)

    def _init_widgets(self, palette: Sequence[str], suggested_colour: str) -> None:
        self.name_field = QLineEdit()
        self.name_field.setObjectName("tagNameField")
        self.name_field.setPlaceholderText("for example: energy")
        self.description_field = QLineEdit()
        self.description_field.setObjectName("tagDescriptionField")
        self.description_field.setPlaceholderText("optional: what counts as this kind of claim")
        self.error_label = QLabel("")
        self.error_label.setObjectName("tagError")
        error_palette = self.error_label.palette()
        error_palette.setColor(
            QPalette.ColorRole.WindowText, QColor(colours_for(self.palette()).error)
        )
        self.error_label.setPalette(error_palette)
        self._group = QButtonGroup(self)
        self._swatches = [self._swatch(colour, suggested_colour) for colour in palette]
        self._custom_button = QPushButton("Other…")
        self._buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self._buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Add tag")

    def _swatch(self, colour: str, suggested_colour: str) -> QToolButton:
        """A round button of one palette colour, ringed when chosen."""
        button = QToolButton()
        button.setCheckable(True)
        button.setFixedSize(26, 26)
        button.setToolTip(colour)
        button.setAccessibleName(f"Colour {colour}")
        ring = self.palette().color(QPalette.ColorRole.Window).name()
        mark = self.palette().color(QPalette.ColorRole.WindowText).name()
        button.setStyleSheet(
            f"QToolButton {{ background: {colour}; border: 2px solid {ring};"
            " border-radius: 13px; }"
            f"QToolButton:checked {{ border: 3px solid {mark}; }}"
        )
        button.setProperty("colour", colour)
        button.setChecked(colour.lower() == suggested_colour.lower())
        self._group.addButton(button)
        return button

    def _init_layout(self) -> None:
        swatches = QHBoxLayout()
        swatches.setSpacing(4)
        for button in self._swatches:
            swatches.addWidget(button)
        swatches.addWidget(self._custom_button)
        swatches.addStretch(1)
        form = QFormLayout(self)
        form.addRow("&Name:", self.name_field)
        colour_row = QWidget()
        colour_row.setLayout(swatches)
        form.addRow("Colour:", colour_row)
        form.addRow("&Description:", self.description_field)
        form.addRow(self.error_label)
        form.addRow(self._buttons)

    def _connect_signals(self) -> None:
        self._group.buttonClicked.connect(lambda b: self._set_colour(str(b.property("colour"))))
        self._custom_button.clicked.connect(self._pick_custom_colour)
        self._buttons.accepted.connect(self.accept)
        self._buttons.rejected.connect(self.reject)

    @property
    def colour(self) -> str:
        """The chosen colour as `#rrggbb`."""
        return self._colour

    def _set_colour(self, colour: str) -> None:
        self._colour = colour.lower()

    def _pick_custom_colour(self) -> None:
        chosen = self._choose_colour(QColor(self._colour), self)
        if chosen.isValid():
            self._set_colour(chosen.name())
            checked = self._group.checkedButton()
            if checked is not None:
                self._group.setExclusive(False)
                checked.setChecked(False)
                self._group.setExclusive(True)

    def spec(self) -> TagSpec:
        """The tag described by the fields (valid once the dialog was accepted)."""
        return TagSpec(
            clean_tag_name(self.name_field.text()),
            self._colour,
            self.description_field.text().strip(),
        )

    def accept(self) -> None:
        try:
            name = clean_tag_name(self.name_field.text())
            check_unique_name(name, self._existing)
        except CodebookError as error:
            self.error_label.setText(str(error))
            self.name_field.setFocus()
            return
        super().accept()
