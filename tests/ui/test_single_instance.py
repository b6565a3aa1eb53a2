"""The instance guard: one primary window per library, later starts hand their file over."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

from pytestqt.qtbot import QtBot

from desktop_app.ui.shell.single_instance import (
    InstanceGuard,
    decode_request,
    encode_request,
    instance_key,
)


def test_every_spelling_of_a_library_path_gives_the_same_key(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    plain = instance_key(tmp_path / "library.db")
    assert instance_key(tmp_path / "sub" / ".." / "library.db") == plain
    assert instance_key(tmp_path / "other.db") != plain


def test_a_request_names_the_file_absolutely_or_nothing(tmp_path: Path) -> None:
    os.chdir(tmp_path)
    assert decode_request(encode_request(Path("article.md"))) == tmp_path / "article.md"
    assert decode_request(encode_request(None)) is None
    assert decode_request(b"\xff not json\n") is None


def test_a_second_start_hands_its_file_to_the_first(qtbot: QtBot, tmp_path: Path) -> None:
    library = tmp_path / "library.db"
    primary = InstanceGuard(library)
    secondary = InstanceGuard(library)
    try:
        assert primary.acquire()
        assert primary.serve()
        assert not secondary.acquire()
        assert secondary.owner_pid() == os.getpid()
        article = tmp_path / "talks.md"
        with qtbot.waitSignal(primary.activationRequested, timeout=5000) as received:
            assert secondary.hand_over(article)
        assert received.args == [article]
        with qtbot.waitSignal(primary.activationRequested, timeout=5000) as received:
            assert secondary.hand_over(None)
        assert received.args == [None]
    finally:
        primary.release()
        secondary.release()


def test_another_library_gets_its_own_primary(tmp_path: Path) -> None:
    first = InstanceGuard(tmp_path / "one.db")
    second = InstanceGuard(tmp_path / "two.db")
    try:
        assert first.acquire()
        assert second.acquire()
    finally:
        first.release()
        second.release()


def test_a_released_library_can_be_taken_again(tmp_path: Path) -> None:
    first = InstanceGuard(tmp_path / "library.db")
    assert first.acquire()
    first.release()
    again = InstanceGuard(tmp_path / "library.db")
    try:
        assert again.acquire()
    finally:
        again.release()


def test_a_killed_primary_leaves_a_lock_the_next_start_takes_over(
    qtbot: QtBot, tmp_path: Path
) -> None:
    library = tmp_path / "library.db"
    script = (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from PySide6.QtCore import QCoreApplication\n"
        "from desktop_app.ui.shell.single_instance import InstanceGuard\n"
        "app = QCoreApplication([])\n"
        "guard = InstanceGuard(Path(sys.argv[1]))\n"
        "assert guard.acquire() and guard.serve()\n"
        "print('ready', flush=True)\n"
        "time.sleep(60)\n"
    )
    with subprocess.Popen(
        [sys.executable, "-c", script, str(library)], stdout=subprocess.PIPE, text=True
    ) as process:
        try:
            assert process.stdout is not None
            assert process.stdout.readline().strip() == "ready"
            blocked = InstanceGuard(library)
            assert not blocked.acquire()
            assert blocked.owner_pid() == process.pid
        finally:
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=10)
    successor = InstanceGuard(library)
    later = InstanceGuard(library)
    try:
        assert successor.acquire()
        assert successor.serve()  # the dead primary's socket name is taken over
        assert not later.acquire()
        with qtbot.waitSignal(successor.activationRequested, timeout=5000):
            assert later.hand_over(None)
    finally:
        successor.release()
        later.release()
