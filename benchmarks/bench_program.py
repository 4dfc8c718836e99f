"""A program of one's own end to end, and a callback per update, against click-async-plugins' way.

*Program*: ``tool a --n 1 b --n 2 ... a --n 9`` (10 invocations of 5 lifespans, each given twice:
instances), parsed and run until every task has ended, in a fresh event loop: nbplug's
``LifespanProgram`` against click-async-plugins' design written out by hand (a chained
``click.Group`` whose commands return ``asynccontextmanager`` factories, a result callback running
them on an ``AsyncExitStack`` and an ``asyncio.TaskGroup``).

*Updates*: 10,000 updates of one key read by one reader calling a callback each time: nbplug's
``bus.react`` against a hand-written ``async for`` over ``bus.updates`` and against the original's
ITC written out by hand (one ``asyncio.Event`` per subscriber, cleared after each yield).

Run: ``python benchmarks/bench_program.py [--quick]`` (or through ``benchmarks/run_all.py``).
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import sys
import time
from collections.abc import AsyncIterator, Callable, Coroutine
from typing import Any

import click

from nbplug.lifespans import LifespanContext, UpdateBus, lifespan
from nbplug.terminal import LifespanProgram

NAMES = ("a", "b", "c", "d", "e")
ARGV = [word for n in range(10) for word in (NAMES[n % 5], "--n", str(n))]
UPDATES = 10_000


# ----------------------------------------------------------------------------------------- program
def _nbplug_program() -> LifespanProgram:
    program = LifespanProgram("tool", log_level="warning")
    for name in NAMES:

        @lifespan(name=name)
        @click.option("--n", type=int, default=0)
        async def life(ctx: LifespanContext, n: int) -> AsyncIterator[Coroutine[Any, Any, None]]:
            yield asyncio.sleep(0)

        program.add_lifespan(life)
    return program


def _by_hand_program() -> click.Group:
    """click-async-plugins' demo.py design, reduced to what runs here."""

    class PluginCommand(click.Command):
        def invoke(self, ctx: click.Context) -> Any:
            assert self.callback is not None
            callback = self.callback
            return contextlib.asynccontextmanager(functools.partial(callback, **ctx.params))

    @click.group(chain=True)
    def tool() -> None:
        pass

    async def run_plugins(factories: list[Callable[[], Any]]) -> None:
        async with contextlib.AsyncExitStack() as stack:
            tasks = [await stack.enter_async_context(factory()) for factory in factories]
            with contextlib.suppress(asyncio.CancelledError):
                async with asyncio.TaskGroup() as group:
                    for task in tasks:
                        if task is not None:
                            group.create_task(task)

    @tool.result_callback()
    def runner(factories: list[Callable[[], Any]]) -> None:
        asyncio.run(run_plugins(factories))

    for name in NAMES:

        @click.option("--n", type=int, default=0)
        async def life(n: int) -> AsyncIterator[Coroutine[Any, Any, None]]:
            yield asyncio.sleep(0)

        tool.add_command(PluginCommand(name, callback=life, params=life.__click_params__))  # type: ignore[attr-defined]
    return tool


def _time_program(program: click.Group) -> float:
    t0 = time.perf_counter()
    code = program.main(list(ARGV), "tool", standalone_mode=False)
    took = time.perf_counter() - t0
    assert code in (0, None), code
    return took


# ----------------------------------------------------------------------------------------- updates
async def _drive(bus: UpdateBus, reader: Coroutine[Any, Any, None], seen: list[int]) -> float:
    task = asyncio.create_task(reader)
    await asyncio.sleep(0)
    t0 = time.perf_counter()
    for i in range(UPDATES):
        bus.set("k", i)
        while len(seen) <= i:
            await asyncio.sleep(0)
    took = time.perf_counter() - t0
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
    return took


async def _nbplug_react() -> float:
    bus, seen = UpdateBus(), []
    return await _drive(bus, bus.react("k", seen.append), seen)


async def _by_hand_loop() -> float:
    bus, seen = UpdateBus(), []

    async def reader() -> None:
        async with contextlib.aclosing(bus.updates("k")) as updates:
            async for value in updates:
                seen.append(value)

    return await _drive(bus, reader(), seen)


class _ITC:
    """click-async-plugins' ITC as its itc.py has it (an Event per subscriber, cleared after use)."""

    def __init__(self) -> None:
        self.events: list[asyncio.Event] = []
        self.value: Any = None

    def set(self, key: str, value: Any) -> None:
        self.value = value
        for event in self.events:
            event.set()

    async def updates(self, key: str) -> AsyncIterator[Any]:
        event = asyncio.Event()
        self.events.append(event)
        try:
            while True:
                await event.wait()
                yield self.value
                event.clear()
        finally:
            self.events.remove(event)


async def _original_itc() -> float:
    itc, seen = _ITC(), []

    async def reader() -> None:
        async for value in itc.updates("k"):
            if value is not None:
                seen.append(value)

    return await _drive(itc, reader(), seen)  # type: ignore[arg-type]


# ----------------------------------------------------------------------------------------- report
def measure(quick: bool = False) -> dict[str, dict[str, float]]:
    """Best seconds per case and contender, contenders interleaved."""
    repeats = 3 if quick else 15
    programs = {"nbplug": _nbplug_program(), "by hand": _by_hand_program()}
    best: dict[str, dict[str, float]] = {"program": {}, "updates": {}}
    for _ in range(repeats):
        for name, program in programs.items():
            took = _time_program(program)
            best["program"][name] = min(took, best["program"].get(name, took))
    readers = {"nbplug": _nbplug_react, "by hand": _by_hand_loop, "original ITC": _original_itc}
    with asyncio.Runner() as runner:
        for _ in range(max(2, repeats // 3)):
            for name, reader in readers.items():
                took = runner.run(reader())
                best["updates"][name] = min(took, best["updates"].get(name, took))
    return best


def render(best: dict[str, dict[str, float]], quick: bool) -> str:
    """The Markdown section for RESULTS.md."""
    program, updates = best["program"], best["updates"]
    mode = " **Quick mode: figures are rough.**" if quick else ""
    return "\n".join(
        [
            "## Programs of one's own and a callback per update (bench_program)",
            "",
            f"Best of several runs, contenders interleaved.{mode} *Program*: 10 invocations of 5 "
            "lifespans (each given twice) parsed and run to their end in a fresh event loop; *by "
            "hand* is click-async-plugins' design (chained group, `asynccontextmanager` factories, "
            "`AsyncExitStack`, `TaskGroup`). *Updates*: 10,000 updates, one reader calling a "
            "callback on each; *by hand* is `async for` over `bus.updates`, *original ITC* its "
            "Event-per-subscriber bus.",
            "",
            "| case | nbplug | by hand | nbplug/by hand | original ITC | nbplug/original ITC |",
            "|---|---:|---:|---:|---:|---:|",
            f"| program, 10 invocations | {program['nbplug'] * 1e3:.2f} ms | "
            f"{program['by hand'] * 1e3:.2f} ms | {program['nbplug'] / program['by hand']:.2f}× | "
            "n/a | n/a |",
            f"| updates, per update | {updates['nbplug'] / UPDATES * 1e6:.2f} µs | "
            f"{updates['by hand'] / UPDATES * 1e6:.2f} µs | "
            f"{updates['nbplug'] / updates['by hand']:.2f}× | "
            f"{updates['original ITC'] / UPDATES * 1e6:.2f} µs | "
            f"{updates['nbplug'] / updates['original ITC']:.2f}× |",
            "",
            "Command: `python benchmarks/bench_program.py` (or `python benchmarks/run_all.py`).",
        ]
    )


def run(quick: bool = False) -> str:
    """Measure and return the Markdown section (the ``run_all.py`` entry point)."""
    return render(measure(quick), quick)


if __name__ == "__main__":
    print(run(quick="--quick" in sys.argv[1:]))
