"""The main window: the reader beside the side panel, the menus, export, zoom and closing.

Only what the first frame shows is built (and imported) before the window appears: the reader
with the article, the menu bar and the status bar. The library and side panels, their models,
the reading controller and the menu entries are built by `complete()` right after the first
paint, the panels in places kept for them at their restored widths, so nothing moves when
they arrive. The find bar, the search
dock, the dialogs and the export code load the first time they are asked for. See
docs/performance.md, startup_warm.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QMimeData, Qt, Signal
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent, QUndoStack
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QMainWindow,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app import APP_NAME
from desktop_app.ui.reader.article_view import ArticleView
from desktop_app.ui.reader.reading_comfort import ReadingComfort
from desktop_app.ui.shell.settings import AppSettings

if TYPE_CHECKING:
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QMessageBox

    from desktop_app.core.records import AnnotationRecord
    from desktop_app.core.search_hit import SearchHit
    from desktop_app.core.sentences import Sentence
    from desktop_app.models.annotation_list_model import AnnotationListModel
    from desktop_app.models.document_session import DocumentSession
    from desktop_app.models.library_model import LibraryModel
    from desktop_app.models.tag_list_model import TagListModel
    from desktop_app.ui.analysis.analysis_launcher import AnalysisLauncher
    from desktop_app.ui.dialogs.export_dialog import ExportChoice
    from desktop_app.ui.panels.library_panel import LibraryPanel
    from desktop_app.ui.panels.search_dock import SearchDock
    from desktop_app.ui.panels.side_panel import SidePanel
    from desktop_app.ui.reader.find_bar import FindBar
    from desktop_app.ui.reader.find_controller import FindController
    from desktop_app.ui.reader.reading_controller import ReadingController
    from desktop_app.ui.shell.import_controller import ImportProgress

STATUS_MS = 6000  # how long a status-bar message stays
LIBRARY_MIN_WIDTH = 200
SIDE_PANEL_MIN_WIDTH = 260


class MainWindow(QMainWindow):
    """Claimmark's window. It is shown before the library is open (see `show_preview`) and
    becomes interactive once `attach_session` hands it the open library.

    Signals:
        openFilesRequested(object): files chosen with File › Open… or dropped (a list of str).
        pasteRequested(object, object): Ctrl+Shift+V: the clipboard's HTML and text (or None).
    """

    openFilesRequested = Signal(object)
    pasteRequested = Signal(object, object)

    # Built by complete(), after the first paint.
    tag_model: TagListModel
    annotation_model: AnnotationListModel
    side_panel: SidePanel
    controller: ReadingController
    library_model: LibraryModel
    library_panel: LibraryPanel
    analysis: AnalysisLauncher

    def __init__(self, settings: AppSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.setWindowTitle(APP_NAME)
        self.settings = settings
        self.session: DocumentSession | None = None
        self.last_error: str | None = None
        self.undo_stack = QUndoStack(self)
        self.completed = False

        self.reader = ArticleView()
        self.comfort = ReadingComfort(self.reader, settings, self)
        # Hidden until Ctrl+F or Ctrl+Shift+F: built then (see find_bar and search_dock).
        self._find_bar: FindBar | None = None
        self._find_controller: FindController | None = None
        self._search_dock: SearchDock | None = None
        # The status bar's progress strips (import_progress, carry_progress) are hidden until
        # work starts; they are built when first asked for, after the first paint (the import
        # controller asks for its strip as the library opens).
        self._import_progress: ImportProgress | None = None
        self._carry_progress: ImportProgress | None = None

        reading_area = QWidget()
        self._reading_layout = QVBoxLayout(reading_area)
        self._reading_layout.setContentsMargins(0, 0, 0, 0)
        self._reading_layout.setSpacing(0)
        self._reading_layout.addWidget(self.reader, 1)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("mainSplitter")
        # Places for the library and side panels (see complete()), as wide as they will be.
        self._library_place = QWidget()
        self._library_place.setMinimumWidth(LIBRARY_MIN_WIDTH)
        self._side_place = QWidget()
        self._side_place.setMinimumWidth(SIDE_PANEL_MIN_WIDTH)
        self.splitter.addWidget(self._library_place)
        self.splitter.addWidget(reading_area)
        self.splitter.addWidget(self._side_place)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setStretchFactor(2, 0)
        self.splitter.setChildrenCollapsible(False)
        self.setCentralWidget(self.splitter)
        self.count_label = QLabel("")
        # As tall as the progress strips' Cancel button: the status bar then has its final
        # height in the first frame, and the article does not move up 5 px when the import
        # strip is added as the library opens.
        self.count_label.setMinimumHeight(QToolButton().sizeHint().height())
        self.statusBar().addPermanentWidget(self.count_label)
        self.setAcceptDrops(True)
        self.reader.setAcceptDrops(False)

        # The menu bar is in the first frame (so nothing moves); its entries and their keys
        # are made by complete(), as nothing can be done before the library opens.
        self._file_menu = self.menuBar().addMenu("&File")
        self._edit_menu = self.menuBar().addMenu("&Edit")
        self._view_menu = self.menuBar().addMenu("&View")
        self._restore_geometry()
        self.reader.setFocus(Qt.FocusReason.OtherFocusReason)

    def complete(self) -> None:
        """Build what the first frame does not show: the panels, their models, the reading
        controller, the menu entries and their keys. Called once the article is painted,
        before the library opens; their modules and the Qt classes they use cost a fifth of
        the start-up time."""
        if self.completed:
            return
        from desktop_app.models.annotation_list_model import AnnotationListModel
        from desktop_app.models.library_model import LibraryModel
        from desktop_app.models.tag_list_model import TagListModel
        from desktop_app.ui.analysis.analysis_launcher import AnalysisLauncher
        from desktop_app.ui.panels.library_panel import LibraryPanel
        from desktop_app.ui.panels.side_panel import SidePanel
        from desktop_app.ui.reader.reading_controller import ReadingController

        self.tag_model = TagListModel(self)
        self.annotation_model = AnnotationListModel(lambda tag_id: None, self)
        self.side_panel = SidePanel(self.tag_model, self.annotation_model)
        self.controller = ReadingController(
            self.reader, self.side_panel, self.undo_stack, self.show_status, self
        )
        self.annotation_model.set_tag_lookup(self.controller.tag_lookup)
        self.library_model = LibraryModel(self)
        self.library_panel = LibraryPanel(self.library_model)
        self.analysis = AnalysisLauncher(self.show_error, self._on_analysis_exported, self)
        self.side_panel.setMinimumWidth(SIDE_PANEL_MIN_WIDTH)
        self.library_panel.setMinimumWidth(LIBRARY_MIN_WIDTH)
        # The panels take their places' widths and visibility (a hidden library stays hidden).
        self.splitter.replaceWidget(0, self.library_panel)
        self.splitter.replaceWidget(2, self.side_panel)
        self._library_place.deleteLater()
        self._side_place.deleteLater()
        self.side_panel.addTagRequested.connect(self.on_add_tag)
        self._create_actions()
        self._fill_menus()
        self.completed = True

    # -- construction --------------------------------------------------------------------------

    def _action(self, text: str, shortcuts: str | list[str], slot: object) -> QAction:
        from PySide6.QtGui import QAction, QKeySequence  # built after the first paint

        action = QAction(text, self)
        keys = [shortcuts] if isinstance(shortcuts, str) else shortcuts
        action.setShortcuts([QKeySequence(k) for k in keys])
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _create_actions(self) -> None:
        self.open_action = self._action("&Open…", "Ctrl+O", self.on_open)
        self.paste_action = self._action(
            "&Paste as New Article", "Ctrl+Shift+V", self.on_paste_new_document
        )
        self.versions_action = self._action(
            "&Versions…", "Ctrl+Shift+D", lambda: self.show_versions(None)
        )
        self.library_action = self._action("&Library", "Ctrl+L", self.toggle_library)
        self.library_action.setCheckable(True)
        self.library_action.setChecked(self.library_panel.isVisibleTo(self))
        self.export_action = self._action("&Export…", "Ctrl+E", self.on_export)
        self.quit_action = self._action("&Quit", "Ctrl+Q", self.close)
        self.undo_action = self._action("&Undo", "Ctrl+Z", self.controller.undo)
        self.redo_action = self._action("&Redo", ["Ctrl+Shift+Z", "Ctrl+Y"], self.controller.redo)
        self.find_action = self._action("&Find…", "Ctrl+F", self.open_find_bar)
        self.add_tag_action = self._action("&New Tag…", "Ctrl+T", self.on_add_tag)
        self.codebook_action = self._action("&Codebook…", "Ctrl+Shift+T", self.show_codebook)
        self.claims_action = self._action("&Claims…", "Ctrl+R", self.show_claims)
        self.search_action = self._action("&Search Library…", "Ctrl+Shift+F", self.open_search)
        self.analysis_action = self._action("&Analysis…", "Ctrl+Shift+A", self.show_analysis)
        for action in (
            self.export_action,
            self.find_action,
            self.add_tag_action,
            self.codebook_action,
            self.claims_action,
            self.search_action,
            self.analysis_action,
            self.paste_action,
            self.open_action,
        ):
            action.setEnabled(False)
        self.undo_action.setEnabled(False)
        self.redo_action.setEnabled(False)
        self.undo_stack.canUndoChanged.connect(self.undo_action.setEnabled)
        self.undo_stack.canRedoChanged.connect(self.redo_action.setEnabled)
        self.undo_stack.undoTextChanged.connect(
            lambda text: self.undo_action.setText(f"&Undo {text}".strip())
        )
        self.undo_stack.redoTextChanged.connect(
            lambda text: self.redo_action.setText(f"&Redo {text}".strip())
        )

    def _fill_menus(self) -> None:
        file_menu = self._file_menu
        file_menu.addAction(self.open_action)
        self.recent_menu = file_menu.addMenu("Open &Recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        file_menu.addAction(self.paste_action)
        file_menu.addSeparator()
        file_menu.addAction(self.export_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        edit_menu = self._edit_menu
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)
        edit_menu.addSeparator()
        edit_menu.addAction(self.find_action)
        edit_menu.addAction(self.search_action)
        edit_menu.addAction(self.add_tag_action)
        edit_menu.addAction(self.codebook_action)
        view_menu = self._view_menu
        view_menu.addAction(self.library_action)
        view_menu.addAction(self.claims_action)
        view_menu.addAction(self.analysis_action)
        view_menu.addAction(self.versions_action)
        view_menu.addSeparator()
        self.comfort.fill_menu(view_menu)

    def _restore_geometry(self) -> None:
        geometry = self.settings.window_geometry
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(1180, 780)
        splitter = self.settings.splitter_state
        if splitter is None or not self.splitter.restoreState(splitter):
            self.splitter.setSizes([230, 820, 340])
        self._library_place.setVisible(self.settings.library_shown)

    # -- parts built on first use --------------------------------------------------------------

    @property
    def find_bar(self) -> FindBar:
        """The find bar over the reader (Ctrl+F), built the first time it is asked for."""
        if self._find_bar is None:
            from desktop_app.ui.reader.find_bar import FindBar
            from desktop_app.ui.reader.find_controller import FindController

            bar = FindBar()
            self._reading_layout.insertWidget(0, bar)
            self._find_controller = FindController(bar, self.reader, self._open_text, self)
            self._find_bar = bar
        return self._find_bar

    def open_find_bar(self) -> None:
        """Ctrl+F: search the open article."""
        self.find_bar.open_bar()

    @property
    def search_dock(self) -> SearchDock:
        """The library search (Ctrl+Shift+F), built the first time it is asked for."""
        if self._search_dock is None:
            from desktop_app.ui.panels.search_dock import SearchDock

            dock = SearchDock(self)
            self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, dock)
            dock.hitActivated.connect(self.on_search_hit)
            dock.closed.connect(self.controller.focus_reader)
            if self.session is not None:
                dock.attach(self.session)
            self._search_dock = dock
        return self._search_dock

    def open_search(self) -> None:
        """Ctrl+Shift+F: search the whole library."""
        self.search_dock.open_search()

    @property
    def import_progress(self) -> ImportProgress:
        """The status-bar strip of imports, left of the annotation count."""
        if self._import_progress is None:
            self._import_progress = self._progress_strip(0)
        return self._import_progress

    @property
    def carry_progress(self) -> ImportProgress:
        """The strip of carrying annotations to a new version, right of the import strip (one
        Cancel must never stop the other job)."""
        if self._carry_progress is None:
            self._carry_progress = self._progress_strip(0 if self._import_progress is None else 1)
        return self._carry_progress

    def _progress_strip(self, index: int) -> ImportProgress:
        from desktop_app.ui.shell.import_controller import ImportProgress

        strip = ImportProgress()
        self.statusBar().insertPermanentWidget(index, strip)
        return strip

    # -- the library ---------------------------------------------------------------------------

    def show_preview(
        self, title: str, byline: str, text: str, blocks: Sequence[tuple[int, int, str]] = ()
    ) -> None:
        """Show an article before the library is open, so the first paint is the article."""
        self.reader.show_document(title, byline, text, [], blocks)
        self.setWindowTitle(f"{title} — {APP_NAME}")

    def attach_session(self, session: DocumentSession) -> None:
        """Start working on the open library: highlights, panel and keys come alive."""
        self.session = session
        session.documentOpened.connect(self.on_document_opened)
        session.documentRetitled.connect(self.on_document_opened)
        session.documentClosed.connect(self.on_document_closed)
        session.annotationAdded.connect(self._update_count)
        session.annotationRemoved.connect(self._update_count)
        session.annotationUpdated.connect(self._update_count)
        session.libraryChanged.connect(self.refresh_library)
        self.controller.attach(session)
        self.library_panel.documentActivated.connect(self.open_document)
        self.library_panel.renameRequested.connect(self.on_rename_document)
        self.library_panel.deleteRequested.connect(self.on_delete_document)
        self.library_panel.versionsRequested.connect(self.show_versions)
        if self._search_dock is not None:
            self._search_dock.attach(session)
        for action in (
            self.export_action,
            self.find_action,
            self.add_tag_action,
            self.codebook_action,
            self.claims_action,
            self.search_action,
            self.analysis_action,
            self.paste_action,
            self.open_action,
        ):
            action.setEnabled(True)
        self.refresh_library()
        if session.document is not None:
            self.on_document_opened()

    def _open_text(self) -> str | None:
        document = None if self.session is None else self.session.document
        return None if document is None else document.text

    def on_document_opened(self) -> None:
        assert self.session is not None and self.session.document is not None
        if self._find_controller is not None:
            self._find_controller.reset()
        self.export_action.setEnabled(True)
        self.setWindowTitle(f"{self.session.document.title} — {APP_NAME}")
        self.library_panel.select_document(self.session.document.id)
        self._update_count()
        self.statusBar().showMessage(
            "J / K move between sentences · 1–9 tag · N note · Ctrl+Z undo", STATUS_MS * 2
        )

    def on_document_closed(self) -> None:
        self.setWindowTitle(APP_NAME)
        self.export_action.setEnabled(False)
        self._update_count()

    def show_placeholder(self, message: str) -> None:
        """Show a message where the article would be (an empty library)."""
        self.reader.show_placeholder(message)

    # -- the library panel ---------------------------------------------------------------------

    def refresh_library(self) -> None:
        """Re-read the library's documents into the panel."""
        if self.session is None:
            return
        self.library_model.set_documents(self.session.library.documents())
        if self.session.document is not None:
            self.library_panel.select_document(self.session.document.id)

    def toggle_library(self) -> None:
        """Show or hide the library panel (Ctrl+L)."""
        visible = not self.library_panel.isVisible()
        self.library_panel.setVisible(visible)
        self.library_action.setChecked(visible)
        if visible:
            self.library_panel.filter_field.setFocus()

    def open_document(self, document_id: int) -> None:
        """Show a document of the library (its reading position comes back with it)."""
        if self.session is None:
            return
        self.side_panel.note_editor.flush()
        if self.session.document is None or self.session.document.id != document_id:
            self.session.open_document(document_id)
        self.controller.focus_reader()

    def on_rename_document(self, document_id: int) -> None:
        from PySide6.QtWidgets import QInputDialog

        from desktop_app.commands.document_commands import RenameDocumentCommand

        if self.session is None:
            return
        old = self.session.library.document(document_id).title
        new, accepted = QInputDialog.getText(self, "Rename article", "Title:", text=old)
        if accepted and " ".join(new.split()) and " ".join(new.split()) != old:
            self.undo_stack.push(RenameDocumentCommand(self.session, document_id, old, new))

    def on_delete_document(self, document_id: int) -> None:
        from PySide6.QtWidgets import QMessageBox

        from desktop_app.commands.document_commands import DeleteDocumentCommand

        if self.session is None:
            return
        summary = next((d for d in self.session.library.documents() if d.id == document_id), None)
        if summary is None:
            return
        if summary.annotation_count:
            answer = QMessageBox.question(
                self,
                "Delete article",
                f"Delete “{summary.title}” and its {summary.annotation_count} annotations? "
                "Edit › Undo brings them back.",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        self.undo_stack.push(DeleteDocumentCommand(self.session, document_id, summary.title))
        self.show_status(f"Deleted “{summary.title}”. Ctrl+Z brings it back.")

    def show_versions(self, document_id: int | None) -> None:
        """The versions view of an article (the open one by default)."""
        from desktop_app.ui.dialogs.versions_dialog import VersionsDialog

        session = self.session
        if session is None:
            return
        if document_id is None:
            if session.document is None:
                return
            document_id = session.document.id
        if len(session.library.versions(document_id)) < 2:
            self.show_status("This article has only one version: import a newer one to compare.")
            return
        dialog = VersionsDialog(session, self.undo_stack, document_id, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        self.versions_dialog = dialog

    def show_codebook(self) -> None:
        """The codebook editor (Ctrl+Shift+T); not modal, so tagging can go on beside it."""
        from desktop_app.ui.dialogs.codebook_dialog import CodebookDialog

        if self.session is None:
            return
        dialog = CodebookDialog(self.session, self.undo_stack, self.on_add_tag, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        self.codebook_dialog = dialog

    def show_claims(self) -> None:
        """The claims review of the whole library (Ctrl+R)."""
        from desktop_app.ui.dialogs.claims_view import ClaimsDialog

        if self.session is None:
            return
        dialog = ClaimsDialog(self.session, self.undo_stack, self.show_annotation, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        self.claims_dialog = dialog

    def show_analysis(self) -> None:
        """Counts, charts and their exports for the article or the library (Ctrl+Shift+A)."""
        if self.session is None:
            return
        self.analysis_view = self.analysis.open(
            self.session, self.settings.export_folder or "", self
        )

    def _on_analysis_exported(self, path: Path) -> None:
        self.settings.export_folder = str(path.parent)
        self.show_status(f"Saved {path.name}")

    def on_search_hit(self, hit: SearchHit) -> None:
        """Open a search hit's article: at its annotation, or with its words selected."""
        self.open_document(hit.document_id)
        if hit.annotation_id is not None:
            self.controller.show_annotation(hit.annotation_id)
        elif hit.end > hit.start:
            self.reader.select_span(hit.start, hit.end)

    def show_annotation(self, record: AnnotationRecord) -> None:
        """Open an annotation's article at it, with the annotation selected in the panel."""
        self.open_document(record.document_id)
        self.controller.show_annotation(record.id)
        self.activateWindow()

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        recent = [] if self.session is None else self.session.library.recent_documents(10)
        for summary in recent:
            action = self.recent_menu.addAction(summary.title)
            action.triggered.connect(lambda _checked=False, i=summary.id: self.open_document(i))
        if not recent:
            self.recent_menu.addAction("No articles opened yet").setEnabled(False)

    def _update_count(self, *_changed: AnnotationRecord) -> None:
        """The status bar's count and the open document's row in the library (cheap: no reads)."""
        session = self.session
        count = 0 if session is None else session.annotation_count
        self.count_label.setText(f"{count} annotation{'s' if count != 1 else ''}")
        if session is not None and session.document is not None:
            self.library_model.update_counts(
                session.document.id, session.annotation_count, session.review_count
            )

    @property
    def current_sentence(self) -> Sentence | None:
        """The sentence under focus, or None before the first J or click."""
        return self.controller.current_sentence

    def set_current_sentence(self, sentence: Sentence) -> None:
        """Move the sentence focus, as J, K or a click would."""
        self.controller.set_current_sentence(sentence)

    def show_status(self, message: str) -> None:
        """A short message in the status bar."""
        self.statusBar().showMessage(message, STATUS_MS)

    def on_add_tag(self) -> None:
        from desktop_app.commands.tag_commands import AddTagCommand
        from desktop_app.core.codebook import load_default_codebook, next_colour
        from desktop_app.resources import resource_path
        from desktop_app.ui.dialogs.add_tag_dialog import AddTagDialog

        if self.session is None:
            return
        palette = load_default_codebook(resource_path("codebook.json")).palette
        tags = self.session.tags
        dialog = AddTagDialog(
            palette, next_colour(palette, [t.colour for t in tags]), [t.name for t in tags], self
        )
        if dialog.exec() == AddTagDialog.DialogCode.Accepted:
            self.undo_stack.push(AddTagCommand(self.session, dialog.spec()))
        self.controller.focus_reader()

    # -- files ---------------------------------------------------------------------------------

    def on_open(self) -> None:
        from PySide6.QtWidgets import QFileDialog

        paths, _ = QFileDialog.getOpenFileNames(
            self,
            "Open articles",
            "",
            "Articles (*.html *.htm *.md *.markdown *.txt *.epub *.docx *.pdf);;"
            "Annotations (*.json *.jsonld *.qdpx *.qdc);;All files (*)",
        )
        if paths:
            self.openFilesRequested.emit(paths)

    def on_paste_new_document(self) -> None:
        mime = QApplication.clipboard().mimeData()
        html = mime.html() if mime is not None and mime.hasHtml() else None
        text = mime.text() if mime is not None and mime.hasText() else None
        if not (html or text):
            self.show_status("The clipboard holds no text to make an article of.")
            return
        self.pasteRequested.emit(html, text)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._dropped_files(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = self._dropped_files(event.mimeData())
        if paths:
            event.acceptProposedAction()
            self.openFilesRequested.emit(paths)

    @staticmethod
    def _dropped_files(mime: QMimeData | None) -> list[str]:
        if mime is None or not mime.hasUrls():
            return []
        return [url.toLocalFile() for url in mime.urls() if url.isLocalFile()]

    def on_export(self) -> None:
        """Ctrl+E: choose a format and scope, then a file (or folder), and write atomically."""
        from desktop_app.ui.dialogs.export_dialog import ExportDialog

        session = self.session
        if session is None:
            return
        self.side_panel.note_editor.flush()
        dialog = ExportDialog(
            session.document is not None,
            self.settings.export_format,
            self.settings.export_scope,
            self,
        )
        if dialog.exec() != ExportDialog.DialogCode.Accepted:
            return
        choice = dialog.choice()
        self.settings.export_format = choice.format_name
        self.settings.export_scope = choice.scope
        self.export(choice)

    def export(self, choice: ExportChoice) -> None:
        """Write the export the reader chose, asking where (and before replacing files)."""
        from PySide6.QtWidgets import QFileDialog, QMessageBox

        from desktop_app.io.atomic_write import write_bytes_atomically
        from desktop_app.io.exports import FORMATS, ExportOptions, file_stem

        session = self.session
        assert session is not None
        export_format = FORMATS[choice.format_name]
        folder = self.settings.export_folder or str(Path.home())
        document = session.document
        targets: list[tuple[Path, list[int] | None]]
        if choice.scope == "each":
            chosen = QFileDialog.getExistingDirectory(self, "Export each article to", folder)
            if not chosen:
                return
            targets = [
                # The id keeps two articles with one title from overwriting each other.
                (Path(chosen) / f"{file_stem(d.title)}-{d.id}{export_format.suffix}", [d.id])
                for d in session.library.documents()
            ]
            existing = [t for t, _ in targets if t.exists()]
            if existing and not self._confirm_replace(existing):
                return
        else:
            ids = [document.id] if choice.scope == "document" and document else None
            name = document.title if ids and document else "Claimmark library"
            if choice.format_name == "qdc":
                name = "Claimmark codebook"
            suggested = str(Path(folder) / f"{file_stem(name)}{export_format.suffix}")
            path, _ = QFileDialog.getSaveFileName(
                self,
                "Export annotated notes",
                suggested,
                f"{export_format.label} (*{export_format.suffix})",
            )
            if not path:
                return
            target = Path(path)
            if target.suffix.lower() != export_format.suffix:
                # The dialog asked about the name as typed; the suffix makes it another file.
                target = target.with_name(target.name + export_format.suffix)
                if target.exists() and not self._confirm_replace([target]):
                    return
            targets = [(target, ids)]
        options = ExportOptions(grouping=choice.grouping)
        report: list[str] = []
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            for target, ids in targets:
                rendered = session.library.render_export(choice.format_name, ids, options)
                write_bytes_atomically(target, rendered.data)
                report.extend(line for line in rendered.report if line not in report)
        except OSError as error:
            self.show_error(f"Could not write {target}: {error.strerror or error}")
            return
        finally:
            QApplication.restoreOverrideCursor()
        self.settings.export_folder = str(targets[0][0].parent)
        where = targets[0][0] if len(targets) == 1 else targets[0][0].parent
        self.show_status(f"Exported {export_format.label} to {where}")
        if report:
            box = QMessageBox(
                QMessageBox.Icon.Information,
                "What the format could not carry",
                "\n".join(f"• {line}" for line in report),
                QMessageBox.StandardButton.Ok,
                self,
            )
            box.setObjectName("exportReport")
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            box.open()

    def _confirm_replace(self, existing: list[Path]) -> bool:
        from PySide6.QtWidgets import QMessageBox

        names = ", ".join(p.name for p in existing[:3]) + ("…" if len(existing) > 3 else "")
        answer = QMessageBox.question(
            self,
            "Replace files?",
            f"{len(existing)} of these files exist already ({names}). Replace them?"
            if len(existing) > 1
            else f"{names} exists already. Replace it?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Yes

    def show_error(self, message: str) -> QMessageBox:
        """Tell the user about a problem in their environment or input, in one line.

        The box is window-modal but does not block the event loop, so work already committed
        keeps flowing and tests can read it (`last_error`) and close it.
        """
        from PySide6.QtWidgets import QMessageBox

        self.last_error = message
        box = QMessageBox(
            QMessageBox.Icon.Warning, APP_NAME, message, QMessageBox.StandardButton.Ok, self
        )
        box.setObjectName("errorBox")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        return box

    # -- closing -------------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.completed:
            self.side_panel.note_editor.flush()
            self.controller.save_reading_position()
        self.settings.window_geometry = QByteArray(self.saveGeometry())
        self.settings.splitter_state = QByteArray(self.splitter.saveState())
        self.settings.library_shown = (
            self.library_action.isChecked() if self.completed else self.settings.library_shown
        )
        self.settings.sync()
        super().closeEvent(event)
