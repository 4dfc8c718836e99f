"""The type aliases (Lifespan, LifespanTask, LifespanFactory, UpdateCallback) as mypy reads them.

A typed lifespan module is checked with ``mypy --strict``: the correct uses pass, each misuse is
reported on its own line; and the correctly annotated lifespan runs in a group.
"""

from __future__ import annotations

import asyncio
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from nbplug.lifespans import LifespanGroup

GOOD = '''
import asyncio
from nbplug.lifespans import (
    Lifespan, LifespanContext, LifespanFactory, LifespanTask, UpdateCallback, lifespan,
)

journal: list[str] = []

async def count(ctx: LifespanContext, start: int) -> None:
    for n in range(start, 0, -1):
        ctx.bus.set("count", n)
        await asyncio.sleep(0)

@lifespan
async def counter(ctx: LifespanContext, start: int = 2) -> Lifespan:
    task: LifespanTask = count(ctx, start)
    yield task
    journal.append("counter torn down")

@lifespan
async def idle() -> Lifespan:
    yield None

def show(value: int) -> None:
    journal.append(f"saw {value}")

async def ashow(value: int) -> None:
    journal.append(f"async saw {value}")

callbacks: list[UpdateCallback[int]] = [show, ashow]
factories: list[LifespanFactory] = [counter, idle]
'''

BAD = '''
from nbplug.lifespans import Lifespan, LifespanFactory, UpdateCallback, lifespan

@lifespan
async def yields_a_number() -> Lifespan:
    yield 42  # line 6

def not_a_factory(x: int) -> int:
    return x

factory: LifespanFactory = not_a_factory  # line 11

def wants_text(value: str) -> None: ...

callback: UpdateCallback[int] = lambda: None  # line 15
'''


@pytest.mark.slow
def test_mypy_accepts_the_aliases_used_right_and_reports_each_misuse(tmp_path: Path) -> None:
    (tmp_path / "good_lifespans.py").write_text(textwrap.dedent(GOOD))
    (tmp_path / "bad_lifespans.py").write_text(textwrap.dedent(BAD))
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-error-summary",
         "--cache-dir", str(tmp_path / "cache"), "good_lifespans.py", "bad_lifespans.py"],
        cwd=tmp_path, capture_output=True, text=True, timeout=300,
    )
    lines = [line for line in done.stdout.splitlines() if ": error:" in line]
    assert not [line for line in lines if line.startswith("good_lifespans.py")], done.stdout
    flagged = sorted(
        {int(m.group(1)) for line in lines if (m := re.match(r"bad_lifespans.py:(\d+)", line))}
    )
    assert flagged == [6, 11, 15], done.stdout


async def test_a_lifespan_annotated_with_the_aliases_runs_in_a_group(tmp_path: Path) -> None:
    namespace: dict[str, object] = {}
    exec(compile(textwrap.dedent(GOOD), "good_lifespans.py", "exec"), namespace)
    group = LifespanGroup()
    group.add(namespace["counter"])  # type: ignore[arg-type]
    group.add(namespace["idle"])  # type: ignore[arg-type]
    reaction = asyncio.create_task(group.bus.react("count", namespace["show"]))  # type: ignore[arg-type]
    async with group:
        await asyncio.sleep(0.01)
    reaction.cancel()
    assert namespace["journal"][-1] == "counter torn down"  # type: ignore[index]
    assert "saw 1" in namespace["journal"]  # type: ignore[operator]
