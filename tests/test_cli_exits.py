"""``nbplug run`` ends with the status its README gives whatever a lifespan raises: an
``Exception``, ``SystemExit``, ``KeyboardInterrupt`` raised by the user's code, an exception group,
an error whose ``str`` raises -- in its set-up, its task or its teardown (each kind in each phase).
It names the lifespan and the error, shows the user's frames only, and every teardown runs once.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from cli_fixtures import no_child_left, run, write
from package_paths import PACKAGE_DIR

__all__ = ["no_child_left"]  # autouse: every test's children are killed and closed

HEADER = """
import asyncio
from nbplug.lifespans import lifespan

class Unprintable(Exception):
    def __str__(self):
        raise RuntimeError("str of a broken object")

@lifespan
async def steady(ctx):
    yield asyncio.Event().wait()
    ctx.log.info("steady torn down")
"""


#: status 1 for each: "1 failed" (README: the exit status says how the run ended)
EVERY_KIND = pytest.mark.parametrize(("raised", "shown"), [
    ("ValueError('bad news')", ("Error: ValueError: bad news",)),
    ("SystemExit(3)", ("Error: SystemExit: 3",)),
    ("KeyboardInterrupt('pressed by code')", ("Error: KeyboardInterrupt: pressed by code",)),
    ("BaseExceptionGroup('two sensors', [ValueError('left'), KeyboardInterrupt('right')])",
     ("Error: ValueError: left", "Error: KeyboardInterrupt: right", "two sensors (2 sub-exceptions)")),
    ("Unprintable()", ("Error: Unprintable (its message could not be shown: str() raised)",)),
], ids=["Exception", "SystemExit", "KeyboardInterrupt", "BaseExceptionGroup", "unprintable"])


def target_with(tmp_path: Path, body: str) -> str:
    return write(tmp_path, HEADER + body)


def torn_down_once(stderr: str, *names: str) -> None:
    for name in names:
        assert stderr.count(f"{name} torn down") == 1, stderr


def no_nbplug_frames(stderr: str) -> None:
    assert PACKAGE_DIR not in stderr, stderr


WILD = {
    "task": """
@lifespan
async def wild(ctx):
    async def run():
        await asyncio.sleep(0.05)
        raise {raised}
    yield run()
    ctx.log.info("wild torn down")
""",
    "set-up": """
@lifespan
async def wild(ctx):
    await asyncio.sleep(0)
    raise {raised}
    yield None
""",
}


@EVERY_KIND
@pytest.mark.parametrize("phase", list(WILD))
def test_a_task_or_setup_raising_anything_exits_one_naming_the_lifespan(
    tmp_path: Path, raised: str, shown: tuple[str, ...], phase: str
) -> None:
    result = run(target_with(tmp_path, WILD[phase].format(raised=raised)), "steady", "wild")
    assert result.returncode == 1, result.stderr
    assert "Aborted!" not in result.stderr
    assert all(line in result.stderr for line in shown), result.stderr
    assert f"(raised by the {phase} of lifespan 'wild')" in result.stderr
    assert f"The {phase} of lifespan 'wild' failed" in result.stderr  # failed, not stopped
    assert "raise " + raised.split("(")[0] in result.stderr  # the user's line is shown
    torn_down_once(result.stderr, "steady", *(["wild"] if phase == "task" else []))
    no_nbplug_frames(result.stderr)


@EVERY_KIND
def test_a_teardown_raising_anything_exits_one_and_every_teardown_runs(
    tmp_path: Path, raised: str, shown: tuple[str, ...]
) -> None:
    """Every task ends by itself, so the group stops by itself: no signal comes to end a hang."""
    target = target_with(tmp_path, """
async def brief():
    await asyncio.sleep(0.05)

@lifespan
async def first(ctx):
    yield brief()
    ctx.log.info("first torn down")

@lifespan
async def wild(ctx):
    yield brief()
    ctx.log.info("wild torn down")
    raise {raised}

@lifespan
async def last(ctx):
    yield brief()
    ctx.log.info("last torn down")
""".replace("{raised}", raised))
    result = run(target, "first", "wild", "last")
    assert result.returncode == 1, result.stderr
    assert all(line in result.stderr for line in shown), result.stderr
    assert "(raised by the teardown of lifespan 'wild')" in result.stderr
    assert "The teardown of lifespan 'wild' failed" in result.stderr
    assert "raise " + raised.split("(")[0] in result.stderr  # the user's line is shown
    torn_down_once(result.stderr, "last", "wild", "first")
    no_nbplug_frames(result.stderr)
