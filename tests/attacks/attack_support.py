"""What every attack test needs: run the real command line, dump the library, check a refusal.

An attack passes when the hostile input is refused in one line that names the file, the exit
code is 1, and the library is exactly as it was (every table and row, as SQL text).
"""

from __future__ import annotations

import io
import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from desktop_app.cli import run_command

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "resources" / "sample-article.txt"


@dataclass(frozen=True)
class Outcome:
    """What one command returned and printed."""

    code: int
    out: str
    err: str

    @property
    def err_lines(self) -> list[str]:
        return self.err.splitlines()


def run_cli(*argv: str | Path) -> Outcome:
    """Run one headless command in this process (fast; the same code path as the console)."""
    out, err = io.StringIO(), io.StringIO()
    code = run_command([str(a) for a in argv], stdout=out, stderr=err)
    return Outcome(code, out.getvalue(), err.getvalue())


def headless_env() -> dict[str, str]:
    """The environment of a terminal with no display at all."""
    env = dict(os.environ)
    for name in ("QT_QPA_PLATFORM", "DISPLAY", "WAYLAND_DISPLAY"):
        env.pop(name, None)
    return env


def run_cli_process(
    *argv: str | Path | bytes, cwd: Path | None = None, timeout: float = 120
) -> Outcome:
    """Run `python -m desktop_app ARGS` as a real process, as a user's shell would."""
    arguments = [a if isinstance(a, bytes) else str(a) for a in argv]
    completed = subprocess.run(
        [sys.executable, "-m", "desktop_app", *arguments],
        cwd=cwd,
        env=headless_env(),
        capture_output=True,
        timeout=timeout,
        check=False,
    )
    return Outcome(
        completed.returncode,
        completed.stdout.decode("utf-8", "replace"),
        completed.stderr.decode("utf-8", "replace"),
    )


def library_dump(path: Path) -> list[str]:
    """Every table and row of the library, as SQL text ([] when there is no file)."""
    if not path.exists():
        return []
    with closing(sqlite3.connect(path)) as connection:
        return list(connection.iterdump())


def make_library(path: Path) -> list[str]:
    """A library with the sample article in it; returns its dump."""
    outcome = run_cli("import", SAMPLE, "--db", path)
    assert outcome.code == 0, outcome.err
    return library_dump(path)


def assert_refused(outcome: Outcome, names: str, reason: str | None = None) -> None:
    """One line on stderr naming `names` (and containing `reason`), exit 1, no traceback."""
    assert outcome.code == 1, (outcome.code, outcome.out, outcome.err)
    assert "Traceback" not in outcome.err, outcome.err
    lines = outcome.err_lines
    assert len(lines) == 1, lines
    assert names in lines[0], lines[0]
    assert len(lines[0]) < 600, lines[0]
    if reason is not None:
        assert reason.lower() in lines[0].lower(), lines[0]
