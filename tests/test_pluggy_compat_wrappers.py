"""Legacy wrappers (``hookwrapper=True``, ``outcome = yield``), their teardown warning, StopIteration
through wrappers and ``Result``: as pluggy 1.7 has them, on nbplug's managers, compared with pluggy
in the same test (issue 11, behaviours 1 and 6)."""

from __future__ import annotations

import traceback
from collections.abc import Generator
from typing import Any

import pluggy
import pytest
from compat_fixtures import both, hookimpl, hookspec, outcome, recorded_warnings

import nbplug
from nbplug import AsyncPluginManager, Extension, PluginManager, PluginValidationError


class Specs:
    @hookspec
    def compat_collect(self, x: int, log: list[str]) -> list[Any]:
        """Collecting."""

    @hookspec(firstresult=True)
    def compat_first(self, x: int, log: list[str]) -> Any:
        """firstresult."""

    @hookspec(historic=True)
    def compat_history(self, x: int) -> None:
        """historic."""


class Plain:
    def __init__(self, name: str, value: Any = None, error: BaseException | None = None) -> None:
        self.name, self.value, self.error = name, value, error

    @hookimpl
    def compat_collect(self, x: int, log: list[str]) -> Any:
        log.append(self.name)
        if self.error is not None:
            raise self.error
        return self.value

    @hookimpl
    def compat_first(self, x: int, log: list[str]) -> Any:
        log.append(self.name)
        return self.value


class Legacy:
    """A legacy wrapper: looks at the outcome and, depending on ``action``, changes it."""

    def __init__(self, name: str, action: str = "look") -> None:
        self.name, self.action = name, action

    def _wrap(self, log: list[str]) -> Generator[None, Any, None]:
        log.append(f"{self.name}<")
        result = yield
        seen = "error" if result.exception is not None else repr(result.get_result())
        log.append(f"{self.name}>{seen}")
        if self.action == "force":
            result.force_result(("forced by", self.name))
        elif self.action == "fail":
            result.force_exception(KeyError(self.name))
        elif self.action == "rescue" and result.exception is not None:
            result.force_result(("rescued by", self.name))
        elif self.action == "raise":
            raise LookupError(f"teardown of {self.name}")

    @hookimpl(hookwrapper=True)
    def compat_collect(self, x: int, log: list[str]) -> Generator[None, Any, None]:
        yield from self._wrap(log)

    @hookimpl(hookwrapper=True, tryfirst=True)
    def compat_first(self, x: int, log: list[str]) -> Generator[None, Any, None]:
        yield from self._wrap(log)


class NewStyle:
    """A new-style wrapper: tags the result it passes on."""

    def __init__(self, name: str) -> None:
        self.name = name

    @hookimpl(wrapper=True)
    def compat_collect(self, x: int, log: list[str]) -> Generator[None, Any, Any]:
        log.append(f"{self.name}<")
        try:
            inner = yield
        finally:
            log.append(f"{self.name}>")
        return (self.name, inner)


def run(pm: Any, plugins: list[Any], hook: str = "compat_collect") -> tuple[list[str], Any]:
    pm.add_hookspecs(Specs)
    for index, plugin in enumerate(plugins):
        pm.register(plugin, name=f"{type(plugin).__name__}{index}")
    log: list[str] = []
    result = outcome(lambda: getattr(pm.hook, hook)(x=1, log=log))
    return log, (result.value, result.error, result.message)


@pytest.mark.parametrize("plugins", [
    pytest.param([Plain("a", 1), Legacy("L")], id="looks"),
    pytest.param([Plain("a", 1), Legacy("L", "force")], id="force_result"),
    pytest.param([Plain("a", 1), Legacy("L", "fail")], id="force_exception"),
    pytest.param([Plain("a", error=ValueError("boom")), Legacy("L")], id="sees-error"),
    pytest.param([Plain("a", error=ValueError("boom")), Legacy("L", "rescue")], id="rescues"),
    pytest.param([Plain("a", 1), Legacy("L1"), NewStyle("N"), Legacy("L2", "force"), Plain("b", 2)],
                 id="mixed-with-new-style"),
    pytest.param([Legacy("L1", "force"), NewStyle("N1"), Plain("a", error=ValueError("x")),
                  Legacy("L2", "rescue"), NewStyle("N2")], id="mixed-error-rescued"),
])
def test_legacy_wrappers_match_pluggy(plugins: list[Any]) -> None:
    """Order, what each wrapper sees at its yield, and the final result or error, as in pluggy."""
    ours = run(PluginManager("compat"), plugins)
    theirs = run(pluggy.PluginManager("compat"), plugins)
    assert ours[0] == theirs[0]
    assert ours[1][:2] == theirs[1][:2]
    assert theirs[1][2] in ours[1][2]


def test_legacy_wrapper_on_firstresult_hook_matches_pluggy() -> None:
    plugins = [Plain("a", None), Plain("b", 7), Plain("c", 8), Legacy("L", "look")]
    assert run(PluginManager("compat"), plugins, "compat_first") == run(
        pluggy.PluginManager("compat"), plugins, "compat_first")


def test_legacy_wrapper_with_nbplugs_own_marker() -> None:
    """``Extension(hookwrapper=True)`` marks a legacy wrapper too; it is listed as one."""
    extension = Extension("compat")

    class Timing:
        @extension(hookwrapper=True)
        def compat_collect(self, x: int, log: list[str]) -> Generator[None, Any, None]:
            outcome = yield
            outcome.force_result([*outcome.get_result(), "timed"])

    pm = PluginManager("compat")
    pm.add_extension_points(Specs)
    pm.register(Plain("a", 1), name="a")
    pm.register(Timing(), name="timing")
    assert pm.hook.compat_collect(x=1, log=[]) == [1, "timed"]
    (impl,) = [i for i in pm.hook.compat_collect.get_hookimpls() if i.plugin_name == "timing"]
    assert impl.hookwrapper and not impl.wrapper


def test_teardown_raising_warns_as_pluggy_does() -> None:
    """A legacy wrapper whose teardown raises: pluggy's warning, then the error goes outward."""
    plugins = [Plain("a", 1), Legacy("L", "raise"), NewStyle("outer")]
    with recorded_warnings() as ours_seen:
        ours = run(PluginManager("compat"), plugins)
    with recorded_warnings() as theirs_seen:
        theirs = run(pluggy.PluginManager("compat"), plugins)
    assert ours[0] == theirs[0]  # the outer new-style wrapper's teardown ran too
    assert ours[1][:2] == theirs[1][:2] == (None, "LookupError")
    assert [w.category for w in theirs_seen] == [pluggy.PluggyTeardownRaisedWarning]
    assert [w.category for w in ours_seen] == [nbplug.TeardownRaisedWarning]
    assert issubclass(nbplug.TeardownRaisedWarning, UserWarning)
    # pluggy's first three lines (what, who, the error) are in nbplug's message
    theirs_lines = str(theirs_seen[0].message).splitlines()[:3]
    assert theirs_lines == str(ours_seen[0].message).splitlines()[:3]
    assert theirs_lines[1] == "Plugin: Legacy1, Hook: compat_collect"


def test_no_warning_when_new_style_teardown_raises() -> None:
    """Only legacy teardowns warn: a new-style wrapper raising is the way to replace an outcome."""

    class Raises:
        @hookimpl(wrapper=True)
        def compat_collect(self, x: int, log: list[str]) -> Generator[None, Any, Any]:
            yield
            raise LookupError("replaced")

    for make in (lambda: PluginManager("compat"), lambda: pluggy.PluginManager("compat")):
        with recorded_warnings() as seen:
            _, (_, error, _) = run(make(), [Plain("a", 1), Raises()])
        assert error == "LookupError" and seen == []


class NotAGenerator:
    @hookimpl(hookwrapper=True)
    def compat_collect(self, x: int, log: list[str]) -> None:
        return None


class BothFlags:
    @hookimpl(hookwrapper=True, wrapper=True)
    def compat_collect(self, x: int, log: list[str]) -> Generator[None, Any, Any]:
        return (yield)


class LegacyOnHistoric:
    @hookimpl(hookwrapper=True)
    def compat_history(self, x: int) -> Generator[None, Any, None]:
        yield


@pytest.mark.parametrize(("plugin", "ours_says", "pluggy_says"), [
    (NotAGenerator(), "not a generator", "not a generator function"),
    (BothFlags(), "mutually exclusive", "mutually exclusive"),
    (LegacyOnHistoric(), "historic", "historic incompatible"),
])
def test_bad_legacy_wrappers_are_refused_as_in_pluggy(plugin: object, ours_says: str,
                                                      pluggy_says: str) -> None:
    def scenario(pm: Any) -> None:
        pm.add_hookspecs(Specs)
        pm.register(plugin, name="bad")

    outcomes = both(scenario)
    assert outcomes["pluggy"].error == "PluginValidationError"
    assert pluggy_says in outcomes["pluggy"].message
    assert isinstance(outcomes["nbplug"].exception, PluginValidationError)
    assert ours_says in outcomes["nbplug"].message and "'bad'" in outcomes["nbplug"].message


class NoYield:
    @hookimpl(hookwrapper=True)
    def compat_collect(self, x: int, log: list[str]) -> Generator[None, Any, None]:
        if x > 100:
            yield


class TwoYields:
    @hookimpl(hookwrapper=True)
    def compat_collect(self, x: int, log: list[str]) -> Generator[None, Any, None]:
        yield
        yield


@pytest.mark.parametrize("plugin", [NoYield(), TwoYields()], ids=["no-yield", "second-yield"])
def test_legacy_wrapper_yield_count_errors_as_in_pluggy(plugin: object) -> None:
    ours = run(PluginManager("compat"), [Plain("a", 1), plugin])
    theirs = run(pluggy.PluginManager("compat"), [Plain("a", 1), plugin])
    assert ours[0] == theirs[0]
    assert ours[1][:2] == theirs[1][:2] == (None, "RuntimeError")
    assert ("did not yield" in ours[1][2]) == ("did not yield" in theirs[1][2])


# -- StopIteration --------------------------------------------------------------------------------


class Stops:
    @hookimpl
    def compat_collect(self, x: int, log: list[str]) -> Any:
        log.append("stops")
        raise StopIteration("from an implementation")


@pytest.mark.parametrize("wrappers", [
    pytest.param([], id="no-wrapper"),
    pytest.param([NewStyle("N")], id="new-style"),
    pytest.param([Legacy("L")], id="legacy"),
    pytest.param([NewStyle("N1"), Legacy("L"), NewStyle("N2")], id="mixed"),
])
def test_stop_iteration_from_an_implementation_is_reraised(wrappers: list[Any]) -> None:
    """pluggy re-raises an implementation's StopIteration, wrappers or not (not RuntimeError)."""
    ours = run(PluginManager("compat"), [Stops(), *wrappers])
    theirs = run(pluggy.PluginManager("compat"), [Stops(), *wrappers])
    assert ours == theirs
    assert ours[1][1] == "StopIteration"


# -- Result ---------------------------------------------------------------------------------------


def failing() -> None:
    raise ValueError("inside")


@pytest.mark.parametrize("result_class", [nbplug.Result, pluggy.Result], ids=["nbplug", "pluggy"])
def test_get_result_keeps_the_traceback_the_same_length(result_class: Any) -> None:
    """Every get_result() raises the original traceback, not one grown by the previous raise."""
    result = result_class.from_call(failing)
    depths = []
    for _ in range(4):
        with pytest.raises(ValueError) as info:
            result.get_result()
        depths.append(len(traceback.extract_tb(info.value.__traceback__)))
    assert len(set(depths)) == 1, depths
    assert traceback.extract_tb(info.value.__traceback__)[-1].name == "failing"


def test_get_result_traceback_matches_pluggy() -> None:
    def depth(result_class: Any) -> int:
        result = result_class.from_call(failing)
        for _ in range(3):
            with pytest.raises(ValueError) as info:
                result.get_result()
        return len(traceback.extract_tb(info.value.__traceback__))

    assert depth(nbplug.Result) == depth(pluggy.Result)


def test_result_forced_exception_keeps_its_own_traceback() -> None:
    for result_class in (nbplug.Result, pluggy.Result):
        result = result_class.from_call(lambda: 1)
        try:
            failing()
        except ValueError as exc:
            error = exc
        result.force_exception(error)
        assert result.exception is error
        with pytest.raises(ValueError, match="inside"):
            result.get_result()
        result.force_result(5)
        assert result.get_result() == 5 and result.exception is None


# -- the async manager: legacy wrappers as generators and as async generators ------------------


class AsyncLegacy:
    """An async legacy wrapper: ``outcome = yield`` inside ``async def``; force_result replaces."""

    def __init__(self, name: str, action: str = "force") -> None:
        self.name, self.action = name, action

    @hookimpl(hookwrapper=True)
    async def compat_collect(self, x: int, log: list[str]) -> Any:
        log.append(f"{self.name}<")
        result = yield
        log.append(f"{self.name}>{'error' if result.exception else repr(result.get_result())}")
        if self.action == "force":
            result.force_result(("forced by", self.name))
        elif self.action == "rescue" and result.exception is not None:
            result.force_result(("rescued by", self.name))
        elif self.action == "raise":
            raise LookupError(f"teardown of {self.name}")


class AsyncPlain:
    def __init__(self, name: str, value: Any) -> None:
        self.name, self.value = name, value

    @hookimpl
    async def compat_collect(self, x: int, log: list[str]) -> Any:
        log.append(self.name)
        return self.value


async def run_async(plugins: list[Any]) -> tuple[list[str], Any]:
    apm = AsyncPluginManager("compat")
    apm.add_extension_points(Specs)
    for index, plugin in enumerate(plugins):
        apm.register(plugin, name=f"{type(plugin).__name__}{index}")
    log: list[str] = []
    try:
        value = await apm.hook.compat_collect(x=1, log=log)
    except Exception as exc:
        return log, (None, type(exc).__name__)
    return log, (value, None)


async def test_async_manager_runs_sync_legacy_wrappers_as_pluggy() -> None:
    plugins = [Plain("a", 1), Legacy("L1"), NewStyle("N"), Legacy("L2", "force"), Plain("b", 2)]
    theirs = run(pluggy.PluginManager("compat"), plugins)
    assert await run_async(plugins) == (theirs[0], theirs[1][:2])


async def test_async_legacy_wrapper_force_result_replaces_the_result() -> None:
    log, result = await run_async([AsyncPlain("a", 1), Plain("b", 2), AsyncLegacy("AL")])
    assert result == (("forced by", "AL"), None)
    assert log == ["AL<", "b", "a", "AL>[2, 1]"]


async def test_async_legacy_wrapper_sees_and_rescues_errors() -> None:
    log, result = await run_async([Plain("a", error=ValueError("boom")), AsyncLegacy("AL", "rescue")])
    assert result == (("rescued by", "AL"), None)
    assert log == ["AL<", "a", "AL>error"]
    _, result = await run_async([Plain("a", error=ValueError("boom")), AsyncLegacy("AL", "look")])
    assert result == (None, "ValueError")


async def test_async_legacy_wrappers_mixed_with_async_new_style() -> None:
    class AsyncNew:
        @hookimpl(wrapper=True)
        async def compat_collect(self, x: int, log: list[str]) -> Any:
            log.append("new<")
            yield
            log.append("new>")

    log, result = await run_async([AsyncPlain("a", 1), AsyncLegacy("inner"), AsyncNew(),
                                   AsyncLegacy("outer", "look")])
    assert log == ["outer<", "new<", "inner<", "a", "inner>[1]", "new>",
                   "outer>('forced by', 'inner')"]
    assert result == (("forced by", "inner"), None)


async def test_async_legacy_teardown_raising_warns() -> None:
    with recorded_warnings() as seen:
        _, result = await run_async([AsyncPlain("a", 1), AsyncLegacy("AL", "raise")])
    assert result == (None, "LookupError")
    assert [w.category for w in seen] == [nbplug.TeardownRaisedWarning]
    assert "Plugin: AsyncLegacy1, Hook: compat_collect" in str(seen[0].message)


def test_async_legacy_wrapper_is_refused_by_the_sync_manager() -> None:
    pm = PluginManager("compat")
    pm.add_extension_points(Specs)
    with pytest.raises(PluginValidationError, match="AsyncPluginManager"):
        pm.register(AsyncLegacy("AL"), name="al")


async def test_traced_call_shows_legacy_wrappers() -> None:
    """The traced interpreter runs legacy wrappers with the compiled call's semantics."""
    pm = PluginManager("compat")
    pm.add_extension_points(Specs)
    for name, plugin in (("a", Plain("a", 1)), ("L", Legacy("L", "force")), ("N", NewStyle("N"))):
        pm.register(plugin, name=name)
    log: list[str] = []
    trace = pm.hook.compat_collect.traced(x=1, log=log)
    assert trace.result == pm.hook.compat_collect(x=1, log=[])
    assert [(s.plugin_name, s.kind) for _, s in trace.walk()] == [
        ("N", "wrapper"), ("L", "wrapper"), ("a", "impl")]
