"""The window on a damaged or locked library: the recovery dialog's ways out, driven with real
widgets, and the backups the window makes once the library is open."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QPushButton
from pytestqt.qtbot import QtBot

from desktop_app.core.anchors import anchor_for
from desktop_app.storage import backups
from desktop_app.storage.backups import list_backups, make_backup
from desktop_app.storage.library_setup import prepare_library
from desktop_app.storage.library_store import LAST_DOCUMENT_KEY, LibraryStore
from desktop_app.ui.dialogs.recovery_dialog import RecoveryChoice, RecoveryDialog
from desktop_app.ui.shell import application as application_module
from desktop_app.ui.shell.application import ClaimmarkApplication
from desktop_app.ui.shell.settings import AppSettings

T0 = datetime(2025, 3, 1, 9, 30, tzinfo=UTC)
TEXT = "Trade talks resumed on Monday. Security was discussed. The coalition held firm.\n"
QUOTES = ("Trade talks resumed on Monday.", "Security was discussed.")

Starter = Callable[..., ClaimmarkApplication]


def library_with_annotations(path: Path, quotes: tuple[str, ...]) -> None:
    """A closed library whose last document carries one annotation per quote, tagged."""
    store = LibraryStore.open(path)
    try:
        prepare_library(store)
        document = store.add_document("Talks", "talks.txt", TEXT)
        tag = store.tags()[0].id
        for quote in quotes:
            start = TEXT.index(quote)
            store.create_annotation(document.id, anchor_for(TEXT, start, start + len(quote)), [tag])
        store.set_setting(LAST_DOCUMENT_KEY, str(document.id))
    finally:
        store.close()


def truncate_to_half(path: Path) -> bytes:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path.read_bytes()


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` and its bytes."""
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


@pytest.fixture
def starter(qtbot: QtBot, tmp_path: Path) -> Iterator[Starter]:
    """Create (not yet start) the application on tmp_path/library.db; shut it down after."""
    made: list[ClaimmarkApplication] = []

    def create(settings: Path | None = None) -> ClaimmarkApplication:
        app = ClaimmarkApplication(tmp_path / "library.db", settings or tmp_path / "settings.ini")
        qtbot.addWidget(app.window)
        made.append(app)
        return app

    yield create
    for app in made:
        app.window.close()
        app.shutdown()
    QApplication.processEvents()


def offered_dialog(qtbot: QtBot, app: ClaimmarkApplication) -> RecoveryDialog:
    with qtbot.waitSignal(app.recoveryOffered, timeout=20_000) as offered:
        app.start()
    dialog = offered.args[0]
    assert isinstance(dialog, RecoveryDialog)
    qtbot.waitExposed(dialog)
    return dialog


def button(dialog: RecoveryDialog, name: str) -> QPushButton:
    found = dialog.findChild(QPushButton, name)
    assert found is not None, name
    return found


def message_of(dialog: RecoveryDialog) -> str:
    label = dialog.findChild(QLabel, "recoveryMessage")
    assert label is not None
    return label.text()


def buttons_shown(dialog: RecoveryDialog) -> set[str]:
    return {b.objectName() for b in dialog.findChildren(QPushButton) if b.isVisible()}


# --- a damaged library ----------------------------------------------------------------------------


def test_restore_brings_back_the_newest_good_backup_and_keeps_the_broken_file(
    qtbot: QtBot, starter: Starter, library_path: Path
) -> None:
    library_with_annotations(library_path, QUOTES[:1])
    good = make_backup(library_path, now=T0)
    store = LibraryStore.open(library_path)
    document = store.documents()[0]
    start = TEXT.index(QUOTES[1])
    store.create_annotation(
        document.id, anchor_for(TEXT, start, start + len(QUOTES[1])), [store.tags()[1].id]
    )
    store.close()
    newer = make_backup(library_path, now=T0 + timedelta(days=1))
    truncate_to_half(newer.path)  # the newest backup is damaged too: it must be skipped
    broken = truncate_to_half(library_path)

    app = starter()
    dialog = offered_dialog(qtbot, app)

    assert buttons_shown(dialog) == {"restoreButton", "newButton", "quitButton"}
    restore = button(dialog, "restoreButton")
    assert good.label() in restore.text() and newer.label() not in restore.text()
    assert str(library_path) in message_of(dialog)
    with qtbot.waitSignal(app.ready, timeout=20_000):
        qtbot.mouseClick(restore, Qt.MouseButton.LeftButton)

    assert app.session is not None
    assert [a.exact for a in app.session.annotations()] == [QUOTES[0]]
    assert app.window.annotation_model.rowCount() == 1
    assert app.session.document is not None and app.session.document.title == "Talks"
    (aside,) = (
        p
        for p in library_path.parent.glob("library.db.broken-*")
        if not p.name.endswith(("-wal", "-shm"))
    )
    assert aside.read_bytes() == broken
    status = app.window.statusBar().currentMessage()
    assert f"Restored the backup of {good.label()}." in status and str(aside) in status


def test_start_new_moves_the_broken_file_aside_and_opens_an_empty_library(
    qtbot: QtBot, starter: Starter, library_path: Path
) -> None:
    broken = b"This is a shopping list, not a library.\n" * 100
    library_path.write_bytes(broken)

    app = starter()
    dialog = offered_dialog(qtbot, app)

    # No backup exists: restoring is not offered at all.
    assert buttons_shown(dialog) == {"newButton", "quitButton"}
    with qtbot.waitSignal(app.ready, timeout=20_000):
        qtbot.mouseClick(button(dialog, "newButton"), Qt.MouseButton.LeftButton)

    assert app.store is not None
    assert [d.title for d in app.store.documents()] == [
        "Takaichi faces her first big test as Trump arrives in Tokyo"
    ]
    (aside,) = library_path.parent.glob("library.db.broken-*")
    assert aside.read_bytes() == broken
    assert "Started a new library" in app.window.statusBar().currentMessage()


@pytest.mark.parametrize("how", ["button", "escape"])
def test_quit_leaves_everything_untouched(
    qtbot: QtBot,
    starter: Starter,
    library_path: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    how: str,
) -> None:
    library_with_annotations(library_path, QUOTES)
    make_backup(library_path, now=T0)
    truncate_to_half(library_path)
    # QApplication.exit outside exec() would end the next test's event loops at once (Qt
    # remembers it); record the exit code instead.
    exits: list[int] = []
    monkeypatch.setattr(QApplication, "exit", staticmethod(exits.append))
    app = starter()
    dialog = offered_dialog(qtbot, app)
    before = snapshot(tmp_path)

    with qtbot.waitSignal(app.failed) as failed:
        if how == "button":
            qtbot.mouseClick(button(dialog, "quitButton"), Qt.MouseButton.LeftButton)
        else:
            qtbot.keyClick(dialog, Qt.Key.Key_Escape)

    assert str(library_path) in failed.args[0]
    assert exits == [1]
    assert app.store is None
    assert dialog.choice is RecoveryChoice.QUIT
    assert snapshot(tmp_path) == before


# --- a locked library -----------------------------------------------------------------------------


def test_a_locked_library_offers_to_try_again(
    qtbot: QtBot, starter: Starter, library_path: Path
) -> None:
    library_with_annotations(library_path, QUOTES)
    holder = sqlite3.connect(library_path)
    holder.execute("PRAGMA locking_mode=EXCLUSIVE")
    holder.execute("UPDATE app_settings SET value = value")
    holder.commit()
    try:
        app = starter()
        dialog = offered_dialog(qtbot, app)
        assert "in use by another program" in message_of(dialog)
        # The file is sound, only busy: nothing may be restored over it or moved aside.
        assert buttons_shown(dialog) == {"retryButton", "quitButton"}
    finally:
        holder.close()
    with qtbot.waitSignal(app.ready, timeout=20_000):
        qtbot.mouseClick(button(dialog, "retryButton"), Qt.MouseButton.LeftButton)
    assert app.session is not None
    assert [a.exact for a in app.session.annotations()] == list(QUOTES)
    assert not list(library_path.parent.glob("library.db.broken-*"))


# --- backups made by the window -------------------------------------------------------------------


@pytest.fixture
def quick_startup_backup(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """No wait before the start-up backup, and the names of the threads backups ran on."""
    monkeypatch.setattr(application_module, "STARTUP_BACKUP_DELAY_MS", 10)
    threads: list[str] = []
    real = backups.make_backup

    def recording(*args: object, **kwargs: object) -> backups.Backup:
        threads.append(threading.current_thread().name)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(backups, "make_backup", recording)
    return threads


def test_a_changed_library_is_backed_up_after_start_up_off_the_gui_thread(
    qtbot: QtBot, starter: Starter, library_path: Path, quick_startup_backup: list[str]
) -> None:
    library_with_annotations(library_path, QUOTES)
    app = starter()
    with qtbot.waitSignal(app.ready, timeout=20_000):
        app.start()
    with qtbot.waitSignal(app.backedUp, timeout=20_000) as made:
        pass
    backup = made.args[0]
    assert list_backups(library_path) == [backup]
    assert backups.is_good_backup(backup.path)
    assert quick_startup_backup and threading.main_thread().name not in quick_startup_backup


def test_an_unchanged_library_is_not_backed_up_again_at_start_up(
    qtbot: QtBot, starter: Starter, library_path: Path, quick_startup_backup: list[str]
) -> None:
    library_with_annotations(library_path, QUOTES)
    make_backup(library_path)
    app = starter()
    with qtbot.assertNotEmitted(app.backedUp, wait=500), qtbot.waitSignal(app.ready):
        app.start()
    assert quick_startup_backup == []
    assert len(list_backups(library_path)) == 1


def test_a_stretch_of_changes_makes_a_backup_and_rotation_follows_the_setting(
    qtbot: QtBot, starter: Starter, library_path: Path, tmp_path: Path
) -> None:
    settings_file = tmp_path / "settings.ini"
    settings = AppSettings(settings_file)
    settings.changes_between_backups = 3
    settings.backups_kept = 2
    settings.sync()
    library_with_annotations(library_path, QUOTES)
    for n in range(3):  # three old backups: two are kept once the window makes its own
        make_backup(library_path, keep=10, now=T0 + timedelta(minutes=n))
    app = starter(settings_file)
    with qtbot.waitSignal(app.ready, timeout=20_000):
        app.start()
    app._startup_backup.stop()  # this test is about the stretch of changes only
    assert app.store is not None and app.backup_policy is not None
    app.backup_policy.backed_up()
    app.backup_policy.minimum_interval = 0

    app.store.set_setting("one", "1")
    app.store.set_setting("two", "2")
    with qtbot.assertNotEmitted(app.backedUp, wait=100):
        app.back_up_if_due()
    app.store.set_setting("three", "3")
    with qtbot.waitSignal(app.backedUp, timeout=20_000) as made:
        app.back_up_if_due()

    kept = list_backups(library_path)
    assert [b.path for b in kept] == [made.args[0].path, kept[1].path]
    assert len(kept) == 2 and kept[1].taken_at == T0 + timedelta(minutes=2)
    assert app.backup_policy.changes == 0


def test_backup_settings_are_typed_and_clamped(tmp_path: Path) -> None:
    settings = AppSettings(tmp_path / "settings.ini")
    assert (settings.backups_kept, settings.changes_between_backups) == (5, 100)
    settings.backups_kept = 0
    settings.changes_between_backups = 7
    assert (settings.backups_kept, settings.changes_between_backups) == (1, 7)
    (tmp_path / "hand.ini").write_text("[backup]\nkept=many\n", encoding="utf-8")
    assert AppSettings(tmp_path / "hand.ini").backups_kept == 5
