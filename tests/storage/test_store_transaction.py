"""`store.transaction()`: many store calls land together or not at all."""

from __future__ import annotations

import sqlite3
import threading
from contextlib import closing
from pathlib import Path

import pytest

from desktop_app.core.codebook import CodebookError, TagSpec
from desktop_app.storage.library_store import LibraryStore


def _tag_names_on_disk(path: Path) -> list[str]:
    with closing(sqlite3.connect(path)) as connection:
        return [row[0] for row in connection.execute("SELECT name FROM tags ORDER BY position")]


def test_a_raising_block_leaves_nothing_behind(store: LibraryStore, library_path: Path) -> None:
    before = _tag_names_on_disk(library_path)
    with pytest.raises(RuntimeError), store.transaction():
        store.add_tag(TagSpec("economy", "#112233", ""))
        assert "economy" in [t.name for t in store.tags()]  # the block sees its own writes
        assert _tag_names_on_disk(library_path) == before  # nobody else does yet
        raise RuntimeError("the import failed half-way")
    assert _tag_names_on_disk(library_path) == before


def test_a_refused_call_inside_keeps_the_others(store: LibraryStore, library_path: Path) -> None:
    with store.transaction():
        store.add_tag(TagSpec("economy", "#112233", ""))
        with pytest.raises(CodebookError):
            store.add_tag(TagSpec("economy", "#445566", ""))
        store.add_tag(TagSpec("energy", "#778899", ""), parent_id=None)
    assert _tag_names_on_disk(library_path)[-2:] == ["economy", "energy"]


def test_nested_blocks_join_the_outer_one(store: LibraryStore, library_path: Path) -> None:
    before = _tag_names_on_disk(library_path)
    with pytest.raises(RuntimeError), store.transaction():
        with store.transaction():
            store.add_tag(TagSpec("economy", "#112233", ""))
        raise RuntimeError("outer fails after the inner block ended")
    assert _tag_names_on_disk(library_path) == before


def test_another_thread_is_not_drawn_in(store: LibraryStore, library_path: Path) -> None:
    """The window's own key presses commit at once while a worker's import is under way."""
    seen: list[BaseException] = []

    def other_thread() -> None:
        try:
            store.set_setting("from-the-window", "1")
        except BaseException as error:  # pragma: no cover - reported below
            seen.append(error)

    with pytest.raises(RuntimeError), store.transaction():
        store.add_tag(TagSpec("economy", "#112233", ""))
        worker = threading.Thread(target=other_thread)
        worker.start()
        worker.join(0.3)  # it waits for the write lock: it is not part of this block
        assert worker.is_alive() or seen
        raise RuntimeError("import refused")
    worker.join(10)
    assert not seen
    assert store.setting("from-the-window") == "1"
    assert "economy" not in _tag_names_on_disk(library_path)
