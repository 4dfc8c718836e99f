"""Recording a real pytest run: 500 tiny tests, recorded (``run_pytest``) against the same run not
recorded (``pytest.main`` with the same arguments, output capture and import clean-up).

Both contenders run in this process, interleaved, best of several runs, on the process's CPU time
(time other programs take on the shared machine is not counted). Recorded with the default budget
(the first 2,000 calls kept whole, 5 of every hook more, every call counted), and with every call
kept (``max_calls`` past the run's size), which is what detail costs. Target: the default
recording costs at most 1.3x the plain run (the goal for any real system).

Run: ``python benchmarks/bench_recorder.py [--quick]`` (or through ``benchmarks/run_all.py``).
"""

from __future__ import annotations

import contextlib
import io
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from nbplug.recording.pytest_run import import_pytest, imports_restored, run_pytest

TESTS = 500
TARGET = 1.3
CASES = ("default budget", "every call kept")
CLOCK = time.process_time


def _write_tests(folder: Path, count: int) -> Path:
    path = folder / "test_tiny.py"
    path.write_text("".join(f"def test_{i}():\n    pass\n" for i in range(count)))
    return path


def measure(quick: bool = False) -> dict[str, float]:
    """Best CPU seconds of each contender, interleaved."""
    pytest = import_pytest()
    count, repeats = (50, 2) if quick else (TESTS, 7)
    with tempfile.TemporaryDirectory() as tmp:
        path = str(_write_tests(Path(tmp), count))
        args = ["-q", "-p", "no:cacheprovider", path]

        def plain() -> None:
            out = io.StringIO()
            with imports_restored([tmp]), contextlib.redirect_stdout(out), \
                    contextlib.redirect_stderr(out):
                assert pytest.main(args) == 0, out.getvalue()

        def recorded(max_calls: int | None) -> Callable[[], None]:
            def go() -> None:
                kw = {} if max_calls is None else {"max_calls": max_calls}
                run = run_pytest([path], ["-q"], **kw)
                assert run.exit_code == 0, run.output
            return go

        contenders = {"plain": plain, "default budget": recorded(None),
                      "every call kept": recorded(10**9)}
        for contender in contenders.values():  # warm up: imports, plugin discovery
            contender()
        best = dict.fromkeys(contenders, float("inf"))
        for _ in range(repeats):
            for name, contender in contenders.items():
                start = CLOCK()
                contender()
                best[name] = min(best[name], CLOCK() - start)
    best["tests"] = count
    return best


def render(best: dict[str, float], quick: bool) -> str:
    """The Markdown section for RESULTS.md."""
    count = int(best["tests"])
    rows = ["| case | recorded ms | plain ms | recorded/plain | target |", "|---|---:|---:|---:|---|"]
    for case in CASES:
        ratio = best[case] / best["plain"]
        target = (f"≤ {TARGET}× {'met' if ratio <= TARGET else 'MISSED'}" if case == CASES[0]
                  else "(detail's cost)")
        rows.append(f"| {case} | {best[case] * 1e3:.0f} | {best['plain'] * 1e3:.0f} | "
                    f"{ratio:.2f}× | {target} |")
    mode = " **Quick mode: figures are rough.**" if quick else ""
    return "\n".join([
        f"## Recording a pytest run of {count} tiny tests (bench_recorder)",
        "",
        f"Best of {2 if quick else 7} runs, contenders interleaved, CPU time of this process.{mode} "
        "*Plain* is `pytest.main` with the same arguments (`-q -p no:cacheprovider`), output "
        "captured and imports cleaned up as `run_pytest` does; *recorded* is `run_pytest`, which "
        "records every hook call of pytest's plugin manager from `pytest_addhooks` on.",
        "",
        *rows,
        "",
        "Command: `python benchmarks/bench_recorder.py` (or `python benchmarks/run_all.py`).",
    ])


def run(quick: bool = False) -> str:
    """Measure and return the Markdown section (the ``run_all.py`` entry point)."""
    return render(measure(quick), quick)


if __name__ == "__main__":
    print(run(quick="--quick" in sys.argv[1:]))
