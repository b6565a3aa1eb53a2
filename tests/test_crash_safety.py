"""Nothing is lost: the real app and the real commands killed with SIGKILL in the middle of work.

Each test starts `python -m desktop_app ...` as a separate process, kills it without warning
and then looks at what is left on disk: the library must pass SQLite's integrity check and hold
every change that was reported as committed, and a file being written must be either the old
one or the complete new one. SIGKILL gives the process no chance to clean up, so these tests
see what a crash or a pulled plug (short of losing the page cache) would leave.
"""

from __future__ import annotations

import csv
import io
import itertools
import os
import re
import select
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

SAMPLE = Path(__file__).resolve().parents[1] / "resources" / "sample-article.txt"
# Generous: two shared cores, the whole suite running beside us, Python and Qt starting cold.
START_TIMEOUT = 90.0
COMMAND_TIMEOUT = 180.0
# -noreset: an X server resets when its last client goes, and drops clients that connect
# meanwhile ("could not connect to display"); these tests kill the app and start it again.
XVFB_OPTIONS = ("-screen", "0", "1400x900x24", "-nolisten", "tcp", "-noreset")

# One committed annotation change, as DocumentSession logs it after the commit returned.
CHANGE_LINE = re.compile(
    r"document_session: annotation (?P<id>\d+) (?P<change>created|restored|retagged|placed"
    r"|reverted)(?: \([^)]*\))? in document (?P<document>\d+) \[(?P<start>\d+):(?P<end>\d+)\) "
    r"tags (?P<tags>.*)$"
)
DELETE_LINE = re.compile(r"document_session: annotation (?P<id>\d+) deleted$")
OTHER_CHANGE_LINE = re.compile(r"document_session: annotation \d+ ")

Annotations = dict[int, tuple[int, int, tuple[str, ...]]]


# -- helpers ---------------------------------------------------------------------------------


def wait_for(predicate: Callable[[], bool], timeout: float, interval: float = 0.02) -> bool:
    """Poll `predicate` until it holds or `timeout` seconds pass; whether it held."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval)
    return predicate()


@pytest.fixture
def user_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """The environment of every child: all user folders (the log too) inside tmp_path."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "xdg-state"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    return {**os.environ, "QT_QPA_PLATFORM": "offscreen"}


def command(*arguments: str) -> list[str]:
    return [sys.executable, "-m", "desktop_app", *arguments]


def run_cli(env: dict[str, str], *arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command(*arguments), env=env, capture_output=True, text=True, timeout=COMMAND_TIMEOUT
    )


@contextmanager
def reaped(process: subprocess.Popen[bytes]) -> Iterator[subprocess.Popen[bytes]]:
    """Make sure a child we started is dead and waited for, whatever the test did."""
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=COMMAND_TIMEOUT)


def kill_now(process: subprocess.Popen[bytes]) -> None:
    """SIGKILL, then reap (a process that finished already is left as it is)."""
    if process.poll() is None:
        process.send_signal(signal.SIGKILL)
    process.wait(timeout=COMMAND_TIMEOUT)


def snapshot(database: Path, folder: Path) -> Path:
    """Copy the library and its write-ahead log as a crash left them (the -shm index is
    rebuilt from the log by the next opener, so it is deliberately not copied)."""
    folder.mkdir(parents=True, exist_ok=True)
    copy = folder / database.name
    for suffix in ("", "-wal", "-journal"):
        source = database.with_name(database.name + suffix)
        if source.exists():
            shutil.copyfile(source, copy.with_name(copy.name + suffix))
    return copy


def integrity(database: Path) -> str:
    """PRAGMA integrity_check of `database` opened normally, so its -wal is honoured."""
    connection = sqlite3.connect(database)
    try:
        rows = connection.execute("PRAGMA integrity_check").fetchall()
        return "\n".join(str(row[0]) for row in rows)
    finally:
        connection.close()


def stored_annotations(database: Path) -> Annotations:
    """Every annotation in the library: id -> (start, end, tag names in codebook order)."""
    connection = sqlite3.connect(database)
    try:
        spans = connection.execute('SELECT id, start, "end" FROM annotations').fetchall()
        links = connection.execute(
            "SELECT l.annotation_id, t.name FROM annotation_tags l "
            "JOIN tags t ON t.id = l.tag_id ORDER BY t.position"
        ).fetchall()
    finally:
        connection.close()
    tags: dict[int, list[str]] = {}
    for annotation_id, name in links:
        tags.setdefault(annotation_id, []).append(name)
    return {i: (start, end, tuple(tags.get(i, ()))) for i, start, end in spans}


def read_only(database: Path, query: str) -> list[tuple[object, ...]]:
    """Rows of `query` on a library another process is using; [] while it cannot be read."""
    if not database.exists():
        return []
    try:
        connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=1)
        try:
            return connection.execute(query).fetchall()
        finally:
            connection.close()
    except sqlite3.Error:
        return []


def need_tools(*names: str) -> None:
    missing = [name for name in names if shutil.which(name) is None]
    if missing:
        pytest.skip(f"needs {' and '.join(missing)} (installed by .ci/run) to press real keys")


@contextmanager
def xvfb_display(tmp_path: Path) -> Iterator[str]:
    """A private X server on a free display number; yields its DISPLAY."""
    read_end, write_end = os.pipe()
    with (tmp_path / "xvfb.txt").open("wb") as errors:
        server = subprocess.Popen(
            ["Xvfb", "-displayfd", str(write_end), *XVFB_OPTIONS],
            pass_fds=(write_end,),
            stdout=subprocess.DEVNULL,
            stderr=errors,
        )
    os.close(write_end)
    try:
        number = b""
        deadline = time.monotonic() + START_TIMEOUT
        while not number.endswith(b"\n") and time.monotonic() < deadline:
            ready, _, _ = select.select([read_end], [], [], 1.0)
            if ready:
                chunk = os.read(read_end, 64)
                if not chunk:
                    break
                number += chunk
        if not number.endswith(b"\n"):
            pytest.fail(f"Xvfb did not start: {(tmp_path / 'xvfb.txt').read_text()}")
        yield f":{number.decode().strip()}"
    finally:
        os.close(read_end)
        server.terminate()  # not SIGKILL: Xvfb removes its lock file and socket on SIGTERM
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=30)


def xdotool(display: str, *arguments: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["xdotool", *arguments],
        env={**os.environ, "DISPLAY": display},
        capture_output=True,
        text=True,
        timeout=60,
    )


def logged_changes(log: Path) -> list[str]:
    """The complete annotation-change lines of the log (a line cut by the kill is ignored)."""
    if not log.exists():
        return []
    text = log.read_text(encoding="utf-8", errors="replace")
    lines = text.split("\n")[:-1]  # the last piece has no newline yet, or is empty
    return [line for line in lines if OTHER_CHANGE_LINE.search(line)]


def replay(lines: list[str]) -> Annotations:
    """What the library must hold according to the log: created minus deleted, last tags."""
    state: Annotations = {}
    for line in lines:
        if (change := CHANGE_LINE.search(line)) is not None:
            names = () if change["tags"] == "-" else tuple(change["tags"].split(", "))
            state[int(change["id"])] = (int(change["start"]), int(change["end"]), names)
        elif (deletion := DELETE_LINE.search(line)) is not None:
            state.pop(int(deletion["id"]), None)
    return state


# -- 1. a burst of real key presses, then SIGKILL ---------------------------------------------

# After the first "J 1": create, retag, untag, create-and-delete, in a repeating pattern.
BURST_GROUPS = (("j", "1", "2"), ("j", "1", "2", "1"), ("j", "3", "3"), ("j", "2"), ("j", "1"))
KILL_AFTER_CHANGES = 14


def test_a_burst_of_key_presses_killed_midway_keeps_every_committed_change(
    tmp_path: Path, user_env: dict[str, str]
) -> None:
    need_tools("Xvfb", "xdotool")
    from desktop_app.diagnostics import log_path

    database = tmp_path / "library.db"
    log = log_path()
    sentences = SAMPLE.read_text(encoding="utf-8").split("\n")
    offsets = [sum(len(s) + 1 for s in sentences[:i]) for i in range(len(sentences))]
    sentence_spans = {(o, o + len(s)) for o, s in zip(offsets, sentences, strict=True)}

    with xvfb_display(tmp_path) as display:
        env = {**user_env, "DISPLAY": display, "QT_QPA_PLATFORM": "xcb"}
        with (tmp_path / "app-stderr.txt").open("wb") as stderr:
            app = subprocess.Popen(
                command("--db", str(database)), env=env, stdout=subprocess.DEVNULL, stderr=stderr
            )
        with reaped(app):
            # The log starts after the first paint; the session is attached once the sample
            # article is marked as opened in the library (same event-loop turn): keys pressed
            # before that would be dropped.
            started = wait_for(
                lambda: (
                    log.exists()
                    and "started" in log.read_text(encoding="utf-8")
                    and bool(
                        read_only(database, "SELECT id FROM documents WHERE opened_at NOT NULL")
                    )
                ),
                START_TIMEOUT,
                interval=0.1,
            )
            assert started, f"the app did not start: {(tmp_path / 'app-stderr.txt').read_text()}"
            windows: list[str] = []

            def window_found() -> bool:
                found = xdotool(display, "search", "--onlyvisible", "--pid", str(app.pid))
                windows[:] = found.stdout.split()
                return bool(windows)

            assert wait_for(window_found, START_TIMEOUT, interval=0.2), "no visible window"
            window = windows[0]

            # A first "J 1" until it is handled: proves the keys reach the article.
            for _attempt in range(3):
                xdotool(display, "windowfocus", window)
                xdotool(display, "key", "--window", window, "--delay", "50", "j", "1")
                if wait_for(lambda: len(logged_changes(log)) >= 1, 30.0, interval=0.05):
                    break
            assert logged_changes(log), "the key presses never reached the article"

            burst = [key for group in BURST_GROUPS * 4 for key in group]
            with (tmp_path / "xdotool.txt").open("wb") as keys_log:
                presser = subprocess.Popen(
                    ["xdotool", "key", "--window", window, "--delay", "40", *burst],
                    env={**os.environ, "DISPLAY": display},
                    stdout=subprocess.DEVNULL,
                    stderr=keys_log,
                )
            with reaped(presser):
                reached = wait_for(
                    lambda: len(logged_changes(log)) >= KILL_AFTER_CHANGES, 120.0, interval=0.005
                )
                kill_now(app)
                pressing = presser.poll() is None
            assert reached, f"only {len(logged_changes(log))} changes were handled"
    assert app.returncode == -signal.SIGKILL

    lines = logged_changes(log)
    expected = replay(lines)
    created_spans = {
        (int(m["start"]), int(m["end"])) for line in lines if (m := CHANGE_LINE.search(line))
    }
    assert created_spans <= sentence_spans, "a key press tagged something that is no sentence"
    assert any(DELETE_LINE.search(line) for line in lines), "the burst deleted nothing"
    assert any(" retagged " in line for line in lines), "the burst retagged nothing"

    crashed = snapshot(database, tmp_path / "after-kill")
    assert integrity(crashed) == "ok"
    stored = stored_annotations(crashed)
    # The change in flight (committed, not yet logged) may be there or not, and it concerns
    # the newest annotation: anything else must match the log exactly.
    newest = max(int(m[1]) for line in lines if (m := re.search(r"annotation (\d+)", line)))
    differing = {i for i in expected.keys() | stored.keys() if expected.get(i) != stored.get(i)}
    print(
        f"burst killed after {len(lines)} logged changes, keys still being pressed: {pressing}; "
        f"{len(stored)} annotations stored, {len(differing)} in flight"
    )
    assert len(differing) <= 1 and all(i >= newest for i in differing), (
        f"log and library disagree on {sorted(differing)}: "
        f"log {[expected.get(i) for i in differing]}, library {[stored.get(i) for i in differing]}"
        f" (the xdotool burst was {'still' if pressing else 'no longer'} running)"
    )

    # The library opens again, in the window and on the command line, and shows them all.
    listing = run_cli(user_env, "list", "--db", str(database))
    assert listing.returncode == 0, listing.stderr
    assert re.search(rf"^\s+1\s+{len(stored)}\s", listing.stdout, re.MULTILINE), listing.stdout
    opened = "SELECT opened_at FROM documents"
    opened_before = read_only(database, opened)
    with (tmp_path / "restart-stderr.txt").open("wb") as stderr:
        restarted = subprocess.Popen(
            command("--db", str(database)), env=user_env, stdout=subprocess.DEVNULL, stderr=stderr
        )
    with reaped(restarted):
        # Up means: logging started, and the library opened the article again (after paint).
        came_up = wait_for(
            lambda: (
                log.read_text(encoding="utf-8").count(" started ") >= 2
                and read_only(database, opened) not in ([], opened_before)
            ),
            START_TIMEOUT,
            interval=0.1,
        )
        assert came_up, (tmp_path / "restart-stderr.txt").read_text()
        assert restarted.poll() is None, (tmp_path / "restart-stderr.txt").read_text()
        restarted.send_signal(signal.SIGTERM)
    assert "Traceback" not in (tmp_path / "restart-stderr.txt").read_text()
    assert stored_annotations(database) == stored

    exported = run_cli(user_env, "export", "--db", str(database), "--format", "markdown", "-o", "-")
    assert exported.returncode == 0, exported.stderr
    assert re.search(rf"^annotations: {len(stored)}$", exported.stdout, re.MULTILINE)
    sections = re.findall(
        r"^## \d+ · characters (\d+)–(\d+)\n\n(?:> .*\n)+\n\*\*Tags:\*\* (.*)$",
        exported.stdout,
        re.MULTILINE,
    )
    shown = sorted((int(s), int(e), tuple(re.findall(r"#(\S+)", t))) for s, e, t in sections)
    assert shown == sorted(stored.values())


# -- 2. SIGKILL during an import ----------------------------------------------------------------


def big_article(path: Path, size: int) -> str:
    """A text article of about `size` bytes: the sample again and again, paragraphs numbered."""
    sample = SAMPLE.read_text(encoding="utf-8")
    parts: list[str] = []
    total = number = 0
    while total < size:
        parts.append(sample.replace("around the world.", f"around the world ({number})."))
        total += len(parts[-1].encode("utf-8")) + 2
        number += 1
    text = "\n\n".join(parts) + "\n"
    path.write_text(text, encoding="utf-8", newline="")
    return text


def wal_larger_than(database: Path, size: int) -> bool:
    """Whether the library's write-ahead log holds more than `size` bytes yet."""
    try:
        return database.with_name(database.name + "-wal").stat().st_size > size
    except FileNotFoundError:
        return False


def test_an_import_killed_at_any_moment_stores_the_whole_document_or_nothing(
    tmp_path: Path, user_env: dict[str, str]
) -> None:
    from desktop_app.core.text_normalise import normalise_text

    article = tmp_path / "big.txt"
    text = normalise_text(big_article(article, 15_000_000))
    empty = tmp_path / "empty.db"
    prepared = run_cli(user_env, "list", "--db", str(empty))
    assert prepared.returncode == 0, prepared.stderr

    # How long a whole import takes here, so the kills land before, in and after the write.
    reference = tmp_path / "reference.db"
    shutil.copyfile(empty, reference)
    began = time.monotonic()
    complete = run_cli(user_env, "import", str(article), "--db", str(reference))
    duration = time.monotonic() - began
    assert complete.returncode == 0, complete.stderr
    assert read_only(reference, "SELECT text FROM documents") == [(text,)]

    # (what the kill waits for, seconds after the start or None, -wal size in MB or None)
    moments: list[tuple[str, float | None, int | None]] = [
        (f"{fraction:.0%} of a whole import", duration * fraction, None)
        for fraction in (0.3, 0.6, 0.8, 0.9, 1.0)
    ]
    moments += [(f"the -wal past {mb} MB", None, mb) for mb in (1, 8)]
    outcomes = []
    for number, (moment, delay, wal_mb) in enumerate(moments):
        database = tmp_path / f"killed-{number}.db"
        shutil.copyfile(empty, database)
        importer = subprocess.Popen(
            command("import", str(article), "--db", str(database)),
            env=user_env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        with reaped(importer):
            if delay is not None:
                time.sleep(delay)  # a moment chosen on purpose, not a wait for something
            if wal_mb is not None:
                wal_past = partial(wal_larger_than, database, wal_mb * 1_000_000)
                wait_for(wal_past, COMMAND_TIMEOUT, interval=0.002)
            kill_now(importer)
        assert integrity(database) == "ok", moment
        texts = read_only(database, "SELECT text FROM documents")
        assert texts in ([], [(text,)]), f"{moment}: a partial document ({len(texts)} rows)"
        outcomes.append((moment, importer.returncode, len(texts)))
        print(f"import killed at {moment}: exit {importer.returncode}, {len(texts)} document(s)")

        again = run_cli(user_env, "import", str(article), "--db", str(database))
        assert again.returncode == 0, f"{moment}: {again.stderr}"
        assert read_only(database, "SELECT text FROM documents") == [(text,)], moment
        assert integrity(database) == "ok", moment
    # The kills must really have hit imports at work, not only before or after.
    assert any(code == -signal.SIGKILL for _m, code, _n in outcomes), outcomes


# -- 3. SIGKILL during an export ----------------------------------------------------------------

EXPORT_ANNOTATIONS = 3_000
OLD_CONTENT = b"the previous export, which must survive a failed one\n"


@pytest.fixture
def annotated_library(tmp_path: Path) -> Path:
    """A library with a 2 MB article and 3,000 annotations on its sentences."""
    from desktop_app.core.anchors import anchor_for
    from desktop_app.storage.library_setup import prepare_library
    from desktop_app.storage.library_store import LibraryStore, NewAnnotation

    path = tmp_path / "annotated.db"
    text = big_article(tmp_path / "long.txt", 2_000_000)
    store = LibraryStore.open(path)
    try:
        prepare_library(store)
        document = store.add_document("Long article", "long.txt", text)
        tag_ids = [tag.id for tag in store.tags()]
        starts = [0, *(i + 1 for i, c in enumerate(text) if c == "\n")]
        lines = [(s, e - 1) for s, e in itertools.pairwise(starts) if e - 1 > s]
        now = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)
        store.add_annotations(
            [
                NewAnnotation(
                    document_id=document.id,
                    uuid=str(uuid.UUID(int=number + 1)),
                    anchor=anchor_for(text, *lines[(number * 7) % len(lines)]),
                    tag_ids=(tag_ids[number % len(tag_ids)],),
                    note="Check the figure." if number % 4 == 0 else "",
                    created=now,
                    updated=now,
                )
                for number in range(EXPORT_ANNOTATIONS)
            ]
        )
    finally:
        store.close()
    return path


def complete_export(data: bytes, export_format: str, reference: bytes) -> bool:
    """True when `data` is a whole export equal to `reference` (HTML up to its date stamp)."""
    if export_format == "csv":
        rows = list(csv.reader(io.StringIO(data.decode("utf-8"))))
        return len(rows) == EXPORT_ANNOTATIONS + 1 and data == reference

    def undated(page: bytes) -> bytes:
        return re.sub(rb'<time datetime="[^"]*">[^<]*</time>', b"<time/>", page)

    return data.rstrip().endswith(b"</html>") and undated(data) == undated(reference)


@pytest.mark.parametrize("export_format", ["html", "csv"])
def test_an_export_killed_at_any_moment_leaves_the_old_file_or_the_whole_new_one(
    tmp_path: Path, user_env: dict[str, str], annotated_library: Path, export_format: str
) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    reference_path = tmp_path / f"reference.{export_format}"
    arguments = ["export", "--db", str(annotated_library), "--format", export_format, "-o"]
    began = time.monotonic()
    complete = run_cli(user_env, *arguments, str(reference_path))
    duration = time.monotonic() - began
    assert complete.returncode == 0, complete.stderr
    reference = reference_path.read_bytes()
    assert complete_export(reference, export_format, reference)

    target = folder / f"notes.{export_format}"

    def temporary_files() -> list[Path]:
        return [p for p in folder.iterdir() if p != target]

    # (what the kill waits for, seconds after the start; None: the temporary file appearing)
    moments: list[tuple[str, float | None]] = [
        (f"{fraction:.0%} of a whole export", duration * fraction)
        for fraction in (0.5, 0.8, 0.9, 1.0)
    ]
    moments.append(("the temporary file appeared", None))
    seen = []
    for moment, delay in moments:
        target.write_bytes(OLD_CONTENT)
        exporter = subprocess.Popen(
            command(*arguments, str(target)),
            env=user_env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        with reaped(exporter):
            if delay is not None:
                time.sleep(delay)  # a moment chosen on purpose, not a wait for something
            else:
                wait_for(lambda: bool(temporary_files()), COMMAND_TIMEOUT, interval=0.001)
            kill_now(exporter)
        data = target.read_bytes()
        assert data == OLD_CONTENT or complete_export(data, export_format, reference), (
            f"{moment}: half a file ({len(data)} of {len(reference)} bytes)"
        )
        # What a kill leaves beside the target: only hidden ".notes.<fmt>.*.part" files.
        leftovers = temporary_files()
        pattern = re.compile(rf"^\.notes\.{export_format}\.[^/]+\.part$")
        assert all(pattern.match(p.name) for p in leftovers), leftovers
        seen.append((moment, exporter.returncode, data == OLD_CONTENT, len(leftovers)))
        print(
            f"{export_format} killed at {moment}: exit {exporter.returncode}, "
            f"{'old' if data == OLD_CONTENT else 'new'} content, {len(leftovers)} leftover(s)"
        )
        for leftover in leftovers:
            leftover.unlink()
    assert any(code == -signal.SIGKILL for _m, code, _old, _n in seen), seen

    # After all that, an export still works and replaces the old content.
    target.write_bytes(OLD_CONTENT)
    finished = run_cli(user_env, *arguments, str(target))
    assert finished.returncode == 0, finished.stderr
    assert complete_export(target.read_bytes(), export_format, reference)
    assert temporary_files() == []
