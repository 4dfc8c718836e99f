"""``nbplug run`` with real signals: synchronous code in a lifespan's running task is interruptible.

A Ctrl-C that lands in a task's ``time.sleep`` or ``while True`` raises KeyboardInterrupt there, as
Python would; that task ends as cancelled and the run stops as on any first Ctrl-C (every teardown
once, status 130), instead of waiting for the synchronous code to end by itself.
"""

from __future__ import annotations

import signal
import time
from pathlib import Path

import pytest
from cli_fixtures import Child, no_child_left, write

__all__ = ["no_child_left"]  # autouse: every test's children are killed and closed

TARGET = """
import asyncio, time
from nbplug.lifespans import lifespan

async def hogging(log):
    await asyncio.sleep(0)
    log.info("hogging the loop")
    try:
        {code}
    finally:
        log.info("finally of the task ran")

@lifespan
async def hog(ctx):
    yield hogging(ctx.log)
    ctx.log.info("hog torn down")

@lifespan
async def steady(ctx):
    yield asyncio.Event().wait()
    ctx.log.info("steady torn down")
"""


@pytest.mark.parametrize("code", ["time.sleep(600)", "while True: sum(range(100))"], ids=["sleep", "loop"])
def test_a_sigint_interrupts_synchronous_code_in_a_task(tmp_path: Path, code: str) -> None:
    child = Child(write(tmp_path, TARGET.format(code=code)), "steady", "hog")
    child.wait_for("hogging the loop")
    time.sleep(0.3)
    child.proc.send_signal(signal.SIGINT)
    status, _ = child.finish()  # uninterrupted, either would outlast finish's guard and fail it
    err = "\n".join(child.lines)
    assert status == 130, err
    for line in ("finally of the task ran", "hog torn down", "steady torn down"):
        assert err.count(line) == 1, (line, err)
    assert "Task for 'hog' cancelled" in err
    assert "Traceback" not in err
