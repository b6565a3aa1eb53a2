"""Benchmark: start-up to the first visible window, against a bare PySide6 window.

Not a pytest test: `make bench` runs it through run_benchmarks.py. A black-box measure that needs
no instrumentation in the product: each command runs as a real process on a private Xvfb
display, and the time is taken from starting the process until `xdotool search --onlyvisible
--pid PID` finds one of its windows (mapped, so the first frame is on its way to the screen);
then the process group is killed. The baseline is tests/benchmarks/bare_window.py: a
QMainWindow with a QTextBrowser holding the sample article. Claimmark runs as
`python -m desktop_app --db TMP/bench.db`: "first run" with a fresh database path each time
(the window shows the sample, then creates and migrates the library), "warm" with a library made
by an earlier run (the goal is for this case). Runs are interleaved, after one warm-up round,
and medians are compared. Settings and data folders point into the temporary folder.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SAMPLE = ROOT / "resources" / "sample-article.txt"
RUNS = 9  # medians of 9: start-up times on this machine spread by a third from run to run
LIMIT_SECONDS = 60.0
RETRY_PAUSE_SECONDS = 1.0


class Skipped(Exception):
    """The machine lacks what the benchmark needs (Xvfb or xdotool)."""


def free_display() -> int:
    """A display number no X server holds (no lock file in /tmp)."""
    for number in range(140, 400):
        if (
            not Path(f"/tmp/.X{number}-lock").exists()
            and not Path(f"/tmp/.X11-unix/X{number}").exists()
        ):
            return number
    raise Skipped("no free X display number")


def start_xvfb() -> tuple[subprocess.Popen[bytes], str]:
    """Start a private Xvfb and wait until it accepts clients; the process and DISPLAY."""
    if shutil.which("Xvfb") is None or shutil.which("xdotool") is None:
        raise Skipped("needs Xvfb and xdotool")
    number = free_display()
    server = subprocess.Popen(
        # -noreset: by default the server resets when its last client goes (each measured
        # process is killed), and drops clients that connect meanwhile.
        ["Xvfb", f":{number}", "-screen", "0", "1400x900x24", "-nolisten", "tcp", "-noreset"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    display = f":{number}"
    began = time.perf_counter()
    while time.perf_counter() - began < 10:
        probe = subprocess.run(
            ["xdotool", "getdisplaygeometry"],
            env={**os.environ, "DISPLAY": display},
            capture_output=True,
        )
        if probe.returncode == 0:
            return server, display
        if server.poll() is not None:
            break
        time.sleep(0.05)
    server.kill()
    server.wait()
    raise Skipped("Xvfb did not start")


def time_to_window(command: list[str], env: dict[str, str], attempts: int = 5) -> float:
    """Seconds from starting `command` until it shows a visible window; the process is killed.

    A process that dies before showing a window is started again after a pause. With a
    resetting X server that happened to 1 launch in 5 to 20: the server resets when its last
    client goes, and closes connections made meanwhile (found with strace: the setup request
    is answered by a hang-up). Xvfb now runs with -noreset; the retry stays for safety.
    """
    for attempt in range(attempts):
        try:
            return _time_to_window_once(command, env)
        except ExitedEarly:
            if attempt == attempts - 1:
                raise
            time.sleep(RETRY_PAUSE_SECONDS)
    raise AssertionError("unreachable")


class ExitedEarly(RuntimeError):
    """The process ended before it showed a window."""


def _time_to_window_once(command: list[str], env: dict[str, str]) -> float:
    with tempfile.TemporaryFile() as errors:
        began = time.perf_counter()
        process = subprocess.Popen(
            command, env=env, stdout=subprocess.DEVNULL, stderr=errors, start_new_session=True
        )
        try:
            while time.perf_counter() - began < LIMIT_SECONDS:
                found = subprocess.run(
                    ["xdotool", "search", "--onlyvisible", "--pid", str(process.pid)],
                    env=env,
                    capture_output=True,
                    text=True,
                ).stdout.strip()
                if found:
                    return time.perf_counter() - began
                if process.poll() is not None:
                    errors.seek(0)
                    last = errors.read().decode(errors="replace").strip().splitlines()[-1:]
                    raise ExitedEarly(
                        f"{command!r} exited {process.returncode} without a window: {last}"
                    )
                time.sleep(0.005)
            raise RuntimeError(f"{command!r}: no window in {LIMIT_SECONDS} s")
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def measure(runs: int = RUNS) -> dict[str, float]:
    """Median seconds to a visible window: bare, Claimmark first run, Claimmark warm start."""
    # An installed package has its bytecode compiled (pip does it); a checkout run with
    # PYTHONDONTWRITEBYTECODE=1 would otherwise compile every module at every start.
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(ROOT / "desktop_app")], check=False
    )
    server, display = start_xvfb()
    try:
        with tempfile.TemporaryDirectory() as folder_name:
            folder = Path(folder_name)
            env = {
                **os.environ,
                "DISPLAY": display,
                "QT_QPA_PLATFORM": "xcb",
                "XDG_CONFIG_HOME": str(folder / "config"),
                "XDG_DATA_HOME": str(folder / "data"),
            }
            python = sys.executable
            bare = [python, str(HERE / "bare_window.py"), str(SAMPLE)]
            warm_db = folder / "warm.db"
            warm = [python, "-m", "desktop_app", "--db", str(warm_db)]
            # The warm library must exist, fully migrated: a first run that is left to settle.
            time_to_window(warm, env)
            settle_first_run(warm, env, warm_db)
            times: dict[str, list[float]] = {"bare": [], "first_run": [], "warm": []}
            for attempt in range(runs + 1):  # the first round warms the disk cache
                fresh_db = folder / f"fresh{attempt}.db"
                first = [python, "-m", "desktop_app", "--db", str(fresh_db)]
                round_times = {
                    "bare": time_to_window(bare, env),
                    "first_run": time_to_window(first, env),
                    "warm": time_to_window(warm, env),
                }
                if attempt:
                    for name, seconds in round_times.items():
                        times[name].append(seconds)
            return {name: statistics.median(values) for name, values in times.items()}
    finally:
        server.kill()
        server.wait()


def settle_first_run(command: list[str], env: dict[str, str], database: Path) -> None:
    """Run Claimmark once for a few seconds so that it creates and fills its library."""
    process = subprocess.Popen(
        command,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        began = time.perf_counter()
        while time.perf_counter() - began < 20 and not database.exists():
            time.sleep(0.1)
        time.sleep(3)  # migrations, codebook and the sample article are written after the paint
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


if __name__ == "__main__":
    try:
        medians = measure()
    except Skipped as reason:
        print(f"startup  skipped: {reason}")
    else:
        base = medians["bare"]
        for name, seconds in medians.items():
            print(f"startup_{name:<10} {seconds:.3f}s  ({seconds / base:.2f}× bare)")
