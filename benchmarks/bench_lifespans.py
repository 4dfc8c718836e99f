"""Starting and stopping 1,000 trivial lifespans: nbplug's LifespanGroup against a hand-written loop.

The hand-written contender is the seed's runner: each lifespan entered as an ``asynccontextmanager``
on one ``AsyncExitStack``, yielded coroutines started with ``create_task``, then cancelled and the
stack closed. nbplug does the same work plus phases, events, dependency ordering, per-lifespan
loggers and the teardown promise; the ratio says what that costs.

Run: ``python benchmarks/bench_lifespans.py [--quick]`` (or through ``benchmarks/run_all.py``).
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
import time
from collections.abc import AsyncIterator, Callable, Coroutine
from typing import Any

from nbplug.lifespans import LifespanGroup, LifespanSpec

COUNT = 1000


async def _forever() -> None:
    await asyncio.Event().wait()


def _specs(with_task: bool) -> list[LifespanSpec]:
    """COUNT trivial lifespans: set up nothing, yield None (or a task), tear down nothing."""
    specs = []
    for i in range(COUNT):

        async def life() -> AsyncIterator[Coroutine[Any, Any, None] | None]:
            yield _forever() if with_task else None

        specs.append(LifespanSpec(name=f"l{i}", function=life))
    return specs


async def _nbplug(specs: list[LifespanSpec]) -> tuple[float, float, float]:
    t0 = time.perf_counter()
    group = LifespanGroup()
    for spec in specs:
        group.add(spec)
    t1 = time.perf_counter()
    await group.start()
    t2 = time.perf_counter()
    await group.stop()
    t3 = time.perf_counter()
    return t1 - t0, t2 - t1, t3 - t2


async def _by_hand(specs: list[LifespanSpec]) -> tuple[float, float, float]:
    t0 = time.perf_counter()
    managers = [contextlib.asynccontextmanager(spec.function) for spec in specs]
    t1 = time.perf_counter()
    stack = contextlib.AsyncExitStack()
    jobs = [await stack.enter_async_context(manager()) for manager in managers]
    tasks = [asyncio.create_task(job) for job in jobs if job is not None]
    t2 = time.perf_counter()
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    await stack.aclose()
    t3 = time.perf_counter()
    return t1 - t0, t2 - t1, t3 - t2


Contender = Callable[[list[LifespanSpec]], Coroutine[Any, Any, tuple[float, float, float]]]


def _best(contender: Contender, specs: list[LifespanSpec], runner: asyncio.Runner) -> list[float]:
    return list(runner.run(contender(specs)))


def measure(quick: bool = False) -> dict[str, dict[str, list[float]]]:
    """Best (add, start, stop) seconds per case and contender, contenders interleaved."""
    repeats = 2 if quick else 9
    contenders: dict[str, Contender] = {"nbplug": _nbplug, "by hand": _by_hand}
    results: dict[str, dict[str, list[float]]] = {}
    for case, with_task in (("yield None", False), ("yield a task", True)):
        specs = _specs(with_task)
        best = {name: [float("inf")] * 3 for name in contenders}
        with asyncio.Runner() as runner:
            for _ in range(repeats):
                for name, contender in contenders.items():
                    took = _best(contender, specs, runner)
                    best[name] = [min(a, b) for a, b in zip(best[name], took, strict=True)]
        results[case] = best
    return results


def render(results: dict[str, dict[str, list[float]]], quick: bool) -> str:
    """The Markdown section for RESULTS.md."""
    rows = [
        "| case | nbplug start+stop ms | by hand ms | nbplug/by hand | nbplug µs per lifespan "
        "(add / start / stop) |",
        "|---|---:|---:|---:|---|",
    ]
    for case, best in results.items():
        ours, theirs = sum(best["nbplug"][1:]), sum(best["by hand"][1:])
        per = " / ".join(f"{s / COUNT * 1e6:.1f}" for s in best["nbplug"])
        rows.append(f"| {case} | {ours * 1e3:.1f} | {theirs * 1e3:.1f} | {ours / theirs:.1f}× | {per} |")
    mode = " **Quick mode: figures are rough.**" if quick else ""
    return "\n".join(
        [
            "## Lifespans: start and stop 1,000 trivial lifespans (bench_lifespans)",
            "",
            f"Best of {2 if quick else 9} runs, contenders interleaved, one event loop per case."
            f"{mode} *By hand* is the seed's runner (`asynccontextmanager` + `AsyncExitStack` + "
            "`create_task`, no phases, events, ordering or error gathering); nbplug's figure is "
            "`await group.start()` + `await group.stop()` (`add` is shown per lifespan apart).",
            "",
            *rows,
            "",
            "Command: `python benchmarks/bench_lifespans.py` (or `python benchmarks/run_all.py`).",
        ]
    )


def run(quick: bool = False) -> str:
    """Measure and return the Markdown section (the ``run_all.py`` entry point)."""
    return render(measure(quick), quick)


if __name__ == "__main__":
    print(run(quick="--quick" in sys.argv[1:]))
