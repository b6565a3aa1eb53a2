"""The window's actions and the File, Edit and View menus that list them.

One place holds every entry's text, keys and order, so the keyboard contract
(docs PRODUCT.md) can be read off a single table. Nothing here runs before the first paint:
`MainWindow.complete()` imports this module and builds the entries once the article shows.
The reading-comfort entries (colours, font, zoom) come from `ReadingComfort.fill_menu`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence, QUndoStack
from PySide6.QtWidgets import QMenu, QWidget

if TYPE_CHECKING:
    from desktop_app.core.records import DocumentSummary
    from desktop_app.ui.reader.reading_comfort import ReadingComfort
    from desktop_app.ui.shell.main_window import MainWindow


@dataclass(frozen=True)
class WindowActions:
    """Every entry of the window's own menus, each with its keys (window-wide shortcuts)."""

    open: QAction
    paste: QAction
    versions: QAction
    library: QAction
    export: QAction
    quit: QAction
    undo: QAction
    redo: QAction
    find: QAction
    add_tag: QAction
    codebook: QAction
    claims: QAction
    search: QAction
    analysis: QAction

    def needing_library(self) -> tuple[QAction, ...]:
        """The entries that do nothing until the library is open."""
        return (
            self.export,
            self.find,
            self.add_tag,
            self.codebook,
            self.claims,
            self.search,
            self.analysis,
            self.paste,
            self.open,
        )

    def set_library_open(self, is_open: bool) -> None:
        """Enable or disable the entries that need the library."""
        for action in self.needing_library():
            action.setEnabled(is_open)


def window_action(
    window: QWidget, text: str, shortcuts: str | list[str], slot: Callable[[], object]
) -> QAction:
    """An action of `window` whose keys work wherever the focus is in it."""
    action = QAction(text, window)
    keys = [shortcuts] if isinstance(shortcuts, str) else shortcuts
    action.setShortcuts([QKeySequence(k) for k in keys])
    action.triggered.connect(slot)
    window.addAction(action)
    return action


def create_actions(window: MainWindow) -> WindowActions:
    """The window's entries, disabled where they need the library (attach_session enables
    them). The order of creation is the order of the window's actions()."""
    actions = WindowActions(
        open=window_action(window, "&Open…", "Ctrl+O", window.on_open),
        paste=window_action(
            window, "&Paste as New Article", "Ctrl+Shift+V", window.on_paste_new_document
        ),
        versions=window_action(
            window, "&Versions…", "Ctrl+Shift+D", lambda: window.show_versions(None)
        ),
        library=window_action(window, "&Library", "Ctrl+L", window.toggle_library),
        export=window_action(window, "&Export…", "Ctrl+E", window.on_export),
        quit=window_action(window, "&Quit", "Ctrl+Q", window.close),
        undo=window_action(window, "&Undo", "Ctrl+Z", window.controller.undo),
        redo=window_action(window, "&Redo", ["Ctrl+Shift+Z", "Ctrl+Y"], window.controller.redo),
        find=window_action(window, "&Find…", "Ctrl+F", window.open_find_bar),
        add_tag=window_action(window, "&New Tag…", "Ctrl+T", window.on_add_tag),
        codebook=window_action(window, "&Codebook…", "Ctrl+Shift+T", window.show_codebook),
        claims=window_action(window, "&Claims…", "Ctrl+R", window.show_claims),
        search=window_action(window, "&Search Library…", "Ctrl+Shift+F", window.open_search),
        analysis=window_action(window, "&Analysis…", "Ctrl+Shift+A", window.show_analysis),
    )
    actions.library.setCheckable(True)
    actions.library.setChecked(window.library_panel.isVisibleTo(window))
    actions.set_library_open(False)
    follow_undo_stack(actions.undo, actions.redo, window.undo_stack)
    return actions


def follow_undo_stack(undo: QAction, redo: QAction, stack: QUndoStack) -> None:
    """Undo and Redo are enabled when there is something to undo or redo, and say what."""
    undo.setEnabled(False)
    redo.setEnabled(False)
    stack.canUndoChanged.connect(undo.setEnabled)
    stack.canRedoChanged.connect(redo.setEnabled)
    stack.undoTextChanged.connect(lambda text: undo.setText(f"&Undo {text}".strip()))
    stack.redoTextChanged.connect(lambda text: redo.setText(f"&Redo {text}".strip()))


def fill_menus(
    menus: tuple[QMenu, QMenu, QMenu],
    actions: WindowActions,
    comfort: ReadingComfort,
    recent: Callable[[], Sequence[DocumentSummary]],
    open_document: Callable[[int], None],
) -> QMenu:
    """Fill the File, Edit and View menus (made empty in the first frame). The File menu's
    Open Recent submenu, returned, lists `recent()` afresh each time it opens."""
    file_menu, edit_menu, view_menu = menus
    file_menu.addAction(actions.open)
    recent_menu = file_menu.addMenu("Open &Recent")
    recent_menu.aboutToShow.connect(lambda: fill_recent_menu(recent_menu, recent(), open_document))
    file_menu.addAction(actions.paste)
    file_menu.addSeparator()
    file_menu.addAction(actions.export)
    file_menu.addSeparator()
    file_menu.addAction(actions.quit)
    edit_menu.addAction(actions.undo)
    edit_menu.addAction(actions.redo)
    edit_menu.addSeparator()
    edit_menu.addAction(actions.find)
    edit_menu.addAction(actions.search)
    edit_menu.addAction(actions.add_tag)
    edit_menu.addAction(actions.codebook)
    view_menu.addAction(actions.library)
    view_menu.addAction(actions.claims)
    view_menu.addAction(actions.analysis)
    view_menu.addAction(actions.versions)
    view_menu.addSeparator()
    comfort.fill_menu(view_menu)
    return recent_menu


def fill_recent_menu(
    menu: QMenu, recent: Sequence[DocumentSummary], open_document: Callable[[int], None]
) -> None:
    """List the articles opened last (newest first), or say there are none yet."""
    menu.clear()
    for summary in recent:
        action = menu.addAction(summary.title)
        action.triggered.connect(lambda _checked=False, i=summary.id: open_document(i))
    if not recent:
        menu.addAction("No articles opened yet").setEnabled(False)
