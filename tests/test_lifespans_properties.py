"""The teardown promise as a property: lifespans raising every kind of ``BaseException`` (and errors
whose ``str`` or ``repr`` raise) from random phases -- set-up, task, teardown -- at random moments,
under both failure policies. Whatever was thrown, every lifespan whose set-up finished is torn down
exactly once, the rest never, nothing escapes the event loop, and the group ends stopped.
"""

from __future__ import annotations

import asyncio
import signal
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from lifespans_fixtures import Journal, Unprintable, in_own_loop, raised_by

from nbplug.lifespans import LifespanGroup, LifespanSpec, Phase

SETTINGS = settings(max_examples=150, deadline=None)


class Custom(BaseException):
    """A BaseException of the user's own, neither Exception nor an interrupt."""


class Unrepresentable(ValueError):
    def __repr__(self) -> str:
        raise RuntimeError("repr of a broken object")


ERRORS: dict[str, Callable[[], BaseException]] = {
    "RuntimeError": lambda: RuntimeError("plain"),
    "SystemExit": lambda: SystemExit(3),
    "KeyboardInterrupt": lambda: KeyboardInterrupt("raised by code"),
    "GeneratorExit": GeneratorExit,
    "CancelledError": asyncio.CancelledError,
    "Custom": lambda: Custom("custom"),
    "ExceptionGroup": lambda: ExceptionGroup("two", [ValueError("a"), KeyError("b")]),
    "BaseExceptionGroup": lambda: BaseExceptionGroup("mixed", [ValueError("a"), SystemExit(4)]),
    "Unprintable": Unprintable,
    "Unrepresentable": lambda: Unrepresentable("no repr"),
}


@dataclass(frozen=True)
class Plan:
    """Where (if anywhere) one lifespan raises, what, and after how many loop turns."""

    phase: str  # "none", "set-up", "task", "teardown"
    error: str
    turns: int
    has_task: bool


PLANS = st.builds(
    Plan,
    phase=st.sampled_from(["none", "set-up", "task", "teardown"]),
    error=st.sampled_from(sorted(ERRORS)),
    turns=st.integers(0, 3),
    has_task=st.booleans(),
)


def planned(journal: Journal, name: str, plan: Plan) -> LifespanSpec:
    async def turns() -> None:
        for _ in range(plan.turns):
            await asyncio.sleep(0)

    def throw(phase: str) -> None:
        if plan.phase == phase:
            raise ERRORS[plan.error]()

    async def task() -> None:
        await turns()
        throw("task")
        await asyncio.Event().wait()

    async def life() -> AsyncIterator[Any]:
        journal.note(f"attempt:{name}")
        await turns()
        throw("set-up")
        journal.note(f"setup:{name}")
        yield task() if plan.has_task or plan.phase == "task" else None
        journal.note(f"teardown:{name}")
        await turns()
        throw("teardown")

    return LifespanSpec(name=name, function=life)


@SETTINGS
@given(
    plans=st.lists(PLANS, min_size=1, max_size=5),
    policy=st.sampled_from(["isolate", "stop_all"]),
    wait_turns=st.integers(0, 6),
)
def test_whatever_is_thrown_each_set_up_lifespan_is_torn_down_once(
    plans: list[Plan], policy: Any, wait_turns: int
) -> None:
    journal = Journal()
    names = [f"l{i}" for i in range(len(plans))]

    async def main() -> LifespanGroup:
        group = LifespanGroup(on_task_failure=policy)
        for name, plan in zip(names, plans, strict=True):
            group.add(planned(journal, name, plan))
        await raised_by(group.start())
        for _ in range(wait_turns):
            await asyncio.sleep(0)
        await raised_by(group.stop())
        await raised_by(group.wait())
        return group

    # SIGINT ignored (a kernel between cells): a KeyboardInterrupt is the code's own raise
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        group = in_own_loop(main)
    finally:
        signal.signal(signal.SIGINT, previous)
    assert not group.running
    assert all(state.phase.is_final for state in group.states), group
    set_up = journal.setups()
    for name in names:
        assert journal.count(f"teardown:{name}") == (1 if name in set_up else 0), journal.entries
    for name, plan in zip(names, plans, strict=True):
        attempted = f"attempt:{name}" in journal.entries
        # a CancelledError is the set-up's cancellation, not a failure; a KeyboardInterrupt the
        # code raised (no Ctrl-C) is its failure
        if plan.phase == "set-up" and attempted and plan.error != "CancelledError":
            assert group.state(name).phase is Phase.FAILED
