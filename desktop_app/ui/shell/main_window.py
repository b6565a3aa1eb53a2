"""The main window: the reader between the library and the side panel, and what the window
does with the open library (which article shows, its title and counts, the library panel).

Only what the first frame shows is built (and imported) before the window appears: the reader,
the empty menu bar and the status bar. The panels, their models, the reading controller and the
menu entries are built by `complete()` right after the first paint, in places kept for them
(window_layout). The find bar, the search dock, the dialogs and the window's errands (menus,
export_flow, library_actions, companion_dialogs, article_intake) load the first time they are
asked for. See docs/performance.md, startup_warm.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, Qt, Signal
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent, QUndoStack
from PySide6.QtWidgets import QMainWindow, QWidget

from desktop_app import APP_NAME
from desktop_app.ui.reader.article_view import ArticleView
from desktop_app.ui.reader.reading_comfort import ReadingComfort
from desktop_app.ui.shell.messages import STATUS_MS, WindowStatus, open_error_box
from desktop_app.ui.shell.settings import AppSettings
from desktop_app.ui.shell.window_layout import PanelSplitter, ReadingArea
from desktop_app.ui.shell.window_search import WindowSearch

if TYPE_CHECKING:
    from PySide6.QtWidgets import QMessageBox

    from desktop_app.core.records import AnnotationRecord, DocumentSummary
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
    from desktop_app.ui.reader.reading_controller import ReadingController
    from desktop_app.ui.shell.import_controller import ImportProgress


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
        self._init_widgets()
        self._init_layout()
        self._restore_geometry()
        self.reader.setFocus(Qt.FocusReason.OtherFocusReason)

    def _init_widgets(self) -> None:
        """What the first frame shows: the reader, in the remembered font and colours."""
        self.reader = ArticleView()
        self.comfort = ReadingComfort(self.reader, self.settings, self)
        # The find bar and the library search, hidden until Ctrl+F or Ctrl+Shift+F.
        self.search = WindowSearch(self)

    def _init_layout(self) -> None:
        """The reader between places kept for the panels, the status bar, the empty menus."""
        self.reading_area = ReadingArea(self.reader)
        self.splitter = PanelSplitter(self.reading_area)
        self.setCentralWidget(self.splitter)
        self.status = WindowStatus(self.statusBar())
        self.count_label = self.status.count_label
        self.setAcceptDrops(True)
        self.reader.setAcceptDrops(False)
        # The menu bar is in the first frame (so nothing moves); its entries and their keys
        # are made by complete(), as nothing can be done before the library opens.
        self._file_menu = self.menuBar().addMenu("&File")
        self._edit_menu = self.menuBar().addMenu("&Edit")
        self._view_menu = self.menuBar().addMenu("&View")

    def _restore_geometry(self) -> None:
        geometry = self.settings.window_geometry
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(1180, 780)
        self.splitter.restore(self.settings.splitter_state, self.settings.library_shown)

    def complete(self) -> None:
        """Build what the first frame does not show: the panels, their models, the reading
        controller, the menu entries and their keys. Called once the article is painted,
        before the library opens; their modules and the Qt classes they use cost a fifth of
        the start-up time."""
        if self.completed:
            return
        self._build_panels()
        self.splitter.take_places(self.library_panel, self.side_panel)
        self.side_panel.addTagRequested.connect(self.on_add_tag)
        self._create_menus()
        self.completed = True

    def _build_panels(self) -> None:
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

    def _create_menus(self) -> None:
        from desktop_app.ui.shell.menus import create_actions, fill_menus

        actions = self.menu_actions = create_actions(self)
        # The window's own names for its entries, as tests and helpers know them.
        self.open_action = actions.open
        self.paste_action = actions.paste
        self.versions_action = actions.versions
        self.library_action = actions.library
        self.export_action = actions.export
        self.quit_action = actions.quit
        self.undo_action = actions.undo
        self.redo_action = actions.redo
        self.find_action = actions.find
        self.add_tag_action = actions.add_tag
        self.codebook_action = actions.codebook
        self.claims_action = actions.claims
        self.search_action = actions.search
        self.analysis_action = actions.analysis
        menus = (self._file_menu, self._edit_menu, self._view_menu)
        self.recent_menu = fill_menus(
            menus, actions, self.comfort, self._recent_documents, self.open_document
        )

    # -- parts built on first use --------------------------------------------------------------

    @property
    def find_bar(self) -> FindBar:
        """The find bar over the reader (Ctrl+F), built the first time it is asked for."""
        return self.search.find_bar

    def open_find_bar(self) -> None:
        """Ctrl+F: search the open article."""
        self.find_bar.open_bar()

    @property
    def search_dock(self) -> SearchDock:
        """The library search (Ctrl+Shift+F), built the first time it is asked for."""
        return self.search.search_dock

    def open_search(self) -> None:
        """Ctrl+Shift+F: search the whole library."""
        self.search_dock.open_search()

    @property
    def import_progress(self) -> ImportProgress:
        """The status-bar strip of imports, left of the annotation count."""
        return self.status.import_progress

    @property
    def carry_progress(self) -> ImportProgress:
        """The status-bar strip of carrying annotations to a new version."""
        return self.status.carry_progress

    # -- the open library ----------------------------------------------------------------------

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
        self.search.attach(session)
        self.menu_actions.set_library_open(True)
        self.refresh_library()
        if session.document is not None:
            self.on_document_opened()

    def on_document_opened(self) -> None:
        """An article shows (or was renamed): its title, its row, its count, the keys."""
        assert self.session is not None and self.session.document is not None
        self.search.on_document_opened()
        self.export_action.setEnabled(True)
        self.setWindowTitle(f"{self.session.document.title} — {APP_NAME}")
        self.library_panel.select_document(self.session.document.id)
        self._update_count()
        self.status.show_message(
            "J / K move between sentences · 1–9 tag · N note · Ctrl+Z undo", STATUS_MS * 2
        )

    def on_document_closed(self) -> None:
        """No article shows (the open one was deleted)."""
        self.setWindowTitle(APP_NAME)
        self.export_action.setEnabled(False)
        self._update_count()

    def show_placeholder(self, message: str) -> None:
        """Show a message where the article would be (an empty library)."""
        self.reader.show_placeholder(message)

    def _update_count(self, *_changed: AnnotationRecord) -> None:
        """The status bar's count and the open document's row in the library (cheap: no reads)."""
        session = self.session
        self.status.show_count(0 if session is None else session.annotation_count)
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

    def _recent_documents(self) -> list[DocumentSummary]:
        return [] if self.session is None else self.session.library.recent_documents(10)

    def on_rename_document(self, document_id: int) -> None:
        """Rename an article of the library (undoable)."""
        from desktop_app.ui.shell.library_actions import rename_document

        if self.session is not None:
            rename_document(self, self.session, self.undo_stack, document_id)

    def on_delete_document(self, document_id: int) -> None:
        """Delete an article of the library, asking first if it has annotations (undoable)."""
        from desktop_app.ui.shell.library_actions import delete_document

        if self.session is not None:
            delete_document(self, self.session, self.undo_stack, document_id, self.show_status)

    def show_versions(self, document_id: int | None) -> None:
        """The versions view of an article (the open one by default)."""
        from desktop_app.ui.shell.library_actions import open_versions

        if self.session is None:
            return
        dialog = open_versions(self, self.session, self.undo_stack, document_id, self.show_status)
        if dialog is not None:
            self.versions_dialog = dialog

    # -- the codebook, the claims, the analysis ------------------------------------------------

    def on_add_tag(self) -> None:
        """Ctrl+T, or New tag… in the panel or the codebook: a new tag (undoable)."""
        from desktop_app.ui.shell.companion_dialogs import ask_new_tag

        if self.session is None:
            return
        ask_new_tag(self, self.session, self.undo_stack)
        self.controller.focus_reader()

    def show_codebook(self) -> None:
        """The codebook editor (Ctrl+Shift+T); not modal, so tagging can go on beside it."""
        from desktop_app.ui.shell.companion_dialogs import open_codebook

        session = self.session
        if session is not None:
            self.codebook_dialog = open_codebook(self, session, self.undo_stack, self.on_add_tag)

    def show_claims(self) -> None:
        """The claims review of the whole library (Ctrl+R)."""
        from desktop_app.ui.shell.companion_dialogs import open_claims

        session = self.session
        if session is not None:
            self.claims_dialog = open_claims(self, session, self.undo_stack, self.show_annotation)

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

    # -- files in and out ----------------------------------------------------------------------

    def on_open(self) -> None:
        """File › Open…: articles or annotations to import."""
        from desktop_app.ui.shell.article_intake import ask_files_to_open

        paths = ask_files_to_open(self)
        if paths:
            self.openFilesRequested.emit(paths)

    def on_paste_new_document(self) -> None:
        """Ctrl+Shift+V: the clipboard's text as a new article."""
        from desktop_app.ui.shell.article_intake import clipboard_article

        html, text = clipboard_article()
        if not (html or text):
            self.show_status("The clipboard holds no text to make an article of.")
            return
        self.pasteRequested.emit(html, text)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        from desktop_app.ui.shell.article_intake import dropped_files

        if dropped_files(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        from desktop_app.ui.shell.article_intake import dropped_files

        paths = dropped_files(event.mimeData())
        if paths:
            event.acceptProposedAction()
            self.openFilesRequested.emit(paths)

    def on_export(self) -> None:
        """Ctrl+E: choose a format and scope, then a file (or folder), and write atomically."""
        from desktop_app.ui.shell.export_flow import ask_export_choice

        session = self.session
        if session is None:
            return
        self.side_panel.note_editor.flush()
        choice = ask_export_choice(self, session.document is not None, self.settings)
        if choice is not None:
            self.export(choice)

    def export(self, choice: ExportChoice) -> None:
        """Write the export the reader chose, asking where (and before replacing files)."""
        from desktop_app.ui.shell.export_flow import ExportFlow

        session = self.session
        assert session is not None
        ExportFlow(self, session, self.settings, self.show_status, self.show_error).run(choice)

    # -- messages and closing ------------------------------------------------------------------

    def show_status(self, message: str) -> None:
        """A short message in the status bar."""
        self.status.show_message(message)

    def show_error(self, message: str) -> QMessageBox:
        """Tell the user about a problem in their environment or input, in one line, in a box
        that does not block the event loop; `last_error` keeps it for tests."""
        self.last_error = message
        return open_error_box(self, message)

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
