"""The click-async-plugins demo as nbplug lifespans: a countdown and an echo of it.

    nbplug run examples/countdown.py countdown --from 3 echo --immediately

``countdown`` publishes each number on the update bus; ``echo`` prints every update it reads. Press
Ctrl-C to stop: the echo task is cancelled and both lifespans tear down in reverse order.
"""

from __future__ import annotations

import asyncio

import click

from nbplug.lifespans import Lifespan, LifespanContext, lifespan


@lifespan
@click.option(
    "--from", "-f", "start", type=click.IntRange(min=1), default=3, help="Count down from this."
)
@click.option("--sleep", "-s", type=float, default=1.0, help="Seconds between counts.")
async def countdown(
    ctx: LifespanContext, start: int = 3, sleep: float = 1.0
) -> Lifespan:
    """Count down to 1, one number per --sleep seconds, publishing each on the bus."""

    async def counter() -> None:
        current = start
        while current > 0:
            ctx.log.info("Counting down… %d", current)
            ctx.bus.set("countdown", current)
            current = await asyncio.sleep(sleep, current - 1)
        ctx.log.info("Finished counting down")

    yield counter()

    ctx.log.debug("Lifespan over for countdown")


@lifespan
@click.option(
    "--immediately", is_flag=True, help="Echo the current value at once, before the first update."
)
async def echo(ctx: LifespanContext, immediately: bool) -> Lifespan:
    """Echo every update of the countdown."""

    async def reactor() -> None:
        async for current in ctx.bus.updates("countdown", immediately=immediately):
            ctx.log.info("Countdown currently at %s", current)

    yield reactor()

    ctx.log.debug("Lifespan over for echo")
