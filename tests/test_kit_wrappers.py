"""Synchronous generator wrappers: transform, replace, swallow, errors, teardown promise, many wrappers."""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import Any

import pytest

from nbplug import Extension, ExtensionPoint, PluginManager

extension_point = ExtensionPoint("feed")
extension = Extension("feed")

Wrap = Generator[None, Any, Any]


class Specs:
    @staticmethod
    @extension_point
    def collect(topic: str) -> str: ...

    @staticmethod
    @extension_point(firstresult=True)
    def first(topic: str) -> str: ...


class Source:
    @extension
    def collect(self, topic: str) -> str:
        return f"src:{topic}"

    @extension
    def first(self, topic: str) -> str:
        return f"first:{topic}"


class Failing:
    @extension
    def collect(self, topic: str) -> str:
        raise KeyError(topic)


def make_pm(*plugins: object) -> PluginManager:
    pm = PluginManager("feed")
    pm.add_extension_points(Specs)
    for index, plugin in enumerate(plugins):
        pm.register(plugin, name=f"p{index}")
    return pm


def as_wrapper(function: Callable[[str], Wrap], hook: str = "collect") -> object:
    """A plugin whose ``hook`` wrapper is ``function``."""
    marked = extension(wrapper=True)(function)
    return type("WrapperPlugin", (), {hook: staticmethod(marked)})()


def both(pm: PluginManager, **kwargs: Any) -> Any:
    """Call compiled and traced; they must agree. Returns the compiled call's result."""
    result = pm.hook.collect(**kwargs)
    assert pm.hook.collect.traced(**kwargs).get_result() == result
    return result


def test_wrapper_transforms_result() -> None:
    def wrap(topic: str) -> Wrap:
        result = yield
        return [*result, f"wrapped:{topic}"]

    pm = make_pm(Source(), as_wrapper(wrap))
    assert both(pm, topic="t") == ["src:t", "wrapped:t"]


def test_wrapper_around_firstresult() -> None:
    def wrap(topic: str) -> Wrap:
        return f"<{(yield)}>"

    pm = make_pm(Source(), as_wrapper(wrap, "first"))
    assert pm.hook.first(topic="t") == "<first:t>"


def test_wrapper_replaces_result_with_exception() -> None:
    def wrap(topic: str) -> Wrap:
        yield
        raise RuntimeError("rejected by wrapper")

    pm = make_pm(Source(), as_wrapper(wrap))
    with pytest.raises(RuntimeError, match="rejected by wrapper"):
        pm.hook.collect(topic="t")
    assert isinstance(pm.hook.collect.traced(topic="t").exception, RuntimeError)


def test_exception_raised_at_the_yield_and_transformed() -> None:
    seen: list[BaseException] = []

    def wrap(topic: str) -> Wrap:
        try:
            yield
        except KeyError as exc:
            seen.append(exc)
            raise ValueError("translated") from exc

    pm = make_pm(Failing(), as_wrapper(wrap))
    with pytest.raises(ValueError, match="translated") as info:
        pm.hook.collect(topic="t")
    assert isinstance(seen[0], KeyError)
    assert info.value.__cause__ is seen[0]


def test_wrapper_swallows_exception_by_returning() -> None:
    def wrap(topic: str) -> Wrap:
        try:
            yield
        except KeyError:
            return ["recovered"]
        return ["not reached"]

    pm = make_pm(Failing(), as_wrapper(wrap))
    assert both(pm, topic="t") == ["recovered"]


def test_wrapper_setup_error_skips_inner_but_outer_teardown_runs() -> None:
    log: list[str] = []

    def outer(topic: str) -> Wrap:
        log.append("outer<")
        try:
            return (yield)
        finally:
            log.append("outer>")

    def inner(topic: str) -> Wrap:
        raise LookupError("setup failed")
        yield  # pragma: no cover

    class Logged:
        @extension
        def collect(self, topic: str) -> str:
            log.append("impl")
            return "x"

    pm = make_pm(Logged(), as_wrapper(inner), as_wrapper(outer))
    with pytest.raises(LookupError, match="setup failed"):
        pm.hook.collect(topic="t")
    assert log == ["outer<", "outer>"]


def test_every_teardown_runs_when_another_raised() -> None:
    log: list[str] = []

    def logging_wrapper(name: str, fail: bool) -> object:
        def wrap(topic: str) -> Wrap:
            log.append(f"{name}<")
            try:
                result = yield
            except BaseException as exc:
                log.append(f"{name} saw {type(exc).__name__}:{exc}")
                raise
            log.append(f"{name}>")
            if fail:
                raise RuntimeError(f"teardown of {name}")
            return result

        return as_wrapper(wrap)

    # registration order: innermost first (later registrations run outside)
    pm = make_pm(Source(), logging_wrapper("inner", False), logging_wrapper("middle", True),
                 logging_wrapper("outer", False))
    with pytest.raises(RuntimeError, match="teardown of middle"):
        pm.hook.collect(topic="t")
    assert log == ["outer<", "middle<", "inner<", "inner>", "middle>",
                   "outer saw RuntimeError:teardown of middle"]


def test_wrapper_that_does_not_yield() -> None:
    def wrap(topic: str) -> Wrap:
        if topic:
            return ["no yield"]
        yield  # pragma: no cover

    pm = make_pm(Source(), as_wrapper(wrap))
    for call in (lambda: pm.hook.collect(topic="t"),
                 lambda: pm.hook.collect.traced(topic="t").get_result()):
        with pytest.raises(RuntimeError, match=r"did not yield: a wrapper must yield exactly once"):
            call()


def test_wrapper_that_yields_twice() -> None:
    closed: list[bool] = []

    def wrap(topic: str) -> Wrap:
        try:
            yield
            yield
        finally:
            closed.append(True)

    pm = make_pm(Source(), as_wrapper(wrap))
    with pytest.raises(RuntimeError, match="yielded twice") as info:
        pm.hook.collect(topic="t")
    assert "wrap" in str(info.value)
    assert closed == [True]  # the generator was closed
    with pytest.raises(RuntimeError, match="yielded twice"):
        pm.hook.collect.traced(topic="t").get_result()


def test_wrapper_that_yields_twice_after_exception() -> None:
    def wrap(topic: str) -> Wrap:
        try:
            yield
        except KeyError:
            yield

    pm = make_pm(Failing(), as_wrapper(wrap))
    with pytest.raises(RuntimeError, match="yielded twice"):
        pm.hook.collect(topic="t")


def test_wrapper_receives_only_its_arguments() -> None:
    class Specs2:
        @staticmethod
        @extension_point
        def many(a: int, b: int, c: int) -> int: ...

    got: list[Any] = []

    class W:
        @extension(wrapper=True)
        def many(self, c: int, a: int) -> Wrap:
            got.append((c, a))
            return (yield)

    class P:
        @extension
        def many(self, b: int) -> int:
            return b

    pm = PluginManager("feed")
    pm.add_extension_points(Specs2)
    pm.register(P())
    pm.register(W())
    assert pm.hook.many(a=1, b=2, c=3) == [2]
    assert got == [(3, 1)]


def numbered_wrapper(index: int, log: list[str]) -> object:
    def wrap(topic: str) -> Wrap:
        log.append(f"{index}<")
        try:
            result = yield
        finally:
            log.append(f"{index}>")
        if index % 3 == 0:
            return [*result, index]  # some wrappers transform
        return result

    return as_wrapper(wrap)


class Raiser:
    @extension
    def collect(self, topic: str) -> str:
        if topic == "raise":
            raise KeyError("inner")
        return topic


@pytest.mark.parametrize("count", [1, 7, 8, 9, 15, 16, 17, 32, 33, 100])
@pytest.mark.parametrize("topic", ["ok", "raise"])
def test_many_wrappers_match_the_traced_interpreter(count: int, topic: str) -> None:
    """The compiled plan chunks wrappers by 16; the interpreter does not. Both must agree."""
    log: list[str] = []
    pm = make_pm(Raiser(), *(numbered_wrapper(i, log) for i in range(count)))
    compiled: Any
    try:
        compiled = pm.hook.collect(topic=topic)
    except KeyError as exc:
        compiled = exc
    compiled_log = list(log)
    log.clear()
    trace = pm.hook.collect.traced(topic=topic)
    assert log == compiled_log
    # later registrations are outer: the last-registered wrapper is set up first
    assert log[:count] == [f"{i}<" for i in reversed(range(count))]
    assert log[count:] == [f"{i}>" for i in range(count)]
    if topic == "raise":
        assert isinstance(compiled, KeyError)
        assert type(trace.exception) is KeyError and trace.exception.args == compiled.args
    else:
        assert compiled == trace.result == ["ok", *range(0, count, 3)]
    assert len(list(trace.walk())) == count + 1


@pytest.mark.parametrize("count", [8, 9, 16, 17, 33])
def test_many_wrappers_one_raises_in_teardown(count: int) -> None:
    log: list[str] = []
    failing = count // 2

    def fail_wrapper() -> object:
        def wrap(topic: str) -> Wrap:
            yield
            raise RuntimeError("middle teardown")

        return as_wrapper(wrap)

    plugins: list[object] = [Raiser()]
    for i in range(count):
        plugins.append(fail_wrapper() if i == failing else numbered_wrapper(i, log))
    pm = make_pm(*plugins)
    with pytest.raises(RuntimeError, match="middle teardown"):
        pm.hook.collect(topic="ok")
    teardowns = [entry for entry in log if entry.endswith(">")]
    assert teardowns == [f"{i}>" for i in range(count) if i != failing]
