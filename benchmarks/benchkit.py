"""Shared measuring and reporting helpers for the ``bench_*.py`` modules.

Timings are timeit-style: each contender's statement is compiled into a tight loop, the loop count
is sized automatically, and the best of several repeats is kept. Contenders of one case are
measured interleaved (repeat 1 of every contender, then repeat 2 ...), so a burst of load on the
shared machine hurts all of them alike instead of one. The clock is the process's CPU time
(``time.process_time``), not wall time: time the scheduler gives to other programs on the shared
machine is not counted against whichever contender happened to be running.
"""

from __future__ import annotations

import asyncio
import math
import time
import timeit
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

CLOCK = time.process_time  # CPU seconds of this process: preemption by other work is not counted


@dataclass(frozen=True)
class Budget:
    """How long to measure: seconds per repeat (the loop count is sized to reach it) and repeats."""

    target: float
    repeats: int

    @classmethod
    def for_mode(cls, quick: bool) -> Budget:
        """The budget of a full run or of a ``quick`` (smoke-test) run."""
        return cls(target=0.002, repeats=2) if quick else cls(target=0.02, repeats=21)


@dataclass
class Case:
    """One case: per contender, seconds per call (best of the repeats), or why it is absent."""

    name: str
    seconds: dict[str, float] = field(default_factory=dict)
    missing: dict[str, str] = field(default_factory=dict)

    def ratio(self, top: str, bottom: str) -> float | None:
        """``top``'s time over ``bottom``'s time, or None when either was not measured."""
        if top not in self.seconds or bottom not in self.seconds:
            return None
        return self.seconds[top] / self.seconds[bottom]

    def target_gap(self, rival: str, target: float) -> str:
        """Why "nbplug at least ``target`` times faster than ``rival``" is out of easy reach here:
        what it asks of nbplug against the hand-written loop, and where nbplug is; or ""."""
        ceiling, own = self.ratio(rival, "loop"), self.ratio("nbplug", "loop")
        if ceiling is None or own is None or ceiling >= target:
            return ""
        return (
            f"{rival} is only {ceiling:.2f}x the hand-written loop here, so the target asks for "
            f"{ceiling / target:.2f}x that loop; nbplug is at {own:.2f}x"
        )


def _calibrate(once: Callable[[int], float], target: float) -> int:
    """The loop count whose run takes at least ``target`` seconds (tries 1, 2, 5, 10, 20 ...)."""
    number = 1
    while True:
        for step in (1, 2, 5):
            count = number * step
            took = once(count)
            if took >= target:
                return count
            if took > 0 and took * 10 < target and count >= 10:
                # far off: jump close to the goal instead of stepping through every power of ten
                return max(count + 1, math.ceil(count * target / took))
        number *= 10


def measure_sync(
    statements: Mapping[str, str], namespace: Mapping[str, Any], budget: Budget
) -> dict[str, float]:
    """Seconds per execution of each statement (best of the repeats), measured interleaved."""
    timers = {
        name: timeit.Timer(stmt, timer=CLOCK, globals=dict(namespace)) for name, stmt in statements.items()
    }
    numbers = {name: _calibrate(timer.timeit, budget.target) for name, timer in timers.items()}
    best = dict.fromkeys(timers, math.inf)
    for _ in range(budget.repeats):
        for name, timer in timers.items():
            best[name] = min(best[name], timer.timeit(numbers[name]) / numbers[name])
    return best


_ASYNC_TEMPLATE = """
async def _bench_loop(_count):
    _t0 = _perf_counter()
    for _ in range(_count):
        await {stmt}
    return _perf_counter() - _t0
"""


def measure_async(
    statements: Mapping[str, str],
    namespace: Mapping[str, Any],
    budget: Budget,
    runner: asyncio.Runner,
) -> dict[str, float]:
    """Seconds per awaited statement: many awaits timed inside one coroutine on ``runner``."""
    loops: dict[str, Callable[[int], Any]] = {}
    for name, stmt in statements.items():
        scope = dict(namespace)
        scope["_perf_counter"] = CLOCK
        exec(_ASYNC_TEMPLATE.format(stmt=stmt), scope)
        loops[name] = scope["_bench_loop"]

    def once(loop: Callable[[int], Any]) -> Callable[[int], float]:
        def run(count: int) -> float:
            took: float = runner.run(loop(count))
            return took

        return run

    numbers = {name: _calibrate(once(loop), budget.target) for name, loop in loops.items()}
    best = dict.fromkeys(loops, math.inf)
    for _ in range(budget.repeats):
        for name, loop in loops.items():
            best[name] = min(best[name], once(loop)(numbers[name]) / numbers[name])
    return best


def fmt_time(seconds: float | None) -> str:
    """A per-call time in microseconds, three significant figures."""
    if seconds is None:
        return "n/a"
    return f"{seconds * 1e6:.3g}"


def fmt_ratio(ratio: float | None) -> str:
    """A ratio as ``1.23x`` (``n/a`` when a side is missing)."""
    if ratio is None:
        return "n/a"
    return f"{ratio:.2f}x"


def markdown_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A GitHub-flavoured Markdown table."""
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def comparison_table(cases: Sequence[Case], rival: str,
                     label: Callable[[Case], str] = lambda c: c.name) -> tuple[str, list[str]]:
    """The table of times and ratios for nbplug, ``rival`` and the loop, and notes on absent figures."""
    header = ["case", "loop µs", "nbplug µs", f"{rival} µs", "nbplug/loop", f"{rival}/loop",
              f"{rival}/nbplug"]
    rows = [
        [
            label(c),
            fmt_time(c.seconds.get("loop")),
            fmt_time(c.seconds.get("nbplug")),
            fmt_time(c.seconds.get(rival)),
            fmt_ratio(c.ratio("nbplug", "loop")),
            fmt_ratio(c.ratio(rival, "loop")),
            fmt_ratio(c.ratio(rival, "nbplug")),
        ]
        for c in cases
    ]
    notes = [f"- {c.name}: {who}: {why}" for c in cases for who, why in c.missing.items()]
    return markdown_table(header, rows), notes



def execute_cell(client: Any, code: str, timeout: float) -> tuple[float, int]:
    """Run ``code`` in a kernel through its jupyter_client ``client``; return the seconds until the
    kernel is idle again with all output received, and the widget messages (``comm_msg`` on IOPub)
    seen meanwhile. A cell that fails raises RuntimeError naming the cell and the error."""
    t0 = time.perf_counter()
    msg_id = client.execute(code, store_history=False)
    errors: list[str] = []
    comms = 0
    while True:
        msg = client.get_iopub_msg(timeout=timeout)
        if msg["msg_type"] == "comm_msg":
            comms += 1
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        if msg["msg_type"] == "error":
            errors.append(f"{msg['content']['ename']}: {msg['content']['evalue']}")
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            break
    took = time.perf_counter() - t0
    reply = client.get_shell_msg(timeout=timeout)
    if errors or reply["content"]["status"] != "ok":
        raise RuntimeError(f"benchmark cell failed: {code!r}: {errors or reply['content']}")
    return took, comms


def user_expression(client: Any, expression: str) -> str:
    """The ``text/plain`` form of ``expression`` evaluated in the kernel (an empty cell's
    ``user_expressions``, so nothing is executed or counted as a cell)."""
    msg_id = client.execute("", store_history=False, user_expressions={"v": expression})
    while True:
        reply = client.get_shell_msg(timeout=30)
        if reply["parent_header"].get("msg_id") == msg_id:
            break
    text: str = reply["content"]["user_expressions"]["v"]["data"]["text/plain"]
    return text
