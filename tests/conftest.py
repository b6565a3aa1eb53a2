"""Shared fixtures: every test runs offscreen, with its own library and settings in tmp_path."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest

SEED = Path(__file__).resolve().parents[1] / "resources" / "sample-article.txt"


@pytest.fixture(autouse=True)
def _isolated_user_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Point the platform's data and config folders into tmp_path: no test touches $HOME."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "xdg-state"))  # the log folder


@pytest.fixture
def sample_text() -> str:
    """The sample article exactly as shipped."""
    return SEED.read_text(encoding="utf-8")


@pytest.fixture
def library_path(tmp_path: Path) -> Path:
    """A library file that does not exist yet."""
    return tmp_path / "library.db"


@pytest.fixture
def store(library_path: Path) -> Iterator[object]:
    """An open, prepared library store on a real SQLite file."""
    from desktop_app.storage.library_setup import prepare_library
    from desktop_app.storage.library_store import LibraryStore

    opened = LibraryStore.open(library_path)
    prepare_library(opened)
    yield opened
    opened.close()
