"""Two processes on one library: concurrent writers wait their turn and nothing is lost.

Two workers create 200 annotations each on the same document, one committed transaction per
annotation like the window's key presses, while a command-line import of a large article runs
beside them. SQLite serialises the writers (WAL, busy_timeout); none may fail with "database is
locked" and every annotation must be there afterwards.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

SAMPLE = Path(__file__).resolve().parents[1] / "resources" / "sample-article.txt"
PER_WORKER = 200
TIMEOUT = 300.0

# A worker: open the library, wait for the starting gun, then create annotations one by one on
# spans of its own (worker w takes [8i + 4w, 8i + 4w + 3)), tagged with the worker's tag.
WORKER = """
import sys, time
from pathlib import Path
from desktop_app.core.anchors import anchor_for
from desktop_app.storage.library_store import LibraryStore

database, go = Path(sys.argv[1]), Path(sys.argv[2])
worker, count = int(sys.argv[3]), int(sys.argv[4])
store = LibraryStore.open(database)
try:
    document = store.documents()[0].id
    text = store.document(document).text
    tag = [t.id for t in store.tags()][worker]
    print("ready", flush=True)
    while not go.exists():
        time.sleep(0.01)
    began = time.time()
    for number in range(count):
        start = 8 * number + 4 * worker
        store.create_annotation(document, anchor_for(text, start, start + 3), [tag])
finally:
    store.close()
print("done", began, time.time(), flush=True)
"""


def wait_for_line(process: subprocess.Popen[str], expected: str) -> str:
    line = process.stdout.readline() if process.stdout else ""
    assert line.strip() == expected, f"worker said {line!r}"
    return line


def test_two_writers_and_an_import_at_once_lose_nothing(tmp_path: Path) -> None:
    database = tmp_path / "library.db"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    command = [sys.executable, "-m", "desktop_app"]
    # A library with the sample article and the default codebook, as the window leaves it.
    prepared = subprocess.run(
        [*command, "import", str(SAMPLE), "--db", str(database)],
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    assert prepared.returncode == 0, prepared.stderr
    assert len(SAMPLE.read_text(encoding="utf-8")) > 8 * PER_WORKER + 8

    article = tmp_path / "big.txt"
    paragraph = SAMPLE.read_text(encoding="utf-8")
    article.write_text(
        "\n\n".join(paragraph.replace("world.", f"world ({n}).") for n in range(1500)),
        encoding="utf-8",
    )
    go = tmp_path / "go"
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, str(database), str(go), str(w), str(PER_WORKER)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for w in (0, 1)
    ]
    importer: subprocess.Popen[str] | None = None
    try:
        for worker in workers:
            wait_for_line(worker, "ready")
        importer = subprocess.Popen(
            [*command, "import", str(article), "--db", str(database)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        time.sleep(0.5)  # on purpose: let the importer start, so its write meets theirs
        go.touch()
        deadline = time.monotonic() + TIMEOUT
        while importer.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        imported_at = time.time()  # the import's write is the last thing it does
        results = [p.communicate(timeout=TIMEOUT) for p in [*workers, importer]]
    finally:
        for process in [*workers, *([importer] if importer else [])]:
            if process.poll() is None:
                process.kill()
            process.communicate(timeout=TIMEOUT)

    for process, (_out, err) in zip([*workers, importer], results, strict=True):
        assert "database is locked" not in err, err
        assert process.returncode == 0, err
    assert "imported as document 2" in results[2][0], results[2]
    windows = [tuple(map(float, out.split()[1:])) for out, _err in results[:2]]
    print(
        "workers wrote during "
        + ", ".join(f"{a - windows[0][0]:+.2f}..{b - windows[0][0]:+.2f} s" for a, b in windows)
        + f"; the import ended at {imported_at - windows[0][0]:+.2f} s"
    )

    connection = sqlite3.connect(database)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        tags = [row[0] for row in connection.execute("SELECT id FROM tags ORDER BY position")]
        spans = connection.execute(
            'SELECT a.start, a."end", l.tag_id FROM annotations a '
            "JOIN annotation_tags l ON l.annotation_id = a.id "
            "WHERE a.document_id = 1"
        ).fetchall()
        documents = connection.execute("SELECT id, length(text) FROM documents").fetchall()
    finally:
        connection.close()
    expected = {
        (8 * n + 4 * w, 8 * n + 4 * w + 3, tags[w]) for w in (0, 1) for n in range(PER_WORKER)
    }
    assert len(spans) == 2 * PER_WORKER
    assert set(spans) == expected
    assert [d for d, _length in documents] == [1, 2]
