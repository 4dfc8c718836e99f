"""Calls as a pluggy user makes them: missing arguments, ``call_extra``, generator implementations,
positional calls, ``call_historic``'s argument order and historic calls through a subset caller —
each compared with pluggy 1.7 in the same test (issue 11, behaviours 2–6)."""

from __future__ import annotations

import inspect
import warnings
from collections.abc import Generator, Iterator
from typing import Any

import pluggy
import pytest
from compat_fixtures import both, hookimpl, hookspec, outcome, recorded_warnings

import nbplug
from nbplug import AsyncPluginManager, HookCallError, PluginManager

MISSING_X = "Argument(s) 'x' which are declared in the hookspec cannot be found in this hook call"
MUST_PROVIDE_X = "hook call must provide argument 'x'"


class Specs:
    @hookspec
    def compat_collect(self, x: int, log: list[str]) -> list[Any]:
        """Collecting."""

    @hookspec(firstresult=True)
    def compat_first(self, x: int, log: list[str]) -> Any:
        """firstresult."""

    @hookspec(historic=True)
    def compat_history(self, x: int, log: list[str]) -> None:
        """historic."""

    @hookspec
    def compat_defaults(self, x: int, log: list[str], scale: int = 10) -> list[Any]:
        """A spec with a default."""


class NeedsX:
    def __init__(self, name: str) -> None:
        self.name = name

    @hookimpl
    def compat_collect(self, x: int, log: list[str]) -> Any:
        log.append(f"{self.name}({x})")
        return x

    @hookimpl
    def compat_history(self, x: int, log: list[str]) -> Any:
        log.append(f"{self.name}({x})")
        return x

    @hookimpl
    def compat_defaults(self, x: int, log: list[str], scale: int) -> Any:
        log.append(f"{self.name}({x}*{scale})")
        return x * scale


class LogOnly:
    def __init__(self, name: str) -> None:
        self.name = name

    @hookimpl
    def compat_collect(self, log: list[str]) -> Any:
        log.append(self.name)
        return self.name

    @hookimpl
    def compat_history(self, log: list[str]) -> Any:
        log.append(self.name)
        return self.name


class Guard:
    """A new-style wrapper that reports the inner exception it sees and passes it on."""

    @hookimpl(wrapper=True)
    def compat_collect(self, log: list[str]) -> Generator[None, Any, Any]:
        try:
            return (yield)
        except Exception as exc:
            log.append(f"guard saw {type(exc).__name__}")
            raise


def calling(plugins: list[Any], hook: str = "compat_collect", **kwargs: Any) -> Any:
    """A scenario: add the specs, register the plugins, call the hook with ``kwargs`` + a log."""

    def scenario(pm: Any) -> tuple[Any, list[str]]:
        pm.add_hookspecs(Specs)
        for index, plugin in enumerate(plugins):
            pm.register(plugin, name=f"{type(plugin).__name__}{index}")
        log: list[str] = []
        result = outcome(lambda: getattr(pm.hook, hook)(log=log, **kwargs))
        return result.value, result.error, result.message, log

    return scenario


# -- 2: a call that leaves out an argument of the spec ---------------------------------------------


def test_missing_argument_warns_and_calls_those_that_do_not_need_it() -> None:
    with recorded_warnings() as seen:
        outcomes = both(calling([LogOnly("a"), LogOnly("b")]))
    assert outcomes["nbplug"].value == outcomes["pluggy"].value == (["b", "a"], None, "", ["b", "a"])
    texts = [str(w.message) for w in seen]
    assert len(texts) == 2 and all(MISSING_X in text for text in texts)
    assert "'compat_collect'" in texts[1]  # nbplug names the hook too
    assert all(issubclass(w.category, UserWarning) for w in seen)
    assert issubclass(seen[1].category, nbplug.MissingArgumentWarning)


def test_missing_argument_warning_points_at_the_call() -> None:
    for make in (lambda: pluggy.PluginManager("compat"), lambda: PluginManager("compat")):
        pm = make()
        pm.add_hookspecs(Specs)
        pm.register(LogOnly("a"), name="a")
        for _ in range(2):  # the first call compiles the plan, the second runs the compiled one
            with recorded_warnings() as seen:
                pm.hook.compat_collect(log=[])
            assert [w.filename for w in seen] == [__file__]


def test_an_implementation_needing_the_missing_argument_raises_hook_call_error() -> None:
    with recorded_warnings():
        outcomes = both(calling([LogOnly("a"), NeedsX("b"), LogOnly("c"), Guard()]))
    ours, theirs = outcomes["nbplug"].value, outcomes["pluggy"].value
    assert ours[1] == theirs[1] == "HookCallError"
    assert MUST_PROVIDE_X in ours[2] and theirs[2] == MUST_PROVIDE_X
    assert "'compat_collect'" in ours[2] and "'NeedsX1'" in ours[2]  # nbplug says which extension
    # c ran (registered last, called first), then b's turn raised: the wrapper saw the error
    assert ours[3] == theirs[3] == ["c", "guard saw HookCallError"]


def test_missing_argument_with_compiled_plan_and_after_a_full_call() -> None:
    """The same outcome whether the plan was compiled by a complete call or not."""
    pm = PluginManager("compat")
    pm.add_extension_points(Specs)
    pm.register(LogOnly("a"), name="a")
    pm.register(NeedsX("b"), name="b")
    assert pm.hook.compat_collect(x=2, log=[]) == [2, "a"]
    with recorded_warnings(), pytest.raises(HookCallError, match=MUST_PROVIDE_X):
        pm.hook.compat_collect(log=[])
    pm.unregister(name="b")
    with recorded_warnings() as seen:
        assert pm.hook.compat_collect(log=[]) == ["a"]
    assert len(seen) == 1


def test_spec_defaults_are_not_missing() -> None:
    with recorded_warnings() as seen:
        outcomes = both(calling([NeedsX("a")], "compat_defaults", x=2))
    assert outcomes["nbplug"].value == outcomes["pluggy"].value == ([20], None, "", ["a(2*10)"])
    assert seen == []


def test_no_spec_no_warning_and_the_needy_implementation_raises() -> None:
    def scenario(pm: Any) -> Any:
        pm.register(NeedsX("a"), name="a")
        return outcome(lambda: pm.hook.compat_collect(log=[]))

    with recorded_warnings() as seen:
        outcomes = both(scenario)
    assert seen == []
    ours, theirs = outcomes["nbplug"].value, outcomes["pluggy"].value
    assert ours.error == theirs.error == "HookCallError"
    assert theirs.message in ours.message


def test_historic_call_with_a_missing_argument() -> None:
    def scenario(pm: Any) -> Any:
        pm.add_hookspecs(Specs)
        pm.register(LogOnly("a"), name="a")
        log: list[str] = []
        results: list[Any] = []
        pm.hook.compat_history.call_historic(results.append, {"log": log})
        pm.register(LogOnly("b"), name="b")  # replayed: needs only log
        return results, log

    with recorded_warnings() as seen:
        outcomes = both(scenario)
    assert outcomes["nbplug"].value == outcomes["pluggy"].value == (["a", "b"], ["a", "b"])
    assert [MISSING_X in str(w.message) for w in seen] == [True, True]


async def test_missing_argument_on_the_async_manager() -> None:
    apm = AsyncPluginManager("compat")
    apm.add_extension_points(Specs)
    apm.register(LogOnly("a"), name="a")
    with recorded_warnings() as seen:
        assert await apm.hook.compat_collect(log=[]) == ["a"]
    assert [MISSING_X in str(w.message) for w in seen] == [True]
    assert seen[0].filename == __file__
    apm.register(NeedsX("b"), name="b")
    with recorded_warnings(), pytest.raises(HookCallError, match=MUST_PROVIDE_X):
        await apm.hook.compat_collect(log=[])


def test_undeclared_argument_stays_an_error_on_purpose() -> None:
    """pluggy ignores an argument its spec does not declare; nbplug says so, with a did-you-mean."""
    outcomes = both(calling([NeedsX("a")], x=1, lgo=2))
    assert outcomes["pluggy"].value[:2] == ([1], None)
    assert outcomes["nbplug"].value[1] == "HookCallError"
    assert "did you mean 'log'" in outcomes["nbplug"].value[2]


# -- 3: call_extra ------------------------------------------------------------------------------


def extra_one(x: int, log: list[str]) -> Any:
    log.append("extra_one")
    return "one"


def extra_two(log: list[str]) -> Any:
    log.append("extra_two")
    return "two"


class First:
    @hookimpl(tryfirst=True)
    def compat_collect(self, x: int, log: list[str]) -> Any:
        log.append("first")
        return "first"

    @hookimpl(tryfirst=True)
    def compat_first(self, x: int, log: list[str]) -> Any:
        log.append("first")


class Last:
    @hookimpl(trylast=True)
    def compat_collect(self, x: int, log: list[str]) -> Any:
        log.append("last")
        return "last"


class Legacy:
    @hookimpl(hookwrapper=True)
    def compat_collect(self, x: int, log: list[str]) -> Generator[None, Any, None]:
        log.append("legacy<")
        outcome = yield
        log.append(f"legacy>{outcome.get_result()!r}")


@pytest.mark.parametrize("plugins", [
    pytest.param([], id="alone"),
    pytest.param([NeedsX("a"), First(), Last()], id="ordered"),
    pytest.param([NeedsX("a"), Legacy(), First(), NeedsX("b"), Guard()], id="with-wrappers"),
])
def test_call_extra_matches_pluggy(plugins: list[Any]) -> None:
    def scenario(pm: Any) -> Any:
        pm.add_hookspecs(Specs)
        for index, plugin in enumerate(plugins):
            pm.register(plugin, name=f"p{index}")
        log: list[str] = []
        result = pm.hook.compat_collect.call_extra([extra_one, extra_two], {"x": 3, "log": log})
        after = pm.hook.compat_collect(x=3, log=[])  # the extra methods took part once only
        return result, log, after

    outcomes = both(scenario)
    assert outcomes["nbplug"] == outcomes["pluggy"]
    assert outcomes["nbplug"].error is None


def test_call_extra_on_firstresult_and_with_missing_arguments() -> None:
    def scenario(pm: Any) -> Any:
        pm.add_hookspecs(Specs)
        pm.register(First(), name="first")
        log: list[str] = []
        answer = pm.hook.compat_first.call_extra([extra_two, extra_one], {"x": 1, "log": log})
        with recorded_warnings() as seen:
            failed = outcome(lambda: pm.hook.compat_first.call_extra([extra_one], {"log": []}))
        return answer, log, failed.error, failed.message, len(seen)

    outcomes = both(scenario)
    ours, theirs = outcomes["nbplug"].value, outcomes["pluggy"].value
    assert ours[:3] == theirs[:3] == ("one", ["first", "extra_one"], "HookCallError")
    assert theirs[3] in ours[3] and ours[4] == theirs[4] == 1


def test_call_extra_is_seen_by_monitors() -> None:
    def scenario(pm: Any) -> Any:
        pm.add_hookspecs(Specs)
        pm.register(NeedsX("a"), name="a")
        seen: list[Any] = []
        pm.add_hookcall_monitoring(
            lambda name, impls, kwargs: seen.append((name, [i.plugin_name for i in impls])),
            lambda outcome, name, impls, kwargs: seen.append(outcome.get_result()))
        pm.hook.compat_collect.call_extra([extra_two], {"x": 1, "log": []})
        return seen

    outcomes = both(scenario)
    assert outcomes["nbplug"] == outcomes["pluggy"]
    assert outcomes["nbplug"].value == [("compat_collect", ["a", "<temp>"]), ["two", 1]]


async def test_call_extra_on_the_async_manager() -> None:
    async def extra_async(x: int, log: list[str]) -> Any:
        log.append("async")
        return "async"

    apm = AsyncPluginManager("compat")
    apm.add_extension_points(Specs)
    apm.register(NeedsX("a"), name="a")
    log: list[str] = []
    result = await apm.hook.compat_collect.call_extra([extra_async, extra_two], {"x": 5, "log": log})
    assert result == ["two", "async", 5]
    assert log == ["extra_two", "async", "a(5)"]


# -- 4: a plain implementation that is a generator function ----------------------------------------


class Yields:
    @hookimpl
    def compat_collect(self, x: int, log: list[str]) -> Iterator[int]:
        log.append("started")
        yield x
        yield x + 1


def test_generator_implementation_returns_its_generator() -> None:
    def scenario(pm: Any) -> Any:
        pm.add_hookspecs(Specs)
        pm.register(Yields(), name="yields")
        log: list[str] = []
        (gen,) = pm.hook.compat_collect(x=4, log=log)
        before = list(log)
        return inspect.isgenerator(gen), before, list(gen), log

    outcomes = both(scenario)
    assert outcomes["nbplug"] == outcomes["pluggy"]
    assert outcomes["nbplug"].value == (True, [], [4, 5], ["started"])


async def test_generator_implementations_on_the_async_manager() -> None:
    class AsyncYields:
        @hookimpl
        async def compat_collect(self, x: int, log: list[str]) -> Any:
            yield x

    apm = AsyncPluginManager("compat")
    apm.add_extension_points(Specs)
    apm.register(Yields(), name="yields")
    apm.register(AsyncYields(), name="async_yields")
    agen, gen = await apm.hook.compat_collect(x=1, log=[])
    assert inspect.isasyncgen(agen) and inspect.isgenerator(gen)
    assert [v async for v in agen] == [1] and list(gen) == [1, 2]


# -- 5: positional calls and call_historic's argument order ------------------------------------------


def test_positional_call_raises_type_error_as_in_pluggy() -> None:
    def scenario(pm: Any) -> Any:
        pm.add_hookspecs(Specs)
        pm.register(NeedsX("a"), name="a")
        return pm.hook.compat_collect(1, [])

    outcomes = both(scenario)
    assert outcomes["pluggy"].error == "TypeError"
    error = outcomes["nbplug"].exception
    assert isinstance(error, TypeError) and isinstance(error, HookCallError)
    assert "keyword arguments only" in str(error)


async def test_positional_call_on_the_async_manager_raises_type_error() -> None:
    apm = AsyncPluginManager("compat")
    apm.add_extension_points(Specs)
    with pytest.raises(TypeError, match="keyword arguments only"):
        await apm.hook.compat_collect(1, [])


def test_call_historic_takes_pluggys_positional_order() -> None:
    def scenario(pm: Any) -> Any:
        pm.add_hookspecs(Specs)
        pm.register(NeedsX("a"), name="a")
        results: list[Any] = []
        pm.hook.compat_history.call_historic(results.append, {"x": 7, "log": []})
        pm.hook.compat_history.call_historic(None, {"x": 8, "log": []})
        pm.register(NeedsX("b"), name="b")
        return results

    outcomes = both(scenario)
    assert outcomes["nbplug"] == outcomes["pluggy"]
    assert outcomes["nbplug"].value == [7, 7]


def test_call_historic_takes_keywords_and_refuses_kwargs_first_clearly() -> None:
    pm = PluginManager("compat")
    pm.add_extension_points(Specs)
    pm.register(NeedsX("a"), name="a")
    results: list[Any] = []
    pm.hook.compat_history.call_historic(kwargs={"x": 1, "log": []}, result_callback=results.append)
    assert results == [1]
    with pytest.raises(TypeError, match=r"result_callback must be callable or None, got dict"):
        pm.hook.compat_history.call_historic({"x": 2, "log": []}, results.append)  # kwargs first
    with pytest.raises(TypeError, match=r"kwargs must be a mapping"):
        pm.hook.compat_history.call_historic(None, [("x", 2)])
    assert results == [1]  # a refused call calls nothing and is not kept for later plugins
    pm.register(NeedsX("b"), name="b")
    assert results == [1, 1]


# -- 6: a historic call made through a subset caller is replayed to later plugins ----------------


def test_historic_call_through_subset_hook_caller_is_replayed() -> None:
    def scenario(pm: Any) -> Any:
        pm.add_hookspecs(Specs)
        left_out = NeedsX("left_out")
        pm.register(left_out, name="left_out")
        pm.register(NeedsX("kept"), name="kept")
        subset = pm.subset_hook_caller("compat_history", [left_out])
        log: list[str] = []
        results: list[Any] = []
        subset.call_historic(results.append, {"x": 1, "log": log})
        pm.register(NeedsX("later"), name="later")
        return log, results

    outcomes = both(scenario)
    assert outcomes["nbplug"] == outcomes["pluggy"]
    assert outcomes["nbplug"].value == (["kept(1)", "later(1)"], [1, 1])


def test_no_warnings_on_a_complete_call() -> None:
    pm = PluginManager("compat")
    pm.add_extension_points(Specs)
    pm.register(NeedsX("a"), name="a")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert pm.hook.compat_collect(x=1, log=[]) == [1]


# -- an extension's parameters with defaults -----------------------------------------------------


class Defaulted:
    @hookimpl
    def compat_defaults(self, x: int, log: list[str], scale: int = 1) -> Any:
        return ("scaled", x * scale)

    @hookimpl
    def compat_collect(self, x: int, log: list[str], extra: int = 5) -> Any:
        return ("extra", x + extra)


class DefaultedWrapper:
    @hookimpl(wrapper=True)
    def compat_defaults(self, x: int, log: list[str], scale: int = 1) -> Generator[None, Any, Any]:
        log.append(f"wrapper saw scale={scale}")
        return (yield)


def test_defaulted_parameters_get_the_calls_value_as_in_pluggy() -> None:
    """pluggy 1.7 passes an extension's defaulted parameter by keyword when the call (with the
    spec's defaults) has it, and leaves it to its default otherwise."""

    def scenario(pm: Any) -> Any:
        pm.add_hookspecs(Specs)
        pm.register(Defaulted(), name="defaulted")
        pm.register(DefaultedWrapper(), name="wrapper")
        log: list[str] = []
        return (pm.hook.compat_defaults(x=2, log=log), pm.hook.compat_defaults(x=2, log=log, scale=3),
                pm.hook.compat_collect(x=2, log=log), log)

    outcomes = both(scenario)
    assert outcomes["nbplug"] == outcomes["pluggy"]
    assert outcomes["nbplug"].value == ([("scaled", 20)], [("scaled", 6)], [("extra", 7)],
                                        ["wrapper saw scale=10", "wrapper saw scale=3"])


async def test_defaulted_parameters_on_the_async_manager() -> None:
    apm = AsyncPluginManager("compat")
    apm.add_extension_points(Specs)
    apm.register(Defaulted(), name="defaulted")
    assert await apm.hook.compat_defaults(x=2, log=[], scale=4) == [("scaled", 8)]
    assert await apm.hook.compat_defaults(log=[], x=1) == [("scaled", 10)]  # the spec's default
