"""The claim fields of the selected annotation: stance, speaker and check-worthiness.

Edits are saved as undoable commands the moment a choice is made (the speaker when its field
is left or Enter is pressed), always for the annotation they were made on.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QStringListModel, Qt, Signal
from PySide6.QtWidgets import QComboBox, QCompleter, QFormLayout, QLineEdit, QWidget

from desktop_app.core.records import STANCES, AnnotationRecord

STANCE_LABELS = {
    "": "—",
    "supports": "Supports",
    "opposes": "Opposes",
    "neutral": "Neutral",
    "unclear": "Unclear",
}


class ClaimFieldsEditor(QWidget):
    """Three fields for the selected annotation.

    Signals:
        fieldsEdited(int, str, str, object): annotation id, stance, speaker, check-worthiness
            (an int 1-5 or None).
    """

    fieldsEdited = Signal(int, str, str, object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("claimFields")
        self._annotation_id: int | None = None
        self._loading = False
        self._init_widgets()
        self._init_layout()
        self._connect_signals()
        self.load(None)

    def _init_widgets(self) -> None:
        self.stance = QComboBox()
        self.stance.setObjectName("stanceField")
        for stance in ("", *STANCES):
            self.stance.addItem(STANCE_LABELS[stance], stance)
        self.stance.setAccessibleName("Stance")
        self.speaker = QLineEdit()
        self.speaker.setObjectName("speakerField")
        self.speaker.setPlaceholderText("who makes the claim")
        self.speaker.setAccessibleName("Speaker")
        self._speakers = QStringListModel(self)
        completer = QCompleter(self._speakers, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.speaker.setCompleter(completer)
        self.check = QComboBox()
        self.check.setObjectName("checkworthinessField")
        self.check.addItem("—", None)
        for level in range(1, 6):
            self.check.addItem(f"{level} {'●' * level}{'○' * (5 - level)}", level)
        self.check.setAccessibleName("Check-worthiness")
        self.check.setToolTip("How much the claim deserves checking: 1 little, 5 most")

    def _init_layout(self) -> None:
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.setSpacing(4)
        form.addRow("&Stance:", self.stance)
        form.addRow("S&peaker:", self.speaker)
        form.addRow("Chec&k-worthiness:", self.check)

    def _connect_signals(self) -> None:
        self.stance.activated.connect(lambda _index: self._emit())
        self.check.activated.connect(lambda _index: self._emit())
        self.speaker.editingFinished.connect(self._emit)

    def load(self, record: AnnotationRecord | None) -> None:
        """Show an annotation's fields (None: nothing selected, fields disabled)."""
        self._loading = True
        try:
            self._annotation_id = None if record is None else record.id
            self.stance.setCurrentIndex(
                max(0, self.stance.findData(record.stance if record else ""))
            )
            if record is None or self.speaker.text() != record.speaker:
                self.speaker.setText("" if record is None else record.speaker)
            index = self.check.findData(record.checkworthiness if record else None)
            self.check.setCurrentIndex(max(0, index))
            self.setEnabled(record is not None)
        finally:
            self._loading = False

    def set_speakers(self, speakers: Sequence[str]) -> None:
        """The names the speaker field completes from (earlier values in the library)."""
        self._speakers.setStringList(list(speakers))

    def values(self) -> tuple[str, str, int | None]:
        """Stance, speaker and check-worthiness as shown."""
        return (
            str(self.stance.currentData()),
            " ".join(self.speaker.text().split()),
            self.check.currentData(),
        )

    def _emit(self) -> None:
        if self._loading or self._annotation_id is None:
            return
        stance, speaker, check = self.values()
        self.fieldsEdited.emit(self._annotation_id, stance, speaker, check)
