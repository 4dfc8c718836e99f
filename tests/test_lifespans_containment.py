"""Every BaseException a lifespan raises is contained by its group: ``SystemExit`` and
``KeyboardInterrupt`` from a task do not escape the event loop, an error whose ``str`` raises still
shows its type, and in every case the lifespan fails with its error while every other teardown runs.

Each scenario runs in an event loop of its own (``asyncio.run``), so an exception that escapes the
loop fails the test instead of stopping pytest.
"""

from __future__ import annotations

import asyncio
import logging

import pytest
from lifespans_fixtures import UNSHOWN, Journal, Unprintable, forever, in_own_loop, raised_by, recorder

from nbplug.lifespans import LifespanContext, LifespanGroup, Phase, UpdateBus
from nbplug.terminal.keyboard import debug_info


async def raise_soon(error: BaseException) -> None:
    await asyncio.sleep(0)
    raise error


async def until_final(group: LifespanGroup, name: str) -> None:
    while not group.state(name).phase.is_final:
        await asyncio.sleep(0.001)


@pytest.mark.parametrize("error", [SystemExit(3), KeyboardInterrupt(), GeneratorExit()],
                         ids=["SystemExit", "KeyboardInterrupt", "GeneratorExit"])
def test_a_task_raising_a_base_exception_fails_only_its_lifespan(error: BaseException) -> None:
    """In the notebook's policy: the lifespan fails with that error, the loop lives on, the other
    lifespan keeps running and is torn down once when stopped."""
    journal = Journal()

    async def main() -> tuple[Phase, BaseException | None, Phase]:
        group = LifespanGroup(on_task_failure="isolate")
        group.add(recorder(journal, "calm", task=forever))
        group.add(recorder(journal, "wild", task=lambda: raise_soon(error)))
        await group.start()
        await until_final(group, "wild")
        await asyncio.sleep(0.01)  # the loop still turns
        calm = group.state("calm").phase
        await group.stop()
        return group.state("wild").phase, group.state("wild").error, calm

    wild, err, calm = in_own_loop(main)
    assert wild is Phase.FAILED
    assert err is error
    assert calm is Phase.RUNNING
    assert journal.teardowns() == ["wild", "calm"]


@pytest.mark.parametrize("error", [SystemExit(3), KeyboardInterrupt()],
                         ids=["SystemExit", "KeyboardInterrupt"])
def test_a_task_raising_a_base_exception_under_stop_all_is_raised_by_wait(
    error: BaseException,
) -> None:
    """In the terminal's policy: every lifespan is torn down and wait() raises that error."""
    journal = Journal()

    async def main() -> BaseException | None:
        group = LifespanGroup(on_task_failure="stop_all")
        group.add(recorder(journal, "calm", task=forever))
        group.add(recorder(journal, "wild", task=lambda: raise_soon(error)))
        await group.start()
        raised = await raised_by(group.wait())
        assert not group.running
        return raised

    assert in_own_loop(main) is error
    assert journal.teardowns() == ["wild", "calm"]


def test_a_task_error_whose_str_raises_fails_its_lifespan_and_is_shown_by_type() -> None:
    journal = Journal()
    events: list[str] = []

    async def main() -> LifespanGroup:
        group = LifespanGroup(on_task_failure="isolate")
        group.subscribe(lambda event: events.append(event.message))
        group.add(recorder(journal, "calm", task=forever))
        group.add(recorder(journal, "wild", task=lambda: raise_soon(Unprintable())))
        await group.start()
        await until_final(group, "wild")
        await group.stop()
        return group

    group = in_own_loop(main)
    assert group.state("wild").phase is Phase.FAILED
    assert isinstance(group.state("wild").error, Unprintable)
    assert journal.teardowns() == ["wild", "calm"]
    shown = list(group.state("wild").log)
    assert shown == [f"task failed: {UNSHOWN}"]


def test_a_setup_error_whose_str_raises_fails_its_lifespan_and_tears_the_others_down() -> None:
    journal = Journal()

    async def main() -> tuple[LifespanGroup, BaseException | None]:
        group = LifespanGroup(on_task_failure="isolate")
        group.add(recorder(journal, "first", task=forever))
        group.add(recorder(journal, "broken", setup_error=Unprintable()))
        return group, await raised_by(group.start())

    group, raised = in_own_loop(main)
    assert isinstance(raised, Unprintable)
    assert group.state("broken").phase is Phase.FAILED
    assert group.state("first").phase is Phase.STOPPED
    assert journal.teardowns() == ["first"]
    assert list(group.state("broken").log) == [f"set-up failed: {UNSHOWN}"]


def test_a_teardown_error_whose_str_raises_leaves_every_other_teardown_running() -> None:
    journal = Journal()

    async def main() -> tuple[LifespanGroup, BaseException | None]:
        group = LifespanGroup(on_task_failure="isolate")
        group.add(recorder(journal, "a", task=forever))
        group.add(recorder(journal, "b", teardown_error=Unprintable()))
        group.add(recorder(journal, "c", task=forever))
        await group.start()
        return group, await raised_by(group.stop())

    group, raised = in_own_loop(main)
    assert isinstance(raised, Unprintable)
    assert journal.teardowns() == ["c", "b", "a"]
    assert [s.phase for s in group.states] == [Phase.STOPPED, Phase.FAILED, Phase.STOPPED]
    assert list(group.state("b").log) == [f"teardown failed: {UNSHOWN}"]


def test_a_lifespan_yielding_an_unrepresentable_value_fails_with_its_type() -> None:
    class Opaque:
        def __repr__(self) -> str:
            raise RuntimeError("no repr")

    async def life():  # type: ignore[no-untyped-def]
        yield Opaque()

    async def main() -> tuple[LifespanGroup, str]:
        group = LifespanGroup(on_task_failure="isolate")
        group.add(life, name="opaque")
        return group, str(await raised_by(group.start()))

    group, message = in_own_loop(main)
    assert "yielded <unrepresentable Opaque> (Opaque)" in message
    assert not group.running


class Opaque:
    """A user's object whose repr raises (a lazy proxy, a broken object)."""

    def __repr__(self) -> str:
        raise RuntimeError("no repr")


async def test_what_a_lifespan_can_reach_shows_hostile_values_by_type_and_bounded() -> None:
    """The bus, a lifespan's ctx and the keys' Ctrl-D listing hold the user's objects: one whose
    repr raises shows by its type, a megabyte value is cut, and none of them raises."""
    bus = UpdateBus()
    bus.set("opaque", Opaque())
    bus.set("huge", "x" * 1_000_000)
    text = repr(bus)
    assert "opaque=<unrepresentable Opaque>" in text and len(text) < 1_000
    ctx = LifespanContext("keys", Opaque(), bus, logging.getLogger("test"))
    assert "manager=<unrepresentable Opaque>" in repr(ctx)
    listing = debug_info(ctx)
    assert "manager  <unrepresentable Opaque>" in listing and len(listing) < 5_000
