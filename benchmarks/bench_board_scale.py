"""The lifespan board at scale: how long a board of 50, 500 and 5,000 lifespans takes to draw, and
how many bytes it publishes.

Each case is a real LifespanGroup of N lifespans (each logs a line at its set-up and one at its
teardown) watched by a LifespanBoard whose live widget is built before the start, as
``%plugin start`` builds it. Every widget message is counted where ipywidgets sends it
(``comm.create_comm`` is replaced by a comm that measures what it would send, as JSON), over the
board's whole life: the first draw, the start, a tick of the timeline, a stop of every lifespan.

Figures: the render time of the display bundle (``text/plain`` and ``text/html``, process CPU
time, best of several repeats) and its bytes; the widget messages sent over the life and their
bytes; the messages one tick sends (what an update costs). Target (from the design): every
published output under 2 MB whatever the number of lifespans (Jupyter's IOPub data-rate limit is
1 MB/s); an update sends what is on the board's page (50 lifespans), not every row.

Run: ``python benchmarks/bench_board_scale.py [--quick]`` (or through ``benchmarks/run_all.py``).
"""

from __future__ import annotations

import asyncio
import json
import logging
import sys
import time
from collections.abc import AsyncIterator
from typing import Any

LIMIT = 2_000_000
SIZES = (50, 500, 5000)
CASES = tuple(f"{n:,} lifespans" for n in SIZES)


class Meter:
    """Counts the widget messages sent, and their bytes as JSON, while installed."""

    def __init__(self) -> None:
        self.messages = 0
        self.bytes = 0

    def install(self) -> Any:
        """Measure from now on; returns what ``comm.create_comm`` was (to put it back)."""
        import comm
        from comm.base_comm import BaseComm

        meter = self

        class Measured(BaseComm):  # type: ignore[misc]
            def publish_msg(self, msg_type: str, data: Any = None, metadata: Any = None,
                            buffers: Any = None, **keys: Any) -> None:
                meter.messages += 1
                meter.bytes += len(json.dumps({"msg_type": msg_type, "data": data}, default=str).encode())

        previous = comm.create_comm
        comm.create_comm = lambda *args, **kwargs: Measured(*args, **kwargs)
        return previous


async def one_life(count: int, meter: Meter, repeats: int) -> dict[str, float]:
    """A board over ``count`` lifespans through a start, a tick and a stop; its figures."""
    from nbplug.lifespans import LifespanContext, LifespanGroup, lifespan
    from nbplug.widgets import LifespanBoard

    @lifespan
    async def worker(ctx: LifespanContext) -> AsyncIterator[None]:
        ctx.log.info("worker set up")
        yield
        ctx.log.info("worker torn down")

    group = LifespanGroup(on_task_failure="isolate", log_level=logging.INFO)
    board = LifespanBoard(group)
    meter.messages = meter.bytes = 0
    _ = board.widget
    for i in range(count):
        group.add(worker, name=f"worker_{i:04d}")
    await group.start()
    board.refresh()
    best, bundle = float("inf"), 0
    for _ in range(repeats):
        started = time.process_time()
        text, html = board.forms()
        best = min(best, time.process_time() - started)
        bundle = len(json.dumps({"text/plain": text, "text/html": html}).encode())
    before = meter.messages
    await asyncio.sleep(1.05)  # a tick: the uptimes and the timeline move
    board.refresh()
    tick = meter.messages - before
    await group.stop()
    board.refresh()
    board.close()
    return {"render": best, "bundle": bundle, "messages": meter.messages, "wire": meter.bytes, "tick": tick}


def run(quick: bool = False) -> str:
    """Measure and return the Markdown section for ``benchmarks/RESULTS.md``."""
    import comm

    meter = Meter()
    previous = meter.install()
    repeats = 2 if quick else 7
    rows, worst = [], 0
    try:
        lives = [asyncio.run(one_life(count, meter, repeats)) for count in SIZES]
    finally:
        comm.create_comm = previous
    for count, f in zip(SIZES, lives, strict=True):
        worst = max(worst, int(f["bundle"]), int(f["wire"]))
        rows.append(f"| {count:,} lifespans | {f['render'] * 1e3:.0f} ms | {f['bundle'] / 1e6:.2f} MB | "
                    f"{int(f['messages']):,} | {f['wire'] / 1e6:.2f} MB | {int(f['tick'])} | "
                    f"{max(f['bundle'], f['wire']) / LIMIT:.3f}x |")
    verdict = "MET" if worst < LIMIT else "MISSED"
    return "\n".join([
        "## The lifespan board at scale (bench_board_scale)",
        "",
        "A real LifespanGroup of N lifespans (a log line at set-up and at teardown) and its live "
        "LifespanBoard, built before the start; every widget message counted as JSON where "
        "ipywidgets sends it, over the board's life (first draw, start, one tick, stop of all). "
        "Render: the display bundle's text/plain and text/html (process CPU time, best of "
        f"{repeats}), after the start.",
        "",
        "| board | render | bundle | widget messages | their bytes | messages a tick | largest/limit |",
        "|---|---:|---:|---:|---:|---:|---:|",
        *rows,
        "",
        f"Target: every published output under 2 MB whatever the number of lifespans: {verdict} "
        f"(largest {worst / 1e6:.2f} MB). The board shows a page of 50 lifespans, counts every one "
        "per phase and says how to see the rest (its page and filter controls; "
        "`LifespanBoard(group, page=2, phase='failed', name='TEXT')`); an update re-sends what is on "
        "that page only.",
        "",
        "Command: `python benchmarks/bench_board_scale.py` (or `python benchmarks/run_all.py`).",
    ])


if __name__ == "__main__":
    print(run(quick="--quick" in sys.argv[1:]))
