"""The real entry point as a separate process: `python -m desktop_app FILE --db PATH`."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


def wait_for(predicate, timeout: float = 20.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def document_titles(database: Path) -> list[str]:
    if not database.exists():
        return []
    try:
        connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
        try:
            return [row[0] for row in connection.execute("SELECT title FROM documents")]
        finally:
            connection.close()
    except sqlite3.Error:
        return []


def test_window_process_imports_the_file_and_stays_up(tmp_path: Path) -> None:
    article = tmp_path / "talks.md"
    article.write_text("# Talks in Tokyo\n\nThe talks went on. Nobody left.\n", encoding="utf-8")
    database = tmp_path / "library.db"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    log = tmp_path / "stderr.txt"
    with log.open("wb") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", "desktop_app", str(article), "--db", str(database)],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
        try:
            imported = wait_for(lambda: document_titles(database) == ["Talks in Tokyo"])
            time.sleep(0.3)
            still_running = process.poll() is None
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=10)
    assert imported, log.read_text()
    assert still_running, f"the window process exited on its own: {log.read_text()}"


def test_window_refuses_a_library_from_a_newer_version(tmp_path: Path) -> None:
    database = tmp_path / "library.db"
    connection = sqlite3.connect(database)
    connection.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
    connection.execute("INSERT INTO alembic_version VALUES ('0042')")
    connection.commit()
    connection.close()
    before = database.read_bytes()
    result = subprocess.run(
        [sys.executable, "-m", "desktop_app", "list", "--db", str(database)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "0042" in lines[0] and "newer version" in lines[0]
    assert "Traceback" not in result.stderr
    assert database.read_bytes() == before
