"""Property: the same plugins (sync implementations) give the same results, call order and errors on
PluginManager and AsyncPluginManager — compiled, traced and through validation."""

from __future__ import annotations

import asyncio
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from kit_fixtures import HOOKS, PROJECT, Specs, apply_to_manager, extension, operations, outcome

from nbplug import AsyncPluginManager, PluginManager

SETTINGS = settings(max_examples=50, deadline=None)


def managers(ops: list[tuple[str, Any]], hook: str) -> tuple[PluginManager, AsyncPluginManager]:
    sync, aio = PluginManager(PROJECT), AsyncPluginManager(PROJECT)
    for pm in (sync, aio):
        pm.add_extension_points(Specs)
        apply_to_manager(pm, ops, hook)
    return sync, aio


def error_of(exc: BaseException | None) -> tuple[type, str] | None:
    return None if exc is None else (type(exc), str(exc))


@SETTINGS
@given(ops=operations(), mode=st.sampled_from(sorted(HOOKS)), x=st.integers(0, 5),
       bad_call=st.sampled_from([None, {"log": []}, {"x": 1, "lg": []}, {"x": 1, "log": [], "y": 2}]))
def test_sync_and_async_managers_agree(ops: list[tuple[str, Any]], mode: str, x: int,
                                       bad_call: dict[str, Any] | None) -> None:
    hook = HOOKS[mode]
    sync, aio = managers(ops, hook)
    sync_caller, async_caller = getattr(sync.hook, hook), getattr(aio.hook, hook)
    assert [(i.plugin_name, i.wrapper) for i in sync_caller.implementations()] == [
        (i.plugin_name, i.wrapper) for i in async_caller.implementations()]

    async def both() -> None:
        kwargs = bad_call if bad_call is not None else {"x": x}
        sync_log: list[str] = []
        async_log: list[str] = []
        if bad_call is None:
            sync_out = outcome(lambda: sync_caller(**kwargs, log=sync_log))
            try:
                async_out: Any = (await async_caller(**kwargs, log=async_log), None)
            except Exception as exc:
                async_out = (None, error_of(exc))
        else:
            sync_out = outcome(lambda: sync_caller(**kwargs))
            try:
                async_out = (await async_caller(**kwargs), None)
            except Exception as exc:
                async_out = (None, error_of(exc))
        assert async_out == sync_out
        assert async_log == sync_log
        if bad_call is None:
            sync_trace = sync_caller.traced(x=x, log=[])
            async_trace = await async_caller.traced(x=x, log=[])
            assert async_trace.result == sync_trace.result
            assert error_of(async_trace.exception) == error_of(sync_trace.exception)
            assert [(d, s.plugin_name, s.kind, s.not_called) for d, s in async_trace.walk()] == [
                (d, s.plugin_name, s.kind, s.not_called) for d, s in sync_trace.walk()]

    asyncio.run(both())


def bad_plugins() -> list[object]:
    """Plugins each manager must reject with the same message."""

    class ExtraArg:
        @extension
        def collect(self, x: int, lg: list[str]) -> None: ...

    class WrapperNotGenerator:
        @extension(wrapper=True)
        def collect(self, x: int) -> None: ...

    return [ExtraArg(), WrapperNotGenerator()]


def test_validation_errors_agree_where_both_reject() -> None:
    """Wrapper rules differ on purpose (async generators are allowed on the async manager); the
    message of a rejected wrapper says what that manager accepts. Other errors are the same."""
    messages: list[list[str]] = []
    for cls in (PluginManager, AsyncPluginManager):
        pm = cls(PROJECT)
        pm.add_extension_points(Specs)
        found = []
        for plugin in bad_plugins():
            try:
                pm.register(plugin, name="bad")
            except Exception as exc:
                found.append(f"{type(exc).__name__}: {exc}")
        messages.append(found)
    sync, aio = messages
    assert len(sync) == len(aio) == 2
    assert sync[0] == aio[0]
    assert "wrapper=True" in sync[1] and "wrapper=True" in aio[1]
