"""LifespanGroup: dependency order, phases and events, context, methods, notebook-style use."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator

import click
import pytest
from lifespans_fixtures import Journal, finish_soon, forever, recorder

from nbplug.lifespans import (
    LifespanContext,
    LifespanDependencyError,
    LifespanEvent,
    LifespanGroup,
    LifespanUsageError,
    Phase,
    UpdateBus,
    find_lifespans,
    lifespan,
)


async def test_dependencies_are_set_up_first_and_torn_down_last() -> None:
    journal = Journal()
    group = LifespanGroup()
    group.add(recorder(journal, "web", depends_on=("db", "cache")))
    group.add(recorder(journal, "cache", depends_on=("db",)))
    group.add(recorder(journal, "db"))
    group.add(recorder(journal, "metrics"))
    assert await group.start() == ["db", "cache", "web", "metrics"]
    assert journal.setups() == ["db", "cache", "web", "metrics"]
    await group.stop()
    assert journal.teardowns() == ["metrics", "web", "cache", "db"]


async def test_a_missing_dependency_fails_before_any_setup() -> None:
    journal = Journal()
    group = LifespanGroup()
    group.add(recorder(journal, "db"))
    group.add(recorder(journal, "web", depends_on=("cache",)))
    with pytest.raises(LifespanDependencyError, match="'web' depends on 'cache'"):
        await group.start()
    assert journal.entries == []
    assert [s.phase for s in group.states] == [Phase.PENDING, Phase.PENDING]


async def test_a_dependency_cycle_is_named() -> None:
    journal = Journal()
    group = LifespanGroup()
    group.add(recorder(journal, "a", depends_on=("b",)))
    group.add(recorder(journal, "b", depends_on=("a",)))
    with pytest.raises(LifespanDependencyError, match="a → b → a"):
        await group.start()
    assert journal.entries == []


async def test_a_dependency_may_already_be_running() -> None:
    journal = Journal()
    group = LifespanGroup(on_task_failure="isolate")
    group.add(recorder(journal, "db", task=forever))
    await group.start()
    group.add(recorder(journal, "web", depends_on=("db",), task=forever))
    assert await group.start() == ["web"]
    await group.stop(["db"])  # stopping a dependency stops what depends on it, first
    assert journal.teardowns() == ["web", "db"]
    assert not group.running


async def test_notebook_style_start_one_at_a_time_and_restart_by_name() -> None:
    journal = Journal()
    group = LifespanGroup(on_task_failure="isolate")
    group.add(recorder(journal, "a", task=forever))
    assert await group.start() == ["a"]
    group.add(recorder(journal, "b", task=forever))
    assert await group.start() == ["b"]
    assert await group.start() == []
    with pytest.raises(ValueError, match="'a' is running"):
        group.add(recorder(journal, "a"))
    await group.stop(["a"])
    group.add(recorder(journal, "a", task=forever))  # replaces the stopped one
    await group.start()
    assert group.names == ["b", "a"]
    await group.stop()
    assert journal.setups() == ["a", "b", "a"]
    assert journal.teardowns() == ["a", "a", "b"]


async def test_phases_and_log_lines_reach_subscribers() -> None:
    events: list[LifespanEvent] = []
    group = LifespanGroup(log_level=logging.INFO)
    unsubscribe = group.subscribe(events.append)

    @lifespan
    async def talker(ctx: LifespanContext) -> AsyncIterator[None]:
        ctx.log.info("ready on %s", 8080)
        yield None
        ctx.log.info("bye")

    group.add(talker)
    await group.start()
    state = group.state("talker")
    assert state.started_at is not None
    await group.stop()
    phases = [e.phase for e in events if e.kind == "phase"]
    assert phases == [Phase.PENDING, Phase.SETTING_UP, Phase.RUNNING, Phase.STOPPING,
                      Phase.STOPPED]
    logs = [(e.phase, e.message) for e in events if e.kind == "log"]
    assert logs == [(Phase.SETTING_UP, "ready on 8080"), (Phase.STOPPING, "bye")]
    assert list(state.log) == ["ready on 8080", "bye"]
    unsubscribe()
    group.add(talker)
    count = len(events)
    await group.start()
    await group.stop()
    assert len(events) == count


@pytest.mark.parametrize("error", [RuntimeError, SystemExit, GeneratorExit], ids=lambda e: e.__name__)
async def test_a_failing_observer_does_not_break_the_group(
    caplog: pytest.LogCaptureFixture, error: type[BaseException]
) -> None:
    journal = Journal()
    group = LifespanGroup()

    def broken(event: LifespanEvent) -> None:
        raise error("observer broke")

    group.subscribe(broken)
    group.add(recorder(journal, "a"))
    await group.start()
    await group.stop()
    assert journal.teardowns() == ["a"]
    assert "observer broke" in caplog.text


async def test_failed_phase_event_carries_the_error() -> None:
    events: list[LifespanEvent] = []
    group = LifespanGroup()
    group.subscribe(events.append)
    group.add(recorder(Journal(), "bad", setup_error=OSError("nope")))
    with pytest.raises(OSError):
        await group.start()
    failed = [e for e in events if e.phase is Phase.FAILED]
    assert len(failed) == 1 and isinstance(failed[0].error, OSError)


async def test_context_gives_name_manager_bus_and_logger() -> None:
    seen: list[LifespanContext] = []
    manager = object()
    bus = UpdateBus()

    @lifespan(name="probe")
    async def probe_fn(ctx: LifespanContext) -> AsyncIterator[None]:
        seen.append(ctx)
        ctx.bus.set("probe", "up")
        yield None

    async with LifespanGroup(manager, bus) as group:
        group.add(probe_fn)
        await group.start()
    (ctx,) = seen
    assert (ctx.name, ctx.manager, ctx.bus, ctx.group) == ("probe", manager, bus, group)
    assert ctx.log.name == "nbplug.lifespan.probe"
    assert bus.get("probe") == "up"


async def test_lifespan_logs_propagate_to_the_shared_logger(
    caplog: pytest.LogCaptureFixture,
) -> None:
    @lifespan
    async def chatty(ctx: LifespanContext) -> AsyncIterator[None]:
        ctx.log.warning("careful")
        yield None

    with caplog.at_level(logging.DEBUG, logger="nbplug"):
        async with LifespanGroup() as group:
            group.add(chatty)
            await group.start()
    names = {(r.name, r.getMessage()) for r in caplog.records}
    assert ("nbplug.lifespan.chatty", "careful") in names
    assert ("nbplug.lifespans", "Setting up task for 'chatty'") in names


class Server:
    """A plugin object with lifespan methods."""

    def __init__(self) -> None:
        self.events: list[str] = []

    @lifespan
    @click.option("--port", type=int, default=8000)
    async def serve(self, port: int) -> AsyncIterator[None]:
        self.events.append(f"listen {port}")
        yield None
        self.events.append(f"close {port}")

    @lifespan(depends_on=("serve",))
    async def announce(self, ctx: LifespanContext) -> AsyncIterator[None]:
        self.events.append(f"announce via {ctx.name}")
        yield None
        self.events.append("unannounce")


async def test_bound_methods_run_as_lifespans_with_their_options() -> None:
    server = Server()
    specs = find_lifespans(server)
    assert list(specs) == ["serve", "announce"]
    group = LifespanGroup()
    group.add(specs["announce"])
    group.add(specs["serve"], {"port": 9000})
    await group.start()
    await group.stop()
    assert server.events == ["listen 9000", "announce via announce", "unannounce", "close 9000"]


async def test_add_fills_click_defaults_and_rejects_unknown_params() -> None:
    server = Server()
    group = LifespanGroup()
    group.add(server.serve)
    with pytest.raises(LifespanUsageError, match=r"has no parameter 'prot'.*port"):
        group.add(server.serve, {"prot": 1}, name="serve2")
    await group.start()
    await group.stop()
    assert server.events == ["listen 8000", "close 8000"]


async def test_add_under_another_name_runs_two_copies() -> None:
    server = Server()
    group = LifespanGroup()
    group.add(server.serve, {"port": 1})
    group.add(server.serve, {"port": 2}, name="serve-b")
    await group.start()
    await group.stop()
    assert server.events == ["listen 1", "listen 2", "close 2", "close 1"]


async def test_a_function_missing_an_argument_is_a_usage_error_at_add() -> None:
    async def needs_port(port: int) -> AsyncIterator[None]:
        yield None

    with pytest.raises(LifespanUsageError, match="cannot be called with"):
        LifespanGroup().add(needs_port)


async def test_unknown_names_in_stop_are_rejected() -> None:
    group = LifespanGroup()
    group.add(recorder(Journal(), "a"))
    with pytest.raises(KeyError, match=r"no lifespan named 'b'.*known: a"):
        await group.stop(["b"])


def test_bad_policy_is_rejected() -> None:
    with pytest.raises(ValueError, match="'stop_all' or 'isolate'"):
        LifespanGroup(on_task_failure="ignore")  # type: ignore[arg-type]


def test_a_group_is_usable_from_one_loop_after_another() -> None:
    journal = Journal()
    group = LifespanGroup(on_task_failure="isolate")

    async def cycle(name: str) -> None:
        group.add(recorder(journal, name, task=forever))
        await group.start()
        await group.stop()

    asyncio.run(cycle("first"))
    asyncio.run(cycle("second"))
    assert journal.teardowns() == ["first", "second"]


async def test_no_task_left_behind_over_a_thousand_cycles() -> None:
    baseline = asyncio.all_tasks()
    journal = Journal()
    for i in range(1000):
        group = LifespanGroup(on_task_failure="isolate" if i % 2 else "stop_all")
        group.add(recorder(journal, "idle"))
        group.add(recorder(journal, "busy", task=forever))
        group.add(recorder(journal, "quick", task=finish_soon))
        if i % 3 == 0:
            async with group:
                await asyncio.sleep(0)
        else:
            await group.start()
            await group.stop()
        assert asyncio.all_tasks() == baseline, i
    assert len(journal.teardowns()) == 3000
    group = LifespanGroup()
    group.add(recorder(journal, "auto", task=finish_soon))
    await group.start()
    await group.wait()
    assert asyncio.all_tasks() == baseline


async def test_request_stop_from_another_thread() -> None:
    journal = Journal()
    group = LifespanGroup()
    group.add(recorder(journal, "a", task=forever))
    group.add(recorder(journal, "b"))
    await group.start()
    await asyncio.to_thread(group.request_stop)
    await group.wait()
    assert journal.teardowns() == ["b", "a"]


async def test_log_lines_from_worker_threads_reach_observers_on_the_loop_thread() -> None:
    import threading

    seen: list[tuple[str, int]] = []

    @lifespan
    async def threaded(ctx: LifespanContext) -> AsyncIterator[None]:
        await asyncio.to_thread(ctx.log.warning, "from a worker")
        yield None

    group = LifespanGroup()
    group.subscribe(lambda e: seen.append((e.message, threading.get_ident())))
    group.add(threaded)
    await group.start()
    while ("from a worker", threading.get_ident()) not in seen:
        await asyncio.sleep(0)
    await group.stop()
    assert all(ident == threading.get_ident() for _, ident in seen)
    assert list(group.state("threaded").log) == ["from a worker"]


async def test_stopping_one_by_name_leaves_lifespans_whose_task_ended_up() -> None:
    """Only tasks ending by themselves stop the group; a user's stop of one stops just that one."""
    journal = Journal()
    group = LifespanGroup(on_task_failure="isolate")
    group.add(recorder(journal, "done", task=finish_soon))
    group.add(recorder(journal, "endless", task=forever))
    await group.start()
    for _ in range(3):
        await asyncio.sleep(0)
    await group.stop(["endless"])
    for _ in range(3):
        await asyncio.sleep(0)
    assert journal.teardowns() == ["endless"]
    assert group.state("done").phase is Phase.RUNNING
    await group.stop()
    assert journal.teardowns() == ["endless", "done"]
