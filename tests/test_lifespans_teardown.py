"""The teardown promise: the code after ``yield`` of each lifespan that finished set-up is started
exactly once, however the group ends; a repeated Ctrl-C may cut one short, and that is reported.
Each test counts teardowns, so a skipped or doubled one fails it."""

from __future__ import annotations

import asyncio
import signal
import subprocess
import sys
import textwrap
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from lifespans_fixtures import Journal, fail_soon, finish_soon, forever, recorder

from nbplug.lifespans import LifespanError, LifespanGroup, LifespanInterrupted, Phase


def each_torn_down_once(journal: Journal, names: list[str]) -> None:
    for name in names:
        assert journal.count(f"teardown:{name}") == 1, (name, journal.entries)


async def test_stop_tears_down_each_once_in_reverse_order() -> None:
    journal = Journal()
    group = LifespanGroup()
    for name in ("a", "b", "c"):
        group.add(recorder(journal, name, task=forever if name != "b" else None))
    await group.start()
    assert journal.setups() == ["a", "b", "c"]
    await group.stop()
    assert journal.teardowns() == ["c", "b", "a"]
    await group.stop()  # a second stop has nothing left to tear down
    assert journal.teardowns() == ["c", "b", "a"]
    assert [s.phase for s in group.states] == [Phase.STOPPED] * 3


async def test_async_with_tears_down_on_exit_and_on_body_error() -> None:
    journal = Journal()
    group = LifespanGroup()
    group.add(recorder(journal, "a"))
    group.add(recorder(journal, "b", task=forever))
    with pytest.raises(KeyError, match="body"):
        async with group:
            raise KeyError("body")
    assert journal.teardowns() == ["b", "a"]


async def test_outside_cancellation_tears_down_and_is_reraised() -> None:
    """Ctrl-C under asyncio.run cancels the main task: teardown runs, CancelledError stays."""
    journal = Journal()
    running = asyncio.Event()

    async def main() -> None:
        group = LifespanGroup()
        group.add(recorder(journal, "a", task=forever))
        group.add(recorder(journal, "b"))
        async with group:
            running.set()
            await group.wait()

    task = asyncio.create_task(main())
    await running.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert journal.teardowns() == ["b", "a"]


async def test_cancellation_during_teardown_cuts_that_one_short_and_goes_on() -> None:
    """A further Ctrl-C (the caller of stop cancelled) while b's teardown hangs: CancelledError
    is thrown into b's teardown (its finally runs), b is marked failed with an error naming it,
    a still tears down, and the cancellation is re-raised with the error kept for the caller."""
    journal = Journal()
    never = asyncio.Event()

    async def hanging():  # type: ignore[no-untyped-def]
        yield None
        journal.note("teardown:b")
        try:
            await never.wait()
            journal.note("teardown-finished:b")
        finally:
            journal.note("finally:b")

    group = LifespanGroup()
    group.add(recorder(journal, "a"))
    group.add(hanging, name="b")
    group.add(recorder(journal, "c"))
    await group.start()
    stopper = asyncio.create_task(group.stop())
    while "teardown:b" not in journal.entries:
        await asyncio.sleep(0)
    stopper.cancel()  # lands while b's teardown is awaiting
    with pytest.raises(asyncio.CancelledError):
        await stopper
    assert journal.teardowns() == ["c", "b", "a"]  # every teardown started exactly once
    assert journal.count("finally:b") == 1 and journal.count("teardown-finished:b") == 0
    state = group.state("b")
    assert state.phase is Phase.FAILED
    assert isinstance(state.error, LifespanInterrupted) and "'b'" in str(state.error)
    assert [group.state(n).phase for n in ("a", "c")] == [Phase.STOPPED, Phase.STOPPED]
    errors = group.take_errors()
    assert [type(e) for e in errors] == [LifespanInterrupted] and group.take_errors() == []


async def test_interrupt_outside_a_teardown_changes_nothing() -> None:
    journal = Journal()
    group = LifespanGroup()
    group.add(recorder(journal, "a", task=forever))
    await group.start()
    assert group.interrupt() == []
    assert group.state("a").phase is Phase.RUNNING
    await group.stop()
    assert journal.teardowns() == ["a"]


async def test_a_raising_teardown_does_not_skip_the_others() -> None:
    journal = Journal()
    group = LifespanGroup()
    group.add(recorder(journal, "a"))
    group.add(recorder(journal, "b", teardown_error=ValueError("b broke")))
    group.add(recorder(journal, "c", task=forever))
    await group.start()
    with pytest.raises(ValueError, match="b broke") as info:
        await group.stop()
    assert journal.teardowns() == ["c", "b", "a"]
    assert any("teardown of lifespan 'b'" in note for note in info.value.__notes__)
    assert group.state("b").phase is Phase.FAILED
    assert group.state("a").phase is Phase.STOPPED


async def test_several_raising_teardowns_are_raised_together() -> None:
    journal = Journal()
    group = LifespanGroup()
    group.add(recorder(journal, "a", teardown_error=KeyError("a broke")))
    group.add(recorder(journal, "b"))
    group.add(recorder(journal, "c", teardown_error=ValueError("c broke")))
    await group.start()
    with pytest.raises(ExceptionGroup) as info:
        await group.stop()
    assert journal.teardowns() == ["c", "b", "a"]
    assert [type(e) for e in info.value.exceptions] == [ValueError, KeyError]


async def test_a_failing_later_setup_tears_down_the_earlier_ones() -> None:
    journal = Journal()
    group = LifespanGroup()
    group.add(recorder(journal, "a", task=forever))
    group.add(recorder(journal, "b"))
    group.add(recorder(journal, "c", setup_error=OSError("no port")))
    group.add(recorder(journal, "d"))
    with pytest.raises(OSError, match="no port") as info:
        await group.start()
    assert journal.setups() == ["a", "b"]
    assert journal.teardowns() == ["b", "a"]
    assert any("set-up of lifespan 'c'" in note for note in info.value.__notes__)
    phases = {s.name: s.phase for s in group.states}
    assert phases == {"a": Phase.STOPPED, "b": Phase.STOPPED, "c": Phase.FAILED,
                      "d": Phase.STOPPED}
    assert group.state("c").error is info.value


async def test_failing_setup_and_failing_rollback_are_raised_together() -> None:
    journal = Journal()
    group = LifespanGroup()
    group.add(recorder(journal, "a", teardown_error=KeyError("a broke")))
    group.add(recorder(journal, "b", setup_error=OSError("no port")))
    with pytest.raises(ExceptionGroup) as info:
        await group.start()
    assert [type(e) for e in info.value.exceptions] == [OSError, KeyError]
    assert journal.teardowns() == ["a"]


async def test_cancelled_setup_tears_down_the_earlier_ones_and_reraises() -> None:
    journal = Journal()
    never = asyncio.Event()
    group = LifespanGroup()
    group.add(recorder(journal, "a"))
    group.add(recorder(journal, "b", setup_wait=never))
    starter = asyncio.create_task(group.start())
    while "waiting-setup:b" not in journal.entries:
        await asyncio.sleep(0)
    starter.cancel()
    with pytest.raises(asyncio.CancelledError):
        await starter
    assert journal.teardowns() == ["a"]
    assert group.state("b").phase is Phase.STOPPED
    assert not group.running


async def test_a_failed_task_stops_all_and_wait_raises_it() -> None:
    journal = Journal()
    group = LifespanGroup(on_task_failure="stop_all")
    group.add(recorder(journal, "a", task=forever))
    group.add(recorder(journal, "b", task=fail_soon))
    group.add(recorder(journal, "c"))
    await group.start()
    with pytest.raises(RuntimeError, match="task broke") as info:
        await group.wait()
    assert journal.teardowns() == ["c", "b", "a"]
    assert any("task of lifespan 'b'" in note for note in info.value.__notes__)
    assert group.state("b").phase is Phase.FAILED
    assert group.state("a").phase is Phase.STOPPED


async def test_async_with_raises_a_failed_task_after_teardown() -> None:
    journal = Journal()
    with pytest.raises(RuntimeError, match="task broke"):
        async with LifespanGroup() as group:
            group.add(recorder(journal, "late", task=forever))
            await group.start()
            group.add(recorder(journal, "bad", task=fail_soon))
            await group.start()
            await group.wait()
    assert journal.teardowns() == ["bad", "late"]


async def test_isolate_tears_down_only_the_failed_lifespan() -> None:
    journal = Journal()
    group = LifespanGroup(on_task_failure="isolate")
    group.add(recorder(journal, "a", task=forever))
    group.add(recorder(journal, "b", task=fail_soon))
    await group.start()
    while group.state("b").phase is not Phase.FAILED:
        await asyncio.sleep(0)
    assert journal.teardowns() == ["b"]
    assert group.state("a").phase is Phase.RUNNING
    assert isinstance(group.state("b").error, RuntimeError)
    await group.stop()  # isolated failures are reported on the state, not raised again
    assert journal.teardowns() == ["b", "a"]


async def test_isolate_also_stops_lifespans_that_depend_on_the_failed_one() -> None:
    journal = Journal()
    group = LifespanGroup(on_task_failure="isolate")
    group.add(recorder(journal, "other", task=forever))
    group.add(recorder(journal, "base", task=fail_soon))
    group.add(recorder(journal, "user", task=forever, depends_on=("base",)))
    await group.start()
    while group.running and group.state("base").phase is not Phase.FAILED:
        await asyncio.sleep(0)
    assert journal.teardowns() == ["user", "base"]
    assert group.state("user").phase is Phase.STOPPED
    assert group.state("other").phase is Phase.RUNNING
    await group.stop()
    each_torn_down_once(journal, ["other", "base", "user"])


async def test_group_stops_by_itself_when_every_task_ended() -> None:
    journal = Journal()
    group = LifespanGroup()
    group.add(recorder(journal, "a", task=finish_soon))
    group.add(recorder(journal, "b", task=finish_soon))
    await group.start()
    await group.wait()
    assert journal.teardowns() == ["b", "a"]
    assert not group.running


async def test_a_yield_none_lifespan_keeps_the_group_up_after_tasks_end() -> None:
    journal = Journal()
    group = LifespanGroup()
    group.add(recorder(journal, "idle"))
    group.add(recorder(journal, "quick", task=finish_soon))
    await group.start()
    for _ in range(5):
        await asyncio.sleep(0)
    assert journal.teardowns() == []
    assert group.running
    await group.stop()
    assert journal.teardowns() == ["quick", "idle"]


async def test_concurrent_stops_tear_down_once() -> None:
    journal = Journal()
    release = asyncio.Event()
    group = LifespanGroup()
    group.add(recorder(journal, "a", task=forever))
    group.add(recorder(journal, "b", teardown_wait=release))
    await group.start()
    stops = [asyncio.create_task(group.stop()) for _ in range(3)]
    stops.append(asyncio.create_task(group.stop(["a"])))
    group.request_stop()
    await asyncio.sleep(0)
    release.set()
    await asyncio.gather(*stops)
    await group.wait()
    each_torn_down_once(journal, ["a", "b"])


async def test_stop_by_name_then_all_tears_down_each_once() -> None:
    journal = Journal()
    group = LifespanGroup(on_task_failure="isolate")
    for name in ("a", "b", "c"):
        group.add(recorder(journal, name, task=forever))
    await group.start()
    await group.stop(["b"])
    assert journal.teardowns() == ["b"]
    assert [s.phase for s in group.states] == [Phase.RUNNING, Phase.STOPPED, Phase.RUNNING]
    await group.stop()
    assert journal.teardowns() == ["b", "c", "a"]


async def test_yielding_twice_is_an_error_after_the_teardown_ran_once() -> None:
    journal = Journal()

    async def twice() -> AsyncIterator[None]:
        yield None
        journal.note("teardown:twice")
        yield None
        journal.note("after-second-yield")

    group = LifespanGroup()
    group.add(twice)
    await group.start()
    with pytest.raises(LifespanError, match="yielded a second time"):
        await group.stop()
    assert journal.entries == ["teardown:twice"]


async def test_ending_without_yield_is_a_setup_error() -> None:
    async def never_yields() -> AsyncIterator[None]:
        if False:  # pragma: no cover
            yield None

    group = LifespanGroup()
    group.add(never_yields)
    with pytest.raises(LifespanError, match="ended without yielding"):
        await group.start()
    assert group.state("never_yields").phase is Phase.FAILED


async def test_yielding_a_non_coroutine_fails_start_but_still_tears_down() -> None:
    journal = Journal()

    async def yields_number() -> AsyncIterator[int]:
        yield 42
        journal.note("teardown:yields_number")

    group = LifespanGroup()
    group.add(yields_number)
    with pytest.raises(LifespanError, match=r"yielded 42 \(int\)"):
        await group.start()
    assert journal.entries == ["teardown:yields_number"]
    assert group.state("yields_number").phase is Phase.FAILED


async def test_task_raising_when_cancelled_is_reported_and_teardown_runs() -> None:
    journal = Journal()

    async def grumpy() -> None:
        try:
            await asyncio.Event().wait()
        finally:
            raise ValueError("cleanup in task failed")

    group = LifespanGroup()
    group.add(recorder(journal, "g", task=grumpy))
    await group.start()
    await asyncio.sleep(0)
    with pytest.raises(ValueError, match="cleanup in task failed"):
        await group.stop()
    assert journal.teardowns() == ["g"]


async def test_isolate_failing_setup_rolls_back_only_its_own_start() -> None:
    journal = Journal()
    group = LifespanGroup(on_task_failure="isolate")
    group.add(recorder(journal, "old", task=forever))
    await group.start()
    group.add(recorder(journal, "a", task=forever))
    group.add(recorder(journal, "b", setup_error=OSError("no port")))
    with pytest.raises(OSError, match="no port"):
        await group.start()
    assert journal.teardowns() == ["a"]
    assert group.state("old").phase is Phase.RUNNING
    await group.stop()
    assert journal.teardowns() == ["a", "old"]


async def test_stop_all_failing_setup_also_stops_earlier_starts() -> None:
    journal = Journal()
    group = LifespanGroup(on_task_failure="stop_all")
    group.add(recorder(journal, "old", task=forever))
    await group.start()
    group.add(recorder(journal, "a"))
    group.add(recorder(journal, "b", setup_error=OSError("no port")))
    with pytest.raises(OSError, match="no port"):
        await group.start()
    assert journal.teardowns() == ["a", "old"]
    assert not group.running


def test_ctrl_c_under_plain_asyncio_run_tears_down_once(tmp_path: Path) -> None:
    """Not the CLI: a program of its own, where asyncio.run turns Ctrl-C into cancellation."""
    script = tmp_path / "prog.py"
    script.write_text(
        textwrap.dedent(
            """
            import asyncio, signal
            from nbplug.lifespans import LifespanGroup

            # as in a terminal, even when the test runs where SIGINT is ignored (a background job)
            signal.signal(signal.SIGINT, signal.default_int_handler)

            async def life(name):
                print("setup", name, flush=True)
                yield asyncio.Event().wait()
                print("teardown", name, flush=True)

            async def main():
                group = LifespanGroup()
                group.add(life, {"name": "a"}, name="a")
                group.add(life, {"name": "b"}, name="b")
                async with group:
                    print("ready", flush=True)
                    await group.wait()

            try:
                asyncio.run(main())
            except KeyboardInterrupt:
                print("KeyboardInterrupt", flush=True)
            """
        )
    )
    proc = subprocess.Popen(
        [sys.executable, str(script)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        cwd=tmp_path,
    )
    assert proc.stdout is not None
    errors = ""
    try:
        lines = [proc.stdout.readline().strip() for _ in range(3)]
        if lines != ["setup a", "setup b", "ready"]:
            proc.kill()
        assert lines == ["setup a", "setup b", "ready"], proc.communicate(timeout=20)[1]
        proc.send_signal(signal.SIGINT)
        out, errors = proc.communicate(timeout=20)
        rest = out.split()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert " ".join(rest) == "teardown b teardown a KeyboardInterrupt", errors
