"""A program of its own made of lifespans: the countdown demo, plus a ticker to run many of.

    python examples/demo.py --verbose countdown --from 3 echo
    python examples/demo.py ticker --every 1 ticker --every 0.25 --times 8
    python examples/demo.py ticker --times 20 keys    # press ? for the keys, Ctrl-D for the tasks
    python examples/demo.py --help

click-async-plugins' ``python demo.py countdown --from 3 echo``, written with nbplug: the program's
own options (``--verbose``) come before the lifespans, each lifespan's after its name, and a name
given twice runs a second instance (``ticker``, ``ticker#2``). Ctrl-C tears every lifespan down in
reverse order; the exit status says how it ended (0, 1 failed, 2 bad input, 130 Ctrl-C).
"""

from __future__ import annotations

import asyncio

import click
from countdown import countdown, echo  # the lifespans of examples/countdown.py, beside this file

from nbplug.lifespans import Lifespan, LifespanContext
from nbplug.terminal import ProgramRun, keys, lifespan_program, pass_run


@lifespan_program(countdown, echo, keys, log_option=False)
@click.option("--verbose", "-v", is_flag=True, help="Log the whole life cycle (debug lines too).")
@pass_run
def demo(run: ProgramRun, verbose: bool) -> None:
    """The countdown demo: a countdown, an echo of it, and tickers."""
    run.log_level = "debug" if verbose else "info"


@demo.lifespan
@click.option(
    "--every", type=click.FloatRange(min=0.01), default=1.0, help="Seconds between two ticks."
)
@click.option("--times", type=click.IntRange(min=1), help="Stop after this many ticks.")
async def ticker(
    ctx: LifespanContext, every: float, times: int | None
) -> Lifespan:
    """Log a tick every --every seconds (for ever, or --times times)."""

    async def tick() -> None:
        count = 0
        while times is None or count < times:
            await asyncio.sleep(every)
            count += 1
            ctx.log.info("tick %d", count)

    yield tick()

    ctx.log.info("Lifespan over for %s", ctx.name)


if __name__ == "__main__":
    demo()
