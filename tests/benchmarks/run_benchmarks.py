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
import reanchor_bench
import search_bench


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


BENCHMARKS: list[Callable[[], Result | list[Result]]] = [
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
