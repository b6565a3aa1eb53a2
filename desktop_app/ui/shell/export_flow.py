"""Export from the window (Ctrl+E): the reader's choice, where to write it, the write itself,
and what the format could not carry.

Kept apart from the window because it is one errand from start to end, and because it pulls
in the exporters (`desktop_app.io`): the window imports this module on the first export, not
at start-up. Every file is written atomically, so a failed export never leaves half a file
where a good one was.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFileDialog, QMessageBox, QWidget

from desktop_app.io.atomic_write import write_bytes_atomically
from desktop_app.io.exports import FORMATS, ExportFormat, ExportOptions, file_stem
from desktop_app.ui.dialogs.export_dialog import ExportChoice, ExportDialog

if TYPE_CHECKING:
    from desktop_app.models.document_session import DocumentSession
    from desktop_app.ui.shell.settings import AppSettings

# A file to write, and the documents it holds (None: the whole library).
Target = tuple[Path, list[int] | None]


def ask_export_choice(
    parent: QWidget, has_document: bool, settings: AppSettings
) -> ExportChoice | None:
    """The export dialog, opened on the last format and scope; the choice is remembered."""
    dialog = ExportDialog(has_document, settings.export_format, settings.export_scope, parent)
    if dialog.exec() != ExportDialog.DialogCode.Accepted:
        return None
    choice = dialog.choice()
    settings.export_format = choice.format_name
    settings.export_scope = choice.scope
    return choice


def confirm_replace(parent: QWidget, existing: list[Path]) -> bool:
    """Ask before writing over files that exist (naming up to three of them)."""
    names = ", ".join(p.name for p in existing[:3]) + ("…" if len(existing) > 3 else "")
    answer = QMessageBox.question(
        parent,
        "Replace files?",
        f"{len(existing)} of these files exist already ({names}). Replace them?"
        if len(existing) > 1
        else f"{names} exists already. Replace it?",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
        QMessageBox.StandardButton.Cancel,
    )
    return answer == QMessageBox.StandardButton.Yes


class ExportFlow:
    """One export the reader chose: ask where, write, then say where it went and what the
    format left out. Problems writing are the reader's environment (a full disk, a folder
    without rights), so they are shown in one line, not raised."""

    def __init__(
        self,
        parent: QWidget,
        session: DocumentSession,
        settings: AppSettings,
        show_status: Callable[[str], None],
        show_error: Callable[[str], object],
    ) -> None:
        self._parent = parent
        self._session = session
        self._settings = settings
        self._show_status = show_status
        self._show_error = show_error

    def run(self, choice: ExportChoice) -> None:
        """Write the export the reader chose, asking where (and before replacing files)."""
        export_format = FORMATS[choice.format_name]
        folder = self._settings.export_folder or str(Path.home())
        if choice.scope == "each":
            targets = self._targets_for_each(export_format, folder)
        else:
            targets = self._target_for_one(choice, export_format, folder)
        if targets is None:
            return
        report = self._write(choice, targets)
        if report is None:
            return
        self._settings.export_folder = str(targets[0][0].parent)
        where = targets[0][0] if len(targets) == 1 else targets[0][0].parent
        self._show_status(f"Exported {export_format.label} to {where}")
        if report:
            self._show_report(report)

    def _targets_for_each(self, export_format: ExportFormat, folder: str) -> list[Target] | None:
        """A file per article in a folder the reader picks; None if they cancel."""
        chosen = QFileDialog.getExistingDirectory(self._parent, "Export each article to", folder)
        if not chosen:
            return None
        targets: list[Target] = [
            # The id keeps two articles with one title from overwriting each other.
            (Path(chosen) / f"{file_stem(d.title)}-{d.id}{export_format.suffix}", [d.id])
            for d in self._session.library.documents()
        ]
        existing = [t for t, _ in targets if t.exists()]
        if existing and not confirm_replace(self._parent, existing):
            return None
        return targets

    def _target_for_one(
        self, choice: ExportChoice, export_format: ExportFormat, folder: str
    ) -> list[Target] | None:
        """One file for the open article, the library or the codebook; None if cancelled."""
        document = self._session.document
        ids = [document.id] if choice.scope == "document" and document else None
        name = document.title if ids and document else "Claimmark library"
        if choice.format_name == "qdc":
            name = "Claimmark codebook"
        suggested = str(Path(folder) / f"{file_stem(name)}{export_format.suffix}")
        path, _ = QFileDialog.getSaveFileName(
            self._parent,
            "Export annotated notes",
            suggested,
            f"{export_format.label} (*{export_format.suffix})",
        )
        if not path:
            return None
        target = Path(path)
        if target.suffix.lower() != export_format.suffix:
            # The dialog asked about the name as typed; the suffix makes it another file.
            target = target.with_name(target.name + export_format.suffix)
            if target.exists() and not confirm_replace(self._parent, [target]):
                return None
        return [(target, ids)]

    def _write(self, choice: ExportChoice, targets: list[Target]) -> list[str] | None:
        """Render and write each target; what the format could not carry (each line once),
        or None when a write failed (and was shown)."""
        options = ExportOptions(grouping=choice.grouping)
        report: list[str] = []
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            for target, ids in targets:
                rendered = self._session.library.render_export(choice.format_name, ids, options)
                write_bytes_atomically(target, rendered.data)
                report.extend(line for line in rendered.report if line not in report)
        except OSError as error:
            self._show_error(f"Could not write {target}: {error.strerror or error}")
            return None
        finally:
            QApplication.restoreOverrideCursor()
        return report

    def _show_report(self, report: list[str]) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Information,
            "What the format could not carry",
            "\n".join(f"• {line}" for line in report),
            QMessageBox.StandardButton.Ok,
            self._parent,
        )
        box.setObjectName("exportReport")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
