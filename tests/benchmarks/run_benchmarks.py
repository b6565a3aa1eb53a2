"""`make bench`: run every benchmark and print one line each, `NAME  measured  goal  PASS|MISS`.

Speed goals live here, never in timed unit tests: a busy CI machine must not fail the suite,
but a slower design must show up as a MISS. Where a baseline exists it is measured in the same
run, so the figure does not depend on how fast this machine happens to be today.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import analysis_bench
import export_bench
import import_bench
import memory_bench
import open_bench
import reanchor_bench
import search_bench
import startup_bench
import tagging_bench


@dataclass(frozen=True)
class Result:
    """One benchmark's figure against its goal."""

    name: str
    measured: str
    goal: str
    passed: bool

    def line(self) -> str:
        verdict = "PASS" if self.passed else "MISS"
        return f"{self.name:<28} {self.measured:>22}  {self.goal:<24} {verdict}"


def import_2mb() -> Result:
    seconds, floor = import_bench.measure()
    return Result(
        "import_2mb_text",
        f"{seconds:.3f} s ({seconds / floor:.1f}× floor)",
        "< 0.5 s",
        seconds < 0.5,
    )


def reanchor_10k() -> Result:
    seconds, _results, _old, _new, count = reanchor_bench.measure()
    return Result(
        "reanchor_10k_on_2mb", f"{seconds:.3f} s ({count:,} anchors)", "< 2 s", seconds < 2.0
    )


def exports_10k() -> list[Result]:
    return [
        Result(f"export_10k_{name}", f"{seconds:.3f} s", "< 1 s", seconds < 1.0)
        for name, seconds in export_bench.measure().items()
    ]


def search_1000() -> list[Result]:
    return [
        Result(f"search_1000_{name}", f"{ms:.1f} ms", "< 50 ms", ms < 50)
        for name, ms in search_bench.measure().items()
    ]


def analysis_1000() -> Result:
    seconds = analysis_bench.measure()
    return Result("analysis_library_1000", f"{seconds:.2f} s", "< 3 s", seconds < 3)


def startup() -> list[Result]:
    """Warm start against the bare window (the goal); the first run is shown for information."""
    try:
        medians = startup_bench.measure()
    except startup_bench.Skipped as reason:
        return [Result("startup_warm", f"skipped: {reason}", "<= 1.5× bare window", False)]
    except startup_bench.ExitedEarly as failure:
        # Now and then an X client aborts while connecting to the private Xvfb, three times
        # running: say so on this line and go on with the other benchmarks.
        return [Result("startup_warm", f"failed: {failure}", "<= 1.5× bare window", False)]
    bare = medians["bare"]
    warm, first = medians["warm"] / bare, medians["first_run"] / bare
    return [
        Result(
            "startup_warm", f"{warm:.2f}× ({medians['warm']:.2f} s)", "<= 1.5× bare", warm <= 1.5
        ),
        Result(
            "startup_first_run",
            f"{first:.2f}× ({medians['first_run']:.2f} s)",
            f"(bare {bare:.2f} s; no goal)",
            True,
        ),
    ]


def open_2mb_10k() -> Result:
    seconds, floor = open_bench.measure()
    ratio = seconds / floor
    return Result(
        "open_2mb_10k",
        f"{seconds:.3f} s ({ratio:.1f}× Qt)",
        "<= 3× Qt and < 0.5 s",
        ratio <= 3 and seconds < 0.5,
    )


def tagging_latency() -> Result:
    many, few = tagging_bench.measure()
    ratio = many / few
    return Result(
        "tagging_latency_10k_vs_10",
        f"{many:.1f} ms ({ratio:.2f}× 10)",
        "<= 1.2× and < 16 ms",
        ratio <= 1.2 and many < 16,
    )


def peak_memory_2mb_10k() -> Result:
    """The worse of the two ways to the article: opened from another, or shown at start."""
    medians = memory_bench.measure()
    bare = medians["bare"]
    worse = max(("opened", "restarted"), key=medians.__getitem__)
    app = medians[worse]
    ratio = app / bare
    other = "restarted" if worse == "opened" else "opened"
    return Result(
        "peak_memory_2mb_10k",
        f"{app:.0f} MiB {worse} ({ratio:.2f}× bare {bare:.0f}; {other} {medians[other]:.0f})",
        "<= 2× bare Qt",
        ratio <= 2,
    )


BENCHMARKS: list[Callable[[], Result | list[Result]]] = [
    startup,
    open_2mb_10k,
    tagging_latency,
    peak_memory_2mb_10k,
    import_2mb,
    reanchor_10k,
    exports_10k,
    search_1000,
    analysis_1000,
]


def main() -> int:
    missed = 0
    for benchmark in BENCHMARKS:
        outcome = benchmark()
        for result in outcome if isinstance(outcome, list) else [outcome]:
            print(result.line(), flush=True)
            missed += not result.passed
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
