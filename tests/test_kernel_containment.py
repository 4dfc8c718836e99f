"""In a real kernel, a lifespan raising ``SystemExit``, ``KeyboardInterrupt`` (raised by its code,
no Ctrl-C) or an error whose ``str`` raises -- from its task, its set-up or its teardown -- fails
that lifespan only, with the error shown: the kernel lives (the notebook's state is kept), and every
other lifespan is torn down exactly once."""

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


#: A lifespan ``leaving`` raising in one phase, the cell that makes it raise, and then the phases
#: and the journal: the raise fails ``leaving`` alone, every other teardown runs once.
LEAVING = {
    "set-up": ("""
        @lifespan
        async def leaving():
            await asyncio.sleep(0)
            raise {error}
            yield None
        """, "%plugin add calm leaving\n%plugin start calm leaving",
        "[('calm', 'stopped'), ('leaving', 'failed')]", "['calm torn down']"),
    "teardown": ("""
        @lifespan
        async def leaving():
            yield asyncio.Event().wait()
            journal.append("leaving tearing down")
            raise {error}

        @lifespan
        async def late():
            yield asyncio.Event().wait()
            journal.append("late torn down")

        %plugin add calm leaving late
        %plugin start calm leaving late
        """, "%plugin stop",  # reverse order: late, leaving (raises), calm
        "[('calm', 'stopped'), ('leaving', 'failed'), ('late', 'stopped')]",
        "['late torn down', 'leaving tearing down', 'calm torn down']"),
}


@pytest.mark.parametrize(("error", "shown"), [
    ("SystemExit(3)", "SystemExit: 3"),
    # no Ctrl-C was pressed: the code's own raise, a failure (not "stopped" or "cut short" as by
    # the kernel's interrupt)
    ("KeyboardInterrupt('raised by code')", "KeyboardInterrupt: raised by code"),
], ids=["SystemExit", "KeyboardInterrupt"])
@pytest.mark.parametrize("phase", list(LEAVING))
def test_a_setup_or_teardown_raising_system_exit_or_keyboard_interrupt_fails_its_lifespan(
    tmp_path: Path, error: str, shown: str, phase: str
) -> None:
    definition, trigger, phases, journal = LEAVING[phase]
    with kernel_notebook(tmp_path) as nb:
        nb.ok("%load_ext nbplug")
        nb.ok(DEFINITIONS)
        nb.ok(definition.format(error=error))
        cell = nb.cell(trigger)
        assert errors(cell) == shown
        assert f"(raised by the {phase} of lifespan 'leaving')" in outputs_text(cell)
        assert nb.value("kept") == "\"the notebook's state\""  # the kernel lives
        assert nb.value(
            "from nbplug.ipython import get_session\n"
            "[(s.name, s.phase.value) for s in get_session(get_ipython()).group.states]"
        ) == phases
        assert nb.value("journal") == journal
        assert nb.value("get_session(get_ipython()).group.interrupted_teardowns") == "[]"
