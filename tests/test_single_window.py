"""Two starts on one library: the second hands its file to the first window and exits."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from test_end_to_end import document_titles, wait_for

pytestmark = pytest.mark.slow


def test_a_second_start_opens_its_file_in_the_first_window(tmp_path: Path) -> None:
    database = tmp_path / "library.db"
    article = tmp_path / "talks.md"
    article.write_text("# Talks in Tokyo\n\nThe talks went on. Nobody left.\n", encoding="utf-8")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_STATE_HOME": str(tmp_path)}
    log = tmp_path / "first.txt"
    with log.open("wb") as stderr:
        first = subprocess.Popen(
            [sys.executable, "-m", "desktop_app", "--db", str(database)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
        try:
            assert wait_for(lambda: len(document_titles(database)) == 1), log.read_text()
            second = subprocess.run(
                [sys.executable, "-m", "desktop_app", str(article), "--db", str(database)],
                env=env,
                capture_output=True,
                text=True,
                timeout=60,
            )
            assert second.returncode == 0, second.stderr
            assert wait_for(lambda: "Talks in Tokyo" in document_titles(database)), log.read_text()
            assert first.poll() is None, f"the first window exited: {log.read_text()}"
        finally:
            first.send_signal(signal.SIGTERM)
            first.wait(timeout=20)
