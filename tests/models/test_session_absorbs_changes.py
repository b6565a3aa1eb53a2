"""Changes made away from the window's keys reach the session as change reports.

A second store on the same library file plays the other process (an import, another coder):
it writes, the session is told what changed, and the session re-reads exactly that and sends
its own signals. A report handed over on a worker thread is applied on the session's thread.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QThread
from PySide6.QtWidgets import QApplication

from desktop_app.core.anchors import anchor_for
from desktop_app.core.change_report import ChangeReport
from desktop_app.core.codebook import TagSpec
from desktop_app.models.document_session import DocumentSession
from desktop_app.storage.library_setup import prepare_library, start_document
from desktop_app.storage.library_store import LibraryStore

TEXT = "The summit 🤝 opened in Tokyo.\nTrade was on the table.\nSo was security."


@pytest.fixture
def two_stores(tmp_path: Path) -> Iterator[tuple[LibraryStore, LibraryStore]]:
    """The window's store and another one on the same file (the outside writer)."""
    path = tmp_path / "library.db"
    mine = LibraryStore.open(path)
    prepare_library(mine)
    other = LibraryStore.open(path)
    yield mine, other
    other.close()
    mine.close()


@pytest.fixture
def session(qapp: QApplication, two_stores: tuple[LibraryStore, LibraryStore]) -> DocumentSession:
    mine, _other = two_stores
    opened = DocumentSession(mine)
    opened.open_document(start_document(mine))
    return opened


class Heard:
    """Every signal the session sends, in order, with the thread it arrived on."""

    NAMES = (
        "libraryChanged",
        "tagsChanged",
        "documentOpened",
        "documentClosed",
        "documentRetitled",
        "annotationAdded",
        "annotationRemoved",
        "annotationUpdated",
    )

    def __init__(self, session: DocumentSession) -> None:
        self.names: list[str] = []
        self.threads: set[QThread] = set()
        for name in self.NAMES:
            getattr(session, name).connect(lambda *_args, name=name: self._heard(name))

    def _heard(self, name: str) -> None:
        self.names.append(name)
        self.threads.add(QThread.currentThread())


def test_an_empty_report_changes_nothing(session: DocumentSession) -> None:
    heard = Heard(session)
    session.absorb(ChangeReport())
    assert heard.names == []


def test_an_annotation_added_elsewhere_is_shown(session, two_stores) -> None:
    _mine, other = two_stores
    assert session.document is not None
    heard = Heard(session)
    text = session.document.text
    start = text.index("summit")
    added = other.create_annotation(session.document.id, anchor_for(text, start, start + 6), [])
    assert session.annotation(added.id) is None
    session.absorb(ChangeReport.of(annotations=[added.id]))
    assert session.annotation(added.id) == added
    assert session.annotation_with_span(start, start + 6) == added
    assert heard.names == ["libraryChanged"]  # a new record shows without annotationUpdated


def test_an_annotation_changed_and_deleted_elsewhere_follows(session, two_stores) -> None:
    _mine, other = two_stores
    assert session.document is not None
    document_id = session.document.id
    record = session.create_annotation(document_id, anchor_for(session.document.text, 0, 10), [])
    heard = Heard(session)
    other.set_note(record.id, "checked by the desk")
    session.absorb(ChangeReport.of(annotations=[record.id]))
    shown = session.annotation(record.id)
    assert shown is not None and shown.note == "checked by the desk"
    assert heard.names == ["annotationUpdated", "libraryChanged"]
    other.delete_annotation(record.id)
    session.absorb(ChangeReport.of(annotations=[record.id]))
    assert session.annotation(record.id) is None
    assert session.annotation_count == 0
    assert heard.names[-2:] == ["annotationRemoved", "libraryChanged"]


def test_a_codebook_change_elsewhere_reloads_the_tags(session, two_stores) -> None:
    _mine, other = two_stores
    heard = Heard(session)
    other.add_tag(TagSpec("Energy", "#336699"))
    assert "Energy" not in [t.name for t in session.tags]
    session.absorb(ChangeReport.of(codebook=True))
    assert "Energy" in [t.name for t in session.tags]
    assert heard.names == ["tagsChanged"]


def test_bulk_annotations_of_the_open_document_are_reread(session, two_stores) -> None:
    _mine, other = two_stores
    assert session.document is not None
    document_id = session.document.id
    text = session.document.text
    for start in (0, 40, 80):
        other.create_annotation(document_id, anchor_for(text, start, start + 5), [])
    session.absorb(ChangeReport.of(annotations_of=[document_id]))
    assert session.annotation_count == 3
    assert session.document is not None and session.document.id == document_id


def test_a_rename_elsewhere_retitles_the_open_document(session, two_stores) -> None:
    _mine, other = two_stores
    assert session.document is not None
    heard = Heard(session)
    other.rename_document(session.document.id, "Summit, retitled")
    session.absorb(ChangeReport.of(documents=[session.document.id]))
    assert session.document.title == "Summit, retitled"
    assert heard.names == ["documentRetitled", "libraryChanged"]


def test_the_open_document_deleted_elsewhere_gives_way(session, two_stores) -> None:
    _mine, other = two_stores
    assert session.document is not None
    gone = session.document.id
    kept = other.add_document("Another article", "other.txt", TEXT)
    other.delete_document(gone)
    session.absorb(ChangeReport.of(documents=[gone]))
    assert session.document is not None and session.document.id == kept.id
    other.delete_document(kept.id)
    session.absorb(ChangeReport.of(documents=[kept.id]))
    assert session.document is None


def test_a_report_from_a_worker_thread_is_applied_on_the_sessions_thread(
    session, two_stores, qtbot
) -> None:
    _mine, other = two_stores
    heard = Heard(session)
    other.add_tag(TagSpec("Energy", "#336699"))
    worker = threading.Thread(target=session.absorb, args=(ChangeReport.of(codebook=True),))
    worker.start()
    worker.join()
    assert heard.names == []  # queued, not run on the worker
    qtbot.waitUntil(lambda: heard.names == ["tagsChanged"], timeout=2000)
    assert heard.threads == {session.thread()}
    assert "Energy" in [t.name for t in session.tags]


def test_reports_merge() -> None:
    first = ChangeReport.of(documents=[1], annotations=[5])
    second = ChangeReport.of(annotations_of=[2], codebook=True)
    merged = first.merged(second)
    assert merged == ChangeReport.of(
        documents=[1], annotations_of=[2], annotations=[5], codebook=True
    )
    assert not merged.empty and ChangeReport().empty
    assert not ChangeReport.of(codebook=True).library_list_changed
