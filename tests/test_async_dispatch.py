"""AsyncPluginManager dispatch: the seed's example, mixing sync and async, order, modes, historic,
concurrent opt-in, traced calls and monitoring."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

import pytest

from nbplug import (
    AsyncPluginManager,
    CallTrace,
    Extension,
    ExtensionPoint,
    HookCallError,
    PluginManager,
    Result,
)

extension_point = ExtensionPoint("feed")
extension = Extension("feed")


def test_seed_feed_example() -> None:
    """The seed page's example, with ``pluginkit`` spelled ``nbplug``."""
    import asyncio

    from nbplug import AsyncPluginManager, Extension, ExtensionPoint

    extension_point = ExtensionPoint("feed")
    extension = Extension("feed")

    class Specs:
        @staticmethod
        @extension_point
        def fetch(topic: str) -> str:
            """Fetch a headline for the topic."""

    class WeatherSource:
        @extension
        async def fetch(self, topic: str) -> str:
            await asyncio.sleep(0.01)
            return f"weather[{topic}]: clear skies"

    pm = AsyncPluginManager("feed")
    pm.add_extension_points(Specs)
    pm.register(WeatherSource(), name="weather")
    headlines = asyncio.run(pm.caller(Specs.fetch)(topic="harbor"))

    assert headlines == ["weather[harbor]: clear skies"]


class Specs:
    @staticmethod
    @extension_point
    def fetch(topic: str, log: list[str]) -> str: ...

    @staticmethod
    @extension_point(firstresult=True)
    def first(topic: str, log: list[str]) -> str: ...

    @staticmethod
    @extension_point(pipeline=True)
    def pipe(text: str, log: list[str], suffix: str = "!") -> str: ...

    @staticmethod
    @extension_point(historic=True)
    def configure(config: dict[str, Any]) -> None: ...


def source(name: str, value: Any, *, is_async: bool = True, awaitable: bool = False) -> object:
    """A plugin logging start/end of its fetch/first, async or sync (optionally returning an awaitable)."""

    async def body(log: list[str]) -> Any:
        log.append(f"{name} start")
        await asyncio.sleep(0)
        await asyncio.sleep(0)
        log.append(f"{name} end")
        return value

    if is_async:

        async def impl(topic: str, log: list[str]) -> Any:
            return await body(log)

    elif awaitable:

        def impl(topic: str, log: list[str]) -> Awaitable[Any]:  # type: ignore[misc]
            return body(log)

    else:

        def impl(topic: str, log: list[str]) -> Any:  # type: ignore[misc]
            log.append(f"{name} start")
            log.append(f"{name} end")
            return value

    marked = extension(impl)
    return type(f"Source_{name}", (), {"fetch": staticmethod(marked), "first": staticmethod(marked)})()


@pytest.fixture
def apm() -> AsyncPluginManager:
    manager = AsyncPluginManager("feed")
    manager.add_extension_points(Specs)
    return manager


async def test_sync_async_and_awaitable_results_mix(apm: AsyncPluginManager) -> None:
    apm.register(source("async", "A"), name="async")
    apm.register(source("sync", "S", is_async=False), name="sync")
    apm.register(source("awaitable", "W", is_async=False, awaitable=True), name="awaitable")
    apm.register(source("none", None), name="none")
    log: list[str] = []
    assert await apm.hook.fetch(topic="t", log=log) == ["W", "S", "A"]
    trace = await apm.hook.fetch.traced(topic="t", log=[])
    assert trace.result == ["W", "S", "A"]


async def test_one_at_a_time_in_call_order(apm: AsyncPluginManager) -> None:
    for name in ("c", "b", "a"):
        apm.register(source(name, name), name=name)
    log: list[str] = []
    assert await apm.hook.fetch(topic="t", log=log) == ["a", "b", "c"]
    assert log == ["a start", "a end", "b start", "b end", "c start", "c end"]


async def test_firstresult_short_circuits(apm: AsyncPluginManager) -> None:
    apm.register(source("never", "N"), name="never")
    apm.register(source("hit", "H"), name="hit")
    apm.register(source("miss", None), name="miss")
    log: list[str] = []
    assert await apm.hook.first(topic="t", log=log) == "H"
    assert log == ["miss start", "miss end", "hit start", "hit end"]  # "never" never started


async def test_firstresult_none_when_no_result(apm: AsyncPluginManager) -> None:
    apm.register(source("miss", None), name="miss")
    assert await apm.hook.first(topic="t", log=[]) is None


class Upper:
    @extension
    async def pipe(self, text: str, log: list[str]) -> str:
        log.append(f"upper({text})")
        await asyncio.sleep(0)
        return text.upper()


class Keep:
    @extension
    def pipe(self, text: str, suffix: str, log: list[str]) -> None:
        log.append(f"keep({text},{suffix})")


class Suffix:
    @extension
    async def pipe(self, text: str, suffix: str) -> str:
        return text + suffix


async def test_pipeline(apm: AsyncPluginManager) -> None:
    apm.register(Suffix(), name="suffix")
    apm.register(Keep(), name="keep")
    apm.register(Upper(), name="upper")
    log: list[str] = []
    assert await apm.hook.pipe(text="abc", log=log) == "ABC!"
    assert log == ["upper(abc)", "keep(ABC,!)"]
    assert await apm.hook.pipe(text="x", log=[], suffix="?") == "X?"


async def test_call_errors_on_async_manager(apm: AsyncPluginManager) -> None:
    apm.register(source("a", "A"), name="a")
    with pytest.raises(HookCallError, match="missing the argument 'log'"):
        await apm.hook.fetch(topic="t")
    with pytest.raises(HookCallError, match="did you mean 'topic'"):
        await apm.hook.fetch(topc="t", log=[])
    with pytest.raises(HookCallError, match="keyword arguments only"):
        await apm.hook.fetch("t", [])


async def test_call_historic_not_implemented(apm: AsyncPluginManager) -> None:
    with pytest.raises(NotImplementedError) as info:
        apm.hook.configure.call_historic(kwargs={"config": {}})
    message = str(info.value)
    assert "'configure'" in message
    assert "await during register()" in message  # why
    assert "use the synchronous PluginManager" in message  # what to use
    # calling it directly or traced says the same: the async manager has no historic calls
    with pytest.raises(NotImplementedError, match="use the synchronous PluginManager"):
        await apm.hook.configure(config={})
    with pytest.raises(NotImplementedError, match="use the synchronous PluginManager"):
        await apm.hook.configure.traced(config={})


async def test_traced_rejects_positional_arguments(apm: AsyncPluginManager) -> None:
    with pytest.raises(HookCallError, match="keyword arguments only"):
        await apm.hook.fetch.traced("harbor")


async def test_awaitable_results_with_plain_types_untouched(apm: AsyncPluginManager) -> None:
    class Plain:
        @extension
        def fetch(self, topic: str) -> Any:
            return {"a": [1]}

    apm.register(Plain())
    assert await apm.hook.fetch(topic="t", log=[]) == [{"a": [1]}]


# --- call_concurrently ---------------------------------------------------------------------------


class Ping:
    def __init__(self, name: str, mine: asyncio.Event, other: asyncio.Event) -> None:
        self.name, self.mine, self.other = name, mine, other

    @extension
    async def fetch(self, topic: str) -> str:
        self.mine.set()
        await self.other.wait()  # only returns if the other implementation runs at the same time
        return self.name


async def test_call_concurrently_overlaps(apm: AsyncPluginManager) -> None:
    a, b = asyncio.Event(), asyncio.Event()
    apm.register(Ping("first-registered", a, b), name="p1")
    apm.register(Ping("second-registered", b, a), name="p2")
    apm.register(source("sync", "S", is_async=False), name="sync")
    apm.register(source("none", None, is_async=False), name="none")
    # the timeout only guards against a hang; each implementation waits for the other one
    results = await asyncio.wait_for(apm.hook.fetch.call_concurrently(topic="t", log=[]), 10)
    assert results == ["S", "second-registered", "first-registered"]  # call order, None dropped


async def test_call_concurrently_wrappers_wrap_the_whole_call(apm: AsyncPluginManager) -> None:
    a, b = asyncio.Event(), asyncio.Event()
    log: list[str] = []

    class Wrap:
        @extension(wrapper=True)
        def fetch(self, topic: str) -> Any:
            log.append("wrap<")
            result = yield
            log.append(f"wrap> {sorted(result)}")
            return [*result, "wrapped"]

    apm.register(Ping("x", a, b), name="p1")
    apm.register(Ping("y", b, a), name="p2")
    apm.register(Wrap(), name="wrap")
    results = await asyncio.wait_for(apm.hook.fetch.call_concurrently(topic="t", log=[]), 10)
    assert results == ["y", "x", "wrapped"]
    assert log == ["wrap<", "wrap> ['x', 'y']"]


async def test_call_concurrently_refused_for_firstresult_and_pipeline(
        apm: AsyncPluginManager) -> None:
    with pytest.raises(HookCallError, match="firstresult hook; only collecting hooks"):
        await apm.hook.first.call_concurrently(topic="t", log=[])
    with pytest.raises(HookCallError, match="pipeline hook; only collecting hooks"):
        await apm.hook.pipe.call_concurrently(text="t", log=[])
    with pytest.raises(NotImplementedError):
        await apm.hook.configure.call_concurrently(config={})


async def test_call_concurrently_failure_cancels_the_others(apm: AsyncPluginManager) -> None:
    log: list[str] = []
    started = asyncio.Event()

    class Waits:
        @extension
        async def fetch(self, topic: str) -> str:
            started.set()
            try:
                await asyncio.Event().wait()
            finally:
                log.append("waiter finished")
            return "never"

    class Fails:
        @extension
        async def fetch(self, topic: str) -> str:
            await started.wait()
            raise KeyError("failed")

    apm.register(Fails(), name="fails")
    apm.register(Waits(), name="waits")  # called first
    with pytest.raises(KeyError, match="failed"):
        await asyncio.wait_for(apm.hook.fetch.call_concurrently(topic="t", log=[]), 10)
    # nothing is left running once the call has failed
    assert log == ["waiter finished"]


async def test_call_concurrently_sync_failure_leaves_no_unawaited_coroutine(
        apm: AsyncPluginManager, recwarn: pytest.WarningsRecorder) -> None:
    import gc

    class Fails:
        @extension
        def fetch(self, topic: str) -> str:
            raise KeyError("sync failure")

    apm.register(Fails(), name="fails")
    apm.register(source("async", "A"), name="async")  # called first: its coroutine is made
    with pytest.raises(KeyError, match="sync failure"):
        await apm.hook.fetch.call_concurrently(topic="t", log=[])
    gc.collect()
    assert [str(w.message) for w in recwarn if "never awaited" in str(w.message)] == []


# --- traced and monitoring -----------------------------------------------------------------------


async def test_traced_async(apm: AsyncPluginManager) -> None:
    apm.register(source("b", None), name="b")
    apm.register(source("a", "A"), name="a")
    log: list[str] = []
    trace = await apm.hook.first.traced(topic="t", log=log)
    assert isinstance(trace, CallTrace)
    assert trace.result == "A" and trace.exception is None
    assert [(s.plugin_name, s.result, s.not_called) for s in trace.steps] == [
        ("a", "A", False), ("b", None, True)]
    assert all(s.duration >= 0 for s in trace.steps)
    assert log == ["a start", "a end"]


async def test_traced_async_records_errors(apm: AsyncPluginManager) -> None:
    class Fails:
        @extension
        async def fetch(self, topic: str) -> str:
            raise KeyError("boom")

    apm.register(Fails(), name="fails")
    trace = await apm.hook.fetch.traced(topic="t", log=[])
    assert isinstance(trace.exception, KeyError)
    with pytest.raises(KeyError, match="boom"):
        trace.get_result()


async def test_monitoring_on_async_manager(apm: AsyncPluginManager) -> None:
    apm.register(source("a", "A"), name="a")
    seen: list[Any] = []

    def before(name: str, impls: Any, kwargs: dict[str, Any]) -> None:
        seen.append(("before", name, [i.plugin_name for i in impls], sorted(kwargs)))

    def after(outcome: Result, name: str, impls: Any, kwargs: dict[str, Any]) -> None:
        seen.append(("after", name, outcome.get_result() if outcome.exception is None
                     else repr(outcome.exception)))

    undo = apm.add_hookcall_monitoring(before, after)
    assert await apm.hook.fetch(topic="t", log=[]) == ["A"]
    assert seen == [("before", "fetch", ["a"], ["log", "topic"]), ("after", "fetch", ["A"])]

    class Fails:
        @extension
        async def first(self, topic: str, log: list[str]) -> str:
            raise KeyError("x")

    apm.register(Fails(), name="fails")
    seen.clear()
    with pytest.raises(KeyError):
        await apm.hook.first(topic="t", log=[])
    assert seen[-1] == ("after", "first", "KeyError('x')")
    undo()
    seen.clear()
    assert await apm.hook.fetch(topic="t", log=[]) == ["A"]
    assert seen == []


def test_same_registry_api_on_both_managers() -> None:
    """Registration and look-ups are shared; only the call path differs."""
    for manager in (PluginManager("feed"), AsyncPluginManager("feed")):
        manager.add_extension_points(Specs)
        plugin = source("a", "A", is_async=False)
        assert manager.register(plugin, name="a") == "a"
        assert manager.get_plugin("a") is plugin
        assert [c.name for c in manager.callers()] == ["configure", "fetch", "first", "pipe"]
        assert manager.unregister(name="a") is plugin
