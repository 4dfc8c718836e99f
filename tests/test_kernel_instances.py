"""Instances and the key lifespan in a real ipykernel: ``%plugin start ticker ticker``, ``keys``."""

from __future__ import annotations

from pathlib import Path

import pytest
from kernel_fixtures import kernel_notebook, outputs_text

pytestmark = [pytest.mark.kernel, pytest.mark.slow]

SETUP = '''
import asyncio
import click
from nbplug.terminal.keyboard import keys
from nbplug.lifespans import lifespan

ticks = {}
journal = []

@lifespan
@click.option("--every", type=float, default=0.01)
async def ticker(ctx, every):
    ticks[ctx.name] = 0
    async def tick():
        while True:
            await asyncio.sleep(every)
            ticks[ctx.name] += 1
    yield tick()
    journal.append(f"{ctx.name} torn down")
'''


def test_instances_and_keys_in_a_kernel(tmp_path: Path) -> None:
    with kernel_notebook(tmp_path) as nb:
        nb.ok("%load_ext nbplug")
        nb.ok(SETUP)
        nb.ok("%plugin add ticker keys")
        started = nb.ok("%plugin start ticker --every 0.01 ticker --every 0.05 keys")
        assert "started ticker, ticker#2, keys" in outputs_text(started)
        nb.wait_for("ticks", lambda v: "'ticker#2': 0" not in v and "'ticker': 0" not in v)
        fast, slow = int(nb.value("ticks['ticker']")), int(nb.value("ticks['ticker#2']"))
        assert fast > slow > 0  # each instance with its own --every
        status = outputs_text(nb.ok("%plugin status"))
        assert "ticker#2" in status and "keys" in status
        # no terminal in a kernel: keys stays up doing nothing, and says so in its log
        log = nb.value(
            "from nbplug.ipython import get_session\n"
            "list(get_session().group.state('keys').log)"
        )
        assert "Standard input is not a terminal" in log
        stopped = nb.ok("%plugin stop")
        assert "stopped keys, ticker#2, ticker" in outputs_text(stopped)
        assert nb.value("journal") == "['ticker#2 torn down', 'ticker torn down']"
