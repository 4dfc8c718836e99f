"""In a real kernel, a lifespan raising ``SystemExit``, ``KeyboardInterrupt`` or an error whose
``str`` raises fails that lifespan only: the kernel lives (the notebook's state is kept), the other
lifespan keeps running and is torn down once when stopped."""

from __future__ import annotations

from pathlib import Path

import pytest
from kernel_fixtures import errors, kernel_notebook, outputs_text

pytestmark = [pytest.mark.kernel, pytest.mark.slow]

DEFINITIONS = """
import asyncio
from nbplug.lifespans import lifespan

class Unprintable(Exception):
    def __str__(self):
        raise RuntimeError("str of a broken object")

journal = []
kept = "the notebook's state"

@lifespan
async def calm():
    yield asyncio.Event().wait()
    journal.append("calm torn down")

def wild_raising(error):
    @lifespan(name="wild")
    async def wild():
        async def run():
            await asyncio.sleep(0.05)
            raise error
        yield run()
        journal.append("wild torn down")
    return wild
"""


@pytest.mark.parametrize("error", ["SystemExit(3)", "KeyboardInterrupt()", "Unprintable()"])
def test_a_task_raising_anything_fails_its_lifespan_and_the_kernel_lives(
    tmp_path: Path, error: str
) -> None:
    with kernel_notebook(tmp_path) as nb:
        nb.ok("%load_ext nbplug")
        nb.ok(DEFINITIONS)
        nb.ok(f"wild = wild_raising({error})\n%plugin add calm wild\n%plugin start calm wild")
        phase = nb.wait_for(
            "from nbplug.ipython import get_session\n"
            "get_session(get_ipython()).group.state('wild').phase.value",
            lambda v: v == "'failed'",
        )
        assert phase == "'failed'"
        assert nb.value("kept") == "\"the notebook's state\""
        assert nb.value(
            "get_session(get_ipython()).group.state('calm').phase.value"
        ) == "'running'"
        nb.ok("%plugin stop")
        assert nb.value("journal") == "['wild torn down', 'calm torn down']"


@pytest.mark.parametrize(("error", "shown"), [
    ("SystemExit(3)", "SystemExit: 3"),
    # no Ctrl-C was pressed: the set-up's own raise, a failure (not "stopped" as by the kernel's
    # interrupt)
    ("KeyboardInterrupt('raised by code')", "KeyboardInterrupt: raised by code"),
], ids=["SystemExit", "KeyboardInterrupt"])
def test_a_setup_raising_system_exit_or_keyboard_interrupt_fails_its_lifespan_kernel_lives(
    tmp_path: Path, error: str, shown: str
) -> None:
    with kernel_notebook(tmp_path) as nb:
        nb.ok("%load_ext nbplug")
        nb.ok(DEFINITIONS)
        nb.ok(f"""
            @lifespan
            async def leaving():
                await asyncio.sleep(0)
                raise {error}
                yield None
            """)
        cell = nb.cell("%plugin add calm leaving\n%plugin start calm leaving")
        assert errors(cell) == shown
        assert "(raised by the set-up of lifespan 'leaving')" in outputs_text(cell)
        assert nb.value("kept") == "\"the notebook's state\""
        assert nb.value(
            "from nbplug.ipython import get_session\n"
            "[(s.name, s.phase.value) for s in get_session(get_ipython()).group.states]"
        ) == "[('calm', 'stopped'), ('leaving', 'failed')]"
        assert nb.value("journal") == "['calm torn down']"
