"""Hostile files dropped into the window: the one-line reason, and the library as it was."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from gui_actions import import_and_wait
from gui_actions import library_dump as dump


def ratio_bomb(path: Path, member: str) -> Path:
    """A zip whose one big member packs 24 MB of zeros into a few KB (honest sizes)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(member, b"\0" * (24 * 1024 * 1024))
    return path


@pytest.mark.parametrize(
    ("name", "member"),
    [("bomb.docx", "word/document.xml"), ("bomb.epub", "OEBPS/chapter.xhtml")],
)
def test_a_zip_bomb_is_refused_in_the_window(launch, qtbot, tmp_path, name, member):
    bomb = ratio_bomb(tmp_path / name, member)
    app = launch()
    before = dump(app.database)
    import_and_wait(qtbot, app, bomb)
    message = app.window.last_error
    assert message is not None and "\n" not in message and name in message
    assert "Traceback" not in message
    assert "zip bomb" in message  # refused for what it is, not as a "damaged" file
    assert dump(app.database) == before


def test_a_project_that_is_not_a_zip_is_refused_in_the_window(launch, qtbot, tmp_path):
    project = tmp_path / "project.qdpx"
    project.write_bytes(b"PK\x03\x04 this is not really a zip archive")
    app = launch()
    before = dump(app.database)
    import_and_wait(qtbot, app, project)
    message = app.window.last_error
    assert message is not None and "\n" not in message and "project.qdpx" in message
    assert dump(app.database) == before
