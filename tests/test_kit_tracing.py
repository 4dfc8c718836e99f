"""Traced calls: steps in call order, wrapper nesting, per-step outcomes, not_called, durations."""

from __future__ import annotations

import time
from typing import Any

import pytest

from nbplug import CallTrace, Extension, ExtensionPoint, PluginManager, TraceStep

extension_point = ExtensionPoint("feed")
extension = Extension("feed")


class Specs:
    @staticmethod
    @extension_point
    def collect(topic: str, limit: int = 2) -> str: ...

    @staticmethod
    @extension_point(firstresult=True)
    def first(topic: str) -> str: ...


class Outer:
    @extension(wrapper=True)
    def collect(self, topic: str) -> Any:
        result = yield
        return [*result, "outer"]


class Inner:
    @extension(wrapper=True)
    def collect(self, topic: str) -> Any:
        return (yield)


class A:
    @extension
    def collect(self, topic: str) -> str:
        return f"a:{topic}"

    @extension
    def first(self, topic: str) -> None:
        return None


class B:
    @extension
    def collect(self, topic: str, limit: int) -> None:
        return None

    @extension
    def first(self, topic: str) -> str:
        return "b"


class C:
    @extension(trylast=True)
    def first(self, topic: str) -> str:
        return "c"


class Boom:
    @extension(tryfirst=True)
    def collect(self, topic: str) -> str:
        raise ValueError(f"boom {topic}")


@pytest.fixture
def pm() -> PluginManager:
    manager = PluginManager("feed")
    manager.add_extension_points(Specs)
    manager.register(C(), name="c")
    manager.register(A(), name="a")
    manager.register(B(), name="b")
    manager.register(Inner(), name="inner")
    manager.register(Outer(), name="outer")
    return manager


def test_trace_structure(pm: PluginManager) -> None:
    before = time.time()
    trace = pm.hook.collect.traced(topic="t")
    assert isinstance(trace, CallTrace)
    assert (trace.hook, trace.mode, trace.kwargs) == ("collect", "collecting", {"topic": "t", "limit": 2})
    assert trace.result == pm.hook.collect(topic="t") == ["a:t", "outer"]
    assert trace.exception is None
    assert before <= trace.start_time <= time.time()
    assert trace.duration >= 0
    [outer] = trace.steps
    assert (outer.plugin_name, outer.kind, outer.function) == ("outer", "wrapper", "Outer.collect")
    assert outer.result == ["a:t", "outer"]
    [inner] = outer.children
    assert (inner.plugin_name, inner.kind, inner.result) == ("inner", "wrapper", ["a:t"])
    assert [(s.plugin_name, s.kind, s.result) for s in inner.children] == [
        ("b", "impl", None), ("a", "impl", "a:t")]
    assert [(d, s.plugin_name) for d, s in trace.walk()] == [
        (0, "outer"), (1, "inner"), (2, "b"), (2, "a")]
    assert [s.plugin_name for s in trace.implementations()] == ["b", "a"]


def test_trace_times_nest_and_are_ordered(pm: PluginManager) -> None:
    trace = pm.hook.collect.traced(topic="t")
    steps = [s for _, s in trace.walk()]
    assert all(isinstance(s, TraceStep) and s.duration >= 0 for s in steps)
    outer, inner, b, a = steps
    for wrapper in (outer, inner):
        assert wrapper.setup_end is not None and wrapper.teardown_start is not None
        assert wrapper.start <= wrapper.setup_end <= wrapper.teardown_start <= wrapper.end
    assert outer.start <= inner.start and inner.end <= outer.end
    assert inner.setup_end is not None and inner.teardown_start is not None
    assert inner.setup_end <= b.start <= b.end <= a.start <= a.end <= inner.teardown_start
    assert not any(s.not_called for s in steps)


def test_trace_firstresult_marks_not_called(pm: PluginManager) -> None:
    trace = pm.hook.first.traced(topic="t")
    assert trace.result == "b" == pm.hook.first(topic="t")
    assert [(s.plugin_name, s.result, s.not_called) for s in trace.steps] == [
        ("b", "b", False), ("a", None, True), ("c", None, True)]
    assert [s.duration for s in trace.steps[1:]] == [0.0, 0.0]


def test_traced_never_raises_for_impl_errors(pm: PluginManager) -> None:
    pm.register(Boom(), name="boom")
    trace = pm.hook.collect.traced(topic="t")
    assert isinstance(trace.exception, ValueError)
    assert trace.result is None
    with pytest.raises(ValueError, match="boom t"):
        trace.get_result()
    [outer] = trace.steps
    [inner] = outer.children
    assert outer.exception is trace.exception and inner.exception is trace.exception
    boom, b, a = inner.children
    assert boom.exception is trace.exception and not boom.not_called
    assert b.not_called and a.not_called


def test_traced_still_raises_for_bad_arguments(pm: PluginManager) -> None:
    from nbplug import HookCallError

    with pytest.raises(HookCallError, match="did you mean 'topic'"):
        pm.hook.collect.traced(topc="t")


def test_traced_wrapper_step_shows_replaced_exception() -> None:
    class Swallow:
        @extension(wrapper=True)
        def collect(self, topic: str) -> Any:
            try:
                yield
            except ValueError:
                return ["saved"]

    pm = PluginManager("feed")
    pm.add_extension_points(Specs)
    pm.register(Boom(), name="boom")
    pm.register(Swallow(), name="swallow")
    trace = pm.hook.collect.traced(topic="t")
    assert trace.exception is None and trace.result == ["saved"]
    [wrapper] = trace.steps
    assert wrapper.exception is None and wrapper.result == ["saved"]
    assert isinstance(wrapper.children[0].exception, ValueError)


def test_traced_with_no_implementations() -> None:
    pm = PluginManager("feed")
    pm.add_extension_points(Specs)
    trace = pm.hook.collect.traced(topic="t")
    assert trace.steps == [] and trace.result == []
    assert pm.hook.first.traced(topic="t").result is None
