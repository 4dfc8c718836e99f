"""Async manager wrappers: async generators observe (set-up, result at the yield, exceptions thrown in,
teardown in finally); sync generator wrappers still transform; cancellation runs every teardown."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, Generator
from time import monotonic
from typing import Any

import pytest

from nbplug import AsyncPluginManager, Extension, ExtensionPoint, PluginValidationError

extension_point = ExtensionPoint("feed")
extension = Extension("feed")

AWrap = AsyncGenerator[None, Any]


class Specs:
    @staticmethod
    @extension_point
    def fetch(topic: str) -> str: ...

    @staticmethod
    @extension_point(firstresult=True)
    def first(topic: str) -> str: ...


class Source:
    def __init__(self, value: str = "src") -> None:
        self.value = value

    @extension
    async def fetch(self, topic: str) -> str:
        await asyncio.sleep(0)
        return f"{self.value}:{topic}"


class Failing:
    @extension
    async def fetch(self, topic: str) -> str:
        await asyncio.sleep(0)
        raise KeyError(topic)


def make_apm(*plugins: object) -> AsyncPluginManager:
    apm = AsyncPluginManager("feed")
    apm.add_extension_points(Specs)
    for index, plugin in enumerate(plugins):
        apm.register(plugin, name=f"p{index}")
    return apm


async def both(apm: AsyncPluginManager, **kwargs: Any) -> tuple[Any, Any]:
    """(compiled outcome, traced outcome): each a result or the exception raised."""
    try:
        compiled: Any = await apm.hook.fetch(**kwargs)
    except Exception as exc:
        compiled = exc
    trace = await apm.hook.fetch.traced(**kwargs)
    return compiled, trace.exception if trace.exception is not None else trace.result


def test_seed_timing_wrapper_form() -> None:
    """The seed page's TimingWrapper, recording even when an implementation raised."""
    recorded: list[float] = []

    def record(seconds: float) -> None:
        recorded.append(seconds)

    class TimingWrapper:
        @extension(wrapper=True)
        async def fetch(self, topic: str):  # type: ignore[no-untyped-def]
            start = monotonic()
            try:
                yield
            finally:
                record(monotonic() - start)  # runs even if an impl raised

    apm = make_apm(Source(), TimingWrapper())
    assert asyncio.run(apm.hook.fetch(topic="t")) == ["src:t"]
    failing = make_apm(Failing(), TimingWrapper())
    with pytest.raises(KeyError):
        asyncio.run(failing.hook.fetch(topic="t"))
    assert len(recorded) == 2 and all(r >= 0 for r in recorded)


async def test_async_wrapper_setup_result_and_teardown() -> None:
    log: list[Any] = []

    class Observer:
        @extension(wrapper=True)
        async def fetch(self, topic: str) -> AWrap:
            log.append(f"setup {topic}")
            await asyncio.sleep(0)
            try:
                result = yield
                log.append(("result", result))
            finally:
                await asyncio.sleep(0)
                log.append("finally")

    apm = make_apm(Source(), Observer())
    assert await both(apm, topic="t") == (["src:t"], ["src:t"])
    assert log == ["setup t", ("result", ["src:t"]), "finally"] * 2


async def test_async_wrapper_sees_exception_thrown_in() -> None:
    seen: list[BaseException] = []

    class Observer:
        @extension(wrapper=True)
        async def fetch(self, topic: str) -> AWrap:
            try:
                yield
            except KeyError as exc:
                seen.append(exc)
                raise

    apm = make_apm(Failing(), Observer())
    compiled, traced = await both(apm, topic="t")
    assert isinstance(compiled, KeyError) and isinstance(traced, KeyError)
    assert seen == [compiled, traced]


async def test_async_wrapper_cannot_replace_result_or_swallow() -> None:
    caught: list[BaseException] = []

    class TriesToSwallow:
        @extension(wrapper=True)
        async def fetch(self, topic: str) -> AWrap:
            try:
                yield
            except KeyError as exc:
                caught.append(exc)  # and returns: observe-only, the exception still propagates

    class TriesToChange:
        @extension(wrapper=True)
        async def fetch(self, topic: str) -> AWrap:
            result = yield
            result.append("appended in place is visible")  # mutation is not replacement

    compiled, traced = await both(make_apm(Failing(), TriesToSwallow()), topic="t")
    assert isinstance(compiled, KeyError) and isinstance(traced, KeyError)
    assert caught == [compiled, traced]
    assert await both(make_apm(Source(), TriesToChange()), topic="t") == (
        ["src:t", "appended in place is visible"], ["src:t", "appended in place is visible"])


async def test_async_wrapper_raising_in_teardown_replaces_outcome() -> None:
    class Rejects:
        @extension(wrapper=True)
        async def fetch(self, topic: str) -> AWrap:
            try:
                yield
            finally:
                raise RuntimeError("rejected in teardown")

    compiled, traced = await both(make_apm(Source(), Rejects()), topic="t")
    assert isinstance(compiled, RuntimeError) and str(compiled) == "rejected in teardown"
    assert isinstance(traced, RuntimeError)
    compiled, traced = await both(make_apm(Failing(), Rejects()), topic="t")
    assert isinstance(compiled, RuntimeError) and isinstance(compiled.__context__, KeyError)


async def test_sync_generator_wrapper_transforms_on_async_manager() -> None:
    class Transform:
        @extension(wrapper=True)
        def fetch(self, topic: str) -> Generator[None, Any, Any]:
            result = yield
            return [r.upper() for r in result]

    class Recover:
        @extension(wrapper=True)
        def fetch(self, topic: str) -> Generator[None, Any, Any]:
            try:
                return (yield)
            except KeyError:
                return ["recovered"]

    assert await both(make_apm(Source(), Transform()), topic="t") == (["SRC:T"], ["SRC:T"])
    assert await both(make_apm(Failing(), Recover()), topic="t") == (["recovered"], ["recovered"])


async def test_mixed_wrappers_nest_in_call_order() -> None:
    log: list[str] = []

    class AsyncOuter:
        @extension(wrapper=True, tryfirst=True)
        async def fetch(self, topic: str) -> AWrap:
            log.append("async<")
            result = yield
            log.append(f"async> {result}")

    class SyncInner:
        @extension(wrapper=True)
        def fetch(self, topic: str) -> Generator[None, Any, Any]:
            log.append("sync<")
            result = yield
            log.append("sync>")
            return [*result, "sync"]

    apm = make_apm(Source(), AsyncOuter(), SyncInner())
    assert await apm.hook.fetch(topic="t") == ["src:t", "sync"]
    assert log == ["async<", "sync<", "sync>", "async> ['src:t', 'sync']"]


async def test_async_wrapper_that_does_not_yield_or_yields_twice() -> None:
    class NoYield:
        @extension(wrapper=True)
        async def fetch(self, topic: str) -> AWrap:
            if topic:
                return
            yield  # pragma: no cover

    class Twice:
        @extension(wrapper=True)
        async def fetch(self, topic: str) -> AWrap:
            yield
            yield

    for plugin, message in ((NoYield(), "did not yield"), (Twice(), "yielded twice")):
        compiled, traced = await both(make_apm(Source(), plugin), topic="t")
        assert isinstance(compiled, RuntimeError) and message in str(compiled)
        assert isinstance(traced, RuntimeError) and message in str(traced)


async def test_many_async_wrappers_match_traced() -> None:
    for count in (7, 8, 9, 17):
        log: list[str] = []

        def wrapper(index: int, log: list[str] = log) -> object:
            async def fetch(topic: str) -> AWrap:
                log.append(f"{index}<")
                try:
                    yield
                finally:
                    log.append(f"{index}>")

            return type("W", (), {"fetch": staticmethod(extension(wrapper=True)(fetch))})()

        apm = make_apm(Source(), *(wrapper(i) for i in range(count)))
        compiled, traced = await both(apm, topic="t")
        assert compiled == traced == ["src:t"]
        half = len(log) // 2
        assert log[:half] == log[half:] == (
            [f"{i}<" for i in reversed(range(count))] + [f"{i}>" for i in range(count)])


def test_wrapper_that_is_neither_rejected() -> None:
    class Neither:
        @extension(wrapper=True)
        async def fetch(self, topic: str) -> str:
            return "x"

    apm = make_apm()
    with pytest.raises(PluginValidationError, match=r"'fetch'.*neither an async generator"):
        apm.register(Neither(), name="neither")
    assert not apm.has_plugin("neither")


async def test_async_generator_without_wrapper_flag_returns_it() -> None:
    """As in pluggy (issue 11): a plain extension that is an async generator function is
    accepted, its result being the async generator (it used to be refused)."""

    class Unmarked:
        @extension
        async def fetch(self, topic: str) -> AWrap:
            yield topic

    apm = make_apm()
    apm.register(Unmarked())
    (agen,) = await apm.hook.fetch(topic="t")
    assert [value async for value in agen] == ["t"]


# --- cancellation ---------------------------------------------------------------------------------


@pytest.mark.parametrize("how", ["compiled", "traced", "monitored"])
async def test_cancelling_a_call_mid_way(how: str) -> None:
    log: list[str] = []
    started = asyncio.Event()

    class Later:  # registered first: called after Slow
        @extension
        async def fetch(self, topic: str) -> str:
            log.append("later called")
            return "later"

    class Slow:
        @extension
        async def fetch(self, topic: str) -> str:
            log.append("slow started")
            started.set()
            try:
                await asyncio.Event().wait()
            except asyncio.CancelledError:
                log.append("slow cancelled")
                raise
            return "never"

    class AsyncWrap:
        @extension(wrapper=True)
        async def fetch(self, topic: str) -> AWrap:
            try:
                yield
            except BaseException as exc:
                log.append(f"async wrapper saw {type(exc).__name__}")
                raise
            finally:
                log.append("async wrapper finally")

    class SyncWrap:
        @extension(wrapper=True, tryfirst=True)
        def fetch(self, topic: str) -> Generator[None, Any, Any]:
            try:
                return (yield)
            except BaseException as exc:
                log.append(f"sync wrapper saw {type(exc).__name__}")
                raise

    apm = make_apm(Later(), Slow(), AsyncWrap(), SyncWrap())
    after: list[Any] = []
    if how == "monitored":
        apm.add_hookcall_monitoring(lambda *a: None,
                                    lambda outcome, *a: after.append(type(outcome.exception)))
    call = apm.hook.fetch.traced(topic="t") if how == "traced" else apm.hook.fetch(topic="t")
    task = asyncio.ensure_future(call)
    await started.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert log == ["slow started", "slow cancelled", "async wrapper saw CancelledError",
                   "async wrapper finally", "sync wrapper saw CancelledError"]
    assert task.cancelled()
    if how == "monitored":
        assert after == [asyncio.CancelledError]


async def test_cancelling_call_concurrently_cancels_every_implementation() -> None:
    log: list[str] = []
    both_started = [asyncio.Event(), asyncio.Event()]

    def waiter(index: int) -> object:
        class Waiter:
            @extension
            async def fetch(self, topic: str) -> str:
                both_started[index].set()
                try:
                    await asyncio.Event().wait()
                finally:
                    log.append(f"waiter {index} finished")
                return "never"

        return Waiter()

    apm = make_apm(waiter(0), waiter(1))
    task = asyncio.ensure_future(apm.hook.fetch.call_concurrently(topic="t"))
    for event in both_started:
        await event.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert sorted(log) == ["waiter 0 finished", "waiter 1 finished"]
